package admin

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// TestPageEditorInChromium: a standing page opens in the body editor the
// articles use; the saved body is the Markdown typed; Save and publish
// asks first, then puts the page on the site; and, pages having no
// autosave, leaving the editor with unsaved text makes the browser ask.
func TestPageEditorInChromium(t *testing.T) {
	f := newFixture(t, openSQLite(t))
	p := &news.Page{Slug: "about", Title: "About us", Body: "We report.", BodyHTML: "<p>We report.</p>", Status: news.Draft}
	if err := f.st.SavePage(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	bt := f.browse(t, "editor")
	bt.open("/admin/pages/" + itoa(p.ID))
	bt.waitFor(`!!document.querySelector('.rich-body') && document.querySelector('#body').hidden`)
	bt.eval(`(() => { const v = newsdeskEditor.editor.view; v.focus();
		const S = v.state.selection.constructor; v.dispatch(v.state.tr.setSelection(S.atEnd(v.state.doc))); return "" })()`)
	typeRich(bt, "\n## How we work\nEvery story is **checked**.\n")
	bt.submit("#editor .actions button.publish")
	if got := <-bt.dialogs; !strings.Contains(got, "Save and publish") {
		t.Errorf("the question before publishing: %q", got)
	}
	saved, err := f.st.PageByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(saved.Body, "We report.\n\n## How we work\n\nEvery story is **checked**.") || saved.Status != news.Published {
		t.Errorf("saved %s with the body:\n%s", saved.Status, saved.Body)
	}
	res, err := http.Get(f.srv.URL + "/about")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("the published page: %d", res.StatusCode)
	}

	bt.open("/admin/pages/" + itoa(p.ID))
	bt.waitFor(`!!document.querySelector('.rich-body')`)
	bt.eval(`(() => { newsdeskEditor.editor.view.focus(); return "" })()`)
	typeRich(bt, "Unsaved words.")
	bt.waitFor(`document.querySelector('#body').value.includes('Unsaved words.')`)
	bt.open("/admin/pages")
	select {
	case got := <-bt.dialogs:
		if !strings.HasPrefix(got, "beforeunload") {
			t.Errorf("leaving unsaved text: the dialog %q, want the browser's leave question", got)
		}
	case <-time.After(10 * time.Second):
		t.Error("leaving the page editor with unsaved text: the browser did not ask")
	}
}
