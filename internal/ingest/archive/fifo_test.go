package archive

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestMediaSourceDoesNotWaitOnAFIFO: the --uploads folder is a copy of a
// stranger's upload folder; a named pipe in it, under an image's name,
// must be refused at once, not leave the import waiting for a writer.
func TestMediaSourceDoesNotWaitOnAFIFO(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "2019", "pipe.jpg")
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	m := &MediaSource{Dir: dir}
	done := make(chan error, 1)
	go func() {
		_, _, err := m.Get(context.Background(), "https://example.com/wp-content/uploads/2019/pipe.jpg")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Get(a FIFO) read it, want it refused")
		}
	case <-time.After(10 * time.Second):
		// Let the stuck open go: a writer makes it return.
		if w, err := os.OpenFile(name, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		t.Fatal("Get(a FIFO in --uploads) was still waiting after 10 s")
	}
}
