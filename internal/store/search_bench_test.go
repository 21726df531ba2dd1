package store_test

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/newsdesk/newsdesk/internal/generate"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// BenchmarkSearch measures a search as the site makes it (the ranked page
// of 20 from the store, then a snippet for each) over a generated archive
// of NEWSDESK_BENCH_ARTICLES articles (2,000 unless set: enough to be
// realistic, small enough that "go test -bench" stays quick; set 100000
// for the archive of docs/search.md). Each kind of query is one
// sub-benchmark; an op is one query, taken in turn from the kind's list.
//
//	NEWSDESK_BENCH_ARTICLES=100000 go test ./internal/store -run '^$' -bench Search -benchtime 200x
func BenchmarkSearch(b *testing.B) {
	n := 2000
	if s := os.Getenv("NEWSDESK_BENCH_ARTICLES"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("NEWSDESK_BENCH_ARTICLES=%q: want a number of articles", s)
		}
		n = v
	}
	engines := []struct {
		name string
		dsn  func(b *testing.B) string
	}{
		{"sqlite", func(b *testing.B) string { return filepath.Join(b.TempDir(), "bench.db") }},
		{"postgres", func(b *testing.B) string { return testkit.FreshPostgres(b) }},
	}
	queries := generate.BenchQueries()
	kinds := []string{"common", "rare", "phrase", "hostile"}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			st, err := store.Open(ctx, e.dsn(b))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			ms, err := media.OpenStore(filepath.Join(b.TempDir(), "media"))
			if err != nil {
				b.Fatal(err)
			}
			defer ms.Close()
			if _, err := generate.Generate(ctx, st, ms, generate.Options{Articles: n, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			for _, kind := range kinds {
				qs := make([]search.Query, len(queries[kind]))
				for i, q := range queries[kind] {
					qs[i] = search.Parse(q)
				}
				b.Run(kind, func(b *testing.B) {
					i, hits := 0, 0
					for b.Loop() {
						q := qs[i%len(qs)]
						i++
						res, err := st.Search(ctx, store.SearchOptions{Query: q, Limit: 20})
						if err != nil {
							b.Fatal(err)
						}
						for _, h := range res.Hits {
							q.Highlight(h.Article.Headline)
							q.SnippetText(h.Article.Summary, h.Passages)
						}
						hits += res.Total
					}
					b.ReportMetric(float64(hits)/float64(i), "matches/op")
				})
			}
		})
	}
	_ = slices.Sort[[]string]
}
