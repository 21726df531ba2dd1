package backup

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// Bucket holds named objects: the media a backup copies, and the backup
// itself. Names are slash-separated paths relative to the bucket. A folder
// is one (Dir); a media store's Blobs (a media folder, an S3 bucket) is
// another, through FromBlobs: the interface asks only what both do well
// (list, read whole, write whole, delete).
//
// Dir looks like media.Folder (a folder reached through os.Root, writes
// to a temporary file renamed into place) but keeps other rules, which is
// why it is not one: a backup's files are all the owner's alone (a media
// folder's public/ is open to all), its manifest and database copy are
// replaced (a media object never is, its name being its content), a
// database copy of many gigabytes is streamed from a reader or made in
// place (Scratch, Adopt) where media.Folder takes a photo from memory, a
// backup folder holds a lock, and a manifest's names are outside input
// (checkName). Sharing the file-level steps (the synced temporary write,
// the synced folders, the walk that skips files being written) would
// take a package of their own under both.
type Bucket interface {
	// List calls fn for every object whose name starts with prefix, in no
	// particular order. Objects still being written are not listed.
	List(ctx context.Context, prefix string, fn func(name string, size int64) error) error
	// Open opens the object name for reading. A missing object is an
	// error matching fs.ErrNotExist.
	Open(ctx context.Context, name string) (io.ReadCloser, error)
	// Put stores the bytes of r as the object name, replacing any, whole
	// or not at all, and durably before it returns. When reading r fails,
	// nothing is stored.
	Put(ctx context.Context, name string, r io.Reader) error
	// Delete removes the object name; a missing one is no error.
	Delete(ctx context.Context, name string) error
}

// local is a Bucket on this machine's disk. A database copy is written
// straight into it, then renamed into place, rather than into a temporary
// file elsewhere and copied again.
type local interface {
	Bucket
	// Scratch returns the path of a new temporary file beside where name
	// goes (the file is not created).
	Scratch(name string) (string, error)
	// Adopt moves the file at path, made by the caller at a Scratch path,
	// to name, durably.
	Adopt(path, name string) error
}

// tmpPrefix starts the names of files being written, in a Dir and in the
// media store's folder alike (internal/media writes the same way): they
// are never listed.
const tmpPrefix = ".tmp-"

// Dir is a Bucket in a folder, reached through os.Root so that no name can
// lead outside it. Every write goes to a temporary file that is synced,
// renamed into place, and its folder synced: a crash leaves the old object
// or the new one, never part of one.
type Dir struct {
	root *os.Root
	path string
	// public is the prefix of the objects other users may read (files
	// 0644 in folders 0755): "public/" for a media folder, whose variants
	// a web server may serve. Everything else is the owner's alone
	// (0600 in 0700): a backup holds password hashes and drafts, and
	// originals keep their GPS positions. Empty: nothing is public.
	public string
}

// OpenDir opens the folder dir as a Bucket, making it (0700) if missing.
// Objects under the prefix public are readable by others; see Dir.
func OpenDir(dir, public string) (*Dir, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return &Dir{root: root, path: dir, public: public}, nil
}

// Close releases the folder.
func (d *Dir) Close() error { return d.root.Close() }

// String is the folder's path, for messages.
func (d *Dir) String() string { return d.path }

// modes are the modes of the folder or file name (a folder's name ends
// with a slash). The folders above the public prefix are open too, so that
// the public files can be reached.
func (d *Dir) modes(name string) (dir, file fs.FileMode) {
	if d.public != "" && (strings.HasPrefix(name, d.public) || strings.HasSuffix(name, "/") && strings.HasPrefix(d.public, name)) {
		return 0o755, 0o644
	}
	return 0o700, 0o600
}

// List walks the folder under prefix. Files whose names start with .tmp-
// are being written and are left out, as are anything but regular files.
func (d *Dir) List(ctx context.Context, prefix string, fn func(name string, size int64) error) error {
	// Walk from the deepest folder the prefix names in full.
	start := "."
	if i := strings.LastIndex(prefix, "/"); i > 0 {
		start = prefix[:i]
	}
	err := fs.WalkDir(d.root.FS(), start, func(name string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && name == start {
				return fs.SkipAll
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.IsDir() {
			// A folder outside the prefix has nothing under it.
			if name != "." && !strings.HasPrefix(name+"/", prefix) && !strings.HasPrefix(prefix, name+"/") {
				return fs.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() || strings.HasPrefix(path.Base(name), tmpPrefix) || !strings.HasPrefix(name, prefix) {
			return nil
		}
		fi, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // gone meanwhile
		} else if err != nil {
			return err
		}
		return fn(name, fi.Size())
	})
	if err != nil {
		return fmt.Errorf("backup: listing %s: %w", d.path, err)
	}
	return nil
}

// Open opens the object name.
func (d *Dir) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	// O_NONBLOCK: opening a named pipe for reading would wait for a
	// writer, for ever and deaf to signals; it is opened at once and
	// refused below. A file's reads do not change with it.
	f, err := d.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("backup: %s: %w", filepath.Join(d.path, name), errors.Unwrap(err))
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("backup: %s is not a file", filepath.Join(d.path, name))
	}
	return f, nil
}

