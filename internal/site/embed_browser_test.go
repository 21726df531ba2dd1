package site_test

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// requests records the addresses a browser tab asks for.
type requests struct {
	mu   sync.Mutex
	urls []string
}

func (r *requests) add(u string) {
	r.mu.Lock()
	r.urls = append(r.urls, u)
	r.mu.Unlock()
}

// foreign returns the requests to any host but local's.
func (r *requests) foreign(local string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, s := range r.urls {
		u, err := url.Parse(s)
		if err != nil || u.Host != local && u.Scheme != "data" && u.Scheme != "about" {
			out = append(out, s)
		}
	}
	return out
}

// TestEmbedLoadsNothingBeforeTheButton opens the public page of a story with
// an embed in Chromium and counts every request the tab makes: none goes
// to another site until the reader presses the card's button; then the
// player's frame is there, sandboxed, and asks the provider for its page
// (which fails here, with no network: the attempt is what is counted).
func TestEmbedLoadsNothingBeforeTheButton(t *testing.T) {
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ts := newTestSite(t, s)
	local := strings.TrimPrefix(ts.srv.URL, "http://")

	bctx := testkit.BrowserContext(t)
	var seen requests
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			seen.add(e.Request.URL)
		}
	}); err != nil {
		t.Fatal(err)
	}
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(c, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	run("open the story",
		chromedp.Navigate(ts.srv.URL+embedPath),
		chromedp.WaitReady(chromedp.CSS("main")),
		// The script has run: the button is shown.
		chromedp.WaitVisible(chromedp.CSS("figure.embed button.embed-load")),
		// Every photo the page shows, lazy or not, is asked for.
		chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, document.body.scrollHeight)`),
		chromedp.Sleep(500*time.Millisecond),
	)
	if n := len(seen.foreign(local)); n != 0 {
		t.Errorf("before the button: %d requests to other sites: %q", n, seen.foreign(local))
	}
	if len(seen.foreign("")) < 3 {
		t.Errorf("the page's own requests were not counted: %q", seen.foreign(""))
	}
	c, cancel := context.WithTimeout(bctx, 30*time.Second)
	frames, err := chromedp.Run(c, chromedp.Evaluate[int](`document.querySelectorAll("iframe").length`))
	cancel()
	if err != nil || frames != 0 {
		t.Errorf("before the button: %d frames (%v)", frames, err)
	}

	run("press the button",
		chromedp.Click(chromedp.CSS("figure.embed button.embed-load")),
		chromedp.WaitReady(chromedp.CSS("figure.embed .embed-frame iframe")),
	)
	c, cancel = context.WithTimeout(bctx, 30*time.Second)
	attrs, err := chromedp.Run(c, chromedp.Attributes(chromedp.CSS("figure.embed iframe")))
	focused, _ := chromedp.Run(c, chromedp.Evaluate[bool](`document.activeElement === document.querySelector("figure.embed iframe")`))
	buttons, _ := chromedp.Run(c, chromedp.Evaluate[int](`document.querySelectorAll("button.embed-load").length`))
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(attrs["src"], "https://"+embedHost+"/export/embed.html?bbox=") ||
		attrs["sandbox"] != "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox" ||
		attrs["referrerpolicy"] != "no-referrer" || attrs["title"] != "Map on OpenStreetMap" || attrs["allow"] != "fullscreen" {
		t.Errorf("the player's frame: %q", attrs)
	}
	if !focused || buttons != 0 {
		t.Errorf("after the button: focus on the frame %v, %d buttons left", focused, buttons)
	}
	// The frame asks the provider; here that fails, which is fine.
	deadline := time.Now().Add(10 * time.Second)
	for len(seen.foreign(local)) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	for _, u := range seen.foreign(local) {
		if !strings.HasPrefix(u, "https://"+embedHost+"/") {
			t.Errorf("after the button: a request to %s", u)
		}
	}
	if len(seen.foreign(local)) == 0 {
		t.Errorf("after the button: no request to %s", embedHost)
	}
	t.Logf("%d requests in all; to other sites, after the button only: %q", len(seen.foreign("")), seen.foreign(local))
}
