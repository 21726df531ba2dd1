package site

import (
	"html/template"
	"net/http"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// listView is a tag or author page.
type listView struct {
	page
	Kind    string // "Tag" or "Author"
	Heading string
	Intro   string
	Agency  bool
	Cards   []card
	// CardList is Cards as HTML (cardList): the card template run
	// twenty times was half of a tag or author page's render.
	CardList template.HTML
	Next     string
	First    string
}

// showTag lists the published articles filed under a tag.
func (s *Site) showTag(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := s.store.TagBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	v := &listView{page: s.newPage(ctx, t.URL(), t.Name), Kind: "Topic", Heading: t.Name}
	st := s.settings(ctx)
	v.Description = "Stories about " + t.Name + " from " + st.Name + "."
	v.addFeeds(s.feedLinks(ctx, t.URL()+"/", feedTitle(st, t.Name)))
	v.addJSONLD(s.collectionLD(st, &v.page))
	v.addJSONLD(s.breadcrumbLD(st, []navItem{{Name: t.Name, URL: t.URL()}}))
	return s.showList(w, r, v, t.URL(), store.ArticleFilter{TagID: t.ID})
}

// showAuthor lists an author's published articles.
func (s *Site) showAuthor(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.store.AuthorBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	v := &listView{page: s.newPage(ctx, a.URL(), a.Name), Kind: "Author", Heading: a.Name, Intro: a.Bio, Agency: a.Agency}
	if a.Agency {
		v.Kind = "Agency"
	}
	st := s.settings(ctx)
	v.Description = "Stories by " + a.Name + " at " + st.Name + "."
	v.addFeeds(s.feedLinks(ctx, a.URL()+"/", feedTitle(st, a.Name)))
	if a.Bio != "" {
		v.Description = a.Bio
	}
	v.addJSONLD(s.authorLD(a))
	v.addJSONLD(s.breadcrumbLD(st, []navItem{{Name: a.Name, URL: a.URL()}}))
	return s.showList(w, r, v, a.URL(), store.ArticleFilter{AuthorID: a.ID})
}

func (s *Site) showList(w http.ResponseWriter, r *http.Request, v *listView, base string, f store.ArticleFilter) error {
	after, err := pageCursor(r)
	if err != nil {
		return err
	}
	f.After, f.Limit = after, s.cfg.PageSize+1
	list, err := s.store.PublishedArticles(r.Context(), f)
	if err != nil {
		return err
	}
	if len(list) == 0 && after.IsZero() {
		// A tag or author with nothing published is not a page yet.
		return news.NotFound("nothing published under %s", base)
	}
	if !after.IsZero() {
		v.Robots = "noindex, follow"
		v.First = base
	}
	v.Next = nextPage(base, &list, s.cfg.PageSize)
	v.OG = s.websiteOG(s.settings(r.Context()), &v.page)
	v.Cards = newCards(list)
	v.CardList = s.cardList(v.Cards)
	return s.renderKeyed(w, r, http.StatusOK, "list", v, listKeys(scopeKey(f), list))
}
