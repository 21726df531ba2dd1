package admin

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSEOTextsOnThePublicPage: the title and description an editor writes
// for search engines are the published page's <title> and meta
// description; the headline and summary stay on the page and in its
// social card. Without them, the headline and summary serve.
func TestSEOTextsOnThePublicPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed := f.as(t, "editor")
		for _, tt := range []struct {
			name, seoTitle, seoDesc, wantTitle, wantDesc string
		}{
			{"with SEO texts", "Flood barrier vote: what it means for Kalun", "How the vote changes the city's flood plan.",
				"<title>Flood barrier vote: what it means for Kalun | ", `<meta name="description" content="How the vote changes the city&#39;s flood plan.">`},
			{"without", "", "", "<title>Council passes the harbour plan | ", `<meta name="description" content="The summary as written.">`},
		} {
			headline := "Council votes on the flood barrier"
			if tt.seoTitle == "" {
				headline = "Council passes the harbour plan"
			}
			e := f.draft(t, "editor", headline)
			form := editorForm(e)
			form.Set("summary", "The summary as written.")
			form.Set("seo_title", tt.seoTitle)
			form.Set("seo_description", tt.seoDesc)
			if res := ed.post("/admin/articles/"+itoa(e.Article.ID)+"/publish", form); res.status != 303 {
				t.Fatalf("%s: publish: %d\n%.500s", tt.name, res.status, res.body)
			}
			page := f.public(t, e.Article.URL())
			if !strings.Contains(page.body, tt.wantTitle) || !strings.Contains(page.body, tt.wantDesc) {
				t.Errorf("%s: want %q and %q in the page head:\n%.800s", tt.name, tt.wantTitle, tt.wantDesc, page.body)
			}
			if !strings.Contains(page.body, ">"+headline+"</h1>") {
				t.Errorf("%s: the page's heading is not the headline %q", tt.name, headline)
			}
			if !strings.Contains(page.body, `<meta property="og:title" content="`+headline+`">`) {
				t.Errorf("%s: the social card's title is not the headline", tt.name)
			}
		}
	})
}
