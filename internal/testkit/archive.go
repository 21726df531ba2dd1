package testkit

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/generate"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Archive opens the SQLite database and the media folder in dir, laid out
// as `newsdesk generate --data dir` leaves them, for a benchmark. When the
// database has no published article, it is filled with n generated ones
// (seed 1, the newest on until, or today when until is zero). Both are
// closed when the benchmark ends.
func Archive(tb testing.TB, dir string, n int, until time.Time) (*store.Store, *media.Store) {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "newsdesk.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	ms, err := media.OpenStore(filepath.Join(dir, "media"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ms.Close() })
	counts, err := st.CountArticles(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if counts[news.Published] == 0 {
		start := time.Now()
		if _, err := generate.Generate(ctx, st, ms, generate.Options{Articles: n, Seed: 1, Until: until}); err != nil {
			tb.Fatal(err)
		}
		tb.Logf("generated %d articles in %v", n, time.Since(start).Round(time.Millisecond))
	}
	return st, ms
}