// Put writes r's bytes to name through a temporary file.
func (d *Dir) Put(ctx context.Context, name string, r io.Reader) (err error) {
	if err := checkName(name); err != nil {
		return err
	}
	tmp, err := d.scratch(name)
	if err != nil {
		return err
	}
	_, perm := d.modes(name)
	f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer func() {
		if err != nil {
			d.root.Remove(tmp)
			err = fmt.Errorf("backup: writing %s: %w", filepath.Join(d.path, name), err)
		}
	}()
	if _, err := io.Copy(f, ctxReader{ctx, r}); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return d.rename(tmp, name)
}

// Scratch returns a temporary path beside name's place, making its folder.
func (d *Dir) Scratch(name string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	tmp, err := d.scratch(name)
	if err != nil {
		return "", err
	}
	return filepath.Join(d.path, filepath.FromSlash(tmp)), nil
}

// Adopt renames the file at p, a path Scratch returned, to name.
func (d *Dir) Adopt(p, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	rel, err := filepath.Rel(d.path, p)
	if err != nil || !strings.HasPrefix(path.Base(filepath.ToSlash(rel)), tmpPrefix) {
		return fmt.Errorf("backup: %s is not a scratch file of %s", p, d.path)
	}
	_, perm := d.modes(name)
	if err := d.root.Chmod(filepath.ToSlash(rel), perm); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := d.rename(filepath.ToSlash(rel), name); err != nil {
		return fmt.Errorf("backup: %s: %w", filepath.Join(d.path, name), err)
	}
	return nil
}

// scratch makes name's folder and returns a temporary name in it.
func (d *Dir) scratch(name string) (string, error) {
	dir := path.Dir(name)
	if err := d.mkdirs(dir); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	return path.Join(dir, tmpPrefix+rand.Text()), nil
}

// mkdirs makes dir and its missing parents, each synced into its parent,
// so that a file renamed into a new folder survives a crash.
func (d *Dir) mkdirs(dir string) error {
	if dir == "." {
		return nil
	}
	if _, err := d.root.Stat(dir); err == nil {
		return nil
	}
	if err := d.mkdirs(path.Dir(dir)); err != nil {
		return err
	}
	perm, _ := d.modes(dir + "/")
	if err := d.root.Mkdir(dir, perm); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return d.syncDir(path.Dir(dir))
}

// rename moves tmp to name and syncs the folder.
func (d *Dir) rename(tmp, name string) error {
	if err := d.root.Rename(tmp, name); err != nil {
		return err
	}
	return d.syncDir(path.Dir(name))
}

func (d *Dir) syncDir(name string) error {
	// O_NONBLOCK: opening a named pipe for reading would wait for a
	// writer, for ever and deaf to signals; it is opened at once and
	// refused below. A file's reads do not change with it.
	f, err := d.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Delete removes the object name.
func (d *Dir) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := d.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// checkName refuses a name that is not a plain relative path: names come
// from manifests, which are outside input to a restore.
func checkName(name string) error {
	if name == "" || len(name) > 1024 || path.Clean(name) != name || strings.HasPrefix(name, "/") ||
		strings.ContainsAny(name, "\\\x00") || name == "." || name == ".." || strings.HasPrefix(name, "../") {
		return fmt.Errorf("backup: %q is not an object name (a relative path without . or .. parts)", name)
	}
	for el := range strings.SplitSeq(name, "/") {
		if strings.HasPrefix(el, tmpPrefix) {
			return fmt.Errorf("backup: %q is not an object name (names starting with %s are temporary files)", name, tmpPrefix)
		}
	}
	return nil
}

// ctxReader stops a copy when its context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Empty is a Bucket with nothing in it, that takes nothing: the media of a
// site that has none.
type Empty struct{}

// List lists nothing.
func (Empty) List(context.Context, string, func(string, int64) error) error { return nil }

// Open finds nothing.
func (Empty) Open(_ context.Context, name string) (io.ReadCloser, error) {
	return nil, fmt.Errorf("backup: %s: %w", name, fs.ErrNotExist)
}

// Put refuses.
func (Empty) Put(_ context.Context, name string, _ io.Reader) error {
	return fmt.Errorf("backup: %s: this bucket takes nothing", name)
}

// Delete has nothing to delete.
func (Empty) Delete(context.Context, string) error { return nil }
