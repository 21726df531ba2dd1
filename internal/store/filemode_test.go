//go:build unix

package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
)

// SQLite only: PostgreSQL keeps its files itself.

// TestSQLiteFilesArePrivate: with the usual umask (022) and a data folder
// other users may read (0755), the database and the -wal and -shm files
// SQLite makes beside it are readable by the owner alone, after writes.
func TestSQLiteFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	dsn := filepath.Join(dir, "newsdesk.db")
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.InTx(context.Background(), func(tx *store.Store) error {
		_, err := tx.EnsureSectionPath(context.Background(), "news/world")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// While the store is open, in WAL mode, all three files exist.
	for _, name := range []string{dsn, dsn + "-wal", dsn + "-shm"} {
		st, err := os.Stat(name)
		if err != nil {
			t.Fatalf("%s: %v (the test expects SQLite's WAL files while the store is open)", filepath.Base(name), err)
		}
		if got := st.Mode().Perm(); got != 0o600 {
			t.Errorf("%s: mode %04o, want 0600", filepath.Base(name), got)
		}
	}
	if r := s.Repairs(); len(r) != 0 {
		t.Errorf("a new database needed repairs: %q", r)
	}
}

// TestSQLiteFilesRepairedAtOpen: a database an older version left 0644 is
// made 0600 when opened, and the change is reported for the log.
func TestSQLiteFilesRepairedAtOpen(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "newsdesk.db")
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(dsn, 0o644); err != nil {
		t.Fatal(err)
	}
	// A write-ahead log left behind (by a crash, say), open to others too.
	if err := os.WriteFile(dsn+"-wal", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dsn+"-wal", 0o664); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, name := range []string{dsn, dsn + "-wal"} {
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != 0o600 {
			t.Errorf("%s: mode %04o after opening, want 0600", filepath.Base(name), got)
		}
	}
	r := strings.Join(s.Repairs(), "\n")
	if !strings.Contains(r, "newsdesk.db was open to other users (mode 0644)") || !strings.Contains(r, "newsdesk.db-wal was open to other users (mode 0664)") {
		t.Errorf("repairs: %q, want both files named with their old modes", r)
	}
}
