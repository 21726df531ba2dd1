// Package storetest runs a test once per database engine: on SQLite always,
// and on PostgreSQL when NEWSDESK_TEST_POSTGRES names a server (under CI a
// missing server fails the test instead of skipping it). Each run gets a new,
// empty database.
package storetest

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// Engines runs fn as a subtest per engine ("sqlite", "postgres") with the
// DSN of a fresh, empty database.
func Engines(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, filepath.Join(t.TempDir(), "newsdesk.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, testkit.FreshPostgres(t))
	})
}

// Each runs fn as a subtest per engine with an open, migrated store, closed
// when the subtest ends.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	Engines(t, func(t *testing.T, dsn string) {
		s, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s)
	})
}

// RawDB opens a pool of the test's own on the database dsn names, beside
// the store's, for writes no store method makes (a change row committed
// late, by hand), closed when the test ends. On SQLite it waits for the
// store's writes (a busy timeout) instead of failing at once.
func RawDB(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	driver, src := "sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)"
	if store.IsPostgres(dsn) {
		driver, src = "pgx", dsn
	}
	db, err := sql.Open(driver, src)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
