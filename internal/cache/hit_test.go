package cache

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"testing"
)

// variantBy is the variant function of these tests: the host is the
// variant when it is one of two known names, else the first.
func variantBy(r *http.Request) string {
	if r.Host == "b.example" {
		return "https://b.example"
	}
	return "https://a.example"
}

// hitCache is a cache varied by variantBy over a page that names the host
// it was rendered for, sets a Vary and a Surrogate-Key of its own, and is
// long enough to be compressed.
func hitCache() (*Cache, http.Handler, *page) {
	c := New(1<<20, "after")
	c.VaryBy(variantBy)
	p := newPage(long)
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Cookie")
		w.Header().Set("Surrogate-Key", "article-1 "+r.Host)
		w.Header().Set("Cache-Control", "public, max-age=60")
		p.body.Store(long + " for " + r.Host)
		p.ServeHTTP(w, r)
	}))
	return c, h, p
}

func hitRequest(method, host, target string, hdr ...string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.Host = host
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	return r
}

// serveHit sends r to ServeHit with its variant and returns what it did.
func serveHit(c *Cache, r *http.Request) (*httptest.ResponseRecorder, bool) {
	w := httptest.NewRecorder()
	return w, c.ServeHit(w, r, variantBy(r))
}

// TestServeHitVariants: ServeHit answers only from the entry of the variant
// it is given, and only a fresh one; anything else is left to Handler, and
// counted by it, not by ServeHit.
func TestServeHitVariants(t *testing.T) {
	c, h, p := hitCache()
	if _, ok := serveHit(c, hitRequest("GET", "a.example", "/x")); ok {
		t.Fatal("ServeHit answered with nothing in the cache")
	}
	h.ServeHTTP(httptest.NewRecorder(), hitRequest("GET", "a.example", "/x"))
	// b's variant has no entry yet: a's page is never its answer.
	if w, ok := serveHit(c, hitRequest("GET", "b.example", "/x")); ok {
		t.Fatalf("ServeHit answered b.example's request with %q", w.Body.String()[len(long):])
	}
	h.ServeHTTP(httptest.NewRecorder(), hitRequest("GET", "b.example", "/x"))
	for _, host := range []string{"a.example", "b.example"} {
		w, ok := serveHit(c, hitRequest("GET", host, "/x"))
		if !ok {
			t.Fatalf("%s: no hit", host)
		}
		if want := long + " for " + host + " "; w.Body.String() != want {
			t.Errorf("%s: got the page ending %q", host, w.Body.String()[len(long):])
		}
	}
	// The page parameters are part of the key, others are not.
	if _, ok := serveHit(c, hitRequest("GET", "a.example", "/x?after=2")); ok {
		t.Error("ServeHit answered ?after=2 with the page without it")
	}
	if _, ok := serveHit(c, hitRequest("GET", "a.example", "/x?utm_source=feed")); !ok {
		t.Error("ServeHit missed /x?utm_source=feed, which is /x to the cache")
	}
	if _, ok := serveHit(c, hitRequest("POST", "a.example", "/x")); ok {
		t.Error("ServeHit answered a POST")
	}
	c.Invalidate()
	if _, ok := serveHit(c, hitRequest("GET", "a.example", "/x")); ok {
		t.Error("ServeHit answered from a stale entry")
	}
	if st := c.Stats(); st.Hits != 3 || st.Misses != 2 || st.Stale != 0 {
		t.Errorf("stats %+v: want 3 hits (ServeHit's) and 2 misses (Handler's)", st)
	}
	if n := p.renders.Load(); n != 2 {
		t.Errorf("%d renders, want 2", n)
	}
}

