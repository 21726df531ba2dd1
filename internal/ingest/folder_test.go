//go:build unix

package ingest_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// story is a Markdown file whose photo is src (front-matter line 7).
func story(src string) string {
	return "---\ntitle: \"Harbour reopens\"\ndate: 2026-11-20T08:15:00Z\nsection: news/world\nimage:\n  alt: \"Ferries at a quay\"\n  src: " + src + "\n---\nBody.\n"
}

func write(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// within runs fn, failing the test if it has not returned after d: a
// refusal that blocks must fail, not hang the suite. release, if set,
// unblocks fn after a failure (opens a FIFO's other end).
func within(t *testing.T, d time.Duration, release func(), fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(d):
		if release != nil {
			release()
		}
		t.Fatalf("still running after %s: the import blocked", d)
	}
}

// unblockFIFO opens a FIFO for writing and closes it, which lets a reader
// blocked opening it go on (to an empty read).
func unblockFIFO(name string) func() {
	return func() {
		if f, err := os.OpenFile(name, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	}
}

// TestImportReadsOnlyRegularFilesInsideTheFolder: a photo outside the
// imported folder, by "..", by a link, or a link to a device, is refused;
// so is one that is a named pipe, a folder, a device or a socket, at once,
// with the file, the front-matter line and why. Nothing is written.
func TestImportReadsOnlyRegularFilesInsideTheFolder(t *testing.T) {
	jpg := jpegBytes(t, 64, 36)
	tests := []struct {
		name  string
		src   string
		setup func(t *testing.T, base, in string) // in is the imported folder, base its parent
		want  string
	}{
		{"outside by ..", "../../private/photo.jpg", func(t *testing.T, base, in string) {
			write(t, filepath.Join(base, "private/photo.jpg"), jpg)
		}, "image.src: \"../../private/photo.jpg\" points outside the imported folder"},
		{"link out, absolute", "photo.jpg", func(t *testing.T, base, in string) {
			write(t, filepath.Join(base, "private/photo.jpg"), jpg)
			symlink(t, filepath.Join(base, "private/photo.jpg"), filepath.Join(in, "posts/photo.jpg"))
		}, "image.src: posts/photo.jpg leads outside the imported folder"},
		{"link out, relative", "photo.jpg", func(t *testing.T, base, in string) {
			write(t, filepath.Join(base, "private/photo.jpg"), jpg)
			symlink(t, "../../private/photo.jpg", filepath.Join(in, "posts/photo.jpg"))
		}, "image.src: posts/photo.jpg leads outside the imported folder"},
		{"folder link out", "shared/photo.jpg", func(t *testing.T, base, in string) {
			write(t, filepath.Join(base, "private/photo.jpg"), jpg)
			symlink(t, filepath.Join(base, "private"), filepath.Join(in, "posts/shared"))
		}, "image.src: posts/shared/photo.jpg leads outside the imported folder"},
		{"link to /dev/zero", "photo.jpg", func(t *testing.T, base, in string) {
			symlink(t, "/dev/zero", filepath.Join(in, "posts/photo.jpg"))
		}, "image.src: posts/photo.jpg leads outside the imported folder"},
		{"named pipe", "photo.jpg", func(t *testing.T, base, in string) {
			mkfifo(t, filepath.Join(in, "posts/photo.jpg"))
		}, "image.src: posts/photo.jpg is a named pipe (FIFO), not a regular file"},
		{"link to a named pipe inside", "photo.jpg", func(t *testing.T, base, in string) {
			mkfifo(t, filepath.Join(in, "pipe"))
			symlink(t, "../pipe", filepath.Join(in, "posts/photo.jpg"))
		}, "image.src: posts/photo.jpg is a named pipe (FIFO), not a regular file"},
		{"folder", "photo.jpg", func(t *testing.T, base, in string) {
			if err := os.MkdirAll(filepath.Join(in, "posts/photo.jpg"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, "image.src: posts/photo.jpg is a folder, not a regular file"},
		{"device", "photo.jpg", func(t *testing.T, base, in string) {
			// The same device as /dev/zero, made inside the folder.
			if err := syscall.Mknod(filepath.Join(in, "posts/photo.jpg"), syscall.S_IFCHR|0o644, 1<<8|5); err != nil {
				t.Skipf("cannot make a device node here: %v", err)
			}
		}, "image.src: posts/photo.jpg is a character device, not a regular file"},
		{"socket", "s.jpg", func(t *testing.T, base, in string) {
			ln, err := net.Listen("unix", filepath.Join(in, "posts/s.jpg"))
			if err != nil {
				t.Skipf("cannot make a socket here: %v", err)
			}
			t.Cleanup(func() { ln.Close() })
		}, "image.src: posts/s.jpg is a socket, not a regular file"},
	}
	e := sqliteEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			in := filepath.Join(base, "in")
			write(t, filepath.Join(in, "posts/a.md"), []byte(story(tt.src)))
			tt.setup(t, base, in)
			folder, err := ingest.OpenFolder(in)
			if err != nil {
				t.Fatal(err)
			}
			defer folder.Close()
			var r ingest.Result
			within(t, 10*time.Second, unblockFIFO(filepath.Join(in, "posts/photo.jpg")), func() {
				r = e.im.Import(context.Background(), folder, "posts/a.md")
			})
			if r.Err == nil {
				t.Fatalf("imported as %s; want an error containing %q", r.Path, tt.want)
			}
			if msg := r.Err.Error(); !strings.HasPrefix(msg, "posts/a.md:7: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("got %q\nwant posts/a.md:7: and %q", msg, tt.want)
			}
		})
	}
	counts, _ := e.st.CountArticles(context.Background())
	if len(counts) != 0 {
		t.Errorf("after refused imports: %v articles; want none", counts)
	}
}

// TestImportFollowsLinksInsideTheFolder: a link that stays inside the
// imported folder is followed; what it leads to could be imported anyway.
func TestImportFollowsLinksInsideTheFolder(t *testing.T) {
	e := sqliteEnv(t)
	in := t.TempDir()
	write(t, filepath.Join(in, "images/photo.jpg"), jpegBytes(t, 64, 36))
	write(t, filepath.Join(in, "posts/a.md"), []byte(story("photo.jpg")))
	symlink(t, "../images/photo.jpg", filepath.Join(in, "posts/photo.jpg"))
	folder, err := ingest.OpenFolder(in)
	if err != nil {
		t.Fatal(err)
	}
	defer folder.Close()
	if r := e.im.Import(context.Background(), folder, "posts/a.md"); r.Err != nil {
		t.Fatal(r.Err)
	}
}

// TestImportTreeRefusesSpecialMarkdownFiles: in a folder, a .md name that
// is a named pipe or a link out is refused at once, and the other files
// are imported.
func TestImportTreeRefusesSpecialMarkdownFiles(t *testing.T) {
	e := sqliteEnv(t)
	base := t.TempDir()
	in := filepath.Join(base, "in")
	good := "---\ntitle: Good\ndate: 2026-11-20T08:15:00Z\nsection: news\n---\nBody.\n"
	write(t, filepath.Join(in, "a-good.md"), []byte(good))
	write(t, filepath.Join(base, "secret.md"), []byte(strings.Replace(good, "Good", "Secret", 1)))
	mkfifo(t, filepath.Join(in, "b-pipe.md"))
	symlink(t, filepath.Join(base, "secret.md"), filepath.Join(in, "c-link.md"))
	folder, err := ingest.OpenFolder(in)
	if err != nil {
		t.Fatal(err)
	}
	defer folder.Close()
	var results []ingest.Result
	within(t, 10*time.Second, unblockFIFO(filepath.Join(in, "b-pipe.md")), func() {
		results, err = e.im.ImportTree(context.Background(), folder, ".")
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 {
		t.Fatalf("got %d results, want 3: %+v", len(results), results)
	}
	want := []string{"", "b-pipe.md: file: b-pipe.md is a named pipe (FIFO), not a regular file", "c-link.md: file: c-link.md leads outside the imported folder"}
	for i, r := range results {
		switch {
		case want[i] == "" && r.Err != nil:
			t.Errorf("%s: %v", r.File, r.Err)
		case want[i] != "" && (r.Err == nil || !strings.HasPrefix(r.Err.Error(), want[i])):
			t.Errorf("%s: got %v, want %q", r.File, r.Err, want[i])
		}
	}
	if _, err := e.st.ArticleByPath(context.Background(), store.Full, "news", "secret"); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("the story outside the folder was imported: %v", err)
	}
}

// TestImportStopsWhenCancelled: once the import's context ends (ctrl-C,
// SIGTERM), the next file is not imported and nothing is written.
func TestImportStopsWhenCancelled(t *testing.T) {
	e := sqliteEnv(t)
	in := t.TempDir()
	write(t, filepath.Join(in, "a.md"), []byte("---\ntitle: One\ndate: 2026-11-20T08:15:00Z\nsection: news\n---\nBody.\n"))
	folder, err := ingest.OpenFolder(in)
	if err != nil {
		t.Fatal(err)
	}
	defer folder.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r := e.im.Import(ctx, folder, "a.md"); r.Err == nil || !strings.Contains(r.Err.Error(), "stopped") {
		t.Errorf("import after cancel: %+v, want an error saying it stopped", r)
	}
	if _, err := e.im.ImportTree(ctx, folder, "."); !errors.Is(err, context.Canceled) {
		t.Errorf("tree after cancel: %v", err)
	}
	counts, _ := e.st.CountArticles(context.Background())
	if len(counts) != 0 {
		t.Errorf("articles after a cancelled import: %v", counts)
	}
}

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

func mkfifo(t *testing.T, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Skipf("cannot make a named pipe here: %v", err)
	}
}
