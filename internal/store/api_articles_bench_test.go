package store_test

import (
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// BenchmarkAPIArticles measures a page of 20 of the content API's article
// list (store.APIArticles: the keyset walk, then the 20 articles whole),
// uncached, over a generated archive: 2,000 articles unless
// NEWSDESK_BENCH_ARTICLES says otherwise, in NEWSDESK_BENCH_ARCHIVE when
// set (kept and reused, as scripts/bench-render's). PostgreSQL gets a copy
// of the same archive, kept in the database NEWSDESK_BENCH_POSTGRES names
// when set. Each kind of list is a sub-benchmark; it reports the median
// and the 95th percentile of its calls.
//
//	NEWSDESK_BENCH_ARTICLES=100000 NEWSDESK_BENCH_ARCHIVE=~/.cache/newsdesk-bench/archive-100000 \
//	  go test ./internal/store -run '^$' -bench APIArticles -benchtime 400x
func BenchmarkAPIArticles(b *testing.B) {
	n := 2000
	if s := os.Getenv("NEWSDESK_BENCH_ARTICLES"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("NEWSDESK_BENCH_ARTICLES=%q: want a number of articles", s)
		}
		n = v
	}
	dir := os.Getenv("NEWSDESK_BENCH_ARCHIVE")
	if dir == "" {
		dir = b.TempDir()
	}
	lite, _ := testkit.Archive(b, dir, n, time.Time{})
	engines := []struct {
		name string
		open func(b *testing.B) *store.Store
	}{
		{"sqlite", func(b *testing.B) *store.Store { return lite }},
		{"postgres", func(b *testing.B) *store.Store {
			// NEWSDESK_BENCH_POSTGRES names a database to keep the copy
			// in, made once (minutes at 100,000) and reused while it has
			// articles; otherwise a fresh one is made and dropped.
			dsn := os.Getenv("NEWSDESK_BENCH_POSTGRES")
			if dsn == "" {
				dsn = testkit.FreshPostgres(b)
			}
			pg, err := store.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { pg.Close() })
			if counts, err := pg.CountArticles(ctx); err == nil && counts[news.Published] > 0 {
				return pg
			}
			start := time.Now()
			if _, err := lite.CopyTo(ctx, pg, nil); err != nil {
				b.Fatal(err)
			}
			// The planner's statistics, as autovacuum leaves them soon
			// after a bulk load.
			if _, err := storetest.RawDB(b, dsn).ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
				b.Fatal(err)
			}
			b.Logf("copied the archive to PostgreSQL and analyzed it in %v", time.Since(start).Round(time.Millisecond))
			return pg
		}},
	}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			st := e.open(b)
			lists := apiBenchLists(b, st)
			for _, l := range lists {
				b.Run(l.name, func(b *testing.B) {
					var took []time.Duration
					for b.Loop() {
						t := time.Now()
						list, err := st.APIArticles(ctx, l.f)
						if err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(t))
						if len(list) == 0 && l.f.ModifiedSince.IsZero() {
							b.Fatalf("%s: an empty page", l.name)
						}
					}
					slices.Sort(took)
					b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
				})
			}
		})
	}
}

type apiBenchList struct {
	name string
	f    store.APIFilter
}

// apiBenchLists are the lists an app asks for: the first page, a page deep
// in the archive (by cursor), a big section with its subsections, a small
// section, a common tag, an author, a month of the archive, and the list by
// modification with and without a bound.
func apiBenchLists(b *testing.B, st *store.Store) []apiBenchList {
	b.Helper()
	secs, err := st.Sections(ctx)
	if err != nil {
		b.Fatal(err)
	}
	tree := news.NewTree(secs)
	var top, leaf news.Section
	for _, s := range secs {
		if s.ParentID == 0 && top.ID == 0 {
			top = s
		}
		if s.ParentID != 0 {
			leaf = s
		}
	}
	tags, err := st.PublishedTags(ctx)
	if err != nil || len(tags) == 0 {
		b.Fatalf("tags: %v", err)
	}
	common := slices.MaxFunc(tags, func(x, y store.Listed) int { return x.Articles - y.Articles })
	authors, err := st.PublishedAuthors(ctx)
	if err != nil || len(authors) == 0 {
		b.Fatalf("authors: %v", err)
	}
	author := authors[len(authors)/2]
	first, err := st.APIArticles(ctx, store.APIFilter{Limit: 1})
	if err != nil || len(first) == 0 {
		b.Fatalf("newest: %v", err)
	}
	newest := first[0].PublishedAt
	counts, _ := st.CountArticles(ctx)
	// The place halfway down the archive, as a cursor from an earlier
	// page. The generator spreads stories over ten years: a story an hour
	// at 100,000 (so half the count in hours is halfway), more at a
	// million, where that would be before the first story; then half as
	// far back, until there is a story.
	var deep []*news.Article
	var mid time.Time
	for back := time.Duration(counts[news.Published]/2) * time.Hour; back >= time.Hour; back /= 2 {
		mid = newest.Add(-back)
		if deep, err = st.APIArticles(ctx, store.APIFilter{PublishedBefore: mid, Limit: 1}); err != nil {
			b.Fatal(err)
		}
		if len(deep) > 0 {
			break
		}
	}
	if len(deep) == 0 {
		b.Fatal("no story deep in the archive")
	}
	return []apiBenchList{
		{"first", store.APIFilter{Limit: 21}},
		{"deep", store.APIFilter{Limit: 21, After: store.Cursor{Time: deep[0].PublishedAt, ID: deep[0].ID}}},
		{"section-tree", store.APIFilter{Limit: 21, SectionIDs: tree.SubtreeIDs(top.ID)}},
		{"section-leaf", store.APIFilter{Limit: 21, SectionIDs: []int64{leaf.ID}}},
		{"tag", store.APIFilter{Limit: 21, TagID: common.ID}},
		{"author", store.APIFilter{Limit: 21, AuthorID: author.ID}},
		{"month", store.APIFilter{Limit: 21, PublishedSince: mid.AddDate(0, -1, 0), PublishedBefore: mid}},
		{"modified", store.APIFilter{Limit: 21, Order: store.ByModified}},
		{"modified-since-day", store.APIFilter{Limit: 21, Order: store.ByModified, ModifiedSince: time.Now().Add(-24 * time.Hour)}},
	}
}