// TestServeHitSameAnswer: ServeHit's answer is Handler's, header for header
// and byte for byte, for the miss that rendered the page and for later hits,
// in every encoding, for HEAD, and for conditional requests; and hits do
// not change the headers they share (a Vary of the render's own gets
// Accept-Encoding once, however many answers are sent).
func TestServeHitSameAnswer(t *testing.T) {
	for _, tc := range []struct {
		name string
		hdr  []string
	}{
		{"gzip", []string{"Accept-Encoding", "gzip"}},
		{"brotli", []string{"Accept-Encoding", "gzip, br"}},
		{"identity", nil},
		{"gzip refused", []string{"Accept-Encoding", "gzip;q=0, identity"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, h, _ := hitCache()
			miss := httptest.NewRecorder()
			h.ServeHTTP(miss, hitRequest("GET", "a.example", "/x", tc.hdr...))
			etag := miss.Header().Get("Etag")
			for i := range 3 {
				viaHandler := httptest.NewRecorder()
				h.ServeHTTP(viaHandler, hitRequest("GET", "a.example", "/x", tc.hdr...))
				hit, ok := serveHit(c, hitRequest("GET", "a.example", "/x", tc.hdr...))
				if !ok {
					t.Fatal("no hit")
				}
				for _, got := range []*httptest.ResponseRecorder{viaHandler, hit} {
					sameAnswer(t, tc.name+" hit "+string(rune('1'+i)), got, miss)
				}
			}
			if got := miss.Header().Values("Vary"); !slices.Equal(got, []string{"Cookie", "Accept-Encoding"}) {
				t.Errorf("Vary %q, want the render's Cookie and Accept-Encoding once", got)
			}
			head, ok := serveHit(c, hitRequest("HEAD", "a.example", "/x", tc.hdr...))
			if !ok || head.Body.Len() != 0 || head.Code != 200 {
				t.Errorf("HEAD: hit %v, status %d, %d bytes of body", ok, head.Code, head.Body.Len())
			}
			if !reflect.DeepEqual(head.Header(), miss.Header()) {
				t.Errorf("HEAD's headers %v, want the GET's %v", head.Header(), miss.Header())
			}
			for _, cond := range [][]string{
				{"If-None-Match", etag},
				{"If-None-Match", `"other", ` + etag},
				{"If-Modified-Since", miss.Header().Get("Last-Modified")},
			} {
				viaHandler := httptest.NewRecorder()
				h.ServeHTTP(viaHandler, hitRequest("GET", "a.example", "/x", append(cond, tc.hdr...)...))
				hit, _ := serveHit(c, hitRequest("GET", "a.example", "/x", append(cond, tc.hdr...)...))
				for _, got := range []*httptest.ResponseRecorder{viaHandler, hit} {
					if got.Code != http.StatusNotModified || got.Body.Len() != 0 || got.Header().Get("Etag") != etag {
						t.Errorf("%s: status %d, %d bytes, ETag %q; want 304, none, %s", cond[0], got.Code, got.Body.Len(), got.Header().Get("Etag"), etag)
					}
				}
			}
			stale, _ := serveHit(c, hitRequest("GET", "a.example", "/x", append([]string{"If-None-Match", `"other"`}, tc.hdr...)...))
			sameAnswer(t, "a tag that does not match", stale, miss)
		})
	}
}

// sameAnswer fails unless got has want's status, headers and body.
func sameAnswer(t *testing.T, what string, got, want *httptest.ResponseRecorder) {
	t.Helper()
	if got.Code != want.Code || got.Body.String() != want.Body.String() {
		t.Errorf("%s: status %d and %d bytes, want %d and %d", what, got.Code, got.Body.Len(), want.Code, want.Body.Len())
	}
	if !reflect.DeepEqual(got.Header(), want.Header()) {
		t.Errorf("%s: headers\n%v\nwant\n%v", what, got.Header(), want.Header())
	}
}

// TestServeHitVarySetBefore: a Vary that a handler before the cache set is
// kept and gets Accept-Encoding added, on a hit as on the miss, when the
// render sets none.
func TestServeHitVarySetBefore(t *testing.T) {
	c := New(1 << 20)
	h := c.Handler(newPage(long))
	for i := range 3 {
		w := httptest.NewRecorder()
		w.Header()["Vary"] = []string{"Origin"}
		if i == 0 {
			h.ServeHTTP(w, hitRequest("GET", "a.example", "/x"))
		} else if !c.ServeHit(w, hitRequest("GET", "a.example", "/x"), "") {
			t.Fatal("no hit")
		}
		if got := w.Header().Values("Vary"); !slices.Equal(got, []string{"Origin", "Accept-Encoding"}) {
			t.Errorf("answer %d: Vary %q, want Origin and Accept-Encoding", i+1, got)
		}
	}
}

// TestAcceptsLists: Accepts reads every entry of a list, with weights and
// spaces, as it did when it split the header first.
func TestAcceptsLists(t *testing.T) {
	for _, tt := range []struct {
		header, coding string
		want           bool
	}{
		{"gzip", "gzip", true},
		{"br, gzip", "gzip", true},
		{"deflate,gzip;q=0.5", "gzip", true},
		{"deflate, gzip; q=0", "gzip", false},
		{"gzip;q=0.000, br", "br", true},
		{"gzip;q=0.000, br", "gzip", false},
		{" GZIP ", "gzip", true},
		{"", "gzip", false},
		{",,", "gzip", false},
		{"x-gzip", "gzip", false},
		{"br;q=bad", "br", false},
		{"gzip; q = 0", "gzip", false},
		{"gzip;q= 0.5", "gzip", true},
		// The weight's name in another case, or after another parameter.
		{"gzip;Q=0, br", "gzip", false},
		{"gzip;level=1;q=0", "gzip", false},
		{"application/ninjs+json; version=2; q=0", "application/ninjs+json", false},
		{"application/ninjs+json; version=2", "application/ninjs+json", true},
	} {
		if got := Accepts(tt.header, tt.coding); got != tt.want {
			t.Errorf("Accepts(%q, %q) = %v, want %v", tt.header, tt.coding, got, tt.want)
		}
	}
}

