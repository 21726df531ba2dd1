package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/cache"
	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Sitemaps: /sitemap.xml is an index of /sitemaps/pages.xml (home,
// sections, authors, tags) and /sitemaps/articles-N.xml (every published
// article, oldest first, in pieces of Config.SitemapSize); and
// /news-sitemap.xml for Google News.

const xmlType = "application/xml; charset=utf-8"

// sitemapSize is how many articles one article sitemap lists.
func (s *Site) sitemapSize() int {
	if n := s.cfg.SitemapSize; n > 0 && n <= feed.MaxURLs {
		return n
	}
	return feed.MaxURLs
}

func articlePieceName(n int) string { return "articles-" + strconv.Itoa(n) + ".xml" }

// showSitemapIndex serves /sitemap.xml.
func (s *Site) showSitemapIndex(w http.ResponseWriter, r *http.Request) error {
	here := s.here(r.Context()).base // every URL in a sitemap is on the address it was read on
	pieces, err := s.store.SitemapPieces(r.Context(), s.sitemapSize())
	if err != nil {
		return err
	}
	var latest time.Time
	for _, t := range pieces {
		if t.After(latest) {
			latest = t
		}
	}
	refs := []feed.SitemapRef{{Loc: here + "/sitemaps/pages.xml", LastMod: latest}}
	for i, t := range pieces {
		refs = append(refs, feed.SitemapRef{Loc: here + "/sitemaps/" + articlePieceName(i+1), LastMod: t})
	}
	var buf bytes.Buffer
	if err := feed.WriteSitemapIndex(&buf, refs); err != nil {
		return err
	}
	return s.sendKeyed(w, r, xmlType, latest, buf.Bytes(), newPageKeys(news.KeySitemap))
}

// showSitemap serves /sitemaps/pages.xml and /sitemaps/articles-N.xml.
func (s *Site) showSitemap(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	if name == "pages.xml" {
		return s.showPagesSitemap(w, r)
	}
	num, ok := strings.CutPrefix(name, "articles-")
	num, ok2 := strings.CutSuffix(num, ".xml")
	n, err := strconv.Atoi(num)
	if !ok || !ok2 || err != nil || n < 1 || strconv.Itoa(n) != num {
		return news.NotFound("no sitemap %s", name)
	}
	// Rows go from the database into the document one at a time. The
	// document itself is rendered whole before it is sent, so a failure
	// half-way is an error page, not a truncated sitemap a crawler trusts.
	var buf bytes.Buffer
	set := feed.NewURLSet(&buf)
	var latest time.Time
	here := s.here(r.Context()).base
	err = s.store.EachSitemapArticle(r.Context(), s.sitemapSize(), n-1, func(a *store.SitemapArticle) error {
		u := feed.URL{Loc: here + a.URL(), LastMod: a.LastMod}
		if a.Photo != nil {
			if v, ok := largestVariant(&news.Photo{Media: *a.Photo}); ok {
				u.Images = []string{here + "/media/" + v.Key}
			}
		}
		if a.LastMod.After(latest) {
			latest = a.LastMod
		}
		return set.Add(u)
	})
	if err != nil {
		return err
	}
	if set.Len() == 0 {
		return news.NotFound("no sitemap %s: there are fewer articles", name)
	}
	if err := set.Close(); err != nil {
		return err
	}
	return s.sendKeyed(w, r, xmlType, latest, buf.Bytes(), newPageKeys(news.KeySitemap))
}

// showPagesSitemap lists the home page, every section, the published
// standing pages, and the authors and tags with something published (the
// rest have no page). Tags come most
// recently used first, so if there are ever more pages than one sitemap
// holds, the ones left out are the stalest.
func (s *Site) showPagesSitemap(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return err
	}
	mods, err := s.store.SectionLastMods(ctx)
	if err != nil {
		return err
	}
	tree := news.NewTree(secs)
	var latest time.Time
	for _, t := range mods {
		if t.After(latest) {
			latest = t
		}
	}
	var buf bytes.Buffer
	set := feed.NewURLSet(&buf)
	here := s.here(ctx).base
	add := func(path string, mod time.Time) error {
		return set.Add(feed.URL{Loc: here + path, LastMod: mod})
	}
	err = add("/", latest)
	for _, sec := range secs {
		if err != nil {
			break
		}
		var mod time.Time
		for _, id := range tree.SubtreeIDs(sec.ID) {
			if mods[id].After(mod) {
				mod = mods[id]
			}
		}
		err = add(sec.URL(), mod)
	}
	if err == nil {
		var pages []*news.Page
		if pages, err = s.store.PublishedPages(ctx); err == nil {
			for _, p := range pages {
				mod := p.PublishedAt
				if p.UpdatedAt.After(mod) {
					mod = p.UpdatedAt
				}
				if err = add(p.URL(), mod); err != nil {
					break
				}
			}
		}
	}
	if err == nil {
		err = s.store.EachListedAuthor(ctx, func(p store.ListedPage) error { return add("/author/"+p.Slug, p.LastMod) })
	}
	if err == nil {
		err = s.store.EachListedTag(ctx, func(p store.ListedPage) error { return add("/tag/"+p.Slug, p.LastMod) })
	}
	// A full sitemap (feed.ErrFull) ends the listing; what is in it stands.
	if err != nil && !errors.Is(err, feed.ErrFull) {
		return err
	}
	if err := set.Close(); err != nil {
		return err
	}
	return s.sendKeyed(w, r, xmlType, latest, buf.Bytes(), newPageKeys(news.KeySitemap))
}

// showNewsSitemap serves /news-sitemap.xml: the articles published in the
// last 48 hours, newest first, at most 1,000.
//
// It is the one document that changes with the clock and not only with the
// content (an article ages out), so it is routed around the page cache,
// which keeps a page until the next change; the query is one indexed range
// of at most 1,000 rows. It does its own ETag and compression.
func (s *Site) showNewsSitemap(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st := s.settings(ctx)
	now := s.now()
	here := s.here(ctx).base
	var list []feed.NewsArticle
	var latest time.Time
	err := s.store.EachRecentArticle(ctx, now.Add(-feed.NewsWindow), now, feed.MaxNewsURLs, func(a *store.SitemapArticle) error {
		na := feed.NewsArticle{Loc: here + a.URL(), Title: a.Headline, Published: a.PublishedAt}
		if a.Photo != nil {
			if v, ok := largestVariant(&news.Photo{Media: *a.Photo}); ok {
				na.Images = []string{here + "/media/" + v.Key}
			}
		}
		if a.LastMod.After(latest) {
			latest = a.LastMod
		}
		list = append(list, na)
		return nil
	})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := feed.WriteNewsSitemap(&buf, feed.NewsPublication{Name: st.Name, Language: st.Language}, list); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Add("Vary", "Accept-Encoding")
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagListed(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body := buf.Bytes()
	if cache.Accepts(r.Header.Get("Accept-Encoding"), "gzip") && len(body) > 512 {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(body)
		zw.Close()
		body = z.Bytes()
		h.Set("Content-Encoding", "gzip")
	}
	return s.sendDocument(w, r, xmlType, latest, body)
}

// etagListed reads an If-None-Match list.
func etagListed(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}
