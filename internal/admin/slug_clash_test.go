package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSectionFormRefusesAStorysAddress: a subsection whose front would be
// a story's address with a slash (/news/markets/ beside the story
// /news/markets) is refused by the section form, made or renamed, with the
// clash named on the form; nothing is stored.
func TestSectionFormRefusesAStorysAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed := f.as(t, "editor")
		top, err := st.SectionByPath(ctx, "news")
		if err != nil {
			t.Fatal(err)
		}
		err = st.InTx(ctx, func(tx *store.Store) error {
			return tx.SaveArticle(ctx, &news.Article{Headline: "Markets fall", Slug: "markets", Section: top, Status: news.Draft, Body: "Text.", BodyHTML: "<p>Text.</p>"})
		})
		if err != nil {
			t.Fatal(err)
		}
		world, err := st.SectionByPath(ctx, "news/world")
		if err != nil {
			t.Fatal(err)
		}
		for what, post := range map[string]func() response{
			"a new subsection": func() response {
				return ed.post("/admin/sections", url.Values{"name": {"Markets"}, "parent": {itoa(top.ID)}})
			},
			"a subsection renamed": func() response {
				return ed.post("/admin/sections/"+itoa(world.ID), url.Values{"name": {"World"}, "slug": {"markets"}, "parent": {itoa(top.ID)}})
			},
		} {
			res := post()
			if res.status != http.StatusConflict || !strings.Contains(res.body, "/news/markets/ cannot be this section") || !strings.Contains(res.body, `data-field="slug"`) {
				t.Errorf("%s at /news/markets/: %d, want 409 naming the story's address\n%.400s", what, res.status, res.body)
			}
		}
		if _, err := st.SectionByPath(ctx, "news/markets"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a refused section was stored: %v", err)
		}
		if _, err := st.SectionByPath(ctx, "news/world"); err != nil {
			t.Errorf("the refused rename changed the section: %v", err)
		}
	})
}