// TestHitAllocations: a hit through ServeHit, with a request whose headers
// are in canonical form, allocates nothing beyond what the writer's header
// map does, the same as a handler writing the same headers from memory.
func TestHitAllocations(t *testing.T) {
	c, h, _ := hitCache()
	r := hitRequest("GET", "a.example", "/x", "Accept-Encoding", "gzip")
	first := httptest.NewRecorder()
	h.ServeHTTP(first, r)
	fixed := first.Header().Clone()
	w := &countingWriter{}
	bare := testing.AllocsPerRun(200, func() {
		w.h = make(http.Header)
		for k, v := range fixed {
			w.h[k] = v
		}
		w.Write(first.Body.Bytes())
	})
	hit := testing.AllocsPerRun(200, func() {
		w.h = make(http.Header)
		if !c.ServeHit(w, r, "https://a.example") {
			t.Fatal("no hit")
		}
	})
	if hit > bare {
		t.Errorf("a hit allocates %.0f times, the same headers written from memory %.0f", hit, bare)
	}
}

type countingWriter struct {
	h http.Header
	n int
}

func (w *countingWriter) Header() http.Header         { return w.h }
func (w *countingWriter) WriteHeader(int)             {}
func (w *countingWriter) Write(b []byte) (int, error) { w.n += len(b); return len(b), nil }

// TestServeHitSharedVaryNotWrittenThrough: the Vary an entry shares with
// every answer (the render's own, with Accept-Encoding merged in) has no
// room to spare, so a handler that adds to an answer's Vary after the
// cache (a middleware adding Origin) copies it: two answers in flight
// never see each other's additions, nor does a later one.
func TestServeHitSharedVaryNotWrittenThrough(t *testing.T) {
	c := New(1 << 20)
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Cookie")
		w.Header().Add("Vary", "Accept-Language")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(long))
	}))
	h.ServeHTTP(httptest.NewRecorder(), hitRequest("GET", "a.example", "/x"))
	want := []string{"Cookie", "Accept-Language", "Accept-Encoding"}
	a, okA := serveHit(c, hitRequest("GET", "a.example", "/x"))
	b, okB := serveHit(c, hitRequest("GET", "a.example", "/x"))
	if !okA || !okB {
		t.Fatal("no hit")
	}
	a.Header().Add("Vary", "Origin")
	b.Header().Add("Vary", "User-Agent")
	if got := a.Header().Values("Vary"); !slices.Equal(got, append(want[:3:3], "Origin")) {
		t.Errorf("the first answer's Vary, after a second answer added to its own: %q", got)
	}
	for _, got := range []*httptest.ResponseRecorder{func() *httptest.ResponseRecorder { w, _ := serveHit(c, hitRequest("GET", "a.example", "/x")); return w }(), func() *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, hitRequest("GET", "a.example", "/x"))
		return w
	}()} {
		if v := got.Header().Values("Vary"); !slices.Equal(v, want) {
			t.Errorf("a later answer's Vary %q, want %q", v, want)
		}
	}
}

// TestKeyOfAnEscapedPath: a path sent with an escaped '/' or '?' is not
// the page whose unescaped path it spells: routes are matched on the
// escaped path, so its answer (here a 404) is kept apart, through Handler
// and ServeHit alike, and never given to the page's readers.
func TestKeyOfAnEscapedPath(t *testing.T) {
	for _, tc := range []struct{ poison, page string }{
		{"/static%2Fsite.css", "/static/site.css"},
		{"/news/%3Fafter=2", "/news/?after=2"},
		{"/news/%3fafter%3D2&utm=1", "/news/?after=2"},
	} {
		c := New(1<<20, "after")
		h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.EscapedPath() != r.URL.Path {
				http.NotFound(w, r)
				return
			}
			w.Write([]byte("page " + r.URL.Path + " " + r.URL.Query().Get("after")))
		}))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, hitRequest("GET", "a.example", tc.poison))
		if w.Code != http.StatusNotFound {
			t.Fatalf("%s: %d", tc.poison, w.Code)
		}
		if w, ok := serveHit(c, hitRequest("GET", "a.example", tc.page)); ok {
			t.Errorf("%s: ServeHit answered %d from %s's entry", tc.page, w.Code, tc.poison)
		}
		for range 2 {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, hitRequest("GET", "a.example", tc.page))
			if w.Code != 200 {
				t.Errorf("%s after %s: %d, want 200", tc.page, tc.poison, w.Code)
			}
		}
		if w, ok := serveHit(c, hitRequest("GET", "a.example", tc.poison)); !ok || w.Code != http.StatusNotFound {
			t.Errorf("%s again: hit %v, %d; want its own 404 from the cache", tc.poison, ok, w.Code)
		}
	}
}
