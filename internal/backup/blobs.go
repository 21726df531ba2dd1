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
// streams an object into a store that can take it so (media.Streamer: an
// S3 bucket's multipart upload, which holds one part in memory, so that a
// database copy of many gigabytes costs no more memory than a photo);
// into another it reads the object into memory first. Either way an
// object whose reading fails (a checksum that does not match, on the way
// in of a restore) is not stored at all. An existing object is replaced
// by deleting it first. Only the manifest and the database copy are ever
// replaced (a photo's name comes from its content), and the manifest in a
// way that leaves a complete one at every step (see putManifest).
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
	if s, ok := bb.b.(media.Streamer); ok && name != ManifestName {
		return s.PutStream(ctx, name, ctxReader{ctx, r})
	}
	data, err := io.ReadAll(ctxReader{ctx, r})
	if err != nil {
		return fmt.Errorf("backup: %s in %s: %w", name, bb.b, err)
	}
	if name == ManifestName {
		return bb.putManifest(ctx, data)
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

// putManifest stores data as the backup's manifest. An object store
// replaces an object only by deleting it first; were the backup to stop
// between the two, the store would hold no manifest, and so no backup,
// though the earlier one's objects are all there. So the new manifest is
// first stored as a spare (spareManifestName), which ReadManifest reads
// when the manifest is missing: at every step one of the two is a
// complete backup's, and the spare goes once the manifest is in place.
func (bb blobsBucket) putManifest(ctx context.Context, data []byte) error {
	_, err := bb.b.Stat(ctx, ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		// Nothing to replace: a first backup, or one after a backup that
		// stopped half-way, whose spare is kept until this is stored.
		if err := bb.b.Put(ctx, ManifestName, data); err != nil {
			return err
		}
		return bb.b.Delete(ctx, spareManifestName)
	} else if err != nil {
		return err
	}
	// A spare left by a backup that stopped after storing the manifest is
	// that manifest's copy: the manifest stands while it goes.
	for _, step := range []func() error{
		func() error { return bb.b.Delete(ctx, spareManifestName) },
		func() error { return bb.b.Put(ctx, spareManifestName, data) },
		func() error { return bb.b.Delete(ctx, ManifestName) },
		func() error { return bb.b.Put(ctx, ManifestName, data) },
		func() error { return bb.b.Delete(ctx, spareManifestName) },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}
