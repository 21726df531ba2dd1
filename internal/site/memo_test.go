package site_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestFeedFormatsShareOneRead: the RSS, Atom and JSON files of one place
// list the same articles, read once per generation: the second and third
// format cost no query. After a change, the next feed reads again and
// shows the change.
func TestFeedFormatsShareOneRead(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, ms, im := countingNewsroom(t, dsn)
		story := func(n int, title string) fstest.MapFS {
			return fstest.MapFS{fmt.Sprintf("s%d.md", n): {Data: []byte(fmt.Sprintf(`---
title: %q
date: %s
section: news/world
authors: ["Desk"]
---
Text %d.
`, title, time.Date(2026, 11, 1, n, 0, 0, 0, time.UTC).Format(time.RFC3339), n))}}
		}
		load := func(fsys fstest.MapFS) {
			t.Helper()
			res, err := im.ImportTree(ctx, fsys, ".")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if r.Err != nil {
					t.Fatal(r.Err)
				}
			}
		}
		load(story(1, "First story"))
		cfg, _ := site.NewConfig("https://news.example.org", nil, "Test")
		cfg.PollInterval = time.Hour
		s, err := site.New(cfg, st, ms, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := s.Handler()
		fetch := func(path string) (string, int64) {
			t.Helper()
			before := st.Queries()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			if w.Code != http.StatusOK {
				t.Fatalf("%s: %d", path, w.Code)
			}
			return w.Body.String(), st.Queries() - before
		}
		for _, base := range []string{"/", "/news/world/"} {
			_, first := fetch(base + "rss.xml")
			if first == 0 {
				t.Fatalf("%srss.xml cost no query on a cold cache", base)
			}
			for _, f := range []string{"atom.xml", "feed.json"} {
				if _, n := fetch(base + f); n != 0 {
					t.Errorf("%s%s after %srss.xml: %d queries, want 0", base, f, base, n)
				}
			}
		}
		load(story(2, "Second story"))
		s.Changed()
		body, n := fetch("/atom.xml")
		if n == 0 || !strings.Contains(body, "Second story") {
			t.Errorf("after a change: /atom.xml cost %d queries and shows the new story: %v; want it read again and shown",
				n, strings.Contains(body, "Second story"))
		}
	})
}

// TestRelatedLeavesOutTheArticle: "More from" on an article page lists
// the newest four others of its section, never the article itself,
// whichever article of the section is rendered first in a generation.
func TestRelatedLeavesOutTheArticle(t *testing.T) {
	st, err := store.Open(ctx, t.TempDir()+"/related.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ms.Close()
	fsys := fstest.MapFS{}
	for n := 1; n <= 6; n++ {
		fsys[fmt.Sprintf("s%d.md", n)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`---
title: "Story %d"
date: %s
section: news/europe
---
Text %d.
`, n, time.Date(2026, 11, 1, n, 0, 0, 0, time.UTC).Format(time.RFC3339), n))}
	}
	res, err := (&ingest.Importer{Store: st, Media: ms}).ImportTree(ctx, fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	cfg, _ := site.NewConfig("https://news.example.org", nil, "Test")
	cfg.PollInterval = time.Hour
	s, err := site.New(cfg, st, ms, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	tests := []struct {
		slug string
		want []string // the related headlines, newest first
	}{
		{"story-6", []string{"Story 5", "Story 4", "Story 3", "Story 2"}},
		{"story-4", []string{"Story 6", "Story 5", "Story 3", "Story 2"}},
		{"story-1", []string{"Story 6", "Story 5", "Story 4", "Story 3"}},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/news/europe/"+tt.slug, nil))
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d", tt.slug, w.Code)
		}
		_, rel, ok := strings.Cut(w.Body.String(), `id="related-title"`)
		if !ok {
			t.Fatalf("%s: no related stories", tt.slug)
		}
		rel, _, _ = strings.Cut(rel, "</section>")
		var got []string
		for n := 6; n >= 1; n-- {
			if h := fmt.Sprintf("Story %d", n); strings.Contains(rel, ">"+h+"<") {
				got = append(got, h)
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: related %v, want %v", tt.slug, got, tt.want)
		}
	}
}
