package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// checkUnavailable checks an answer is the API's "not now": 503 with
// Retry-After and the code unavailable, never cached, as the description
// says.
func checkUnavailable(t *testing.T, what string, rp reply) {
	t.Helper()
	if rp.status != http.StatusServiceUnavailable || rp.header.Get("Retry-After") == "" {
		t.Errorf("%s: %d, Retry-After %q, want 503 with Retry-After\n%s", what, rp.status, rp.header.Get("Retry-After"), rp.body)
		return
	}
	if e := decode[apiError](t, rp); e.Error.Code != "unavailable" {
		t.Errorf("%s: code %q, want unavailable", what, e.Error.Code)
	}
	if cc := rp.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", what, cc)
	}
}

// TestReadTimesOut: a read whose time ran out while it was at the
// database is answered 503 with Retry-After, not 500: the request was
// fine, and the same one shortly after is answered (the 503 was not
// cached).
func TestReadTimesOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		apiH, _, arts := readHandlers(t, s)
		// The deadline a server or a proxy gives a request, passed.
		late := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithDeadline(r.Context(), time.Now().Add(-time.Second))
			defer cancel()
			apiH.ServeHTTP(w, r.WithContext(ctx))
		})
		lateSrv := httptest.NewServer(late)
		t.Cleanup(lateSrv.Close)
		srv := httptest.NewServer(apiH)
		t.Cleanup(srv.Close)
		p := "/api/v1/articles/" + itoa(int(arts["strike"].ID))
		for _, path := range []string{p, "/api/v1/articles?section=news", "/api/v1/sections"} {
			checkUnavailable(t, path+" past its deadline", get(t, lateSrv, path))
			if rp := get(t, srv, path); rp.status != http.StatusOK {
				t.Errorf("%s in time: %d %s", path, rp.status, rp.body)
			}
		}
	})
}

// TestReadWaitsOnALock: on PostgreSQL, a read that waits for a lock
// another session holds (a migration rebuilding the table, say) past the
// server's statement_timeout is cancelled by the database: 503 with
// Retry-After; once the lock is gone, it is answered.
func TestReadWaitsOnALock(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		if !store.IsPostgres(dsn) {
			t.Skip("SQLite readers never wait for a writer (WAL)")
		}
		// Migrated first, without a timeout.
		first, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		first.Close()
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("statement_timeout", "500") // ms, as a server's setting
		u.RawQuery = q.Encode()
		s, err := store.Open(ctx, u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		srv, arts := readSite(t, s)

		db := storetest.RawDB(t, dsn)
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `LOCK TABLE articles IN ACCESS EXCLUSIVE MODE`); err != nil {
			t.Fatal(err)
		}
		p := "/api/v1/articles/" + itoa(int(arts["strike"].ID))
		checkUnavailable(t, p+" behind a lock", get(t, srv, p))
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if rp := get(t, srv, p); rp.status != http.StatusOK {
			t.Errorf("%s once the lock is gone: %d %s", p, rp.status, rp.body)
		}
	})
}
