package admin

import (
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestNoteAndSendBackInChromium: a writer files a story; the editor, in
// one browser, leaves a note mentioning the writer and sends the story
// back with a reason; the writer, in another, sees the bell count two,
// opens the notification, and lands on their draft with both notes beside
// the editor, the sending back marked.
func TestNoteAndSendBackInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "Lighthouse keepers return")
		path := "/admin/articles/" + itoa(e.Article.ID)
		if res := f.as(t, "contributor").post(path+"/submit", url.Values{}); res.status != 303 {
			t.Fatalf("submit: %d", res.status)
		}
		ed := f.browse(t, "editor")
		ed.open(path)
		ed.typeInto("#note", "@Contributor is the date right?")
		ed.submit(`form[action$="/notes"] button[type=submit]`)
		if got := ed.eval(`document.querySelector('#notes .note-list').textContent`); !strings.Contains(got, "is the date right?") {
			t.Fatalf("after adding the note the panel says %q", got)
		}
		ed.typeInto("#send-back-note", "Check the date with the harbour office.")
		ed.submit(`form[action$="/send-back"] button[type=submit]`)
		if got := ed.eval(`document.querySelector('.flash') ? document.querySelector('.flash').textContent : ''`); !strings.Contains(got, "Sent back") {
			t.Errorf("after sending back the editor is told %q", got)
		}
		if cur, _ := st.Editorial(ctx, e.Article.ID); cur.Article.Status != news.Draft {
			t.Fatalf("sent back: %s", cur.Article.Status)
		}

		wr := f.browse(t, "contributor")
		wr.open("/admin/")
		if got := wr.eval(`document.querySelector('.bell').textContent`); !strings.Contains(got, "2 unread") {
			t.Errorf("the writer's bell says %q", got)
		}
		wr.submit(`.bell`)
		if got := wr.html(); !strings.Contains(got, "sent “Lighthouse keepers return” back to you") {
			t.Fatalf("notifications page:\n%s", got)
		}
		wr.submit(`.notification form button[type=submit]`)
		notes := wr.eval(`document.querySelector('#notes').textContent`)
		if !strings.Contains(notes, "Sent back") || !strings.Contains(notes, "Check the date with the harbour office.") || !strings.Contains(notes, "is the date right?") {
			t.Errorf("the writer's notes panel: %q", notes)
		}
		if got := wr.eval(`document.querySelector('.bell').textContent`); !strings.Contains(got, "1 unread") {
			t.Errorf("after opening one, the bell says %q", got)
		}
	})
}
