//go:build unix

package main

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// importRun runs "newsdesk import args..." on the SQLite file in data and
// returns its stdout and stderr. It fails the test, rather than hanging,
// when the import has not ended after 20 s; release, if set, is called
// then to unblock it (a FIFO's other end).
func importRun(t *testing.T, data string, release func(), args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), append([]string{"import", "--data", data}, args...), env(nil), nil, &out, &errOut)
	}()
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		if release != nil {
			release()
		}
		t.Fatalf("import %q still running after 20 s: it blocked", args)
	}
	return out.String(), errOut.String(), err
}

// releaseFIFO opens a named pipe for writing and closes it: a reader
// blocked opening it then goes on.
func releaseFIFO(name string) func() {
	return func() {
		if f, err := os.OpenFile(name, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	}
}

func smallJPEG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 64, 36)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// storyWithPhoto is a story whose photo is src, on line 7.
func storyWithPhoto(title, src string) []byte {
	return []byte("---\ntitle: " + title + "\ndate: 2026-11-20T08:00:00Z\nsection: news\nimage:\n  alt: A grey square\n  src: " + src + "\n---\nBody.\n")
}

// articleCount is how many articles the SQLite file in data holds.
func articleCount(t *testing.T, data string) int {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(data, "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	counts, err := st.CountArticles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// TestImportCommandReadsOnlyTheFolder: the command reads nothing outside
// the folder it is given (a file's own folder when given a file): not by
// "..", not through a link; and nothing that is not a regular file, at
// once and without blocking (issue 14, finding 8). Each refusal names the
// file as typed, the front-matter line and why, and nothing is stored.
func TestImportCommandReadsOnlyTheFolder(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, base, in string) (arg string, release func())
		want  string
	}{
		{"photo outside by ..", func(t *testing.T, base, in string) (string, func()) {
			writeFile(t, filepath.Join(base, "private/photo.jpg"), smallJPEG(t))
			writeFile(t, filepath.Join(in, "posts/a.md"), storyWithPhoto("Outside", "../../private/photo.jpg"))
			return in, nil
		}, "posts/a.md:7: image.src: \"../../private/photo.jpg\" points outside the imported folder"},
		{"photo beside a single file's folder", func(t *testing.T, base, in string) (string, func()) {
			// Given a file, the imported folder is the file's own.
			writeFile(t, filepath.Join(in, "images/photo.jpg"), smallJPEG(t))
			writeFile(t, filepath.Join(in, "posts/a.md"), storyWithPhoto("Beside", "../images/photo.jpg"))
			return filepath.Join(in, "posts/a.md"), nil
		}, "a.md:7: image.src: \"../images/photo.jpg\" points outside the imported folder"},
		{"photo linked from outside", func(t *testing.T, base, in string) (string, func()) {
			writeFile(t, filepath.Join(base, "private/photo.jpg"), smallJPEG(t))
			writeFile(t, filepath.Join(in, "a.md"), storyWithPhoto("Linked", "photo.jpg"))
			if err := os.Symlink(filepath.Join(base, "private/photo.jpg"), filepath.Join(in, "photo.jpg")); err != nil {
				t.Fatal(err)
			}
			return in, nil
		}, "a.md:7: image.src: photo.jpg leads outside the imported folder"},
		{"photo is a named pipe", func(t *testing.T, base, in string) (string, func()) {
			writeFile(t, filepath.Join(in, "a.md"), storyWithPhoto("Piped", "photo.jpg"))
			fifo(t, filepath.Join(in, "photo.jpg"))
			return in, releaseFIFO(filepath.Join(in, "photo.jpg"))
		}, "a.md:7: image.src: photo.jpg is a named pipe (FIFO), not a regular file"},
		{"story is a named pipe", func(t *testing.T, base, in string) (string, func()) {
			fifo(t, filepath.Join(in, "a.md"))
			return filepath.Join(in, "a.md"), releaseFIFO(filepath.Join(in, "a.md"))
		}, "a.md: file: a.md is a named pipe (FIFO), not a regular file"},
		{"photo is a device", func(t *testing.T, base, in string) (string, func()) {
			writeFile(t, filepath.Join(in, "a.md"), storyWithPhoto("Device", "photo.jpg"))
			if err := syscall.Mknod(filepath.Join(in, "photo.jpg"), syscall.S_IFCHR|0o644, 1<<8|5); err != nil {
				t.Skipf("cannot make a device node here: %v", err)
			}
			return in, nil
		}, "a.md:7: image.src: photo.jpg is a character device, not a regular file"},
		{"photo links to /dev/zero", func(t *testing.T, base, in string) (string, func()) {
			writeFile(t, filepath.Join(in, "a.md"), storyWithPhoto("Zero", "photo.jpg"))
			if err := os.Symlink("/dev/zero", filepath.Join(in, "photo.jpg")); err != nil {
				t.Fatal(err)
			}
			return in, nil
		}, "a.md:7: image.src: photo.jpg leads outside the imported folder"},
		{"photo is a folder", func(t *testing.T, base, in string) (string, func()) {
			writeFile(t, filepath.Join(in, "a.md"), storyWithPhoto("Folder", "photo.jpg"))
			if err := os.MkdirAll(filepath.Join(in, "photo.jpg"), 0o755); err != nil {
				t.Fatal(err)
			}
			return in, nil
		}, "a.md:7: image.src: photo.jpg is a folder, not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			in := filepath.Join(base, "in")
			if err := os.MkdirAll(in, 0o755); err != nil {
				t.Fatal(err)
			}
			arg, release := tt.setup(t, base, in)
			data := filepath.Join(base, "data")
			out, _, err := importRun(t, data, release, arg)
			if err == nil || exitCode(err) != 1 {
				t.Errorf("exit: %v, want status 1", err)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("said %q\nwant %q", out, tt.want)
			}
			if !strings.HasPrefix(out, arg) {
				t.Errorf("said %q; want the file named as typed, from %s", out, arg)
			}
			if n := articleCount(t, data); n != 0 {
				t.Errorf("%d articles stored; want none", n)
			}
		})
	}
}

