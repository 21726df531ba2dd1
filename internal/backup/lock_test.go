package backup

import (
	"context"
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
