package ingest

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"
	"unicode/utf8"
)

// Folder is the imported folder: the one place an import from the file
// system reads. Every file is opened through an os.Root, so neither ".."
// nor a symbolic link leads out of it; links that stay inside are followed,
// since what they point at could have been imported anyway. Files are
// opened without waiting (O_NONBLOCK) and only regular files and folders
// are handed out, so a named pipe, a device or a socket is refused at once
// instead of holding the import up.
type Folder struct {
	root *os.Root
	fsys fs.FS // root.FS(), for Stat and ReadDir
}

// OpenFolder opens dir for importing from. Close it when done.
func OpenFolder(dir string) (*Folder, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &Folder{root: root, fsys: root.FS()}, nil
}

// Close releases the folder.
func (f *Folder) Close() error { return f.root.Close() }

// Open opens a regular file or a folder inside f. The type is checked
// before opening, where a FIFO would block, and again on the open file, in
// case the name was swapped meanwhile.
func (f *Folder) Open(name string) (fs.File, error) {
	st, err := f.Stat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() && !st.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: &notRegularError{st.Mode()}}
	}
	file, err := f.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, f.pathError("open", name, err)
	}
	if st, err = file.Stat(); err != nil {
		file.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() && !st.IsDir() {
		file.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: &notRegularError{st.Mode()}}
	}
	return file, nil
}

// Stat describes a file inside f, following links that stay inside.
func (f *Folder) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		// fs.FS names are UTF-8; the walk gives the system's bytes.
		if !utf8.ValidString(name) {
			return nil, &fs.PathError{Op: "stat", Path: name, Err: errNotUTF8}
		}
		return nil, &fs.PathError{Op: "stat", Path: name, Err: errOutside}
	}
	st, err := fs.Stat(f.fsys, name)
	if err != nil {
		return nil, f.pathError("stat", name, err)
	}
	return st, nil
}

// ReadDir lists a folder inside f, in name order. It opens the folder as
// Open does, so a name swapped for a pipe meanwhile does not block.
func (f *Folder) ReadDir(name string) ([]fs.DirEntry, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	dir, ok := file.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a folder")}
	}
	list, err := dir.ReadDir(-1)
	slices.SortFunc(list, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return list, err
}

// errOutside is a path that leads out of the imported folder.
var errOutside = errors.New("leads outside the imported folder")

// errNotUTF8 is a file name that is not UTF-8 text, which no fs.FS opens.
var errNotUTF8 = errors.New("has a name that is not UTF-8 text")

// pathError names the escapes os.Root refuses as errOutside. os.Root has
// no exported error for them, so its message is matched; should it change,
// the file is still refused, with the system's words.
func (f *Folder) pathError(op, name string, err error) error {
	if strings.Contains(err.Error(), "path escapes from parent") {
		return &fs.PathError{Op: op, Path: name, Err: errOutside}
	}
	return err
}

// notRegularError is a file that is neither a regular file nor a folder.
type notRegularError struct{ mode fs.FileMode }

func (e *notRegularError) Error() string { return "is " + kindOf(e.mode) + ", not a regular file" }

// kindOf names a file type for messages.
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsRegular():
		return "a regular file"
	}
	return "a special file"
}
