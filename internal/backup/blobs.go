package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/newsdesk/newsdesk/internal/media"
)

// blobsBucket is a media store's Blobs (a folder, or an S3 bucket) as a
// Bucket.
type blobsBucket struct{ b media.Blobs }

// FromBlobs gives a media store's Blobs as a Bucket: the photos a backup
// copies (the site's --media, a folder or s3://), or an object store a
// backup goes into or is restored from.
//
// Blobs stores whole objects from memory and never replaces one. Put here
// reads the object into memory first (so an object that fails its
// checksum on the way is not stored at all) and replaces an existing one
// by deleting it first. Only the manifest and the database copy are ever
// replaced (a photo's name comes from its content); between the two
// steps the manifest is missing, so the backup reads as incomplete, never
// as another one. The database copy is held in memory whole: an object
// store suits the media and small databases; back a large SQLite file up
// into a folder and copy that.
func FromBlobs(b media.Blobs) Bucket { return blobsBucket{b} }

func (bb blobsBucket) String() string { return bb.b.String() }

func (bb blobsBucket) List(ctx context.Context, prefix string, fn func(name string, size int64) error) error {
	return bb.b.List(ctx, prefix, func(i media.BlobInfo) error { return fn(i.Name, i.Size) })
}

func (bb blobsBucket) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	return bb.b.Open(ctx, name)
}

func (bb blobsBucket) Put(ctx context.Context, name string, r io.Reader) error {
	if err := checkName(name); err != nil {
		return err
	}
	data, err := io.ReadAll(ctxReader{ctx, r})
	if err != nil {
		return fmt.Errorf("backup: %s in %s: %w", name, bb.b, err)
	}
	if _, err := bb.b.Stat(ctx, name); err == nil {
		if err := bb.b.Delete(ctx, name); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return bb.b.Put(ctx, name, data)
}

func (bb blobsBucket) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	return bb.b.Delete(ctx, name)
}
