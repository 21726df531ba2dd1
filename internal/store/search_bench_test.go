package store_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/generate"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// BenchmarkSearch measures a search as the site makes it (the ranked page
// of 20 from the store, then a snippet for each) over a generated archive
// of NEWSDESK_BENCH_ARTICLES articles (2,000 unless set: enough to be
// realistic, small enough that "go test -bench" stays quick; set 100000
// for the archive of docs/search.md). Each kind of query is one
// sub-benchmark; an op is one query, taken in turn from the kind's list,
// and each reports the median and the 95th percentile of its queries.
//
// NEWSDESK_BENCH_ARCHIVE names a SQLite archive folder made before
// (`newsdesk generate --data DIR`), and NEWSDESK_BENCH_POSTGRES a
// PostgreSQL database (`newsdesk generate --db URL`): each is searched as
// it is when it has articles, and generated into (then kept) when it is
// empty, so a million-story archive is made once. Without them a fresh
// archive is generated for each run (and PostgreSQL is measured only when
// NEWSDESK_TEST_POSTGRES is set).
//
//	NEWSDESK_BENCH_ARTICLES=100000 go test ./internal/store -run '^$' -bench Search -benchtime 200x
//	NEWSDESK_BENCH_ARCHIVE=~/.cache/newsdesk-bench/archive-1000000 \
//	  go test ./internal/store -run '^$' -bench 'Search/sqlite' -benchtime 500x
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
		dsn  func(b *testing.B) (dsn, mediaDir string)
	}{
		{"sqlite", func(b *testing.B) (string, string) {
			dir := os.Getenv("NEWSDESK_BENCH_ARCHIVE")
			if dir == "" {
				dir = b.TempDir()
			}
			return filepath.Join(dir, "newsdesk.db"), filepath.Join(dir, "media")
		}},
		{"postgres", func(b *testing.B) (string, string) {
			if dsn := os.Getenv("NEWSDESK_BENCH_POSTGRES"); dsn != "" {
				return dsn, filepath.Join(b.TempDir(), "media")
			}
			return testkit.FreshPostgres(b), filepath.Join(b.TempDir(), "media")
		}},
	}
	queries := generate.BenchQueries()
	kinds := []string{"common", "rare", "phrase", "hostile"}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			dsn, mediaDir := e.dsn(b)
			st, err := store.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			ms, err := media.OpenStore(mediaDir)
			if err != nil {
				b.Fatal(err)
			}
			defer ms.Close()
			counts, err := st.CountArticles(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if counts[news.Published] == 0 {
				if _, err := generate.Generate(ctx, st, ms, generate.Options{Articles: n, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			} else {
				b.Logf("archive: %d published articles", counts[news.Published])
			}
			for _, kind := range kinds {
				qs := make([]search.Query, len(queries[kind]))
				for i, q := range queries[kind] {
					qs[i] = search.Parse(q)
				}
				b.Run(kind, func(b *testing.B) {
					i, hits := 0, 0
					var took []time.Duration
					cpu0 := benchCPU(b, dsn)
					for b.Loop() {
						q := qs[i%len(qs)]
						i++
						t := time.Now()
						res, err := st.Search(ctx, store.SearchOptions{Query: q, Limit: 20})
						if err != nil {
							b.Fatal(err)
						}
						for _, h := range res.Hits {
							q.Highlight(h.Article.Headline)
							q.SnippetText(h.Article.Summary, h.Passages)
						}
						took = append(took, time.Since(t))
						hits += res.Total
					}
					b.ReportMetric(float64(hits)/float64(i), "matches/op")
					if cpu1 := benchCPU(b, dsn); cpu0 >= 0 && cpu1 >= 0 {
						b.ReportMetric(float64(cpu1-cpu0)/float64(i)/float64(time.Millisecond), "cpu-ms/op")
					}
					slices.Sort(took)
					b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
				})
			}
		})
	}
}

// benchCPU is the CPU time (user and system) used so far by this process
// and, on PostgreSQL, by the server's processes serving the benchmark's
// database (on this machine): the work of a search, which other load on a
// shared machine does not inflate as it inflates wall time. It is -1 where
// /proc cannot tell (not Linux, or a server elsewhere).
func benchCPU(b *testing.B, dsn string) time.Duration {
	b.Helper()
	pids := []string{"self"}
	if store.IsPostgres(dsn) {
		rows, err := storetest.RawDB(b, dsn).QueryContext(ctx,
			`SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				b.Fatal(err)
			}
			pids = append(pids, p)
		}
		rows.Close()
	}
	var ticks int64
	for _, p := range pids {
		stat, err := os.ReadFile("/proc/" + p + "/stat")
		if err != nil {
			return -1
		}
		// The fields after the command's name, which is in parentheses:
		// utime and stime are the 12th and 13th.
		f := bytes.Fields(stat[bytes.LastIndexByte(stat, ')')+1:])
		if len(f) < 13 {
			return -1
		}
		u, _ := strconv.ParseInt(string(f[11]), 10, 64)
		s, _ := strconv.ParseInt(string(f[12]), 10, 64)
		ticks += u + s
	}
	return time.Duration(ticks) * (time.Second / 100) // USER_HZ is 100 on Linux
}
