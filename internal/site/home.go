package site

import (
	"net/http"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

type homeView struct {
	page
	Top      []card
	Latest   []card // the newest stories after the top ones, as headlines
	Sections []sectionBlock
}

// sectionBlock is one top section's latest articles on the home page.
type sectionBlock struct {
	Section navItem
	Cards   []card
}

// showHome shows the editors' top stories (the latest stories when they
// have picked none), then the latest of each top section.
func (s *Site) showHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	top, err := s.store.TopStories(ctx)
	if err != nil {
		return err
	}
	if len(top) == 0 {
		if top, err = s.store.PublishedArticles(ctx, store.ArticleFilter{Limit: 5}); err != nil {
			return err
		}
	}
	shown := make([]int64, 0, 64)
	for _, a := range top {
		shown = append(shown, a.ID)
	}
	latest, err := s.store.PublishedArticles(ctx, store.ArticleFilter{ExcludeIDs: shown, Limit: 10})
	if err != nil {
		return err
	}
	tree, err := s.tree(ctx)
	if err != nil {
		return err
	}
	v := &homeView{page: s.newPage(ctx, "/", "")}
	st := s.settings(ctx)
	v.Title = st.Name
	v.Description = st.Description
	v.Top = newCards(top)
	v.Latest = newCards(latest)
	keys := newPageKeys(news.KeyHome)
	keys.cards(top)
	keys.cards(latest)
	// Every top section's latest in one query (not one per section).
	roots := tree.Roots()
	groups := make([][]int64, len(roots))
	for i, sec := range roots {
		groups[i] = tree.SubtreeIDs(sec.ID)
	}
	blocks, err := s.store.LatestIn(ctx, groups, shown, 4)
	if err != nil {
		return err
	}
	for i, sec := range roots {
		list := blocks[i]
		if len(list) == 0 {
			continue
		}
		keys.cards(list)
		v.Sections = append(v.Sections, sectionBlock{Section: navItem{Name: sec.Name, URL: sec.URL()}, Cards: newCards(list)})
	}
	v.OG = s.websiteOG(st, &v.page)
	v.addJSONLD(s.websiteLD(st))
	v.addJSONLD(s.organizationLD(st))
	return s.renderKeyed(w, r, http.StatusOK, "home", v, keys)
}
