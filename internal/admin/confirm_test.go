package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestRestoreAndUnpublishAskFirst: the Restore and Unpublish buttons, sent
// as a browser without a script sends them, change nothing and lead to a
// page that asks; its button does it.
func TestRestoreAndUnpublishAskFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "editor", "Museum roof repaired")
		path := "/admin/articles/" + itoa(e.Article.ID)
		c := f.as(t, "editor")
		form := editorForm(e)
		form.Set("body", "The roof is whole again.")
		if res := c.post(path+"/publish", form); res.status != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.status)
		}
		ask := func(what, action string) {
			t.Helper()
			before, _ := st.Editorial(ctx, e.Article.ID)
			res := c.post(action, nil)
			if res.status != http.StatusOK || !strings.Contains(res.body, `<form method="post" action="`+action+`"`) ||
				!strings.Contains(res.body, `name="confirm" value="yes"`) || !strings.Contains(res.body, "Cancel") {
				t.Fatalf("%s without confirming: %d, want a page that asks\n%s", what, res.status, res.body)
			}
			after, _ := st.Editorial(ctx, e.Article.ID)
			if after.Revision != before.Revision || after.Article.Status != before.Article.Status {
				t.Fatalf("%s without confirming changed the article", what)
			}
			if res := c.post(action, url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
				t.Fatalf("%s, confirmed: %d", what, res.status)
			}
		}
		ask("restoring revision 1", path+"/revisions/1/restore")
		if cur, _ := st.Editorial(ctx, e.Article.ID); cur.Article.Body != e.Article.Body {
			t.Errorf("after the confirmed restore the body is %q", cur.Article.Body)
		}
		ask("unpublishing", path+"/unpublish")
		if cur, _ := st.Editorial(ctx, e.Article.ID); cur.Article.Status != news.Draft {
			t.Errorf("after the confirmed unpublish the status is %s", cur.Article.Status)
		}
	})
}

// TestRestoreAsksInChromium: with the script, Restore asks in a dialog,
// and once it is accepted the revision is restored without the page step.
func TestRestoreAsksInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "editor", "Harbour crane replaced")
		c := f.as(t, "editor")
		path := "/admin/articles/" + itoa(e.Article.ID)
		form := editorForm(e)
		form.Set("body", "A new crane stands.")
		c.post(path, form)
		bt := f.browse(t, "editor")
		bt.open(path + "/revisions")
		bt.submit(`button[formaction$="/revisions/1/restore"]`)
		select {
		case d := <-bt.dialogs:
			if !strings.Contains(d, "Restore revision 1") {
				t.Errorf("the dialog: %q", d)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Restore asked nothing")
		}
		if got := bt.eval(`document.querySelector('.flash') ? document.querySelector('.flash').textContent : location.pathname`); !strings.Contains(got, "Restored") {
			t.Errorf("after accepting: %q", got)
		}
	})
}
