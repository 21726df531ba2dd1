package site

import (
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
}

// showSectionOrArticle tells a section front (/news/russia/) from an
// article (/news/russia/some-slug) by the trailing slash.
func (s *Site) showSectionOrArticle(w http.ResponseWriter, r *http.Request) error {
	p := r.PathValue("path")
	if p == "" || strings.Contains(p, "//") {
		return news.NotFound("no page at /%s", p)
	}
	if strings.HasSuffix(p, "/") {
		return s.orRedirect(w, r, s.showSection(w, r, strings.TrimSuffix(p, "/")))
	}
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		// /news without the slash: the section front, if there is one.
		if _, err := s.store.SectionByPath(r.Context(), p); err == nil {
			http.Redirect(w, r, "/"+p+"/", http.StatusMovedPermanently)
			return nil
		}
		return news.NotFound("no page at /%s", p)
	}
	return s.orRedirect(w, r, s.showArticle(w, r, p[:i], p[i+1:]))
}

// showSection shows a section front: its own and its subsections' articles,
// newest first, a page at a time.
func (s *Site) showSection(w http.ResponseWriter, r *http.Request, path string) error {
	ctx := r.Context()
	sec, err := s.store.SectionByPath(ctx, path)
	if err != nil {
		return err
	}
	after, err := parseCursor(r.URL.Query().Get("after"))
	if err != nil {
		return err
	}
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return err
	}
	tree := news.NewTree(secs)
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
	st := s.settings(ctx)
	v.OG = s.websiteOG(st, &v.page)
	v.addFeeds(s.feedLinks(sec.URL(), feedTitle(st, sec.Name)))
	v.addJSONLD(s.collectionLD(st, &v.page))
	v.addJSONLD(s.breadcrumbLD(st, v.Crumbs))
	return s.render(w, r, http.StatusOK, "section", v)
}

// nextPage trims the extra article a list was asked for and returns the
// next page's URL when there was one.
func nextPage(base string, list *[]*news.Article, size int) string {
	if len(*list) <= size {
		return ""
	}
	*list = (*list)[:size]
	last := (*list)[size-1]
	return base + "?after=" + cursorParam(last.PublishedAt, last.ID)
}

// parseCursor reads ?after=MICROS-ID.
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
