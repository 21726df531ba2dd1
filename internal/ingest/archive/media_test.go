package archive

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/netx"
)

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMediaSourceDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "2019/05/photo.jpg"), []byte("original"))
	writeFile(t, filepath.Join(dir, "2019/05/sized-300x200.jpg"), []byte("sized"))
	writeFile(t, filepath.Join(dir, "2019/05/sized.jpg"), []byte("sized original"))
	writeFile(t, filepath.Join(dir, "2021/06/ghost.png"), []byte("ghost"))
	writeFile(t, filepath.Join(dir, "other/file.gif"), []byte("other"))
	m := &MediaSource{Dir: dir}
	for _, tt := range []struct{ url, want, name string }{
		{"https://example.com/wp-content/uploads/2019/05/photo.jpg", "original", "photo.jpg"},
		// A resized copy that is missing: its original.
		{"https://example.com/wp-content/uploads/2019/05/photo-1024x683.jpg", "original", "photo.jpg"},
		// A resized copy that is there: itself.
		{"https://example.com/wp-content/uploads/2019/05/sized-300x200.jpg", "sized", "sized-300x200.jpg"},
		{"/wp-content/uploads/2019/05/photo.jpg", "original", "photo.jpg"},
		{"https://blog.example.com/content/images/2021/06/ghost.png", "ghost", "ghost.png"},
		{"https://blog.example.com/content/images/size/w600/2021/06/ghost.png", "ghost", "ghost.png"},
		{"https://blog.example.com/content/images/size/w600/format/webp/2021/06/ghost.png", "ghost", "ghost.png"},
		{"https://cdn.example.net/other/file.gif", "other", "file.gif"},
	} {
		data, name, err := m.Get(context.Background(), tt.url)
		if err != nil || string(data) != tt.want || name != tt.name {
			t.Errorf("Get(%s) = %q, %q, %v; want %q, %q", tt.url, data, name, err, tt.want, tt.name)
		}
	}

	_, _, err := m.Get(context.Background(), "https://example.com/wp-content/uploads/2020/01/gone.jpg")
	want := "not in --uploads (looked for " + filepath.Join(dir, "2020/01/gone.jpg") + "); use --fetch-media to download it"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a missing file: err = %v, want it to say %q", err, want)
	}
}

func TestMediaSourceDirStaysInside(t *testing.T) {
	top := t.TempDir()
	dir := filepath.Join(top, "uploads")
	writeFile(t, filepath.Join(top, "secret.jpg"), []byte("secret"))
	writeFile(t, filepath.Join(dir, "2019/ok.jpg"), []byte("ok"))
	if err := os.Symlink(filepath.Join(top, "secret.jpg"), filepath.Join(dir, "2019/link.jpg")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink(top, filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "2019/dir.jpg"), 0o755); err != nil {
		t.Fatal(err)
	}
	m := &MediaSource{Dir: dir, Fetch: true}
	for _, u := range []string{
		"https://example.com/wp-content/uploads/../secret.jpg",
		"https://example.com/wp-content/uploads/2019/../../secret.jpg",
		"https://example.com/wp-content/uploads/%2e%2e/secret.jpg",
		"https://example.com/wp-content/uploads/2019/link.jpg",
		"https://example.com/wp-content/uploads/out/secret.jpg",
		"https://example.com/wp-content/uploads/2019/dir.jpg",
	} {
		data, _, err := m.Get(context.Background(), u)
		if err == nil {
			t.Errorf("Get(%s) = %q, want an error", u, data)
			continue
		}
		if strings.Contains(err.Error(), "download") {
			t.Errorf("Get(%s): %v; want refused, not looked for elsewhere", u, err)
		}
	}
}

func TestMediaSourceLimit(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "big.jpg"), bytes.Repeat([]byte("x"), 101))
	writeFile(t, filepath.Join(dir, "fits.jpg"), bytes.Repeat([]byte("x"), 100))
	m := &MediaSource{Dir: dir, MaxBytes: 100}
	if _, _, err := m.Get(context.Background(), "/big.jpg"); err == nil || !strings.Contains(err.Error(), "more than the 100") {
		t.Errorf("a file over MaxBytes: err = %v", err)
	}
	if data, _, err := m.Get(context.Background(), "/fits.jpg"); err != nil || len(data) != 100 {
		t.Errorf("a file of MaxBytes: %d bytes, %v", len(data), err)
	}
}

func TestMediaSourceFetch(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n....")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/wp-content/uploads/a.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(png)
		case "/big.png":
			w.Header().Set("Content-Type", "image/png")
			w.(http.Flusher).Flush() // no Content-Length: the limit is on what is read
			w.Write(bytes.Repeat([]byte("x"), 5000))
		case "/page.html":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>"))
		case "/to-private":
			http.Redirect(w, r, "http://10.0.0.1/a.png", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	client := netx.OutboundClient(netx.OutboundOptions{AllowLoopback: true, Timeout: 5 * time.Second})
	m := &MediaSource{Dir: t.TempDir(), Fetch: true, Client: client, MaxBytes: 1000}
	ctx := context.Background()

	data, name, err := m.Get(ctx, srv.URL+"/wp-content/uploads/a.png")
	if err != nil || !bytes.Equal(data, png) || name != "a.png" {
		t.Errorf("fetch: %q, %q, %v", data, name, err)
	}
	for path, want := range map[string]string{
		"/big.png":     "more than the 1000 bytes",
		"/page.html":   `"text/html", not an image`,
		"/missing.png": "404",
		"/to-private":  "10.0.0.1",
	} {
		if _, _, err := m.Get(ctx, srv.URL+path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Get(%s): err = %v, want it to say %q", path, err, want)
		}
	}

	// The default client refuses the test server's loopback address.
	safe := &MediaSource{Fetch: true}
	_, _, err = safe.Get(ctx, srv.URL+"/wp-content/uploads/a.png")
	if !errors.Is(err, netx.ErrRefusedAddress) {
		t.Errorf("default client to %s: err = %v, want refused", srv.URL, err)
	}

	none := &MediaSource{}
	if _, _, err := none.Get(ctx, srv.URL+"/a.png"); err == nil || !strings.Contains(err.Error(), "no --uploads folder given") || !strings.Contains(err.Error(), "--fetch-media") {
		t.Errorf("neither --uploads nor --fetch-media: err = %v, want it to name both", err)
	}
}
