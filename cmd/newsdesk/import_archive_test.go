//go:build unix

package main

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/testkit"
)

// follow fetches base+path without following redirects and returns the
// status, the Location and the body.
func follow(t *testing.T, base, path string) (int, string, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

var titleRE = regexp.MustCompile(`<h1[^>]*>([^<]*)</h1>`)

// TestImportWordPressAndGhost imports a WordPress export and a Ghost
// export written for these tests, serves the result, and follows every
// old address to a page with the item's title; then imports both again
// and finds nothing duplicated.
func TestImportWordPressAndGhost(t *testing.T) {
	data := t.TempDir()
	wp := filepath.Join("testdata", "wordpress")
	out, errOut, err := importRun(t, data, nil, "--uploads", filepath.Join(wp, "uploads"), filepath.Join(wp, "export.xml"))
	if err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	for _, want := range []string{
		`export.xml:`, `post 21 "Ferry timetable changes from April": /local/harbour/ferry-timetable-changes`,
		`post 19 "Harbour budget agreed": /local/harbour-budget`,
		`post 25 "Staff notes": /local/staff-notes (draft)`,
		`post 26 "Old draft": skipped`,
		`page 2 "About the Courier": /about`,
		`not imported: comments: 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WordPress report lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "script") {
		t.Errorf("the dropped <script> is not reported:\n%s", out)
	}
	ghost := filepath.Join("testdata", "ghost")
	gout, gerr, err := importRun(t, data, nil, "--uploads", filepath.Join("testdata", "wordpress", "uploads"), filepath.Join(ghost, "export.json"))
	if err != nil {
		t.Fatalf("%v\n%s%s", err, gout, gerr)
	}
	for _, want := range []string{
		`post 65e5a0000000000000000001 "Lighthouse keeper retires after 40 years": /coast/lighthouse-keeper-retires`,
		`(draft)`, // the members-only post
		`page 65e5a0000000000000000003 "Ethics policy": /ethics`,
		`code injection`,
		`members: 2`,
	} {
		if !strings.Contains(gout, want) {
			t.Errorf("Ghost report lacks %q:\n%s", want, gout)
		}
	}
	n := articleCount(t, data)

	base := startServe(t, []string{"--data", data}, nil)
	for _, c := range []struct{ old, to, title string }{
		{"/2024/03/04/ferry-timetable-changes/", "/local/harbour/ferry-timetable-changes", "Ferry timetable changes from April"},
		{"/?p=21", "/local/harbour/ferry-timetable-changes", "Ferry timetable changes from April"},
		{"/2024/03/04/ferry-times-change/", "/local/harbour/ferry-timetable-changes", "Ferry timetable changes from April"}, // _wp_old_slug
		{"/2024/03/01/harbour-budget/", "/local/harbour-budget", "Harbour budget agreed"},
		{"/2024/03/04/ferry-timetable-changes/pier/", "/local/harbour/ferry-timetable-changes", "Ferry timetable changes from April"},
		{"/category/local/harbour/", "/local/harbour/", ""},
		{"/tag/ferries/", "/tag/ferries", ""},
		{"/feed/", "/rss.xml", ""},
		{"/about/", "/about", "About the Courier"},
		{"/?page_id=2", "/about", "About the Courier"},
		{"/lighthouse-keeper-retires/", "/coast/lighthouse-keeper-retires", "Lighthouse keeper retires after 40 years"},
		{"/tag/people/", "/tag/people", ""},
		{"/ethics/", "/ethics", "Ethics policy"},
	} {
		status, loc, _ := follow(t, base, c.old)
		if status != http.StatusMovedPermanently || loc != c.to {
			t.Errorf("%s: %d to %q, want 301 to %q", c.old, status, loc, c.to)
			continue
		}
		status, _, body := follow(t, base, c.to)
		if status != 200 {
			t.Errorf("%s: %d", c.to, status)
			continue
		}
		if c.title != "" {
			if m := titleRE.FindStringSubmatch(body); m == nil || m[1] != c.title {
				t.Errorf("%s: title %q, want %q", c.to, m, c.title)
			}
		}
	}
	// The private post, the members-only one: not on the site, and their
	// old addresses lead nowhere (an unknown /?p= is the home page).
	for _, p := range []string{"/local/staff-notes", "/coast/keepers-diary", "/keepers-diary/"} {
		if status, _, _ := follow(t, base, p); status != 404 {
			t.Errorf("%s: %d, want 404", p, status)
		}
	}
	if status, loc, body := follow(t, base, "/?p=25"); status != 200 || loc != "" || strings.Contains(body, "Staff notes") {
		t.Errorf("/?p=25: %d to %q", status, loc)
	}
	// The article: its lead photo, body photo, table, quote, embed card.
	_, _, page := follow(t, base, "/local/harbour/ferry-timetable-changes")
	for _, want := range []string{`alt="The north pier at dawn"`, "<table>", "Board chair Ola Sand", `data-embed="youtube"`,
		`href="/2024/03/01/harbour-budget/"`, "Mara Lind/Courier"} {
		if !strings.Contains(page, want) {
			t.Errorf("imported article lacks %q", want)
		}
	}
	if n := strings.Count(page, "<figure"); n < 5 {
		t.Errorf("imported article has %d figures, want the lead, the body photo, the gallery's two and the embed", n)
	}
	testkit.ValidateHTML(t, "an imported article with a table, an embed and a gallery", []byte(page))
	for _, bad := range []string{"courier.example/wp-content", "<iframe", "youtube.com/embed"} {
		if strings.Contains(page, bad) {
			t.Errorf("imported article holds %q", bad)
		}
	}
	for _, m := range regexp.MustCompile(`src="(/media/[^"]+)"`).FindAllStringSubmatch(page, -1) {
		if status, _, _ := follow(t, base, m[1]); status != 200 {
			t.Errorf("photo %s: %d", m[1], status)
		}
	}

	// Again: nothing new, nothing duplicated.
	out2, _, err := importRun(t, data, nil, "--uploads", filepath.Join(wp, "uploads"), filepath.Join(wp, "export.xml"))
	if err != nil || !strings.Contains(out2, "0 imported") || !strings.Contains(out2, "unchanged") {
		t.Errorf("second WordPress import: %v\n%s", err, out2)
	}
	if got := articleCount(t, data); got != n {
		t.Errorf("%d articles after importing again, %d before", got, n)
	}
}

