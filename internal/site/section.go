package site

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

type sectionView struct {
	page
	Section     news.Section
	Crumbs      []navItem
	Subsections []navItem
	Cards       []card
	Next        string // URL of the next page, "" on the last
	First       string // URL of the first page, when not on it
	// Written in Go (see frag.go): the breadcrumbs, and the cards after
	// the lead story (all of them on a later page).
	CrumbTrail template.HTML
	CardList   template.HTML
}

// showSectionOrArticle tells a section front (/news/russia/) from an
// article (/news/russia/some-slug) by the trailing slash.
func (s *Site) showSectionOrArticle(w http.ResponseWriter, r *http.Request) error {
	p := r.PathValue("path")
	if p == "" || strings.Contains(p, "//") {
		return news.NotFound("no page at /%s", p)
	}
	if strings.HasSuffix(p, "/") {
		err := s.showSection(w, r, strings.TrimSuffix(p, "/"))
		if news.ErrorCode(err) == news.ENOTFOUND {
			// Not a section: perhaps a later page of a list, which a static
			// copy of the site can hold as a file (see pagedPath).
			if ok, perr := s.showPaged(w, r, p); ok {
				return perr
			}
		}
		return s.orRedirect(w, r, err)
	}
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		// /news without the slash: the section front, if there is one.
		if _, _, err := s.sectionByPath(r.Context(), p); err == nil {
			s.redirect(w, r, "/"+p+"/")
			return nil
		}
		// Else a standing page, such as /about (pages.go).
		return s.orRedirect(w, r, s.showPage(w, r, p))
	}
	return s.orRedirect(w, r, s.showArticle(w, r, p[:i], p[i+1:]))
}

// showSection shows a section front: its own and its subsections' articles,
// newest first, a page at a time.
func (s *Site) showSection(w http.ResponseWriter, r *http.Request, path string) error {
	ctx := r.Context()
	sec, tree, err := s.sectionByPath(ctx, path)
	if err != nil {
		return err
	}
	after, err := pageCursor(r)
	if err != nil {
		return err
	}
	list, err := s.store.PublishedArticles(ctx, store.ArticleFilter{SectionIDs: tree.SubtreeIDs(sec.ID), After: after, Limit: s.cfg.PageSize + 1})
	if err != nil {
		return err
	}
	v := &sectionView{page: s.newPage(ctx, sec.URL(), sec.Name), Section: sec}
	v.Description = sec.Description
	if v.Description == "" {
		v.Description = "The latest from " + sec.Name + " at " + s.settings(ctx).Name + "."
	}
	if !after.IsZero() {
		v.Robots = "noindex, follow"
		v.First = sec.URL()
		v.Title = sec.Name + " (older stories)"
	}
	for _, a := range tree.Ancestry(sec.ID) {
		v.Crumbs = append(v.Crumbs, navItem{Name: a.Name, URL: a.URL(), Current: a.ID == sec.ID})
	}
	v.Current = v.Crumbs[0].URL
	for _, c := range tree.Children(sec.ID) {
		v.Subsections = append(v.Subsections, navItem{Name: c.Name, URL: c.URL()})
	}
	v.Next = nextPage(sec.URL(), &list, s.cfg.PageSize)
	v.Cards = newCards(list)
	v.CrumbTrail = crumbsHTML(v.Crumbs)
	if len(v.Cards) > 0 {
		rest := v.Cards
		if v.First == "" {
			rest = rest[1:] // the first is the lead story
		}
		v.CardList = s.cardList(rest)
	}
	st := s.settings(ctx)
	v.OG = s.websiteOG(st, &v.page)
	v.addFeeds(s.feedLinks(ctx, sec.URL(), feedTitle(st, sec.Name)))
	v.addJSONLD(s.collectionLD(st, &v.page))
	v.addJSONLD(s.breadcrumbLD(st, v.Crumbs))
	return s.renderKeyed(w, r, http.StatusOK, "section", v, listKeys(news.SectionKey(sec.ID), list))
}

// nextPage trims the extra article a list was asked for and returns the
// next page's URL when there was one.
func nextPage(base string, list *[]*news.Article, size int) string {
	if len(*list) <= size {
		return ""
	}
	*list = (*list)[:size]
	last := (*list)[size-1]
	return pagedPath(base, cursorParam(last.PublishedAt, last.ID))
}

// pagedPath is the address of a later page of the list at base: a path,
// /news/europe/after/MICROS-ID/ or /tag/rivers/after/MICROS-ID/, rather than
// a query string, so that a static copy of the site (newsdesk export) can
// hold every page as a file that any static host serves. The older form,
// ?after=MICROS-ID, is still answered.
func pagedPath(base, cursor string) string {
	return strings.TrimSuffix(base, "/") + "/after/" + cursor + "/"
}

// showPaged answers a later page of a section front, tag or author page,
// p being the path without its leading slash, e.g.
// "news/europe/after/MICROS-ID/". ok is false when p is not of that shape,
// so the caller answers as it would have.
func (s *Site) showPaged(w http.ResponseWriter, r *http.Request, p string) (ok bool, err error) {
	rest, found := strings.CutSuffix(p, "/")
	i := strings.LastIndex(rest, "/after/")
	if !found || i <= 0 {
		return false, nil
	}
	base, cursor := rest[:i], rest[i+len("/after/"):]
	if _, cerr := parseCursor(cursor); cerr != nil || strings.Contains(cursor, "/") {
		return false, nil
	}
	r.SetPathValue("after", cursor)
	kind, slug, _ := strings.Cut(base, "/")
	switch {
	case kind == "tag" && news.ValidSlug(slug):
		r.SetPathValue("slug", slug)
		return true, s.showTag(w, r)
	case kind == "author" && news.ValidSlug(slug):
		r.SetPathValue("slug", slug)
		return true, s.showAuthor(w, r)
	}
	return true, s.showSection(w, r, base)
}

// pageCursor is the list position a request asks for: from the path
// (see pagedPath), or from ?after= in older links.
func pageCursor(r *http.Request) (store.Cursor, error) {
	if c := r.PathValue("after"); c != "" {
		return parseCursor(c)
	}
	return parseCursor(r.URL.Query().Get("after"))
}

// parseCursor reads a list position, MICROS-ID.
func parseCursor(s string) (store.Cursor, error) {
	if s == "" {
		return store.Cursor{}, nil
	}
	ts, id, ok := strings.Cut(s, "-")
	us, err1 := strconv.ParseInt(ts, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || n <= 0 || us <= 0 {
		return store.Cursor{}, news.Invalid("after", "%q is not a page position", s)
	}
	return store.Cursor{Time: time.UnixMicro(us).UTC(), ID: n}, nil
}
