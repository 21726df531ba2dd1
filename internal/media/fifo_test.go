//go:build unix

package media

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// TestOpenDoesNotWaitOnAFIFO: a named pipe where a variant should be (a
// damaged or tampered media folder) is refused at once as not found. A
// plain open waited for a writer for ever, hanging the /media/ request and
// `newsdesk export`, whose context could not stop it.
func TestOpenDoesNotWaitOnAFIFO(t *testing.T) {
	s, dir := openStore(t)
	m, err := s.Put("a.png", encodePNG(t, gradient(400, 200)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	key := Variants(m)[0].Key
	name := filepath.Join(dir, "public", filepath.FromSlash(key))
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		f, err := s.Open(key)
		if err == nil {
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("Open(a FIFO) = %v, want ENOTFOUND", err)
		}
	case <-time.After(10 * time.Second):
		// Let the stuck open go: a writer makes it return.
		if w, err := os.OpenFile(name, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		t.Fatal("Open(a FIFO) was still waiting after 10 s")
	}
}
