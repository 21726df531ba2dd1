package backup

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/media"
)

// crashing is a media store's Blobs that goes down for good at its
// crashAt'th write (Put or Delete), as the machine running a backup would:
// that write and every call after it fail.
type crashing struct {
	media.Blobs
	crashAt, writes int
}

var errCrashed = errors.New("the machine went down")

func (c *crashing) write() error {
	c.writes++
	if c.crashAt > 0 && c.writes >= c.crashAt {
		return errCrashed
	}
	return nil
}

func (c *crashing) Put(ctx context.Context, name string, data []byte) error {
	if err := c.write(); err != nil {
		return err
	}
	return c.Blobs.Put(ctx, name, data)
}

func (c *crashing) Delete(ctx context.Context, name string) error {
	if err := c.write(); err != nil {
		return err
	}
	return c.Blobs.Delete(ctx, name)
}

func (c *crashing) Stat(ctx context.Context, name string) (media.BlobInfo, error) {
	if c.crashAt > 0 && c.writes >= c.crashAt {
		return media.BlobInfo{}, errCrashed
	}
	return c.Blobs.Stat(ctx, name)
}

// TestBackupIntoBlobsSurvivesACrash: an object store never replaces an
// object in one step, as a folder's rename does; the manifest of a backup
// into one is replaced by deleting the old one first. Wherever a second
// backup into the store stops (the test stops it at each of its writes in
// turn), the store holds a backup that restores: the first or the second.
// The store is a media folder's Blobs, which keeps the same rule as S3's
// (Put stores nothing over an existing object), and an S3 bucket when
// NEWSDESK_TEST_S3 names a server.
func TestBackupIntoBlobsSurvivesACrash(t *testing.T) {
	t.Run("folder", func(t *testing.T) {
		survivesACrash(t, func(t *testing.T) media.Blobs {
			store, err := media.OpenFolder(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { store.Close() })
			return store
		})
	})
	t.Run("s3", func(t *testing.T) { survivesACrash(t, openS3) })
}

func survivesACrash(t *testing.T, open func(t *testing.T) media.Blobs) {
	ctx := context.Background()
	run := func(t *testing.T, crashAt int) (writes int) {
		s := newSite(t, "")
		s.section(t, "news")
		s.photo(t, "one")
		mediaDir, err := media.OpenFolder(filepath.Join(s.data, "media"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { mediaDir.Close() })
		store := open(t)
		c := &crashing{Blobs: store}
		o := Options{SQLite: s.dsn, Media: FromBlobs(mediaDir), Dest: FromBlobs(c), Version: "test"}
		if _, err := Backup(ctx, o); err != nil {
			t.Fatal(err)
		}
		s.section(t, "sport")
		s.photo(t, "two")
		c.writes, c.crashAt = 0, crashAt
		_, err = Backup(ctx, o)
		if crashAt > 0 && c.writes >= crashAt && !errors.Is(err, errCrashed) {
			t.Fatalf("the backup that went down at write %d: %v", crashAt, err)
		} else if crashAt == 0 && err != nil {
			t.Fatal(err)
		}
		data := t.TempDir()
		if _, err := Restore(ctx, RestoreOptions{Src: FromBlobs(store), Data: data}); err != nil {
			t.Fatalf("gone down at write %d of the second backup, the store holds no backup that restores: %v", crashAt, err)
		}
		got := sections(t, filepath.Join(data, "newsdesk.db"))
		if !slices.Contains(got, "news") {
			t.Errorf("restored sections %q", got)
		}
		if crashAt == 0 && !slices.Contains(got, "sport") {
			t.Errorf("after the second backup, restored sections %q: not the second backup", got)
		}
		return c.writes
	}
	n := run(t, 0)
	for k := 1; k <= n; k++ {
		run(t, k)
	}
}

// storedButFailed is a media store's Blobs whose Put of one name stores
// the object and yet reports an error, as a request cancelled or cut off
// after the server has taken the whole object does.
type storedButFailed struct {
	media.Blobs
	name string
}

func (s storedButFailed) Put(ctx context.Context, name string, data []byte) error {
	if err := s.Blobs.Put(ctx, name, data); err != nil {
		return err
	}
	if name == s.name {
		return errors.New("connection reset by peer")
	}
	return nil
}

// TestFailedRestoreIntoBlobsTakesAllBack: a restore into an object store
// that fails takes back every object it tried to store, those whose Put
// failed included: the store may have taken one whose answer was lost.
func TestFailedRestoreIntoBlobsTakesAllBack(t *testing.T) {
	ctx := context.Background()
	s := newSite(t, "")
	orig := s.photo(t, "one")
	dest := t.TempDir()
	if _, err := s.backup(t, dest); err != nil {
		t.Fatal(err)
	}
	target, err := media.OpenFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { target.Close() })
	_, err = Restore(ctx, RestoreOptions{Src: openDir(t, dest, ""), Data: t.TempDir(), Media: FromBlobs(storedButFailed{target, orig})})
	if err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Fatalf("restore: %v, want the store's error", err)
	}
	var left []string
	target.List(ctx, "", func(i media.BlobInfo) error { left = append(left, i.Name); return nil })
	if len(left) != 0 {
		t.Errorf("the failed restore left %q in the store", left)
	}
}
