package admin

import (
	"net/url"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// TestCollabPagesAreValidHTML: the editor with its notes (a mention, a
// sending back) and its embargo and schedule panels in each state, the
// notifications page, and the desk with an embargoed story pass the Nu
// HTML Checker.
func TestCollabPagesAreValidHTML(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		must := func(res response) {
			t.Helper()
			if res.status != 303 {
				t.Fatalf("%d\n%s", res.status, between(res.body, "<main", "</main>"))
			}
		}
		if st.Engine() != "sqlite" {
			t.Skip("the pages are the same on both engines; checked once")
		}
		f := newFixture(t, st)
		writer, editor := f.as(t, "contributor"), f.as(t, "editor")
		back := f.draft(t, "contributor", "Sent back story")
		bp := "/admin/articles/" + itoa(back.Article.ID)
		must(writer.post(bp+"/submit", url.Values{}))
		must(editor.post(bp+"/notes", url.Values{"note": {"@Contributor <b>check</b> this & that\nsecond line"}}))
		review := f.draft(t, "contributor", "In review story")
		rp := "/admin/articles/" + itoa(review.Article.ID)
		must(writer.post(rp+"/submit", url.Values{}))
		must(editor.post(bp+"/send-back", url.Values{"note": {"Needs a second source."}}))
		emb := f.draft(t, "editor", "Embargoed story")
		ep := "/admin/articles/" + itoa(emb.Article.ID)
		must(editor.post(ep+"/embargo", url.Values{"embargo": {time.Now().Add(5 * time.Hour).Format("2006-01-02T15:04")}}))
		pub := f.draft(t, "editor", "Published story")
		pp := "/admin/articles/" + itoa(pub.Article.ID)
		must(editor.post(pp+"/publish", url.Values{}))
		pub, _ = st.Editorial(ctx, pub.Article.ID)
		form := editorForm(pub)
		form.Set("update_at", time.Now().Add(time.Hour).Format("2006-01-02T15:04"))
		must(editor.post(pp+"/schedule-update", form))
		must(editor.post(pp+"/unpublish-at", url.Values{"unpublish_at": {time.Now().Add(2 * time.Hour).Format("2006-01-02T15:04")}}))
		pages := map[string]struct {
			c    *client
			path string
		}{
			"sent back, as its writer": {writer, bp}, "in review, as an editor": {editor, rp}, "embargoed": {editor, ep},
			"published with an update and an unpublish": {editor, pp}, "notifications": {writer, "/admin/notifications"},
			"no notifications": {editor, "/admin/notifications"}, "desk": {editor, "/admin/"},
		}
		docs := map[string][]byte{}
		for name, p := range pages {
			res := p.c.get(p.path)
			if res.status != 200 {
				t.Fatalf("%s (%s): %d", name, p.path, res.status)
			}
			docs[name] = []byte(res.body)
		}
		testkit.ValidateHTMLBatch(t, docs)
	})
}
