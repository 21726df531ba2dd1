package cache

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestEncodingsMadeOnFirstAsk: a miss compresses only in the encoding its
// client takes; the other is made when a client first asks for it, once,
// and counted against the limit; every encoding decodes to the page.
func TestEncodingsMadeOnFirstAsk(t *testing.T) {
	c := New(1 << 20)
	h := c.Handler(newPage(long))
	want := get(t, h, "/a").Body.String() // identity: compresses nothing
	e := c.entries["/a"].Value.(*entry)
	if e.gz != nil || e.br != nil || !e.compress {
		t.Fatalf("after a request without Accept-Encoding: gz %d bytes, br %d bytes, compress %v; want none made, compress set",
			len(e.gz), len(e.br), e.compress)
	}
	before := c.Stats().Bytes

	w := get(t, h, "/a", "Accept-Encoding", "gzip")
	if got := w.Header().Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding: got %q, want gzip", got)
	}
	if w.Header().Get("Vary") != "Accept-Encoding" {
		t.Errorf("Vary: got %q, want Accept-Encoding", w.Header().Get("Vary"))
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); string(got) != want {
		t.Errorf("gzip body decodes to %d bytes, want the page's %d", len(got), len(want))
	}
	if e.br != nil {
		t.Errorf("brotli made before anyone asked for it")
	}
	gz := e.gz
	if after := c.Stats().Bytes; after != before+int64(len(gz)) {
		t.Errorf("cache size after gzip: got %d, want %d + %d", after, before, len(gz))
	}

	w = get(t, h, "/a", "Accept-Encoding", "gzip, br")
	if got := w.Header().Get("Content-Encoding"); got != "br" {
		t.Fatalf("Content-Encoding: got %q, want br", got)
	}
	if got, _ := io.ReadAll(brotli.NewReader(w.Body)); string(got) != want {
		t.Errorf("brotli body decodes to %d bytes, want the page's %d", len(got), len(want))
	}
	get(t, h, "/a", "Accept-Encoding", "gzip")
	if !bytes.Equal(e.gz, gz) {
		t.Errorf("gzip made again for a second client")
	}
	if after, want := c.Stats().Bytes, before+int64(len(gz)+len(e.br)); after != want {
		t.Errorf("cache size after both: got %d, want %d", after, want)
	}
}

// TestMissCompressesForItsClient: the render that misses makes its
// client's encoding before the entry is kept, so it is counted from the
// start; an entry evicted later takes all its bytes with it.
func TestMissCompressesForItsClient(t *testing.T) {
	c := New(1 << 20)
	h := c.Handler(newPage(long))
	if w := get(t, h, "/b", "Accept-Encoding", "br"); w.Header().Get("Content-Encoding") != "br" {
		t.Fatalf("Content-Encoding: got %q, want br", w.Header().Get("Content-Encoding"))
	}
	e := c.entries["/b"].Value.(*entry)
	if e.br == nil || e.gz != nil {
		t.Fatalf("after a brotli miss: br %d bytes, gz %d bytes; want brotli only", len(e.br), len(e.gz))
	}
	if got, want := c.Stats().Bytes, int64(len(e.raw)+len(e.br)+512); got != want {
		t.Errorf("cache size: got %d, want %d", got, want)
	}
	get(t, h, "/b", "Accept-Encoding", "gzip")
	c.mu.Lock()
	c.limit = 0
	c.evict() // keeps one entry: drop it by hand to check the sums
	c.lru.Remove(c.entries["/b"])
	delete(c.entries, "/b")
	c.size -= e.size
	c.mu.Unlock()
	if got := c.Stats().Bytes; got != 0 {
		t.Errorf("after removing the only entry the cache holds %d bytes, want 0", got)
	}
}
