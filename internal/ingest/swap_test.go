package ingest_test

import (
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// swappedFS answers Stat for name with what was there when the importer
// looked (a small regular file), and Open with what is there when it opens
// (a file swapped in meanwhile, described by opened): the race an attacker
// with write access to the folder runs by renaming in a loop.
type swappedFS struct {
	fstest.MapFS
	name   string
	opened fs.FileInfo
	read   func([]byte) (int, error)
}

func (f swappedFS) Stat(name string) (fs.FileInfo, error) {
	if name == f.name {
		return fakeInfo{name: name, mode: 0o644, size: 10}, nil
	}
	return f.MapFS.Stat(name)
}

func (f swappedFS) Open(name string) (fs.File, error) {
	if name == f.name {
		return swappedFile{f}, nil
	}
	return f.MapFS.Open(name)
}

type swappedFile struct{ fs swappedFS }

func (f swappedFile) Stat() (fs.FileInfo, error) { return f.fs.opened, nil }
func (f swappedFile) Read(p []byte) (int, error) { return f.fs.read(p) }
func (f swappedFile) Close() error               { return nil }

type fakeInfo struct {
	name string
	mode fs.FileMode
	size int64
}

func (i fakeInfo) Name() string       { return i.name }
func (i fakeInfo) Size() int64        { return i.size }
func (i fakeInfo) Mode() fs.FileMode  { return i.mode }
func (i fakeInfo) ModTime() time.Time { return time.Time{} }
func (i fakeInfo) IsDir() bool        { return i.mode.IsDir() }
func (i fakeInfo) Sys() any           { return nil }

// TestImportChecksTheOpenedFile: what is read is checked on the open
// handle, not only by name before opening. A photo swapped for a named
// pipe whose writer never writes, between the look and the open, is
// refused without a read (which would wait for ever); one swapped for a
// bigger file, or growing while read, is refused once the limit is
// passed, whatever its size said.
func TestImportChecksTheOpenedFile(t *testing.T) {
	e := sqliteEnv(t)
	md := &fstest.MapFile{Data: []byte("---\ntitle: \"Harbour reopens\"\ndate: 2026-11-20T08:15:00Z\nsection: news/world\nimage:\n  alt: \"Ferries at a quay\"\n  src: photo.jpg\n---\nBody.\n")}
	block := make(chan struct{})
	defer close(block)
	never := func([]byte) (int, error) { <-block; return 0, io.EOF }
	endless := func(p []byte) (int, error) {
		for i := range p {
			p[i] = 0xff
		}
		return len(p), nil
	}
	limit := e.im.Limits.MaxBytes
	if limit == 0 {
		limit = 20 << 20
	}
	tests := []struct {
		name   string
		opened fs.FileInfo
		read   func([]byte) (int, error)
		want   string
	}{
		{"swapped for a named pipe", fakeInfo{name: "photo.jpg", mode: fs.ModeNamedPipe | 0o644}, never, "a.md:7: image.src: photo.jpg is a named pipe (FIFO), not a regular file"},
		{"swapped for a big file", fakeInfo{name: "photo.jpg", mode: 0o644, size: 1 << 40}, endless, "a.md:7: image.src: photo.jpg is 1099511627776 bytes"},
		{"growing while read", fakeInfo{name: "photo.jpg", mode: 0o644, size: 10}, endless, "a.md:7: image.src: photo.jpg cannot be read: more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := swappedFS{fstest.MapFS{"a.md": md}, "photo.jpg", tt.opened, tt.read}
			done := make(chan string, 1)
			go func() {
				r := e.im.Import(ctx, fsys, "a.md")
				if r.Err == nil {
					done <- "imported as " + r.Path
					return
				}
				done <- r.Err.Error()
			}()
			select {
			case got := <-done:
				if !strings.HasPrefix(got, tt.want) {
					t.Errorf("got %q, want %q", got, tt.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("still reading after 10 s: the opened file was not checked")
			}
		})
	}
	if counts, _ := e.st.CountArticles(ctx); len(counts) != 0 {
		t.Errorf("articles after refusals: %v", counts)
	}
}
