package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// TestUnavailable: the errors of a database that is busy or out of time
// are told apart from faults: SQLite still locked by another process's
// writer past the busy timeout, and a deadline passed, are "not now"; a
// broken statement, a refused value and a not-found are not.
func TestUnavailable(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "busy.db")
	s, err := OpenWith(ctx, dsn, Options{busyTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Another process holds the write lock.
	other, err := sql.Open("sqlite", "file:"+dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	busy := s.SetSetting(ctx, news.SettingOnion, "http://busy-test.onion")
	if busy == nil || !Unavailable(busy) {
		t.Errorf("a write while another holds the lock: %v; Unavailable %v, want true", busy, Unavailable(busy))
	}
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}

	late, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer cancel()
	_, err = s.ArticleByID(late, 1)
	if !Unavailable(err) {
		t.Errorf("a read past its deadline: %v; Unavailable false, want true", err)
	}

	gone, stop := context.WithCancel(ctx)
	stop()
	_, bad := s.q.QueryContext(ctx, `SELECT nothing FROM nowhere`)
	_, abandoned := s.ArticleByID(gone, 1)
	_, missing := s.ArticleByID(ctx, 99)
	for _, err := range []error{bad, abandoned, missing, news.Invalid("x", "wrong"), errors.New("some fault")} {
		if err == nil || Unavailable(err) {
			t.Errorf("%v: Unavailable true, want false", err)
		}
	}
}
