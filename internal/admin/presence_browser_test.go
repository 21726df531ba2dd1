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

// TestBudgetToStoryInChromium: an editor plans a story for a writer on
// the budget page; the writer, in another browser, finds it on theirs,
// starts it, finds the headline, section and byline filled in, writes and
// submits it; the editor's budget then shows it in review.
func TestBudgetToStoryInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed := f.browse(t, "editor")
		ed.open("/admin/budget")
		ed.typeInto("#slug_line", "Harbour strike ends")
		ed.eval(`(() => {
			const pick = (id, text) => { const s = document.getElementById(id); s.value = [...s.options].find(o => o.text.includes(text)).value; };
			pick('assignee', 'Contributor Person'); pick('section', 'World');
			const d = new Date(Date.now() + 3600e3), p = n => String(n).padStart(2, '0');
			document.getElementById('due').value = d.getUTCFullYear() + '-' + p(d.getUTCMonth() + 1) + '-' + p(d.getUTCDate()) + 'T' + p(d.getUTCHours()) + ':' + p(d.getUTCMinutes());
			return '' })()`)
		ed.typeInto("#words", "600")
		ed.submit(".budget-form button[type=submit]")
		if got := ed.eval(`document.querySelector('.flash') ? document.querySelector('.flash').textContent : ''`); got != "Added to the budget." {
			t.Fatalf("after planning, the flash is %q\n%s", got, ed.html())
		}

		writer := f.browse(t, "contributor")
		writer.open("/admin/budget")
		if got := writer.eval(`document.querySelector('main table').textContent`); !strings.Contains(got, "Harbour strike ends") || !strings.Contains(got, "Assigned") {
			t.Fatalf("the writer's budget: %q", got)
		}
		writer.submit(".budget-actions button[type=submit]")
		if got := writer.eval(`document.querySelector('#headline').value + ' | ' + document.querySelector('#bylines').value + ' | ' + document.querySelector('#section').selectedOptions[0].text`); got != "Harbour strike ends | Contributor Person | World (News)" {
			t.Fatalf("the story started from the line: %q", got)
		}
		writer.markdownMode()
		writer.typeInto("#body", "The strike at the harbour ended at noon.")
		writer.submit(`#editor button[formaction$="/submit"]`)
		if got := writer.eval(`document.querySelector('.flash') ? document.querySelector('.flash').textContent : ''`); !strings.Contains(got, "Submitted") {
			t.Fatalf("after submitting, the flash is %q", got)
		}
		ed.open("/admin/budget")
		if got := ed.eval(`document.querySelector('main table tbody tr').textContent`); !strings.Contains(got, "In review") || !strings.Contains(got, "Contributor Person") {
			t.Errorf("the editor's budget after the story was filed: %q", got)
		}
	})
}