func fifo(t *testing.T, name string) {
	t.Helper()
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Skipf("cannot make a named pipe here: %v", err)
	}
}

// TestImportCommandFollowsLinksInside: a photo that is a link to a file
// elsewhere in the imported folder is imported; so is a file named on the
// command line through a link, from the real file's folder.
func TestImportCommandFollowsLinksInside(t *testing.T) {
	base := t.TempDir()
	in := filepath.Join(base, "in")
	writeFile(t, filepath.Join(in, "images/photo.jpg"), smallJPEG(t))
	writeFile(t, filepath.Join(in, "posts/a.md"), storyWithPhoto("Linked inside", "photo.jpg"))
	if err := os.Symlink("../images/photo.jpg", filepath.Join(in, "posts/photo.jpg")); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(base, "data")
	if out, errOut, err := importRun(t, data, nil, in); err != nil || strings.TrimSpace(out) != "/news/linked-inside" {
		t.Errorf("import %s: %v: %q %q", in, err, out, errOut)
	}
	// A story given through a link: its folder is the real file's.
	writeFile(t, filepath.Join(base, "elsewhere/b.md"), storyWithPhoto("Through a link", "own.jpg"))
	writeFile(t, filepath.Join(base, "elsewhere/own.jpg"), smallJPEG(t))
	if err := os.Symlink(filepath.Join(base, "elsewhere/b.md"), filepath.Join(in, "link.md")); err != nil {
		t.Fatal(err)
	}
	arg := filepath.Join(in, "link.md")
	if out, errOut, err := importRun(t, data, nil, arg); err != nil || strings.TrimSpace(out) != "/news/through-a-link" {
		t.Errorf("import %s: %v: %q %q", arg, err, out, errOut)
	}
}

// TestImportCommandSchedulesFutureStories: a story dated ahead is
// scheduled, and the line says for when (issue 14, finding 12).
func TestImportCommandSchedulesFutureStories(t *testing.T) {
	dir := t.TempDir()
	date := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Second)
	writeFile(t, filepath.Join(dir, "in/later.md"), []byte("---\ntitle: Later\ndate: "+date.Format(time.RFC3339)+"\nsection: news\n---\nBody.\n"))
	writeFile(t, filepath.Join(dir, "in/now.md"), []byte("---\ntitle: Now\ndate: 2026-11-20T08:00:00Z\nsection: news\n---\nBody.\n"))
	out, errOut, err := importRun(t, filepath.Join(dir, "data"), nil, filepath.Join(dir, "in"))
	if err != nil {
		t.Fatalf("%v: %s %s", err, out, errOut)
	}
	want := "/news/later (scheduled for " + date.Format(time.RFC3339) + ")\n/news/now\n"
	if out != want {
		t.Errorf("said %q\nwant %q", out, want)
	}
}

// TestDataFolderModes: a data folder other users may read is warned
// about, by every command that opens it; the database in it is the
// owner's alone even so, and one an older version left 0644 is made
// private, and logged (issue 14, finding 10).
func TestDataFolderModes(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in/a.md"), []byte("---\ntitle: A\ndate: 2026-11-20T08:00:00Z\nsection: news\n---\nBody.\n"))

	// A folder made by the command itself is private: no warning.
	data := filepath.Join(dir, "new")
	if _, errOut, err := importRun(t, data, nil, filepath.Join(dir, "in")); err != nil || strings.Contains(errOut, "open to other users") {
		t.Errorf("a new data folder: %v, warned %q", err, errOut)
	}
	if st, err := os.Stat(data); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("a new data folder: %v %v, want mode 0700", st.Mode(), err)
	}

	// One made beforehand with 0755: warned about, the database 0600.
	data = filepath.Join(dir, "open")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := importRun(t, data, nil, filepath.Join(dir, "in"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "level=WARN msg=\"the data folder is open to other users") || !strings.Contains(errOut, "mode=0755") {
		t.Errorf("stderr %q: want a warning naming the folder's mode", errOut)
	}
	for _, name := range []string{"newsdesk.db", "media/originals"} {
		st, err := os.Stat(filepath.Join(data, name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %04o, open to other users", name, st.Mode().Perm())
		}
	}

	// A database left 0644 by an older version: made 0600, and said.
	if err := os.Chmod(filepath.Join(data, "newsdesk.db"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err = importRun(t, data, nil, filepath.Join(dir, "in"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "made private: ") || !strings.Contains(errOut, "newsdesk.db was open to other users (mode 0644)") {
		t.Errorf("stderr %q: want the repair logged", errOut)
	}
	if st, _ := os.Stat(filepath.Join(data, "newsdesk.db")); st.Mode().Perm() != 0o600 {
		t.Errorf("newsdesk.db: mode %04o after the repair", st.Mode().Perm())
	}
}

// TestServeWarnsOfAnOpenDataFolder: serve logs the warning in its own log.
func TestServeWarnsOfAnOpenDataFolder(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(data, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(data, 0o750); err != nil {
		t.Fatal(err)
	}
	_, logs := startServeLogged(t, []string{"--log-json"}, map[string]string{"NEWSDESK_DATA": data})
	if l := logs.String(); !strings.Contains(l, `"level":"WARN","msg":"the data folder is open to other users`) || !strings.Contains(l, `"mode":"0750"`) {
		t.Errorf("log: %s", l)
	}
}
