package export

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
)

// An incremental export renders what the changes since the last one
// touched, worked out from the change log and the article index the
// manifest keeps; the rest of the copy stays as it is. Anything the log
// cannot pin down to articles (a section renamed, a setting, the site's
// layout) renders every page again: rarely needed, and never wrong.

// maxPlanned is how many changes an incremental export takes on; beyond
// it, rendering every page costs about the same.
const maxPlanned = 500

// relatedShown is how many of a section's newest articles each article
// page of the section shows (the site's "related" list shows 4, leaving out
// the article itself, so the newest 5 can appear).
const relatedShown = 5

// feedShown is how many of the site's newest articles its own feeds hold,
// and scopeFeedShown how many of a section's, tag's or author's its feeds
// hold: a change further down a list leaves its feeds as they are.
const (
	feedShown      = site.FeedItems
	scopeFeedShown = site.ScopeFeedItems
)

// plan is the work of an incremental export.
type plan struct {
	full     bool     // the changes need every page rendered
	targets  []string // addresses to render
	drop     []string // files to remove unless rendered again
	chains   map[string]bool
	articles map[int64]ArticleEntry // the article index after the changes
}

// plan reads the changes the copy lacks and works out what to render:
// those after since, and those in the reorder window below it that were not
// there when the copy was made (seen lists them), which committed late.
func (r *run) plan(since int64, seen []int64) (*plan, error) {
	p := &plan{chains: map[string]bool{}, articles: r.old.Articles}
	from := max(0, since-store.ReorderWindow)
	read, err := r.e.Store.ChangesSince(r.ctx, from, maxPlanned+store.ReorderWindow+1)
	if err != nil {
		return nil, err
	}
	var changes []store.ChangeKeys
	for _, c := range read {
		if c.ID <= since && slices.Contains(seen, c.ID) {
			continue // in the copy already
		}
		changes = append(changes, c)
	}
	if len(changes) > maxPlanned {
		p.full = true
		return p, nil
	}
	if len(changes) == 0 {
		return p, nil
	}
	var ids, pageIDs []int64
	home, sitemaps := false, false
	for _, c := range changes {
		var arts, pages []int64
		other := false
		for _, k := range c.Keys {
			kind, id, ok := news.KeyID(k)
			switch {
			case ok && kind == "article":
				arts = append(arts, id)
			case ok && kind == "page":
				// A standing page by itself: its own address (one that
				// shows in the footer or moves names "site" too).
				pages = append(pages, id)
			case ok: // the section, tag and author keys of an article change
			case k == news.KeyHome:
				home = true
			case k == news.KeySitemap:
				sitemaps = true
			case k == news.KeyMissing:
			default: // site, layout, lists: shown on every page
				other = true
			}
		}
		if other || (len(arts) == 0 && len(pages) == 0 && hasIDKey(c.Keys)) {
			// A section, tag or author changed by itself (a rename, a
			// description): its name is on many pages.
			p.full = true
			return p, nil
		}
		ids = append(ids, arts...)
		pageIDs = append(pageIDs, pages...)
	}
	if home {
		p.targets = append(p.targets, "/")
	}
	if sitemaps || len(ids) > 0 {
		p.targets = append(p.targets, r.sitemapTargets()...)
	}
	if err := r.planPages(p, pageIDs); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return p, nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	now_, err := r.e.Store.ArticleIndex(r.ctx, ids)
	if err != nil {
		return nil, err
	}
	after := maps.Clone(r.old.Articles)
	current := map[int64]*ArticleEntry{}
	for _, a := range now_ {
		if a.Status == news.Published {
			e := entryOf(a)
			// What its page showed, until the page is rendered again.
			e.Media = r.old.Articles[a.ID].Media
			after[a.ID] = e
			current[a.ID] = &e
		}
	}
	for _, id := range ids {
		if current[id] == nil {
			delete(after, id)
		}
	}
	p.articles = after
	p.targets = append(p.targets, "/")
	chains := chainIndex(r.old.Files)
	for _, id := range ids {
		var before *ArticleEntry
		if e, ok := r.old.Articles[id]; ok {
			before = &e
		}
		now := current[id]
		if before == nil && now == nil {
			continue // a draft changed: nothing public shows it
		}
		// The article's own page, where it was and where it is, and the
		// pages at its old addresses that lead to it (gone with it when
		// it is unpublished).
		for _, e := range []*ArticleEntry{before, now} {
			if e != nil {
				for _, path := range append([]string{e.Path}, e.Moved...) {
					p.targets = append(p.targets, path)
					p.drop = append(p.drop, fileFor(path))
				}
			}
		}
		// Every list that shows it, before or after: section fronts up
		// the tree, tags, authors, and their feeds.
		listsBefore, listsNow := listsOf(before), listsOf(now)
		if rankIn(r.old.Articles, "/", id) < feedShown || rankIn(after, "/", id) < feedShown {
			p.targets = append(p.targets, feedsOf("/")...)
		}
		for _, root := range union(listsBefore, listsNow) {
			if rankIn(r.old.Articles, root, id) < scopeFeedShown || rankIn(after, root, id) < scopeFeedShown {
				p.targets = append(p.targets, feedsOf(root)...)
			}
			p.listPages(root, chains[familyOf(root)], keyOf(id, before, listsBefore[root]), keyOf(id, now, listsNow[root]))
		}
		// The article pages of its section show the section's newest
		// few: when it is or was among them, all of them change.
		for _, sec := range sectionsOf(before, now) {
			if rank(r.old.Articles, sec, id) < relatedShown || rank(after, sec, id) < relatedShown {
				for _, a := range after {
					if a.Section == sec {
						p.targets = append(p.targets, a.Path)
					}
				}
			}
		}
	}
	return p, nil
}

