package site_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from the current output")

// goldenDocs are the feeds and sitemaps compared whole with
// testdata/golden: every format, and each kind of scope.
var goldenDocs = []string{
	"/rss.xml", "/atom.xml", "/feed.json",
	"/news/rss.xml", "/news/europe/atom.xml", "/tag/diplomacy/feed.json", "/author/ilse-fontaine/rss.xml",
	"/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/articles-1.xml", "/sitemaps/articles-2.xml",
	"/news-sitemap.xml", "/robots.txt",
}

// goldenSettings are stored before the golden run, so the files show
// every setting in use.
var goldenSettings = map[string]string{
	site.SettingLogo:    "/media/logo.png",
	site.SettingTwitter: "@meridian24",
}

// TestGolden renders every golden document on each engine: both must
// write the same bytes, and those of the files. Run with -update to
// rewrite the files, then read the difference before keeping it.
func TestGolden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{hub: "https://hub.example.net/", sitemapSize: 4, settings: goldenSettings})
		for _, p := range goldenDocs {
			got := ds.get(t, p)
			file := filepath.Join("testdata", "golden", strings.NewReplacer("/", "_").Replace(strings.TrimPrefix(p, "/")))
			if *update && s.Engine() == "sqlite" {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%s: %v (run go test -run TestGolden -update to write it)", p, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", p, file, firstDifference(got, want))
			}
		}
	})
}

// firstDifference shows the first line where got and want part, and says
// so when the test runs on another Go than go.mod's toolchain, which wrote
// the files: the photo variants' PNG bytes (and so their hashes and sizes)
// differ between Go releases.
func firstDifference(got, want []byte) string {
	return lineDifference(got, want) + toolchainNote()
}

func toolchainNote() string {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		return ""
	}
	for line := range strings.Lines(string(mod)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "toolchain "); ok && v != runtime.Version() {
			return "\n(this test runs on " + runtime.Version() + "; the golden files are written with " + v + ", go.mod's toolchain: run scripts/test, or set GOTOOLCHAIN=" + v + ")"
		}
	}
	return ""
}

func lineDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(same lines; the bytes differ)"
}
