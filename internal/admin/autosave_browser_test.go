package admin

import (
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestAutosaveAfterSaveInChromium is the race a reporter met: type, let an
// autosave go, type a little more and press Save at once. The browser sends
// one more autosave as the page goes (or one is still on its way), and it
// used to land after the save, so the saved story said its text "was
// never saved". Five tries; each must come back clean.
func TestAutosaveAfterSaveInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "Tram line extended to the port")
		path := "/admin/articles/" + itoa(e.Article.ID)
		bt := f.browse(t, "contributor")
		for i := range 5 {
			bt.open(path)
			bt.markdownMode()
			bt.typeInto("#body", " Work starts in May.")
			bt.autosaved()
			bt.typeInto("#body", " The port welcomes it.")
			bt.submit("#editor .actions button[type=submit]")
			if got := bt.eval(`document.querySelector('.flash') ? document.querySelector('.flash').textContent : ''`); !strings.Contains(got, "Saved") {
				t.Fatalf("try %d: after Save the flash is %q", i+1, got)
			}
			// Give a late autosave every chance to arrive: open the page
			// again, then look.
			bt.open(path)
			time.Sleep(300 * time.Millisecond)
			bt.open(path)
			if hasBanner(bt.html()) {
				t.Fatalf("try %d: after a plain save the editor says its text was never saved", i+1)
			}
		}
	})
}

// TestNewStoryStartsCleanInChromium: a new story saved with Save draft must
// not be offered back as unsaved text when the writer starts the next one.
func TestNewStoryStartsCleanInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		bt := f.browse(t, "contributor")
		for i := range 3 {
			bt.open("/admin/articles/new")
			bt.markdownMode()
			bt.typeInto("#headline", "Storm closes the coast road "+itoa(int64(i)))
			bt.eval(`(() => { const s = document.querySelector('#section'); s.value = [...s.options].find(o => o.text.includes('World')).value; return s.value })()`)
			bt.typeInto("#body", "The road is shut.")
			bt.autosaved()
			bt.typeInto("#body", " It opens tomorrow.")
			bt.submit("#editor .actions button[type=submit]")
			if got := bt.eval(`location.pathname`); got == "/admin/articles/new" || !strings.HasPrefix(got, "/admin/articles/") {
				t.Fatalf("try %d: Save draft led to %s", i+1, got)
			}
			bt.open("/admin/")
			time.Sleep(300 * time.Millisecond)
			bt.open("/admin/articles/new")
			if h := bt.html(); hasBanner(h) || strings.Contains(h, "Storm closes the coast road") {
				t.Fatalf("try %d: the next new story offers the saved one's text", i+1)
			}
		}
	})
}

// TestLastSecondsKeptInChromium: text typed just before leaving the page
// (before the autosave's pause has run out) is kept.
func TestLastSecondsKeptInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "Library keeps late hours")
		bt := f.browse(t, "contributor")
		bt.open("/admin/articles/" + itoa(e.Article.ID))
		bt.markdownMode()
		bt.typeInto("#body", " Typed in the last second.")
		bt.open("/admin/")
		uid := f.users["contributor"].ID
		ok := eventually(t, 10*time.Second, func() bool {
			as, err := st.LatestAutosave(ctx, uid, e.Article.ID)
			return err == nil && strings.Contains(as.Content.Body, "Typed in the last second.")
		})
		if !ok {
			t.Fatal("the text typed just before leaving the page was not kept")
		}
		bt.open("/admin/articles/" + itoa(e.Article.ID))
		if !hasBanner(bt.html()) {
			t.Error("the editor does not offer the text typed just before leaving")
		}
	})
}
