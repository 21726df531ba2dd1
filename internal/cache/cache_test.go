package cache

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// page is a handler whose answer and render count the test controls.
type page struct {
	renders atomic.Int64
	body    atomic.Value // string
	status  atomic.Int64
	delay   time.Duration
}

func newPage(body string) *page {
	p := &page{}
	p.body.Store(body)
	p.status.Store(200)
	return p
}

func (p *page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.renders.Add(1)
	time.Sleep(p.delay)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(int(p.status.Load()))
	fmt.Fprintf(w, "%s %s", p.body.Load().(string), r.URL.Query().Get("after"))
}

func get(t *testing.T, h http.Handler, target string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

var long = strings.Repeat("<p>A paragraph of the story. </p>", 100)

func TestHitsMissesAndInvalidation(t *testing.T) {
	c := New(1 << 20)
	p := newPage(long)
	h := c.Handler(p)
	for range 3 {
		if w := get(t, h, "/a"); w.Code != 200 || !strings.HasPrefix(w.Body.String(), "<p>") {
			t.Fatalf("got %d %q", w.Code, w.Body.String()[:20])
		}
	}
	if n := p.renders.Load(); n != 1 {
		t.Errorf("3 requests rendered %d times, want 1", n)
	}
	p.body.Store("changed " + long)
	if w := get(t, h, "/a"); strings.HasPrefix(w.Body.String(), "changed") {
		t.Error("served a new render without an invalidation: the cache is not caching")
	}
	c.Invalidate()
	if w := get(t, h, "/a"); !strings.HasPrefix(w.Body.String(), "changed") {
		t.Error("after Invalidate, the old page was served")
	}
	if n := p.renders.Load(); n != 2 {
		t.Errorf("renders: %d, want 2", n)
	}
}

func TestQueryKeys(t *testing.T) {
	c := New(1<<20, "after")
	p := newPage(long)
	h := c.Handler(p)
	get(t, h, "/s/?after=1")
	get(t, h, "/s/?after=1&utm_source=x") // ignored parameter: same page
	get(t, h, "/s/?utm_source=y")         // same as /s/
	get(t, h, "/s/")
	if n := p.renders.Load(); n != 2 {
		t.Errorf("renders: %d, want 2 (/s/ and /s/?after=1)", n)
	}
	// The Host header is never part of the key.
	r := httptest.NewRequest("GET", "/s/", nil)
	r.Host = "evil.example"
	h.ServeHTTP(httptest.NewRecorder(), r)
	if n := p.renders.Load(); n != 2 {
		t.Errorf("another Host rendered again: %d renders", n)
	}
}

func TestEncodingsAndETag(t *testing.T) {
	c := New(1 << 20)
	h := c.Handler(newPage(long))
	plain := get(t, h, "/a")
	etag := plain.Header().Get("ETag")
	if etag == "" || plain.Header().Get("Content-Encoding") != "" {
		t.Fatalf("plain: %v", plain.Header())
	}
	gz := get(t, h, "/a", "Accept-Encoding", "gzip, deflate")
	if gz.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(gz.Header().Get("Vary"), "Accept-Encoding") {
		t.Fatalf("gzip: %v", gz.Header())
	}
	zr, _ := gzip.NewReader(gz.Body)
	if b, _ := io.ReadAll(zr); string(b) != plain.Body.String() {
		t.Error("gzip body differs from the plain one")
	}
	br := get(t, h, "/a", "Accept-Encoding", "gzip, br")
	if br.Header().Get("Content-Encoding") != "br" {
		t.Fatalf("br: %v", br.Header())
	}
	if b, _ := io.ReadAll(brotli.NewReader(br.Body)); string(b) != plain.Body.String() {
		t.Error("brotli body differs from the plain one")
	}
	if w := get(t, h, "/a", "Accept-Encoding", "br;q=0, gzip"); w.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("br;q=0 must not get br: %v", w.Header())
	}
	nm := get(t, h, "/a", "If-None-Match", etag)
	if nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d, %d bytes", nm.Code, nm.Body.Len())
	}
	if w := get(t, h, "/a", "If-None-Match", `"other"`); w.Code != 200 {
		t.Errorf("another ETag: %d", w.Code)
	}
	c.Invalidate()
	if w := get(t, h, "/a"); w.Header().Get("ETag") != etag {
		t.Errorf("the same bytes rendered again must keep their ETag")
	}
}

