package admin

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	cdpage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// tab is one Chromium tab signed in to a fixture's newsroom. It accepts
// every dialog (a "leave the page?" question, a confirm()) and counts them.
type tab struct {
	t       *testing.T
	ctx     context.Context
	base    string
	dialogs chan string
}

// browse opens a tab signed in as who (a session made in the store, as
// the HTTP tests do: logging in is tested on its own).
func (f *fixture) browse(t *testing.T, who string) *tab {
	t.Helper()
	bt := &tab{t: t, ctx: testkit.BrowserContext(t), base: f.srv.URL, dialogs: make(chan string, 16)}
	err := chromedp.Listen(bt.ctx, func(ev any) {
		d, ok := ev.(*cdpage.EventJavascriptDialogOpening)
		if !ok {
			return
		}
		select {
		case bt.dialogs <- string(d.Type) + ": " + d.Message:
		default:
		}
		go chromedp.Call(bt.ctx, cdpage.HandleJavaScriptDialog, cdpage.HandleJavaScriptDialogParams{Accept: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	token, hash := auth.NewToken()
	if err := f.st.CreateSession(ctx, hash, &news.Session{UserID: f.users[who].ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	bt.within(func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: cookiePlain, Value: token, URL: f.srv.URL + "/admin/", Path: "/admin/"})
		return err
	})
	return bt
}

// within runs f with a time limit, and on failure shows where the tab is.
func (bt *tab) within(f func(ctx context.Context) error) {
	bt.t.Helper()
	ctx, cancel := context.WithTimeout(bt.ctx, 30*time.Second)
	defer cancel()
	if err := f(ctx); err != nil {
		loc, _ := chromedp.Run(bt.ctx, chromedp.Location())
		main, _ := chromedp.Run(bt.ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		bt.t.Fatalf("%v\nat %s\n%s", err, loc, main)
	}
}

func (bt *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	bt.t.Helper()
	bt.within(func(ctx context.Context) error { return chromedp.Do(ctx, actions...) })
}

// open loads a newsroom page and waits for it.
func (bt *tab) open(path string) {
	bt.t.Helper()
	bt.do(chromedp.Navigate(bt.base+path), chromedp.WaitReady(chromedp.CSS("main")))
}

// submit clicks a button and waits for the page it leads to.
func (bt *tab) submit(sel string) {
	bt.t.Helper()
	bt.within(func(ctx context.Context) error {
		_, err := chromedp.Run(ctx, chromedp.WaitEvent(cdpage.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel))))
		return err
	})
}

func (bt *tab) eval(js string, opts ...chromedp.EvaluateOption) string {
	bt.t.Helper()
	var s string
	bt.within(func(ctx context.Context) (err error) {
		s, err = chromedp.Run(ctx, chromedp.Evaluate[string](js, opts...))
		return err
	})
	return s
}

// waitFor polls a script's truth, for up to 15 seconds.
func (bt *tab) waitFor(js string) {
	bt.t.Helper()
	bt.within(func(ctx context.Context) error {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second)))
		return err
	})
}

// typeInto types text at the end of a field, as keystrokes.
func (bt *tab) typeInto(sel, text string) {
	bt.t.Helper()
	if sel == "#body" {
		// The body editor (editor.js) shows rich text over the textarea;
		// its Markdown view shows the textarea.
		bt.eval(`(() => { const b = document.querySelector('button[data-mode="markdown"]'); if (b && document.querySelector('#body').hidden) b.click(); return "" })()`)
	}
	bt.do(chromedp.SendKeys(chromedp.CSS(sel), text))
}

// autosaved waits for the editor to say its text was autosaved.
func (bt *tab) autosaved() {
	bt.t.Helper()
	bt.waitFor(`document.querySelector('#autosave-status').textContent.startsWith('Autosaved')`)
}

// html is the page's main element.
func (bt *tab) html() string {
	bt.t.Helper()
	return bt.eval(`document.querySelector('main').outerHTML`)
}

// eventually polls cond for up to budget; the budget is generous, since it
// waits for requests a browser sends as it leaves a page.
func eventually(t *testing.T, budget time.Duration, cond func() bool) bool {
	t.Helper()
	for end := time.Now().Add(budget); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// hasBanner reports whether an editor page offers autosaved text back.
func hasBanner(html string) bool { return strings.Contains(html, "was never saved") }

// markdownMode switches the body editor, when the page has it, to the
// Markdown text, so keystrokes go to the textarea the form sends. The
// choice is kept by the browser for the next pages.
func (bt *tab) markdownMode() {
	bt.t.Helper()
	bt.eval(`(() => { const b = document.querySelector('button[data-mode="markdown"]');
		if (b && b.getAttribute('aria-pressed') !== 'true') b.click(); return '' })()`)
}