// planPages renders the standing pages that changed, each at its address:
// the page, or, for one taken back, the not-found answer that drops its
// file.
func (r *run) planPages(p *plan, ids []int64) error {
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		pg, err := r.e.Store.PageByID(r.ctx, id)
		if news.ErrorCode(err) == news.ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		p.targets = append(p.targets, pg.URL())
		p.drop = append(p.drop, fileFor(pg.URL()))
	}
	return nil
}

func hasIDKey(keys []string) bool {
	for _, k := range keys {
		if _, _, ok := news.KeyID(k); ok {
			return true
		}
	}
	return false
}

// sitemapTargets are the sitemaps the copy has, and the index, which names
// any new piece.
func (r *run) sitemapTargets() []string {
	out := []string{"/sitemap.xml", "/news-sitemap.xml", "/sitemaps/pages.xml"}
	for f := range r.old.Files {
		if strings.HasPrefix(f, "sitemaps/") {
			out = append(out, "/"+f)
		}
	}
	return out
}

// listsOf returns the lists an article appears in, by their first page's
// address: "/news/", "/news/europe/", "/tag/rivers", "/author/ana-ruiz".
func listsOf(a *ArticleEntry) map[string]bool {
	out := map[string]bool{}
	if a == nil {
		return out
	}
	segs := strings.Split(a.Section, "/")
	for i := range segs {
		out["/"+strings.Join(segs[:i+1], "/")+"/"] = true
	}
	for _, t := range a.Tags {
		out["/tag/"+t] = true
	}
	for _, u := range a.Authors {
		out["/author/"+u] = true
	}
	return out
}

