//go:build unix

package backup

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTwoBackupsAtOnce: a second backup into a folder a backup is being
// made into (a cron job overlapping a manual run) is refused, naming the
// folder; the first completes and restores. Without the refusal each
// backup removes the other's database copy as an earlier backup's, and
// the manifest written last names a copy that is gone.
func TestTwoBackupsAtOnce(t *testing.T) {
	s := newSite(t, "")
	s.section(t, "news")
	s.photo(t, "one")
	dest := t.TempDir()
	var (
		second error
		ran    bool
	)
	o := Options{SQLite: s.dsn, Media: openDir(t, filepath.Join(s.data, "media"), ""), Dest: openDir(t, dest, ""), Version: "test"}
	o.Log = func(format string, args ...any) {
		// Once the first backup has its database copy in the folder, the
		// second one runs whole, from a database that has changed.
		if ran || !strings.HasPrefix(format, "database:") {
			return
		}
		ran = true
		s.section(t, "sport")
		time.Sleep(2 * time.Millisecond) // a database copy of its own name
		o2 := o
		o2.Log = nil
		o2.Dest = openDir(t, dest, "")
		_, second = Backup(context.Background(), o2)
	}
	if _, err := Backup(context.Background(), o); err != nil {
		t.Fatalf("the first backup: %v", err)
	}
	if !ran {
		t.Fatal("the second backup was not started")
	}
	if second == nil || !strings.Contains(second.Error(), "another backup") || !strings.Contains(second.Error(), dest) {
		t.Errorf("the second backup: %v, want a refusal naming %s and the backup under way", second, dest)
	}
	data := t.TempDir()
	if _, err := restore(t, dest, data, ""); err != nil {
		t.Fatalf("the folder no longer restores: %v", err)
	}
	if got := sections(t, filepath.Join(data, "newsdesk.db")); len(got) == 0 {
		t.Errorf("the restored database holds no section")
	}

	// Once the first is done, the folder takes the next backup.
	if _, err := s.backup(t, dest); err != nil {
		t.Errorf("a backup after the first ended: %v", err)
	}
}

// TestBackupIntoAHardLinkedCopy: a generation made with cp -al from the
// last one (as docs/operations.md suggests) shares its lock file; a
// backup into each at once is not refused, and each folder then has a
// lock file of its own.
func TestBackupIntoAHardLinkedCopy(t *testing.T) {
	s := newSite(t, "")
	s.photo(t, "one")
	first := t.TempDir()
	if _, err := s.backup(t, first); err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(t.TempDir(), "second")
	if err := os.Mkdir(second, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(first)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			if err := os.Link(filepath.Join(first, e.Name()), filepath.Join(second, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	var other error
	o := Options{SQLite: s.dsn, Media: openDir(t, filepath.Join(s.data, "media"), ""), Dest: openDir(t, first, ""), Version: "test"}
	o.Log = func(format string, args ...any) {
		if strings.HasPrefix(format, "database:") {
			o2 := o
			o2.Log = nil
			o2.Dest = openDir(t, second, "")
			_, other = Backup(context.Background(), o2)
		}
	}
	if _, err := Backup(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if other != nil {
		t.Errorf("a backup into the hard-linked copy while one ran into the first: %v", other)
	}
	a, err1 := os.Stat(filepath.Join(first, lockName))
	b, err2 := os.Stat(filepath.Join(second, lockName))
	if err1 != nil || err2 != nil || os.SameFile(a, b) {
		t.Errorf("the two folders' lock files: %v, %v, the same file: %v", err1, err2, err1 == nil && err2 == nil && os.SameFile(a, b))
	}
}
