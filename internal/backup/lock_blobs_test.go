package backup

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/media"
)

type locker interface{ Lock() (func(), error) }

// TestTwoBackupsIntoOneBucket: a backup into an object store that another
// backup holds is refused, saying so and naming who holds it; of several
// taking the lock at the very same time exactly one gets it (the store's
// If-None-Match: *); once the first ends, the next backup runs; a lock
// left by a backup that died is taken over once expired.
func TestTwoBackupsIntoOneBucket(t *testing.T) {
	ctx := context.Background()
	bl, b := openS3Parts(t)
	s := newSite(t, "")
	s.section(t, "news")
	s.photo(t, "one")
	folder, err := media.OpenFolder(filepath.Join(s.data, "media"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { folder.Close() })
	o := Options{SQLite: s.dsn, Media: FromBlobs(folder), Dest: FromBlobs(bl), Version: "test"}

	unlock, err := FromBlobs(bl).(locker).Lock()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Backup(ctx, o)
	if err == nil || !strings.Contains(err.Error(), "another backup is being made into "+b.URL()) || !strings.Contains(err.Error(), "process ") {
		t.Errorf("a backup while another holds the bucket: %v, want it refused, naming the bucket and the other backup", err)
	}
	if _, err := ReadManifest(ctx, FromBlobs(bl)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the refused backup wrote a manifest: %v", err)
	}
	unlock()
	if _, err := Backup(ctx, o); err != nil {
		t.Fatalf("a backup once the other ended: %v", err)
	}
	if _, err := bl.Stat(ctx, blobLockName); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the lock stayed after the backup: %v", err)
	}

	// Eight at the same instant, each with a client of its own.
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		held    []func()
		refused int
		start   = make(chan struct{})
	)
	for range 8 {
		other, err := media.OpenS3(ctx, media.S3Config{Bucket: b.Bucket, Prefix: b.Prefix, Endpoint: b.Endpoint, Region: b.Region,
			PathStyle: true, AccessKeyID: b.AccessKeyID, SecretAccessKey: b.SecretAccessKey})
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			<-start
			unlock, err := FromBlobs(other).(locker).Lock()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if !strings.Contains(err.Error(), "another backup is being made into") {
					t.Errorf("a lock refused with %v", err)
				}
				refused++
				return
			}
			held = append(held, unlock)
		})
	}
	close(start)
	wg.Wait()
	if len(held) != 1 || refused != 7 {
		t.Errorf("of 8 backups taking the lock at once, %d got it and %d were refused; want 1 and 7", len(held), refused)
	}
	for _, u := range held {
		u()
	}

	// A lock left by a backup that died, expired a minute ago.
	dead, _ := json.Marshal(blobLock{Owner: "dead", Host: "gone.example.org", PID: 1, Started: time.Now().Add(-time.Hour), Expires: time.Now().Add(-time.Minute)})
	if err := bl.Create(ctx, blobLockName, dead); err != nil {
		t.Fatal(err)
	}
	if _, err := Backup(ctx, o); err != nil {
		t.Errorf("a backup over an expired lock: %v", err)
	}
	// One that has not expired yet is respected, even if old.
	alive, _ := json.Marshal(blobLock{Owner: "slow", Host: "other.example.org", PID: 2, Started: time.Now().Add(-time.Hour), Expires: time.Now().Add(time.Minute)})
	if err := bl.Create(ctx, blobLockName, alive); err != nil {
		t.Fatal(err)
	}
	if _, err := Backup(ctx, o); err == nil || !strings.Contains(err.Error(), "other.example.org") {
		t.Errorf("a backup while a lock has not expired: %v, want it refused naming other.example.org", err)
	}
}

