package media

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// Folder keeps a store's objects as files in a folder on this machine,
// through os.Root so that no name can reach outside it. Originals sit in a
// folder of the owner's alone (0700, files 0600); variants are readable by
// all (0755, 0644), so a web server in front could serve them.
type Folder struct {
	dir     string
	root    *os.Root
	repairs []string // see Repairs
}

// OpenFolder opens the folder dir as a store's Blobs, creating it and its
// two folders if missing, and closing the originals' folder to other users
// if it was open (see Repairs).
func OpenFolder(dir string) (*Folder, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	if err := root.MkdirAll(originalsDir, 0o700); err != nil {
		root.Close()
		return nil, fmt.Errorf("media: %w", err)
	}
	// Originals keep what the public variants drop (GPS positions, camera
	// serials, unpublished photos): their folder is the owner's alone, so
	// no file in it can be read by others whatever its own mode. A folder
	// made open by hand or by a copy is closed again.
	var repairs []string
	st, err := root.Stat(originalsDir)
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("media: %w", err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		name := filepath.Join(dir, originalsDir)
		if err := root.Chmod(originalsDir, 0o700); err != nil {
			repairs = append(repairs, fmt.Sprintf("%s is open to other users (mode %04o) and its mode cannot be changed (%v): chmod 700 it", name, perm, errors.Unwrap(err)))
		} else {
			repairs = append(repairs, fmt.Sprintf("%s was open to other users (mode %04o); it is now 0700", name, perm))
		}
	}
	if err := root.MkdirAll(publicDir, 0o755); err != nil {
		root.Close()
		return nil, fmt.Errorf("media: %w", err)
	}
	f := &Folder{dir: dir, root: root, repairs: repairs}
	if err := f.syncDir("."); err != nil {
		root.Close()
		return nil, fmt.Errorf("media: %w", err)
	}
	return f, nil
}

// Repairs lists what opening the folder changed on disk to keep the
// originals private, for the caller to log.
func (f *Folder) Repairs() []string { return f.repairs }

// String is the folder's path.
func (f *Folder) String() string { return f.dir }

// Close releases the folder.
func (f *Folder) Close() error { return f.root.Close() }

// modes are the permissions of the folders and files of an object.
func modes(name string) (dirPerm, perm fs.FileMode) {
	if private(name) {
		return 0o700, 0o600
	}
	return 0o755, 0o644
}

// Put writes the file name, unless it exists. It writes to a temporary
// file, syncs it, renames it into place and syncs the folder, and the
// folder's parent when the folder is new, so a crash leaves either the
// whole file or nothing.
func (f *Folder) Put(_ context.Context, name string, data []byte) (err error) {
	if _, err := f.root.Stat(name); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: %w", err)
	}
	dirPerm, perm := modes(name)
	dir := path.Dir(name)
	_, statErr := f.root.Stat(dir)
	newDir := errors.Is(statErr, fs.ErrNotExist)
	if err := f.root.MkdirAll(dir, dirPerm); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	tmp := path.Join(dir, tmpPrefix+rand.Text())
	file, err := f.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	defer func() {
		if err != nil {
			f.root.Remove(tmp)
			err = fmt.Errorf("media: writing %s: %w", name, err)
		}
	}()
	if _, err := file.Write(data); err != nil {
		file.Close()
		return err
	}
	if err := file.Sync(); err != nil {
		file.Close()
		return err
	}
	if err := file.Close(); err != nil {
		return err
	}
	if err := f.root.Rename(tmp, name); err != nil {
		return err
	}
	if err := f.syncDir(dir); err != nil {
		return err
	}
	if newDir {
		return f.syncDir(path.Dir(dir))
	}
	return nil
}

// tmpPrefix starts the names of files being written; List skips them.
const tmpPrefix = ".tmp-"

func (f *Folder) syncDir(name string) error {
	d, err := f.root.Open(name)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Open opens the file name. Anything but a regular file (a folder, a named
// pipe left where a file should be) is reported as missing.
func (f *Folder) Open(_ context.Context, name string) (Blob, error) {
	// O_NONBLOCK: a named pipe in a file's place would otherwise hold the
	// open (and the request, or an export) until a writer came; it is
	// refused below as not a regular file.
	file, err := f.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	if fi, err := file.Stat(); err != nil || !fi.Mode().IsRegular() {
		file.Close()
		return nil, fmt.Errorf("media: %s: %w", name, fs.ErrNotExist)
	}
	return file, nil
}

// Stat describes the file name.
func (f *Folder) Stat(_ context.Context, name string) (BlobInfo, error) {
	fi, err := f.root.Stat(name)
	if err != nil {
		return BlobInfo{}, fmt.Errorf("media: %w", err)
	}
	return BlobInfo{Name: name, Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

// List walks the folders under prefix in the order of names (fs.WalkDir
// reads each folder sorted), skipping files being written.
func (f *Folder) List(ctx context.Context, prefix string, fn func(BlobInfo) error) error {
	// Walk from the deepest folder the prefix names whole.
	start := "."
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		start = prefix[:i]
	}
	err := fs.WalkDir(f.root.FS(), start, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if name == start && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			// A folder that cannot hold a name with the prefix is not
			// entered.
			if name != "." && name != start && !strings.HasPrefix(name+"/", prefix) && !strings.HasPrefix(prefix, name+"/") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasPrefix(name, prefix) || strings.HasPrefix(d.Name(), tmpPrefix) || !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed meanwhile
		} else if err != nil {
			return err
		}
		return fn(BlobInfo{Name: name, Size: fi.Size(), ModTime: fi.ModTime()})
	})
	if err != nil {
		return fmt.Errorf("media: listing %s in %s: %w", prefix, f.dir, err)
	}
	return nil
}

// Delete removes the file name and syncs its folder.
func (f *Folder) Delete(_ context.Context, name string) error {
	if err := f.root.Remove(name); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	if err := f.syncDir(path.Dir(name)); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	return nil
}
