package site_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// BenchmarkRender measures the pages a reader asks for after a publish:
// "miss" empties the page cache before every request, so each one reads the
// database, runs the template and compresses the page with gzip (the
// encoding the request takes), as the first request after a change does;
// "render" is the same miss from a client that takes no compression, so
// the page is rendered and kept but not compressed; "hit" is every request
// after the first.
//
// The archive is the one in $NEWSDESK_BENCH_ARCHIVE, a folder written by
// `newsdesk generate --data DIR --articles 100000` (scripts/bench-render
// makes it once and reuses it); without it, 2,000 articles are generated
// into a temporary folder, so the benchmark always runs. Method and figures:
// docs/performance.md.
func BenchmarkRender(b *testing.B) {
	s, pages := benchSite(b)
	h := s.Handler()
	get := func(b *testing.B, path string, gzip bool) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if gzip {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
	}
	for _, p := range pages {
		for _, mode := range []string{"miss", "render", "hit"} {
			b.Run(p.name+"/"+mode, func(b *testing.B) {
				gzip := mode != "render"
				get(b, p.path, gzip)
				b.ReportAllocs()
				for b.Loop() {
					if mode != "hit" {
						s.Changed()
					}
					get(b, p.path, gzip)
				}
			})
		}
	}
}

// benchPage is a page the benchmarks ask for.
type benchPage struct{ name, path string }

// benchSite opens the benchmark archive (see BenchmarkRender) and returns
// a site over it with the pages to measure: the newest article, the home
// page, that article's section front and the home feed.
func benchSite(b *testing.B) (*site.Site, []benchPage) {
	b.Helper()
	ctx := context.Background()
	dir := os.Getenv("NEWSDESK_BENCH_ARCHIVE")
	if dir == "" {
		dir = b.TempDir()
	}
	// Without an archive given, 2,000 articles; set NEWSDESK_BENCH_ARCHIVE
	// for 100,000.
	st, ms := testkit.Archive(b, dir, 2000, time.Time{})
	counts, err := st.CountArticles(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("archive: %d published articles", counts[news.Published])

	cfg, err := site.NewConfig("https://news.example.org", nil, "Bench Daily")
	if err != nil {
		b.Fatal(err)
	}
	cfg.PollInterval = time.Hour // nothing changes behind the benchmark's back
	s, err := site.New(cfg, st, ms, nil)
	if err != nil {
		b.Fatal(err)
	}

	// The newest article, and the section front it is on.
	latest, err := st.PublishedArticles(ctx, store.ArticleFilter{Limit: 1})
	if err != nil || len(latest) == 0 {
		b.Fatalf("no article to render: %v", err)
	}
	a := latest[0]
	return s, []benchPage{
		{"article", a.URL()},
		{"home", "/"},
		{"section", "/" + a.Section.Path + "/"},
		{"feed", "/rss.xml"},
	}
}
