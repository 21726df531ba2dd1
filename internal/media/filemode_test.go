//go:build unix

package media

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOriginalsArePrivate: with the usual umask and a media folder other
// users may read, originals (which keep GPS positions and unpublished
// photos) sit in a folder and files of the owner's alone; variants are
// public.
func TestOriginalsArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	s, dir := openStore(t)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	m, err := s.Put("photo.jpg", encodeJPEG(t, gradient(400, 300)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(dir, originalsDir)); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("originals folder: %v %v, want mode 0700", st.Mode(), err)
	}
	originals := files(t, dir, originalsDir)
	if len(originals) != 1 {
		t.Fatalf("originals: %q, want one", originals)
	}
	for _, name := range originals {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want mode 0600", name, st.Mode(), err)
		}
	}
	if len(Variants(m)) == 0 {
		t.Fatal("no variants")
	}
	for _, name := range files(t, dir, publicDir) {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Mode().Perm() != 0o644 {
			t.Errorf("%s: %v %v, want mode 0644 (public)", name, st.Mode(), err)
		}
	}
}

// TestOriginalsFolderRepairedAtOpen: an originals folder left open to other
// users (by a copy, or by hand) is closed when the store opens, and the
// change is reported for the log.
func TestOriginalsFolderRepairedAtOpen(t *testing.T) {
	s, dir := openStore(t)
	s.Close()
	if err := os.Chmod(filepath.Join(dir, originalsDir), 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, err := os.Stat(filepath.Join(dir, originalsDir)); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("originals folder after opening: %v %v, want mode 0700", st.Mode(), err)
	}
	if r := strings.Join(s.Repairs(), "\n"); !strings.Contains(r, "originals was open to other users (mode 0755)") {
		t.Errorf("repairs: %q", r)
	}
}