func union(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if !a[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func sectionsOf(before, now *ArticleEntry) []string {
	var out []string
	for _, e := range []*ArticleEntry{before, now} {
		if e != nil && !slices.Contains(out, e.Section) {
			out = append(out, e.Section)
		}
	}
	return out
}

// feedsOf are a list's feeds: /news/europe/rss.xml, /tag/rivers/rss.xml.
func feedsOf(root string) []string {
	base := strings.TrimSuffix(root, "/") + "/"
	return []string{base + "rss.xml", base + "atom.xml", base + "feed.json"}
}

// key is a place in a newest-first list, as the site's cursors name it.
type key struct{ us, id int64 }

func (k key) newer(o key) bool { return k.us > o.us || (k.us == o.us && k.id > o.id) }

// parseKey reads a cursor, "MICROS-ID".
func parseKey(s string) (key, bool) {
	a, b, ok := strings.Cut(s, "-")
	us, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	return key{us, id}, ok && err1 == nil && err2 == nil && id > 0
}

// keyOf is the article's place in a list it is in, or nil.
func keyOf(id int64, e *ArticleEntry, listed bool) *key {
	if e == nil || !listed {
		return nil
	}
	return &key{e.Published, id}
}

// rank is how many articles of the section are newer than the article, or
// a large number when it is not there.
func rank(index map[int64]ArticleEntry, section string, id int64) int {
	me, ok := index[id]
	if !ok || me.Section != section {
		return 1 << 30
	}
	k := key{me.Published, id}
	n := 0
	for oid, a := range index {
		if a.Section == section && (key{a.Published, oid}).newer(k) {
			n++
		}
	}
	return n
}

// rankIn is how many articles of the list at root ("/" for everything)
// are newer than the article, or a large number when it is not in it.
func rankIn(index map[int64]ArticleEntry, root string, id int64) int {
	me, ok := index[id]
	if !ok || (root != "/" && !listsOf(&me)[root]) {
		return 1 << 30
	}
	k := key{me.Published, id}
	n := 0
	for oid, a := range index {
		if (key{a.Published, oid}).newer(k) && (root == "/" || inList(&a, root)) {
			n++
		}
	}
	return n
}

// inList reports whether an article is in the list at root.
func inList(a *ArticleEntry, root string) bool {
	switch {
	case strings.HasPrefix(root, "/tag/"):
		return slices.Contains(a.Tags, root[len("/tag/"):])
	case strings.HasPrefix(root, "/author/"):
		return slices.Contains(a.Authors, root[len("/author/"):])
	}
	return "/"+a.Section+"/" == root || strings.HasPrefix("/"+a.Section+"/", root)
}

// listPage is one page of a list in the copy, with its cursor: it shows
// the articles older than the cursor (the first page has none).
type listPage struct {
	path   string
	cursor *key
}

// chainIndex groups the later pages the copy has by list, each list's
// pages from newest to oldest: "/news/after/" -> [/news/after/C1/, ...].
func chainIndex(files map[string]FileEntry) map[string][]listPage {
	out := map[string][]listPage{}
	for f := range files {
		rest, ok := strings.CutSuffix(f, "/index.html")
		i := strings.LastIndex(rest, "/after/")
		if !ok || i < 0 {
			continue
		}
		k, ok := parseKey(rest[i+len("/after/"):])
		if !ok {
			continue
		}
		fam := "/" + rest[:i] + "/after/"
		out[fam] = append(out[fam], listPage{path: "/" + rest + "/", cursor: &k})
	}
	for _, pages := range out {
		slices.SortFunc(pages, func(a, b listPage) int {
			if a.cursor.newer(*b.cursor) {
				return -1
			}
			return 1
		})
	}
	return out
}

// listPages plans a list's pages for a change to one of its articles,
// which was at before and is at now (nil: not in the list). When it stays
// where it was, only the page showing it changes. When it comes, goes or
// moves, every page from the first it touches to the end shifts (each
// page's "older" link names its last article), so those are rendered again
// following the list, and the old later pages not reached again removed.
func (p *plan) listPages(root string, later []listPage, before, now *key) {
	if before == nil && now == nil {
		return
	}
	pages := append([]listPage{{path: root}}, later...)
	// containing is the page that shows (or would show) k: the last page
	// whose cursor is newer than k.
	containing := func(k key) int {
		i := 0
		for j, pg := range pages {
			if pg.cursor == nil || pg.cursor.newer(k) {
				i = j
			}
		}
		return i
	}
	if before != nil && now != nil && *before == *now {
		p.targets = append(p.targets, pages[containing(*now)].path)
		return
	}
	k := now
	if k == nil || (before != nil && before.newer(*k)) {
		k = before
	}
	from := containing(*k)
	p.targets = append(p.targets, pages[from].path)
	p.chains[familyOf(root)] = true
	for _, pg := range pages[from+1:] {
		p.drop = append(p.drop, fileFor(pg.path))
	}
}