// TestImportExportFailures checks what an operator is told of a broken
// export, of a photo on a loopback address without --fetch-loopback, and
// of a dry run: clear lines, a failing exit, and nothing half-written.
func TestImportExportFailures(t *testing.T) {
	dir := t.TempDir()
	whole, err := os.ReadFile(filepath.Join("testdata", "wordpress", "export.xml"))
	if err != nil {
		t.Fatal(err)
	}
	// Cut inside the second post.
	cut := strings.Index(string(whole), "<title><![CDATA[Harbour budget agreed]]></title>") + 30
	truncated := filepath.Join(dir, "truncated.xml")
	if err := os.WriteFile(truncated, whole[:cut], 0o644); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	out, errOut, err := importRun(t, data, nil, "--uploads", filepath.Join("testdata", "wordpress", "uploads"), truncated)
	if err == nil {
		t.Errorf("a truncated export imported without an error:\n%s", out)
	}
	if !regexp.MustCompile(`truncated\.xml:\d+: `).MatchString(out) || !strings.Contains(out, "cannot be read on") {
		t.Errorf("the report does not name where the export breaks:\n%s%s", out, errOut)
	}
	if n := articleCount(t, data); n != 1 {
		t.Errorf("%d articles from a truncated export, want the 1 before the break", n)
	}

	// A photo on 127.0.0.1 is not fetched without --fetch-loopback.
	photo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(smallJPEG(t))
	}))
	defer photo.Close()
	local := strings.ReplaceAll(string(whole), "https://courier.example/wp-content/uploads/2024/03/slipway.jpg", photo.URL+"/slipway.jpg")
	localFile := filepath.Join(dir, "local.xml")
	if err := os.WriteFile(localFile, []byte(local), 0o644); err != nil {
		t.Fatal(err)
	}
	data = t.TempDir()
	out, _, _ = importRun(t, data, nil, "--fetch-media", localFile)
	if !strings.Contains(out, "127.0.0.1") || !strings.Contains(out, "loopback") {
		t.Errorf("a loopback photo is not refused by name:\n%s", out)
	}
	data = t.TempDir()
	out, _, _ = importRun(t, data, nil, "--fetch-media", "--fetch-loopback", localFile)
	if strings.Contains(out, "loopback") {
		t.Errorf("--fetch-loopback still refuses:\n%s", out)
	}

	// A dry run writes nothing: not even the data folder of a site that
	// does not exist yet, its database or its media.
	data = filepath.Join(t.TempDir(), "new-site")
	out, _, err = importRun(t, data, nil, "--dry-run", "--uploads", filepath.Join("testdata", "wordpress", "uploads"), filepath.Join("testdata", "wordpress", "export.xml"))
	if err != nil || !strings.Contains(out, "/local/harbour/ferry-timetable-changes") || !strings.Contains(out, "dry run") {
		t.Errorf("dry run: %v\n%s", err, out)
	}
	if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a dry run made the data folder %s (%v)", data, err)
	}
	// Into an existing site, it writes no article.
	data = t.TempDir()
	if _, _, err = importRun(t, data, nil, "--dry-run", filepath.Join("testdata", "wordpress", "export.xml")); err != nil {
		t.Errorf("dry run into an existing folder: %v", err)
	}
	if n := articleCount(t, data); n != 0 {
		t.Errorf("a dry run wrote %d articles", n)
	}

	// A dry run of Markdown files too: the address, and nothing written.
	md := t.TempDir()
	if err := os.WriteFile(filepath.Join(md, "a.md"), storyWithPhoto("Dry story", "p.jpg"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(md, "p.jpg"), smallJPEG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	data = filepath.Join(t.TempDir(), "new-site")
	out, errOut, err = importRun(t, data, nil, "--dry-run", md)
	if err != nil || !strings.Contains(out, "/news/dry-story") || !strings.Contains(errOut, "dry run: nothing was written") {
		t.Errorf("Markdown dry run: %v\n%s%s", err, out, errOut)
	}
	if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a Markdown dry run made the data folder %s (%v)", data, err)
	}
}
