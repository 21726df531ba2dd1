package admin

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSubsectionByTypingInChromium: in the editor's section list a writer
// types a subsection's name, as keyboard users choose from a list, and
// that subsection is chosen. The labels were indented with dashes
// ("— Russia"), so typing "Rus" chose nothing.
func TestSubsectionByTypingInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ru, err := st.EnsureSectionPath(ctx, "news/russia")
		if err != nil {
			t.Fatal(err)
		}
		bt := f.browse(t, "contributor")
		bt.open("/admin/articles/new")
		bt.do(chromedp.Focus(chromedp.CSS("#section")), chromedp.KeyEvent("Rus"))
		if got := bt.eval(`document.querySelector('#section').value`); got != itoa(ru.ID) {
			label := bt.eval(`document.querySelector('#section').selectedOptions[0].textContent`)
			t.Errorf("typing Rus in the section list chose %q (%s), want Russia (%d)", label, got, ru.ID)
		}
		label := bt.eval(`document.querySelector('#section').selectedOptions[0].textContent`)
		if !strings.HasPrefix(label, "Russia") || !strings.Contains(label, "News") {
			t.Errorf("the subsection's label %q does not start with its name and say where it sits", label)
		}
	})
}
