package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSearchIndexRebuildKeepsArticlesReadable: migration 0028 rebuilds
// PostgreSQL's search index, which on a large archive takes minutes. While
// it builds, the site (every instance still running while the new version
// starts) must go on reading stories, and a save that read a story and
// waits to write it must not make the migration fail. Dropping the old
// index first held an ACCESS EXCLUSIVE lock on articles for the whole
// build (the reader waited); dropping it after the build took the lock up
// from the build's and PostgreSQL aborted the migration as a deadlock.
// Here a writer holds the table, so the migration waits at its first lock
// on articles; a reader must get through, and a save that read and then
// waits to write must let the migration finish.
func TestSearchIndexRebuildKeepsArticlesReadable(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		if !store.IsPostgres(dsn) {
			t.Skip("migration 0028 is PostgreSQL's")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		old, err := store.OpenUpTo(ctx, dsn, 27)
		if err != nil {
			t.Fatal(err)
		}
		old.Close()
		raw := storetest.RawDB(t, dsn)
		waiting := func(n int) {
			t.Helper()
			for {
				var w int
				if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_locks
					WHERE relation = 'articles'::regclass AND NOT granted`).Scan(&w); err != nil {
					t.Fatal(err)
				}
				if w >= n {
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		writer, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer writer.Rollback()
		if _, err := writer.ExecContext(ctx, `LOCK TABLE articles IN ROW EXCLUSIVE MODE`); err != nil {
			t.Fatal(err)
		}
		opened := make(chan error, 1)
		go func() {
			s, err := store.Open(ctx, dsn)
			if err == nil {
				s.Close()
			}
			opened <- err
		}()
		waiting(1) // the migration, for the writer

		// A reader gets through.
		reader, err := raw.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer reader.Close()
		if _, err := reader.ExecContext(ctx, `SET lock_timeout = '5s'`); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles`).Scan(&n); err != nil {
			t.Errorf("reading articles while the search index is rebuilt: %v", err)
		}

		// A save reads, then waits to write.
		save, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer save.Rollback()
		if _, err := save.ExecContext(ctx, `SET LOCAL lock_timeout = '20s'`); err != nil {
			t.Fatal(err)
		}
		if err := save.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles`).Scan(&n); err != nil {
			t.Errorf("a save reading articles while the search index is rebuilt: %v", err)
		}
		saved := make(chan error, 1)
		go func() {
			_, err := save.ExecContext(ctx, `UPDATE articles SET headline = headline WHERE id < 0`)
			if err == nil {
				err = save.Commit()
			}
			saved <- err
		}()
		waiting(2) // the migration, and the save behind it
		writer.Rollback()
		if err := <-opened; err != nil {
			t.Errorf("the migration, with a save waiting: %v", err)
		}
		if err := <-saved; err != nil {
			t.Errorf("the save: %v", err)
		}

		// The old index was dropped by the start that migrated.
		var defs []string
		rows, err := raw.QueryContext(ctx, `SELECT indexname || ': ' || indexdef FROM pg_indexes
			WHERE tablename = 'articles' AND indexdef LIKE '%search_vector%'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				t.Fatal(err)
			}
			defs = append(defs, d)
		}
		if len(defs) != 1 || !strings.HasPrefix(defs[0], "articles_search: ") || !strings.Contains(defs[0], "86400000000") {
			t.Errorf("the search indexes after 0028: %q, want articles_search over the vector and the day only", defs)
		}
	})
}