func TestConcurrentMissesRenderOnce(t *testing.T) {
	c := New(1 << 20)
	p := newPage(long)
	p.delay = 50 * time.Millisecond
	h := c.Handler(p)
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if w := get(t, h, "/hot"); w.Code != 200 || !strings.HasPrefix(w.Body.String(), "<p>") {
				t.Errorf("got %d", w.Code)
			}
		})
	}
	wg.Wait()
	if n := p.renders.Load(); n != 1 {
		t.Errorf("100 simultaneous misses rendered %d times, want 1", n)
	}
}

func TestStaleWhenRenderFails(t *testing.T) {
	c := New(1 << 20)
	p := newPage(long)
	h := c.Handler(p)
	get(t, h, "/a")
	c.Invalidate()
	p.status.Store(503)
	w := get(t, h, "/a")
	if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "<p>") {
		t.Errorf("during an outage: %d, want the old page", w.Code)
	}
	// A page never rendered before gets the error.
	if w := get(t, h, "/b"); w.Code != 503 {
		t.Errorf("uncached page during an outage: %d, want 503", w.Code)
	}
	// Errors are not cached: once the render works, the page is fresh.
	p.status.Store(200)
	p.body.Store("back " + long)
	if w := get(t, h, "/a"); !strings.HasPrefix(w.Body.String(), "back") {
		t.Error("after recovery, the stale page was still served")
	}
}

func TestMemoryBound(t *testing.T) {
	const limit = 64 << 10
	c := New(limit)
	h := c.Handler(newPage(long))
	for i := range 500 {
		get(t, h, fmt.Sprintf("/p%d", i))
	}
	st := c.Stats()
	if st.Bytes > limit || st.Entries == 0 || st.Entries >= 500 {
		t.Errorf("stats %+v: want at most %d bytes and some eviction", st, limit)
	}
	// The most recent page is still there.
	before := c.Stats().Hits
	get(t, h, "/p499")
	if c.Stats().Hits != before+1 {
		t.Error("the most recently used page was evicted")
	}
}

func TestNotCached(t *testing.T) {
	c := New(1 << 20)
	var n atomic.Int64
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		switch r.URL.Path {
		case "/private":
			w.Header().Set("Cache-Control", "private, no-store")
		case "/cookie":
			w.Header().Set("Set-Cookie", "a=b")
		case "/error":
			w.WriteHeader(500)
		}
		io.WriteString(w, "x")
	}))
	for _, p := range []string{"/private", "/cookie", "/error"} {
		get(t, h, p)
		get(t, h, p)
	}
	if n.Load() != 6 {
		t.Errorf("uncacheable answers rendered %d times, want 6", n.Load())
	}
	// POST passes through.
	r := httptest.NewRequest("POST", "/x", nil)
	h.ServeHTTP(httptest.NewRecorder(), r)
	if n.Load() != 7 {
		t.Error("POST did not reach the handler")
	}
}

func BenchmarkHit(b *testing.B) {
	c := New(1 << 20)
	h := c.Handler(newPage(long))
	r := httptest.NewRequest("GET", "/a", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	h.ServeHTTP(httptest.NewRecorder(), r)
	for b.Loop() {
		h.ServeHTTP(discard{h: http.Header{}}, r)
	}
}

type discard struct{ h http.Header }

func (d discard) Header() http.Header         { clear(d.h); return d.h }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}

// BenchmarkHitParallel is BenchmarkHit from every core at once, as under
// load: it shows what the cache's lock costs when requests contend.
func BenchmarkHitParallel(b *testing.B) {
	c := New(1 << 20)
	h := c.Handler(newPage(long))
	warm := httptest.NewRequest("GET", "/a", nil)
	warm.Header.Set("Accept-Encoding", "gzip")
	h.ServeHTTP(httptest.NewRecorder(), warm)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		r := httptest.NewRequest("GET", "/a", nil)
		r.Header.Set("Accept-Encoding", "gzip")
		w := discard{h: http.Header{}}
		for pb.Next() {
			h.ServeHTTP(w, r)
		}
	})
}
