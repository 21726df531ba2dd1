package admin

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// dialog waits for the next dialog a tab opened (the tab accepts each).
func (bt *tab) dialog() string {
	bt.t.Helper()
	select {
	case d := <-bt.dialogs:
		return d
	case <-time.After(15 * time.Second):
		bt.t.Fatal("no dialog opened")
		return ""
	}
}

// TestPresenceInChromium: two people in two browsers, each on an instance
// of its own over one database. The editor opens a story; the admin
// opening it is shown the editor holding it, and the editor's page names
// the admin after a heartbeat. The admin is asked before typing, takes
// the story over, and saves; the editor's page says it was taken, keeps
// what the editor typed, and a save of it is kept apart as a conflict.
func TestPresenceInChromium(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		one := newFixture(t, st)
		two := one.instance(t, dsn)
		e := one.draft(t, "contributor", "Harbour strike ends")
		path := "/admin/articles/" + itoa(e.Article.ID)

		ed := one.browse(t, "editor")
		ed.open(path)
		ed.markdownMode()
		ed.typeInto("#summary", "The strike is over.")
		adm := two.browse(t, "admin")
		adm.open(path)
		adm.markdownMode()
		if got := adm.eval(`document.querySelector('#presence-lock').hidden ? '' : document.querySelector('#presence-lock').textContent`); !strings.Contains(got, "Editor Person is editing this story since") {
			t.Fatalf("the second editor's page says %q", got)
		}
		// The first sees the second once a heartbeat has come back.
		ed.waitFor(`document.querySelector('#presence-others').textContent.includes('Admin Person')`)

		// Typing while someone else holds the story asks first.
		adm.typeInto("#headline", "!")
		if d := adm.dialog(); !strings.HasPrefix(d, "confirm: Editor Person is editing this story since") {
			t.Fatalf("before typing, the admin was asked %q", d)
		}

		// Take over (the page asks, the tab accepts), then save.
		adm.submit("#presence-take button")
		if d := adm.dialog(); !strings.HasPrefix(d, "confirm: Take this story over?") {
			t.Fatalf("taking over asked %q", d)
		}
		if got := adm.eval(`document.querySelector('.flash') ? document.querySelector('.flash').textContent : ''`); !strings.Contains(got, "taken this story over") {
			t.Fatalf("after taking over the flash is %q", got)
		}
		if adm.eval(`String(document.querySelector('#presence-lock').hidden)`) != "true" {
			t.Error("after taking over, the admin is still told someone else is editing")
		}
		ed.waitFor(`!document.querySelector('#presence-taken').hidden && document.querySelector('#presence-taker').textContent === 'Admin Person'`)
		if got := ed.eval(`document.querySelector('#summary').value`); got != "The strike is over." {
			t.Errorf("the editor's text after the take-over: %q", got)
		}
		adm.typeInto("#body", " Ferries run again.")
		adm.submit("#editor .actions button[type=submit]")
		if got := adm.eval(`document.querySelector('.flash') ? document.querySelector('.flash').textContent : ''`); !strings.Contains(got, "Saved") {
			t.Fatalf("the admin's save: flash %q", got)
		}

		// The editor saves anyway (asked first): kept apart as a conflict.
		ed.submit("#editor .actions button[type=submit]")
		if d := ed.dialog(); !strings.HasPrefix(d, "confirm: Admin Person is editing this story since") {
			t.Errorf("before saving, the editor was asked %q", d)
		}
		if h := ed.html(); !strings.Contains(h, "Not saved: someone else saved first") {
			t.Errorf("the editor's save after the take-over was not kept apart:\n%s", h)
		}
	})
}
