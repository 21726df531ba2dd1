//go:build unix

package backup

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostileCopy copies the backup in good into a new folder and lets change
// damage it.
func hostileCopy(t *testing.T, good string, change func(dir string)) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(good)); err != nil {
		t.Fatal(err)
	}
	change(dir)
	return dir
}

// TestRestoreRefusesWhatIsNotAFile: a backup folder from elsewhere (a
// copied disk, an unpacked archive) may hold anything under the names its
// manifest gives: links out of the folder, a named pipe. Restore refuses
// each, naming it, changes nothing, and never waits on a pipe (opening
// one for reading waits for a writer, and no signal ends that wait).
func TestRestoreRefusesWhatIsNotAFile(t *testing.T) {
	s := newSite(t, "")
	s.section(t, "news")
	orig := s.photo(t, "the photo")
	good := t.TempDir()
	if _, err := s.backup(t, good); err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	fifo := func(dir, name string) {
		p := filepath.Join(dir, name)
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	linkOut := func(dir, name string) {
		p := filepath.Join(dir, name)
		if err := os.Rename(p, filepath.Join(outside, filepath.Base(name))); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(outside, filepath.Base(name)), p); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name   string
		change func(dir string)
		errHas string
	}{
		{"a pipe for a manifest", func(dir string) { fifo(dir, ManifestName) }, "is not a file"},
		{"a pipe for a photo", func(dir string) { fifo(dir, mediaPrefix+orig) }, "is not a file"},
		{"a manifest linked from outside", func(dir string) { linkOut(dir, ManifestName) }, "escapes"},
		{"a media folder linked from outside", func(dir string) { linkOut(dir, "media") }, "escapes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := hostileCopy(t, good, tt.change)
			data := filepath.Join(t.TempDir(), "site")
			done := make(chan error, 1)
			go func() {
				_, err := restore(t, src, data, "")
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				// Stuck opening a pipe: give it a writer, so that the
				// test ends.
				for _, name := range []string{ManifestName, mediaPrefix + orig} {
					if f, err := os.OpenFile(filepath.Join(src, name), os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
						f.Close()
					}
				}
				t.Fatalf("restore still waits after a minute: it opened a pipe (%v)", <-done)
			}
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("restore: %v, want an error containing %q", err, tt.errHas)
			}
			if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the refused restore left %s: %v", data, err)
			}
		})
	}
	// What the links pointed at was not touched.
	if n := len(files(t, outside)); n == 0 {
		t.Error("the files outside are gone")
	}
}

// TestRestoreRefusesNamesDifferingInCase: on a file system that ignores
// case (macOS's, a USB disk's), two names differing only in case are one
// file, and the second object written would take the first one's place
// after both were checked. No backup makes such names (a photo's name is
// its SHA-256 in lower case), so a manifest that lists them is refused.
func TestRestoreRefusesNamesDifferingInCase(t *testing.T) {
	s := newSite(t, "")
	orig := s.photo(t, "the photo")
	good := t.TempDir()
	if _, err := s.backup(t, good); err != nil {
		t.Fatal(err)
	}
	src := hostileCopy(t, good, func(dir string) {
		m, err := ReadManifest(context.Background(), openDir(t, dir, ""))
		if err != nil {
			t.Fatal(err)
		}
		// originals/AB/abcd….jpg beside originals/ab/abcd….jpg
		rest := strings.TrimPrefix(orig, "originals/")
		upper := mediaPrefix + "originals/" + strings.ToUpper(rest[:2]) + rest[2:]
		data, err := os.ReadFile(filepath.Join(dir, mediaPrefix+orig))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, upper), data)
		for _, o := range m.Objects {
			if o.Name == mediaPrefix+orig {
				o.Name = upper
				m.Objects = append(m.Objects, o)
				break
			}
		}
		if err := writeManifest(context.Background(), openDir(t, dir, ""), m); err != nil {
			t.Fatal(err)
		}
	})
	_, err := restore(t, src, filepath.Join(t.TempDir(), "site"), "")
	if err == nil || !strings.Contains(err.Error(), "differ only in case") {
		t.Fatalf("restore: %v, want a refusal of two names that differ only in case", err)
	}
}

// TestRestoreRefusesAHugeManifest: a manifest past the size ReadManifest
// reads is refused as such, not read in part and then reported as JSON
// cut short.
func TestRestoreRefusesAHugeManifest(t *testing.T) {
	s := newSite(t, "")
	good := t.TempDir()
	if _, err := s.backup(t, good); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(good, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	defer func(old int64) { maxManifest = old }(maxManifest)
	maxManifest = int64(len(data)) - 1
	_, err = restore(t, good, filepath.Join(t.TempDir(), "site"), "")
	if err == nil || !strings.Contains(err.Error(), "is larger than") {
		t.Fatalf("restore: %v, want a refusal of a manifest too large", err)
	}
}
