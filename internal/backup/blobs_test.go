package backup

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/testkit/s3server"
)

// openS3 is a fresh prefix of the shared test S3 server as Blobs (the test
// is skipped without NEWSDESK_TEST_S3).
func openS3(t *testing.T) media.Blobs {
	t.Helper()
	b := s3server.Shared(t)
	s, err := media.OpenS3(context.Background(), media.S3Config{Bucket: b.Bucket, Prefix: b.Prefix, Endpoint: b.Endpoint, Region: b.Region,
		PathStyle: true, AccessKeyID: b.AccessKeyID, SecretAccessKey: b.SecretAccessKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestBackupThroughBlobs: the media are read through the media store's
// Blobs (a folder here), the backup goes into an S3 bucket, incrementally,
// and restores from it into a folder and into another bucket; a damaged
// object in the bucket is refused and nothing of it is stored.
func TestBackupThroughBlobs(t *testing.T) {
	ctx := context.Background()
	s := newSite(t, "")
	s.section(t, "news")
	s.photo(t, "one")
	folder, err := media.OpenFolder(filepath.Join(s.data, "media"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { folder.Close() })
	bucket := openS3(t)
	o := Options{SQLite: s.dsn, Media: FromBlobs(folder), Dest: FromBlobs(bucket), Version: "test"}
	if _, err := Backup(ctx, o); err != nil {
		t.Fatal(err)
	}
	s.photo(t, "two")
	rep, err := Backup(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Copied != 2 || rep.Kept != 2 || len(rep.Removed) != 1 {
		t.Errorf("the second backup copied %d, kept %d, removed %q; want 2, 2 and the first database copy", rep.Copied, rep.Kept, rep.Removed)
	}

	data := t.TempDir()
	if _, err := Restore(ctx, RestoreOptions{Src: FromBlobs(bucket), Data: data}); err != nil {
		t.Fatal(err)
	}
	if got, want := files(t, filepath.Join(data, "media")), files(t, filepath.Join(s.data, "media")); !mapsEqual(got, want) {
		t.Errorf("restored media %v, want %v", keys(got), keys(want))
	}
	if got := sections(t, filepath.Join(data, "newsdesk.db")); !slices.Contains(got, "news") {
		t.Errorf("restored sections %q", got)
	}

	// Into a bucket of the restored site's own.
	target := openS3(t)
	if _, err := Restore(ctx, RestoreOptions{Src: FromBlobs(bucket), Data: t.TempDir(), Media: FromBlobs(target)}); err != nil {
		t.Fatal(err)
	}
	var names []string
	target.List(ctx, "", func(i media.BlobInfo) error { names = append(names, i.Name); return nil })
	if len(names) != 4 {
		t.Errorf("the restored bucket holds %q, want the 4 photo files", names)
	}
	if _, err := Restore(ctx, RestoreOptions{Src: FromBlobs(bucket), Data: t.TempDir(), Media: FromBlobs(target)}); err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Errorf("a second restore into the same bucket: %v, want a refusal", err)
	}

	// A photo changed in the backup's bucket.
	m, err := ReadManifest(ctx, FromBlobs(bucket))
	if err != nil {
		t.Fatal(err)
	}
	var photo string
	for _, obj := range m.Objects {
		if strings.HasPrefix(obj.Name, "media/originals/") {
			photo = obj.Name
		}
	}
	if err := bucket.Delete(ctx, photo); err != nil {
		t.Fatal(err)
	}
	if err := bucket.Put(ctx, photo, []byte("not the photo")); err != nil {
		t.Fatal(err)
	}
	other := openS3(t)
	data = filepath.Join(t.TempDir(), "site")
	_, err = Restore(ctx, RestoreOptions{Src: FromBlobs(bucket), Data: data, Media: FromBlobs(other)})
	if err == nil || !strings.Contains(err.Error(), photo) {
		t.Fatalf("restoring a changed photo: %v, want an error naming %s", err, photo)
	}
	names = nil
	other.List(ctx, "", func(i media.BlobInfo) error { names = append(names, i.Name); return nil })
	if len(names) != 0 {
		t.Errorf("the failed restore left %q in the bucket", names)
	}
	if _, err := os.Stat(data); err == nil {
		t.Error("the failed restore left the data folder it made")
	}
}
