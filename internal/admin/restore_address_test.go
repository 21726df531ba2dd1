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

// TestRestoreSaysNoMoreThanTheWriterMaySee: restoring a revision moves a
// story back to the address it had then, and another writer's draft may
// hold that address now. The contributor is told what a save there tells
// (the slug oracle: "not available"), not the store's own message, which
// says another story is there; nothing is restored.
func TestRestoreSaysNoMoreThanTheWriterMaySee(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "Bridge to reopen")
		path := "/admin/articles/" + itoa(e.Article.ID)
		c := f.as(t, "contributor")
		form := editorForm(e)
		form.Set("slug", "bridge-plans")
		if res := c.post(path, form); res.status != http.StatusSeeOther {
			t.Fatalf("moving the draft to bridge-plans: %d\n%s", res.status, res.body)
		}
		// Another writer's draft at the address the first had.
		const secret = "Secret deal on the bridge"
		other := &news.Editorial{Article: &news.Article{Headline: secret, Slug: "bridge-to-reopen", Section: e.Article.Section,
			Body: "Text.", BodyHTML: "<p>Text.</p>", Status: news.Draft}, CreatedBy: f.users["other"].ID}
		if err := st.InTx(ctx, func(tx *store.Store) error {
			_, err := tx.SaveEditorial(ctx, other, store.Save{UserID: f.users["other"].ID})
			return err
		}); err != nil {
			t.Fatal(err)
		}

		res := c.post(path+"/revisions/1/restore", url.Values{"confirm": {"yes"}})
		if res.status != http.StatusConflict || !strings.Contains(res.body, "not available") {
			t.Errorf("restoring the revision at the other draft's address: %d, want 409 saying it is not available\n%.2000s", res.status, res.body)
		}
		for _, leak := range []string{secret, "another article", "other@example.org"} {
			if strings.Contains(res.body, leak) {
				t.Errorf("the refusal tells the contributor %q", leak)
			}
		}
		if cur, err := st.Editorial(ctx, e.Article.ID); err != nil || cur.Article.Slug != "bridge-plans" || cur.Revision != 2 {
			t.Errorf("after the refusal: %v, slug %q at revision %d; want bridge-plans at 2", err, cur.Article.Slug, cur.Revision)
		}
	})
}