// TestBackupThatLosesItsBucketLockFails: a backup whose lock object is no
// longer its own by the time it would write its manifest (another backup
// took it over, or its renewals failed until it expired) stops there: it
// writes no manifest and removes no earlier backup's database copy, as
// another backup may be writing into the prefix now. Before, the renewal
// skipped a lock that was not its own in silence and the backup finished
// as if it held it.
func TestBackupThatLosesItsBucketLockFails(t *testing.T) {
	ctx := context.Background()
	bl, _ := openS3Parts(t)
	s := newSite(t, "")
	s.section(t, "news")
	s.photo(t, "one")
	folder, err := media.OpenFolder(filepath.Join(s.data, "media"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { folder.Close() })
	o := Options{SQLite: s.dsn, Media: FromBlobs(folder), Dest: FromBlobs(bl), Version: "test"}
	first, err := Backup(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		lose func(t *testing.T)
		want string
	}{
		{"taken over", func(t *testing.T) {
			if err := bl.Delete(ctx, blobLockName); err != nil {
				t.Fatal(err)
			}
			other, _ := json.Marshal(blobLock{Owner: "other", Host: "other.example.org", PID: 2, Started: time.Now(), Expires: time.Now().Add(blobLockTTL)})
			if err := bl.Create(ctx, blobLockName, other); err != nil {
				t.Fatal(err)
			}
		}, "other.example.org"},
		{"expired", func(t *testing.T) {
			l, err := FromBlobs(bl).(blobsBucket).readLock(ctx)
			if err != nil {
				t.Fatal(err)
			}
			l.Expires = time.Now().Add(-time.Second)
			data, _ := json.Marshal(l)
			if err := bl.PutStream(ctx, blobLockName, strings.NewReader(string(data))); err != nil {
				t.Fatal(err)
			}
		}, "expired"},
		{"removed", func(t *testing.T) {
			if err := bl.Delete(ctx, blobLockName); err != nil {
				t.Fatal(err)
			}
		}, "no longer there"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := o
			o.Log = func(format string, args ...any) {
				if strings.HasPrefix(format, "database: %s, %d bytes") {
					tc.lose(t)
				}
			}
			time.Sleep(2 * time.Millisecond) // a database copy's name of its own
			_, err := Backup(ctx, o)
			if err == nil || !strings.Contains(err.Error(), "lock") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("a backup that lost its lock (%s): %v, want it to fail saying so (%q)", tc.name, err, tc.want)
			}
			m, err := ReadManifest(ctx, FromBlobs(bl))
			if err != nil {
				t.Fatal(err)
			}
			if m.Database != first.Manifest.Database {
				t.Errorf("the manifest names %s, want the earlier backup's %s", m.Database, first.Manifest.Database)
			}
			if _, err := bl.Stat(ctx, first.Manifest.Database); err != nil {
				t.Errorf("the earlier backup's database copy: %v", err)
			}
			bl.Delete(ctx, blobLockName)
		})
	}
}

// TestTakingOverAnExpiredLockRemovesOnlyThatLock: two backups that both
// find the same expired lock both remove it and create their own; the
// one that removes it second must not remove the lock the first has just
// created (then both would hold "the" lock, and each would remove the
// other's database copy). The removal is of the expired lock as read
// (If-Match its ETag): the second finds a lock that is not expired and is
// refused.
func TestTakingOverAnExpiredLockRemovesOnlyThatLock(t *testing.T) {
	ctx := context.Background()
	bl, _ := openS3Parts(t)
	dead, _ := json.Marshal(blobLock{Owner: "dead", Host: "gone.example.org", PID: 1, Started: time.Now().Add(-time.Hour), Expires: time.Now().Add(-time.Minute)})
	if err := bl.Create(ctx, blobLockName, dead); err != nil {
		t.Fatal(err)
	}
	// Between this backup's reading of the expired lock and its removal,
	// another backup removes it and creates its own.
	first, _ := json.Marshal(blobLock{Owner: "first", Host: "first.example.org", PID: 3, Started: time.Now(), Expires: time.Now().Add(blobLockTTL)})
	beforeTakeOver = func() {
		beforeTakeOver = nil
		if err := bl.Delete(ctx, blobLockName); err != nil {
			t.Fatal(err)
		}
		if err := bl.Create(ctx, blobLockName, first); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { beforeTakeOver = nil })
	unlock, err := FromBlobs(bl).(locker).Lock()
	if err == nil {
		unlock()
		t.Error("a backup took over a lock another had just taken")
	} else if !strings.Contains(err.Error(), "first.example.org") {
		t.Errorf("refused with %v, want it to name first.example.org", err)
	}
	l, err := FromBlobs(bl).(blobsBucket).readLock(ctx)
	if err != nil || l.Owner != "first" {
		t.Errorf("the lock now: %+v (%v), want the first backup's still", l, err)
	}
}

// TestALockNoBackupWroteIsNamed: a lock object that is not one a backup
// wrote (no expiry can be read from it, so it never expires) refuses the
// backup saying so and what to do, not to wait for a backup to end.
func TestALockNoBackupWroteIsNamed(t *testing.T) {
	ctx := context.Background()
	bl, b := openS3Parts(t)
	if err := bl.Create(ctx, blobLockName, []byte("locked by ops, do not touch")); err != nil {
		t.Fatal(err)
	}
	_, err := FromBlobs(bl).(locker).Lock()
	if err == nil || !strings.Contains(err.Error(), blobLockName+" in "+b.URL()+" is not a lock a backup wrote") ||
		!strings.Contains(err.Error(), "remove it") || strings.Contains(err.Error(), "wait for it to end") {
		t.Errorf("a lock no backup wrote: %v, want it named, and what to do", err)
	}
}
