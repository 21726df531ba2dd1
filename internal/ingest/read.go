package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/newsdesk/newsdesk/internal/news"
)

// readLimited reads a regular file, refusing one larger than max bytes
// before reading it, and anything that is not a regular file (a folder, a
// named pipe, a device, a socket) before opening it where fsys can tell,
// since opening a named pipe waits for a writer; the open file is checked
// again. A Folder is the file system that guarantees the open cannot
// block; this check covers any other.
func readLimited(ctx context.Context, fsys fs.FS, name string, max int64) ([]byte, error) {
	if sfs, ok := fsys.(fs.StatFS); ok {
		st, err := sfs.Stat(name)
		if err != nil {
			return nil, openError(name, err)
		}
		if err := checkFile(name, st, max); err != nil {
			return nil, err
		}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, openError(name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, news.Invalid("file", "%s cannot be read", name)
	}
	if err := checkFile(name, st, max); err != nil {
		return nil, err
	}
	buf := make([]byte, 0, st.Size())
	buf, err = readAll(ctx, f, buf, max)
	if ctx.Err() != nil {
		return nil, stopped(ctx.Err())
	}
	if err != nil {
		return nil, news.Invalid("file", "%s cannot be read: %v", name, err)
	}
	return buf, nil
}

// checkFile refuses what is not a regular file of at most max bytes.
func checkFile(name string, st fs.FileInfo, max int64) error {
	if !st.Mode().IsRegular() {
		return news.Invalid("file", "%s is %s, not a regular file: only regular files are imported", name, kindOf(st.Mode()))
	}
	if st.Size() > max {
		return news.Invalid("file", "%s is %d bytes; the limit is %d", name, st.Size(), max)
	}
	return nil
}

// openError says why a file could not be opened or described.
func openError(name string, err error) error {
	var nr *notRegularError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return news.Invalid("file", "%s does not exist", name)
	case errors.Is(err, errNotUTF8):
		return news.Invalid("file", "%s %s: rename it", name, errNotUTF8)
	case errors.Is(err, errOutside):
		return news.Invalid("file", "%s leads outside the imported folder (through a symbolic link): only files inside it are imported", name)
	case errors.As(err, &nr):
		return news.Invalid("file", "%s %s: only regular files are imported", name, nr)
	}
	if u := errors.Unwrap(err); u != nil {
		err = u
	}
	return news.Invalid("file", "%s cannot be read: %v", name, err)
}

// readAll reads r into buf, failing once more than max bytes arrive (a file
// that grew after it was measured), and stopping when ctx ends.
func readAll(ctx context.Context, r io.Reader, buf []byte, max int64) ([]byte, error) {
	lr := io.LimitReader(r, max+1)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > max {
			return nil, fmt.Errorf("more than %d bytes", max)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
