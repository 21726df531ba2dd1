package admin

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestBulkSelectInChromium ticks "Select all on this page" on a filtered
// list in Chromium, adds a tag to what the page shows, and sees the stories
// of another section left alone: the selection is the page's, not the
// archive's, and it works from the plain form (no script involved).
func TestBulkSelectInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		a := f.story(t, "editor", "Harbour cranes idle", "news/world", nil, nil, false)
		b := f.story(t, "editor", "Harbour fees rise", "news/world", nil, nil, false)
		c := f.story(t, "editor", "Cup final tonight", "sport", nil, nil, false)
		bt := f.browse(t, "editor")
		bt.open("/admin/articles?section=news/world")
		if got := bt.eval(`String(document.querySelectorAll('input[name="id"]').length)`); got != "2" {
			t.Fatalf("%s rows with a checkbox on the filtered list, want 2", got)
		}
		bt.do(chromedp.Click(chromedp.CSS("#bulk-all")))
		bt.do(chromedp.SetValue(chromedp.CSS("#bulk-action"), "tag"))
		bt.typeInto("#bulk-tag", "Ports")
		bt.submit(`#bulk button[type="submit"]`)
		if h := bt.html(); !strings.Contains(h, "2 stories done, 0 refused") {
			t.Fatalf("after Apply:\n%s", h)
		}
		for _, e := range []struct {
			id   int64
			want bool
		}{{a.Article.ID, true}, {b.Article.ID, true}, {c.Article.ID, false}} {
			art, err := st.ArticleByID(ctx, e.id)
			if err != nil {
				t.Fatal(err)
			}
			has := len(art.Tags) == 1 && art.Tags[0].Name == "Ports"
			if has != e.want {
				t.Errorf("story %q: tagged %v, want %v", art.Headline, has, e.want)
			}
		}
	})
}
