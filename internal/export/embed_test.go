package export

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
)

// TestExportCarriesEmbeds: the copy of a story with an embed has the card
// and the script that loads it, and the copy holds the script; the copy of
// a story with a photo in its body has the photo's set, and the photos.
func TestExportCarriesEmbeds(t *testing.T) {
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := newFixture(t, st)
	dir := t.TempDir()
	f.export(t, dir)

	page, err := os.ReadFile(filepath.Join(dir, "news/europe/lisvard-votes-to-raise-its-sea-wall-by-a-metre/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<figure class="embed embed-4x3" data-embed="openstreetmap"`, `Load the map from OpenStreetMap</button>`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the story's copy lacks %q", want)
		}
	}
	m := regexp.MustCompile(`<script src="/(static/embed\.[0-9a-f]{12}\.js)" defer></script>`).FindSubmatch(page)
	if m == nil {
		t.Fatal("the story's copy loads no embed script")
	}
	if js, err := os.ReadFile(filepath.Join(dir, string(m[1]))); err != nil || !strings.Contains(string(js), "data-embed-src") {
		t.Errorf("the copy's %s: %v", m[1], err)
	}

	page, err = os.ReadFile(filepath.Join(dir, "opinion/columns/why-we-tell-you-where-our-pictures-come-from/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	set := regexp.MustCompile(`<figure><img src="[^"]+" srcset="([^"]+)"`).FindSubmatch(page)
	if set == nil {
		t.Fatal("the column's copy has no photo set in its body")
	}
	for cand := range strings.SplitSeq(string(set[1]), ", ") {
		u, _, _ := strings.Cut(cand, " ")
		if _, err := os.Stat(filepath.Join(dir, u)); err != nil {
			t.Errorf("the copy lacks %s: %v", u, err)
		}
	}
}
