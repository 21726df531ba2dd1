package admin

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// TestDeskPagesAreValidHTML checks the article list (with a scheduled and
// an embargoed story, an error, a second page), the bulk action's
// confirmation and answer, and the photo library (after a multiple upload,
// and with a search error) with the Nu HTML Checker.
func TestDeskPagesAreValidHTML(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		a := f.story(t, "editor", "Ferry timetable", "news/world", []string{"Ana Ruiz"}, []string{"Ferries"}, false)
		b := f.story(t, "editor", "Quay works", "news", nil, nil, true)
		if _, err := st.SetEmbargo(ctx, a.Article.ID, time.Now().Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		ed := f.as(t, "editor")
		docs := map[string][]byte{}
		keep := func(name string, res response, status int) {
			t.Helper()
			if res.status != status {
				t.Fatalf("%s: %d, want %d\n%s", name, res.status, status, res.body)
			}
			docs[name] = []byte(res.body)
		}
		keep("list", ed.get("/admin/articles"), 200)
		keep("list sorted by author", ed.get("/admin/articles?sort=author&dir=desc&q=ferry"), 200)
		keep("list with an error", ed.get("/admin/articles?from=soon&sort=nothing"), 400)
		// The bad column is named, not kept in the form's hidden field,
		// where "Show" would send it again.
		if res := ed.get("/admin/articles?sort=nothing&dir=up"); res.status != 400 || strings.Contains(res.body, `value="nothing"`) || strings.Contains(res.body, `value="up"`) {
			t.Errorf("a bad sort: %d, kept in the form:\n%s", res.status, res.body)
		}
		keep("list of a contributor", f.as(t, "contributor").get("/admin/articles"), 200)
		form := url.Values{"action": {"publish"}, "id": {itoa(a.Article.ID), itoa(b.Article.ID), "999999"}}
		keep("bulk confirmation", ed.post("/admin/articles/bulk", form), 200)
		form.Set("confirm", "yes")
		keep("bulk answer", ed.post("/admin/articles/bulk", form), 200)
		keep("bulk error", ed.post("/admin/articles/bulk", url.Values{"action": {"tag"}}), 400)
		c := f.as(t, "contributor")
		keep("library after a multiple upload", c.postFiles("/admin/media", map[string]string{"caption": "Harbour"},
			map[string][]byte{"a.jpg": testJPEG(t, 30, 20), "b.jpg": []byte("not a photo")}, []string{"a.jpg", "b.jpg"}), 200)
		keep("library search error", c.get("/admin/media?from=soon"), 400)
		testkit.ValidateHTMLBatch(t, docs)
	})
}
