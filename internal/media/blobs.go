package media

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Blobs is where a Store's bytes live: a folder on this machine (Folder,
// the default) or a bucket of an S3-compatible object store (S3). It is
// the few things the Store asks of either, so that the rest of the
// package, and whoever copies a site's media (`newsdesk media move`, a
// backup), does not care which.
//
// Names are slash-separated and relative to the store:
// "originals/ab/abcd….jpg" for an original, "public/ab/abcd…-640.jpg" for
// a variant. Everything under "originals/" is private (GPS positions,
// camera serials, unpublished photos); everything under "public/" may be
// served to anyone. Objects never change once written: their names are
// made from their content.
//
// Errors for a missing name match fs.ErrNotExist. A store that cannot be
// reached for now (an object store that is down or unreachable) returns
// errors that match ErrUnavailable and carry a news.EUNAVAILABLE message
// fit to show.
type Blobs interface {
	// Put stores data under name unless something is stored there
	// already (the same bytes, since names come from content). Readers
	// see the whole object or nothing, and once Put returns the object
	// survives a crash or a power cut.
	Put(ctx context.Context, name string, data []byte) error
	// Open opens an object for reading.
	Open(ctx context.Context, name string) (Blob, error)
	// Stat describes an object without reading it.
	Stat(ctx context.Context, name string) (BlobInfo, error)
	// List calls fn with each object whose name starts with prefix
	// until fn returns an error, which List returns. An object being
	// written is not listed until it is whole.
	List(ctx context.Context, prefix string, fn func(BlobInfo) error) error
	// Delete removes an object; a missing one is no error.
	Delete(ctx context.Context, name string) error
	// String names the place for messages and logs: a folder's path, or
	// "s3://bucket/prefix".
	String() string
	// Close releases what the store holds open.
	Close() error
}

// Streamer is a Blobs that can also store an object from a reader in
// bounded memory, whatever its size, replacing any object of that name
// (S3: a multipart upload). Put takes whole photos from memory; this is
// for the few large objects that are not photos (a backup's copy of the
// database).
type Streamer interface {
	PutStream(ctx context.Context, name string, r io.Reader) error
}

// Creator is a Blobs that can store an object only when none has its
// name, decided by the store at once for all writers (S3: If-None-Match:
// *); an object there already is an error matching fs.ErrExist. It makes
// locks (a backup's into a bucket).
type Creator interface {
	Create(ctx context.Context, name string, data []byte) error
}

// Tagger is a Blobs that can remove an object only while it is the one
// read (S3: its ETag, If-Match), so that a lock read as expired is not
// removed once another has replaced it. It makes locks.
type Tagger interface {
	ReadTagged(ctx context.Context, name string, max int64) (data []byte, etag string, err error)
	DeleteTagged(ctx context.Context, name, etag string) error
}

// ErrChanged is DeleteTagged's error for an object replaced since it was
// read.
var ErrChanged = errors.New("media: the object was replaced meanwhile")

// BlobInfo describes a stored object.
type BlobInfo struct {
	Name    string // as given to Put: "public/ab/abcd…-640.jpg"
	Size    int64
	ModTime time.Time
}

// Blob is an open object: it reads, seeks (http.ServeContent answers
// ranges with it) and describes itself. Close it when done.
type Blob interface {
	io.ReadSeekCloser
	Stat() (fs.FileInfo, error)
}

// Folders of a store; see Blobs.
const (
	originalsDir = "originals" // as uploaded: EXIF, GPS and all; never served
	publicDir    = "public"    // the variants: only pixels; served as /media/{key}
)

// private reports whether the object name holds an original.
func private(name string) bool { return strings.HasPrefix(name, originalsDir+"/") }

// ErrUnavailable matches the errors of a store that cannot be reached for
// now: the request may succeed if tried again later.
var ErrUnavailable = errors.New("media: the media store cannot be reached")

// unavailableError is a failure to reach a store. Its text, for the log,
// has the cause; the news.Error in its chain has the words for the person
// whose upload failed, without the addresses and system calls.
type unavailableError struct {
	where string // Blobs.String()
	op    string // "storing public/ab/…"
	err   error
}

func (e *unavailableError) Error() string {
	return "media: " + e.op + " in " + e.where + ": " + e.err.Error()
}

func (e *unavailableError) Unwrap() []error {
	return []error{e.err, ErrUnavailable, news.Errorf(news.EUNAVAILABLE,
		"the photo store (%s) cannot be reached just now, so nothing was stored: try again in a moment", e.where)}
}
