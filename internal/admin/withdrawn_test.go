package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestUnpublishedStoryIsGone: the address of a story that was published and
// then unpublished answers 410 Gone with a short note in the site's layout,
// not to be indexed (it answered a bare 404, which crawlers keep retrying);
// the sitemap and the feed drop it; a story never published is still 404.
func TestUnpublishedStoryIsGone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "editor", "Mayor resigns over harbour deal")
		never := f.draft(t, "editor", "Draft nobody saw")
		c := f.as(t, "editor")
		path := "/admin/articles/" + itoa(e.Article.ID)
		if res := c.post(path+"/publish", editorForm(e)); res.status != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.status)
		}
		public := f.anon(t)
		if res := public.get(e.Article.URL()); res.status != 200 {
			t.Fatalf("the published story: %d", res.status)
		}
		if res := c.post(path+"/unpublish", url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
			t.Fatalf("unpublish: %d", res.status)
		}
		res := public.get(e.Article.URL())
		if res.status != http.StatusGone {
			t.Fatalf("the unpublished story's address: %d, want 410", res.status)
		}
		for _, want := range []string{"withdrawn", `<meta name="robots" content="noindex`, "The Test Gazette"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the 410 page lacks %q:\n%s", want, res.body)
			}
		}
		if strings.Contains(res.body, "Mayor resigns over harbour deal") {
			t.Error("the 410 page repeats the withdrawn story's headline")
		}
		for _, p := range []string{"/sitemap.xml", "/rss.xml"} {
			if res := public.get(p); strings.Contains(res.body, e.Article.Slug) {
				t.Errorf("%s still lists the withdrawn story", p)
			}
		}
		if res := public.get(never.Article.URL()); res.status != http.StatusNotFound {
			t.Errorf("a story never published: %d, want 404", res.status)
		}
	})
}
