package site_test

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestQueriesPerPageDoNotGrow proves there is no N+1 query on any page:
// each page is rendered over an archive, then over one with four times as
// many articles (each with bylines, tags, a photo and corrections), and must
// cost the same number of queries both times.
func TestQueriesPerPageDoNotGrow(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, ms, im := countingNewsroom(t, dsn)
		var jpg bytes.Buffer
		jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 64, 36)), nil)
		n := 0
		add := func(count int) {
			t.Helper()
			fsys := fstest.MapFS{"p.jpg": {Data: jpg.Bytes()}}
			for range count {
				n++
				section := []string{"news/world", "news/europe", "sport/football", "business"}[n%4]
				fsys[fmt.Sprintf("a%03d.md", n)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`---
title: "Story number %d"
date: %s
section: %s
summary: "Summary %d."
authors: ["Reporter %d", "AFP"]
tags: ["Common", "Tag %d"]
image: {src: p.jpg, alt: "A grey picture"}
corrections: [{date: 2026-11-28T10:00:00Z, text: "Fixed %d."}]
---
Body %d.
`, n, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n)*time.Hour).Format(time.RFC3339), section, n, n%5, n%7, n, n))}
			}
			results, err := im.ImportTree(ctx, fsys, ".")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range results {
				if r.Err != nil {
					t.Fatal(r.Err)
				}
			}
		}
		cfg, _ := site.NewConfig("https://news.example.org", nil, "Test")
		pages := []string{"/", "/news/", "/news/world/", "/business/", "/tag/common", "/author/afp", "/news/world/story-number-4"}
		count := func() map[string]int64 {
			// A new Site has an empty cache: every page is a cold render.
			si, err := site.New(cfg, st, ms, nil)
			if err != nil {
				t.Fatal(err)
			}
			h := si.Handler()
			out := map[string]int64{}
			for _, p := range pages {
				before := st.Queries()
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
				if w.Code != http.StatusOK {
					t.Fatalf("%s: %d", p, w.Code)
				}
				out[p] = st.Queries() - before
			}
			return out
		}
		add(8)
		small := count()
		add(32)
		large := count()
		for _, p := range pages {
			if small[p] != large[p] {
				t.Errorf("%s: %d queries over 8 articles, %d over 40: a query per article", p, small[p], large[p])
			}
			t.Logf("%-32s %d queries", p, large[p])
		}
	})
}

// countingNewsroom opens the database at dsn counting its queries, with a
// media folder and an importer; all are closed when the test ends.
func countingNewsroom(t *testing.T, dsn string) (*store.Store, *media.Store, *ingest.Importer) {
	t.Helper()
	st, err := store.OpenWith(ctx, dsn, store.Options{CountQueries: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	return st, ms, &ingest.Importer{Store: st, Media: ms}
}
