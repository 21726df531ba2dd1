package admin

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestPreviewWidthsInChromium: in a real browser the editor's preview is
// the public page, styled by the site's own stylesheet, in a frame a phone
// wide; the Desktop switch makes it 1280 pixels wide and Phone narrow
// again; a headline typed and not saved shows in the frame; nothing in the
// frame runs a script.
func TestPreviewWidthsInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "Headline in the frame")
		bt := f.browse(t, "contributor")
		bt.open("/admin/articles/" + itoa(e.Article.ID))
		frameH1 := `(document.querySelector('#preview-page').contentDocument?.querySelector('h1')?.textContent || '')`
		bt.waitFor(frameH1 + ` === 'Headline in the frame'`)
		// The site's stylesheet, not the newsroom's, dresses the page.
		if got := bt.eval(`document.querySelector('#preview-page').contentDocument.querySelector('link[rel=stylesheet]').sheet ? 'loaded' : 'missing'`); got != "loaded" {
			t.Errorf("the public stylesheet in the frame: %s", got)
		}
		if got := bt.eval(`getComputedStyle(document.querySelector('#preview-page').contentDocument.querySelector('.masthead')).display`); got == "" || got == "inline" {
			t.Errorf("the frame's masthead is not styled: display %q", got)
		}
		width := `String(Math.round(document.querySelector('#preview-page').getBoundingClientRect().width))`
		if got := bt.eval(width); got != "390" {
			t.Errorf("the frame starts %s px wide, want 390 (a phone)", got)
		}
		bt.do(chromedp.Click(chromedp.CSS(`label[for=preview-width-desktop]`)))
		if got := bt.eval(width); got != "1280" {
			t.Errorf("after Desktop: %s px, want 1280", got)
		}
		if got := bt.eval(`String(document.querySelector('#preview-page').contentWindow.innerWidth)`); got != "1280" {
			t.Errorf("the page in the frame lays out at %s px, want 1280", got)
		}
		bt.do(chromedp.Click(chromedp.CSS(`label[for=preview-width-phone]`)))
		if got := bt.eval(width); got != "390" {
			t.Errorf("after Phone: %s px, want 390", got)
		}
		bt.typeInto("#headline", ", retold")
		bt.waitFor(frameH1 + `.includes(', retold')`)
		// Scripts do not run in the frame: a script URL's would-be global
		// is absent, and the frame's own window cannot evaluate.
		if got := bt.eval(`(() => { const d = document.querySelector('#preview-page').contentDocument; const s = d.createElement('script'); s.textContent = 'window.ran = 1'; d.body.append(s); return String(document.querySelector('#preview-page').contentWindow.ran) })()`); got != "undefined" {
			t.Errorf("a script ran in the preview frame: %s", got)
		}
	})
}
