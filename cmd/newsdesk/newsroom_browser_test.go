package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// browser drives one Chromium tab against a running serve.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// within runs f with a time limit; the browser context itself has none,
// since a deadline on it would stop the whole browser.
func (b *browser) within(f func(ctx context.Context) error) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := f(ctx); err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		html, _ := chromedp.Run(b.ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		b.t.Fatalf("%v\nat %s\n%s", err, loc, html)
	}
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.within(func(ctx context.Context) error { return chromedp.Do(ctx, actions...) })
}

func (b *browser) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("main")))
}

// submit clicks a button and waits for the page it leads to.
func (b *browser) submit(sel string) {
	b.t.Helper()
	b.within(func(ctx context.Context) error {
		_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel))))
		return err
	})
}

func (b *browser) fill(fields map[string]string) {
	b.t.Helper()
	for sel, v := range fields {
		b.do(chromedp.SetValue(chromedp.CSS(sel), v))
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	var s string
	b.within(func(ctx context.Context) (err error) {
		s, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		return err
	})
	return s
}

func (b *browser) eval(js string, opts ...chromedp.EvaluateOption) string {
	b.t.Helper()
	var s string
	b.within(func(ctx context.Context) (err error) {
		s, err = chromedp.Run(ctx, chromedp.Evaluate[string](js, opts...))
		return err
	})
	return s
}

// expectFlash checks the message a redirect ended on.
func (b *browser) expectFlash(want string) {
	b.t.Helper()
	if got := b.text(".flash"); !strings.Contains(got, want) {
		b.t.Fatalf("flash %q, want %q", got, want)
	}
}

func (b *browser) login(email, pw string) {
	b.t.Helper()
	b.open("/admin/login")
	b.fill(map[string]string{"#email": email, "#password": pw})
	b.submit("main form button[type=submit]")
	if h := b.text("h1"); h != "Desk" {
		b.t.Fatalf("after logging in as %s: %q, want the desk", email, h)
	}
}

func (b *browser) logout() {
	b.t.Helper()
	b.submit(".logout button")
}

// TestNewsroomInChromium is the newsroom's acceptance test, in a real
// browser against the real program: the first admin sets up the newsroom
// and makes a contributor and an editor; the contributor writes a story
// with a photo and files it, and cannot publish it; the editor publishes
// and corrects it; readers see it on the home page, its section and its
// own page.
func TestNewsroomInChromium(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		bctx := testkit.BrowserContext(t)
		vars := map[string]string{"NEWSDESK_DATA": t.TempDir(), "NEWSDESK_DB": dsn}
		base, logs := startServeLogged(t, []string{"--site-name", "The Harbour Herald"}, vars)
		m := setupLinkPattern.FindStringSubmatch(logs.String())
		if m == nil {
			t.Fatalf("no setup link in the log:\n%s", logs.String())
		}
		b := &browser{t: t, ctx: bctx, base: base}

		// The first admin, from the link serve logged.
		b.do(chromedp.Navigate(m[1]), chromedp.WaitReady(chromedp.CSS("main")))
		b.fill(map[string]string{"#name": "Ines Okafor", "#email": "ines@herald.example", "#password": "ines has a long password", "#confirm": "ines has a long password"})
		b.submit("main form button[type=submit]")
		if h := b.text("h1"); h != "Desk" {
			t.Fatalf("after setup: %q", h)
		}
		// A section to file into, and two accounts.
		b.open("/admin/sections")
		b.fill(map[string]string{"#name": "World"})
		b.submit(`form[action="/admin/sections"] button`)
		for _, u := range []struct{ name, email, role string }{
			{"Tomas Berg", "tomas@herald.example", "contributor"},
			{"Ruth Adeyemi", "ruth@herald.example", "editor"},
		} {
			b.open("/admin/users")
			b.fill(map[string]string{"#name": u.name, "#email": u.email, "#role": u.role, "#password": u.name + " password"})
			b.submit(`form[action="/admin/users"] button`)
			b.expectFlash("Created.")
		}
		b.logout()

		// The contributor writes, with a photo, a live preview and autosave.
		b.login("tomas@herald.example", "Tomas Berg password")
		b.open("/admin/articles/new")
		photo := filepath.Join(t.TempDir(), "quay.jpg")
		os.WriteFile(photo, testPhoto(t), 0o644)
		b.fill(map[string]string{
			"#headline": "Ferries sail again from Port Alder", "#summary": "The harbour reopened at dawn after the storm.",
			"#bylines": "Tomas Berg\nAFP", "#tags": "Storms, Harbours",
			"#photo_alt": "Two ferries at a quay at dawn", "#photo_caption": "The quay on Monday morning.", "#photo_credit": "Tomas Berg",
		})
		b.eval(`(() => { const s = document.querySelector('#section'); s.value = [...s.options].find(o => o.text.includes('World')).value; return s.value })()`)
		b.do(chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{photo}))
		// The body editor shows rich text; its Markdown view is the
		// textarea this test types into (the choice is kept for the
		// editor's later pages).
		b.do(chromedp.Click(chromedp.CSS(`button[data-mode="markdown"]`)))
		b.do(chromedp.SendKeys(chromedp.CSS("#body"), "The first ferry left at six.\n\n# Back to normal\n\nTraffic is **normal** again."))
		// The live preview is the public page in a frame (same origin,
		// no scripts), so the test reads the frame's document.
		b.within(func(ctx context.Context) error {
			_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const d = document.querySelector('#preview-page').contentDocument; const h = d && d.querySelector('h2'); return !!h && [...d.querySelectorAll('h2')].some(e => e.textContent.includes('Back to normal')) })()`, chromedp.WithPollingTimeout(15*time.Second)))
			return err
		})
		if got := b.eval(`(() => { const s = document.querySelector('#preview-page').contentDocument.querySelector('main strong, article strong'); return s ? s.textContent : '' })()`); got != "normal" {
			t.Errorf("live preview: bold text %q", got)
		}
		if got := b.eval(`document.querySelector('#preview-page').contentDocument.querySelector('h1').textContent`); !strings.Contains(got, "Ferries sail again") {
			t.Errorf("live preview: headline %q, want the typed one", got)
		}
		b.submit("#editor .actions button[type=submit]")
		b.expectFlash("Created.")
		articlePath := b.eval(`location.pathname`)
		b.do(chromedp.SendKeys(chromedp.CSS("#body"), "\n\nThe second ferry followed."))
		b.within(func(ctx context.Context) error {
			_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('#autosave-status').textContent.startsWith('Autosaved')`, chromedp.WithPollingTimeout(15*time.Second)))
			return err
		})
		b.submit(`button[formaction$="/submit"]`)
		b.expectFlash("Submitted for review")

		// The same contributor cannot publish, by button or by any URL.
		if n := b.eval(`String(document.querySelectorAll('button[formaction$="/publish"], button[formaction$="/schedule"]').length)`); n != "0" {
			t.Errorf("the contributor sees %s publish buttons", n)
		}
		for _, p := range []string{"/publish", "/schedule", "/unpublish", "/corrections", ""} {
			status := b.eval(`fetch(location.pathname + "`+p+`", {method: "POST", body: new URLSearchParams({publish_at: "2030-01-01T10:00", correction: "x", headline: "Hijacked", body: "x"})}).then(r => String(r.status))`, chromedp.EvalAwaitPromise)
			if status != "403" {
				t.Errorf("contributor POST %s%s: %s, want 403", articlePath, p, status)
			}
		}
		b.logout()

		// The editor publishes it from the desk, then corrects it.
		b.login("ruth@herald.example", "Ruth Adeyemi password")
		if got := b.text("#desk-review + ul"); !strings.Contains(got, "Ferries sail again") {
			t.Fatalf("the editor's desk, waiting for review: %q", got)
		}
		b.submit(`#desk-review + ul a`)
		if got := b.eval(`document.querySelector('#body').value`); !strings.Contains(got, "The first ferry left at six.") {
			t.Errorf("the body the editor sees: %q", got)
		}
		b.submit(`button[formaction$="/publish"]`)
		b.expectFlash("Published")
		b.fill(map[string]string{"#correction": "An earlier version gave the wrong departure time."})
		b.submit(`form[action$="/corrections"] button`)
		b.expectFlash("Correction added")

		// Readers see it on the home page, the section, and its page.
		b.open("/")
		if got := b.text("main"); !strings.Contains(got, "Ferries sail again from Port Alder") {
			t.Errorf("home page: the story is missing:\n%s", got)
		}
		b.open("/world/")
		if got := b.text("main"); !strings.Contains(got, "Ferries sail again from Port Alder") {
			t.Errorf("section front: the story is missing:\n%s", got)
		}
		b.open("/world/ferries-sail-again-from-port-alder")
		body := b.text("main")
		for _, want := range []string{"An earlier version gave the wrong departure time.", "Back to normal", "The quay on Monday morning."} {
			if !strings.Contains(body, want) {
				t.Errorf("article page lacks %q", want)
			}
		}
		if n := b.eval(`String(document.querySelectorAll('main img[srcset*="/media/"]').length)`); n == "0" {
			t.Error("article page shows no photo")
		}

		// At phone width the editor fits the screen.
		b.open(articlePath)
		b.do(chromedp.EmulateViewport(390, 844))
		if over := b.eval(`String(document.documentElement.scrollWidth > window.innerWidth)`); over != "false" {
			t.Error("the editor is wider than a phone's screen")
		}
	})
}
