package site_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// goldenPages are the HTML pages compared whole with testdata/golden/html:
// the home page, fronts with and without subsections, a tag and authors,
// and every published fixture article (photos, corrections, updates,
// several authors, none, a headline with markup characters in it).
var goldenPages = []string{
	"/", "/news/", "/news/europe/", "/sport/", "/tag/diplomacy", "/author/ilse-fontaine", "/author/reuters",
	"/news/europe/negotiators-agree-on-river-treaty", "/news/asia/monsoon-arrives-early-in-the-delta",
	"/sport/harbour-club-wins-the-cup", "/news/council-budget-drops-fish-chips-tax",
	"/culture/film-festival-opens-by-the-sea", "/news/europe/ferry-strike-ends",
}

// TestHTMLGolden renders the golden pages on each engine and wants the
// bytes of the files. The pages are partly written in Go (frag.go) and
// partly by templates; the files were written by the templates alone,
// before that, so this holds the two to the same output. Run with -update
// to rewrite them after a change to the markup, and read the difference.
func TestHTMLGolden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{settings: goldenSettings})
		for _, p := range goldenPages {
			got := ds.get(t, p)
			name := strings.Trim(strings.NewReplacer("/", "_").Replace(p), "_")
			if name == "" {
				name = "home"
			}
			file := filepath.Join("testdata", "golden", "html", name+".html")
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
				t.Fatalf("%s: %v (run go test -run TestHTMLGolden -update to write it)", p, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", p, file, firstDifference(got, want))
			}
		}
	})
}
