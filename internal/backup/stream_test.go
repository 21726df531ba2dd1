package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/testkit/s3server"
)

// openS3Parts is a fresh prefix of the shared test S3 server as Blobs
// that stores large objects in parts of the smallest size S3 takes.
func openS3Parts(t *testing.T) (*media.S3, s3server.Bucket) {
	t.Helper()
	b := s3server.Shared(t)
	s, err := media.OpenS3(context.Background(), media.S3Config{Bucket: b.Bucket, Prefix: b.Prefix, Endpoint: b.Endpoint, Region: b.Region,
		PathStyle: true, AccessKeyID: b.AccessKeyID, SecretAccessKey: b.SecretAccessKey, PartSize: media.MinPartSize})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, b
}

// failingReader fails after n bytes, as a database copy whose file cannot
// be read on.
type failingReader struct {
	r io.Reader
	n int64
}

var errDiskRead = errors.New("input/output error")

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errDiskRead
	}
	if int64(len(p)) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= int64(n)
	return n, err
}

// TestDatabaseCopyStreamsIntoS3: a database copy larger than a part goes
// into an object store in parts, holding no more than about one part in
// memory (before, the whole copy was read into memory first: a database
// of many gigabytes needed as much); it reads back the same bytes. One
// whose reading fails half-way leaves no object and no upload behind.
func TestDatabaseCopyStreamsIntoS3(t *testing.T) {
	ctx := context.Background()
	bl, b := openS3Parts(t)
	bucket := FromBlobs(bl)
	const size = 12<<20 + 12345 // two whole parts of 5 MiB and a bit
	content := func() io.Reader { return io.LimitReader(rand.NewChaCha8([32]byte{7}), size) }
	want := sha256.New()
	io.Copy(want, content())

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := bucket.Put(ctx, "newsdesk-20261208T010000.000Z.db", content()); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	// Memory is measured as bytes allocated while storing, which does not
	// depend on when the collector runs: a part's buffer (5 MiB) and the
	// client's requests, against at least the object's size (12 MiB) for
	// a copy read whole first.
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("stored %d bytes in parts of %d, allocating %d bytes", size, media.MinPartSize, alloc)
	if alloc >= size {
		t.Errorf("storing %d bytes allocated %d bytes: the copy was held in memory", size, alloc)
	}

	r, err := bucket.Open(ctx, "newsdesk-20261208T010000.000Z.db")
	if err != nil {
		t.Fatal(err)
	}
	got := sha256.New()
	n, err := io.Copy(got, r)
	r.Close()
	if err != nil || n != size || !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Errorf("read back %d bytes (%v), want %d, the same SHA-256: %v", n, err, size, bytes.Equal(got.Sum(nil), want.Sum(nil)))
	}
	head, err := b.Client().HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b.Bucket), Key: aws.String(b.Prefix + "newsdesk-20261208T010000.000Z.db")})
	if err != nil {
		t.Fatal(err)
	}
	if etag := aws.ToString(head.ETag); !strings.HasSuffix(strings.Trim(etag, `"`), "-3") {
		t.Errorf("ETag %s: want a multipart upload's of 3 parts", etag)
	}

	// Reading fails in the second part: nothing is stored, and the
	// upload's parts are not left in the bucket.
	err = bucket.Put(ctx, "newsdesk-20261208T020000.000Z.db", &failingReader{r: content(), n: 7 << 20})
	if !errors.Is(err, errDiskRead) {
		t.Errorf("Put of a copy that cannot be read = %v, want the read's error", err)
	}
	if _, err := bl.Stat(ctx, "newsdesk-20261208T020000.000Z.db"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the copy that could not be read was stored: %v", err)
	}
	ups, err := b.Client().ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(b.Bucket), Prefix: aws.String(b.Prefix)})
	if err != nil {
		t.Fatal(err)
	}
	if len(ups.Uploads) != 0 {
		t.Errorf("%d multipart uploads left in the bucket, want none", len(ups.Uploads))
	}
}

// TestBigDatabaseBackupIntoS3: a site whose SQLite file is larger than a
// part is backed up into an object store and restored from it, the
// database the same.
func TestBigDatabaseBackupIntoS3(t *testing.T) {
	ctx := context.Background()
	bl, _ := openS3Parts(t)
	s := newSite(t, "")
	s.section(t, "news")
	s.photo(t, "one")
	db, err := sql.Open("sqlite", s.dsn)
	if err != nil {
		t.Fatal(err)
	}
	// 12 MB of rows the backup copies with the rest.
	_, err = db.Exec(`CREATE TABLE padding (b BLOB); INSERT INTO padding SELECT randomblob(1 << 20) FROM (SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4), (SELECT 1 UNION SELECT 2 UNION SELECT 3)`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	folder, err := media.OpenFolder(filepath.Join(s.data, "media"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { folder.Close() })
	rep, err := Backup(ctx, Options{SQLite: s.dsn, Media: FromBlobs(folder), Dest: FromBlobs(bl), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.DatabaseBytes < 12<<20 {
		t.Fatalf("the database copy is %d bytes, want more than two parts", rep.DatabaseBytes)
	}
	data := t.TempDir()
	if _, err := Restore(ctx, RestoreOptions{Src: FromBlobs(bl), Data: data}); err != nil {
		t.Fatal(err)
	}
	back, err := sql.Open("sqlite", filepath.Join(data, "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	var rows, bytes int64
	if err := back.QueryRow(`SELECT count(*), sum(length(b)) FROM padding`).Scan(&rows, &bytes); err != nil || rows != 12 || bytes != 12<<20 {
		t.Errorf("the restored database's padding: %d rows, %d bytes (%v); want 12 and 12 MiB", rows, bytes, err)
	}
	if got := sections(t, filepath.Join(data, "newsdesk.db")); len(got) != 1 || got[0] != "news" {
		t.Errorf("restored sections %q, want [news]", got)
	}
}
