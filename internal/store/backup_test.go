//go:build unix

package store_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
)

// TestBackupSQLiteIsPrivate: the copy BackupSQLite writes holds what the
// database holds (password hashes, drafts), so it is the owner's alone
// from its first byte, not only once done: with the usual umask and a
// backup folder other users may read, the copy and its journal are 0600
// while the pages are copied.
func TestBackupSQLiteIsPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	src := filepath.Join(t.TempDir(), "newsdesk.db")
	s, err := store.Open(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.EnsureSectionPath(context.Background(), "news/world"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "copy.db")
	steps := 0
	check := func(when string) {
		for _, name := range []string{dst, dst + "-journal"} {
			st, err := os.Stat(name)
			if err != nil {
				continue // the journal comes and goes
			}
			if got := st.Mode().Perm(); got != 0o600 {
				t.Errorf("%s %s: mode %04o, want 0600", filepath.Base(name), when, got)
			}
		}
	}
	err = store.BackupSQLite(context.Background(), src, dst, func(done, total int) {
		steps++
		check("while copied")
	})
	if err != nil {
		t.Fatal(err)
	}
	if steps == 0 {
		t.Fatal("no progress was reported: the test saw nothing while the copy was made")
	}
	check("when done")
	// An existing file is not written over.
	if err := store.BackupSQLite(context.Background(), src, dst, nil); err == nil {
		t.Error("BackupSQLite wrote over an existing file")
	}
}
