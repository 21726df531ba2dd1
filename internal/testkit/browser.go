package testkit

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// Chromium returns the path of the Chromium binary: NEWSDESK_CHROMIUM,
// /usr/bin/chromium, or chromium on the PATH. Without one it skips the test,
// or fails it under CI.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("NEWSDESK_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("NEWSDESK_CHROMIUM: %v", err)
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	missing(t, "chromium not found: set NEWSDESK_CHROMIUM or run scripts/setup")
	return ""
}

// BrowserContext starts a headless Chromium with an empty profile and returns
// a chromedp context for one tab of it, for chromedp.Run and chromedp.Do. The
// browser stops when the test ends.
//
// The flags let it run as root in a container (no sandbox, no /dev/shm) and
// keep it off the network but for the pages a test opens: this machine
// refuses outside connections, and Chromium's own background ones would
// only slow it down.
func BrowserContext(t testing.TB) context.Context {
	t.Helper()
	exe := Chromium(t)
	profile := t.TempDir() // removed after the browser stops: cleanups run last-in, first-out
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile),
	)
	// Not t.Context(): it is cancelled before cleanups run, which would kill
	// the browser instead of closing it.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc() // waits for the browser process to exit
	})
	// Start the browser now, so that a browser that cannot start fails here.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	return ctx
}
