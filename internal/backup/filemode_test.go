//go:build unix

package backup

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/newsdesk/newsdesk/internal/testkit"
)

// privateTree fails the test for every file under dir other users may
// read and every folder they may enter.
func privateTree(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if p != dir && st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %04o, open to other users", p, st.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPgDumpIsPrivate: pg_dump's archive holds the site's password hashes
// and drafts; it is the owner's alone from its first byte, whatever the
// umask (pg_dump itself makes its file 0666 less the umask).
func TestPgDumpIsPrivate(t *testing.T) {
	dsn := testkit.FreshPostgres(t)
	s := newSite(t, dsn)
	s.section(t, "news")
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	out := filepath.Join(t.TempDir(), "site.pgdump")
	if err := pgDump(context.Background(), "", dsn, out); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != 0o600 {
		t.Errorf("pg_dump's archive: mode %04o, want 0600", got)
	}
}

// TestBackupIsPrivate: with no umask at all and a backup folder other
// users may read, everything a backup writes, and everything a restore
// writes that is not a public variant, is the owner's alone.
func TestBackupIsPrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	s := newSite(t, "")
	s.section(t, "news")
	s.photo(t, "a photo")
	dest := t.TempDir()
	if err := os.Chmod(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := s.backup(t, dest); err != nil {
		t.Fatal(err)
	}
	privateTree(t, dest)

	data := filepath.Join(t.TempDir(), "site")
	if _, err := restore(t, dest, data, ""); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != 0o700 {
		t.Errorf("the restored data folder: mode %04o, want 0700", got)
	}
	privateTree(t, filepath.Join(data, "newsdesk.db"))
	privateTree(t, filepath.Join(data, "media", "originals"))
}
