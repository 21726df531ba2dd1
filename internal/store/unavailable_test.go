package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
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

	// A table locked by a statement of the same connection (written
	// while a read of it is open) is a fault of the code, the same at
	// every try: SQLITE_LOCKED, not the BUSY of another process's lock.
	conn2, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	if _, err := conn2.ExecContext(ctx, `CREATE TABLE locked_test (a INTEGER); INSERT INTO locked_test VALUES (1), (2)`); err != nil {
		t.Fatal(err)
	}
	open, err := conn2.QueryContext(ctx, `SELECT a FROM locked_test`)
	if err != nil {
		t.Fatal(err)
	}
	open.Next()
	_, selfLocked := conn2.ExecContext(ctx, `DROP TABLE locked_test`)
	open.Close()
	if selfLocked == nil || !strings.Contains(selfLocked.Error(), "locked") {
		t.Fatalf("a table dropped under its own open read: %v, want locked", selfLocked)
	}

	gone, stop := context.WithCancel(ctx)
	stop()
	_, bad := s.q.QueryContext(ctx, `SELECT nothing FROM nowhere`)
	_, abandoned := s.ArticleByID(gone, 1)
	_, missing := s.ArticleByID(ctx, 99)
	for _, err := range []error{bad, abandoned, missing, selfLocked, news.Invalid("x", "wrong"), errors.New("some fault")} {
		if err == nil || Unavailable(err) {
			t.Errorf("%v: Unavailable true, want false", err)
		}
	}
}
