package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
)

// hitBase is the address scripts/bench-load serves on: a loopback address
// with a port, as wrk names it in its Host header.
const hitBase = "http://127.0.0.1:18100"

// hitSite builds the program's root handler (route, as serve mounts it) over
// a one-article site on hitBase, and returns it with the article's path.
// The newsroom and the API are handlers that must not be reached.
func hitSite(tb testing.TB) (http.Handler, string) {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(tb.TempDir(), "newsdesk.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	ms, err := media.OpenStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ms.Close() })
	// A story about the size of the one bench-load measures (22 KB of
	// page, 6 KB gzipped).
	var body strings.Builder
	for i := range 60 {
		body.WriteString("The council met again on the harbour plan, and paragraph ")
		body.WriteString(strings.Repeat("xyz"[i%3:i%3+1], 1+i%7))
		body.WriteString(" of the minutes says the vote moves to spring, after the survey of the quays.\n\n")
	}
	fsys := fstest.MapFS{"story.md": {Data: []byte("---\ntitle: \"Harbour plan vote moves to spring\"\nslug: harbour-plan\n" +
		"date: 2026-11-27T06:30:00Z\nsection: news\nsummary: \"The council waits for the survey.\"\nauthors: [\"Ilse Fontaine\"]\ntags: [\"Harbour\"]\n---\n" +
		body.String())}}
	im := &ingest.Importer{Store: st, Media: ms}
	if _, err := im.ImportFile(ctx, fsys, "story.md"); err != nil {
		tb.Fatal(err)
	}
	cfg, err := site.NewConfig(hitBase, nil, "Bench")
	if err != nil {
		tb.Fatal(err)
	}
	cfg.CacheBytes = 64 << 20
	s, err := site.New(cfg, st, ms, nil)
	if err != nil {
		tb.Fatal(err)
	}
	never := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { tb.Errorf("%s went past the site", r.URL.Path) })
	return route(s.Handler(), never, never), "/news/harbour-plan"
}

// hitRequest is the request wrk sends in scripts/bench-load.
func hitRequest(path string) *http.Request {
	r := httptest.NewRequest("GET", path, nil)
	r.Host = strings.TrimPrefix(hitBase, "http://")
	r.RemoteAddr = "127.0.0.1:40000"
	r.Header.Set("Accept-Encoding", "gzip")
	return r
}

// hitWriter is a ResponseWriter that keeps nothing but, like net/http's,
// starts every answer with a new header map, so the cost of filling it is
// measured as a server pays it.
type hitWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *hitWriter) Header() http.Header { return w.h }
func (w *hitWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
func (w *hitWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(b)
	return len(b), nil
}

// BenchmarkCachedHit is the cost of a cached article page from the program's
// root handler, as scripts/bench-load asks for it, next to the yardstick
// that load script measures it against: scripts/memserve's handler (a bare
// Go server writing the same bytes and headers from memory). Run ABBA with
// two test binaries to compare versions (docs/performance.md).
func BenchmarkCachedHit(b *testing.B) {
	h, path := hitSite(b)
	r := hitRequest(path)
	// The first request renders the page and fills the cache; its answer
	// is what the yardstick sends.
	first := &hitWriter{h: http.Header{}}
	h.ServeHTTP(first, r)
	if first.status != 200 || first.h.Get("Content-Encoding") != "gzip" {
		b.Fatalf("status %d, encoding %q", first.status, first.h.Get("Content-Encoding"))
	}
	body := make([]byte, first.n)
	fixed := first.h.Clone()
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// scripts/memserve's handler.
		h := w.Header()
		for k, v := range fixed {
			h[k] = v
		}
		w.Write(body)
	})
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"newsdesk", h}, {"bare-go", bare}} {
		b.Run(c.name, func(b *testing.B) {
			w := &hitWriter{}
			b.ReportAllocs()
			for b.Loop() {
				w.h, w.status, w.n = make(http.Header), 0, 0
				c.h.ServeHTTP(w, r)
			}
			if w.status != 200 || w.n != len(body) {
				b.Fatalf("status %d, %d bytes, want 200 and %d", w.status, w.n, len(body))
			}
		})
	}
}

// TestCachedHitAllocations: a cached page from the program's root handler
// allocates no more than scripts/memserve's handler writing the same
// headers and bytes (the writer's header map, in both). A copy of the
// request to carry its address, a key or a header value made per answer
// would each show here.
func TestCachedHitAllocations(t *testing.T) {
	h, path := hitSite(t)
	r := hitRequest(path)
	first := &hitWriter{h: http.Header{}}
	h.ServeHTTP(first, r)
	if first.status != 200 || first.h.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, encoding %q", first.status, first.h.Get("Content-Encoding"))
	}
	fixed, body := first.h.Clone(), make([]byte, first.n)
	w := &hitWriter{}
	bare := testing.AllocsPerRun(100, func() {
		w.h, w.status, w.n = make(http.Header), 0, 0
		for k, v := range fixed {
			w.h[k] = v
		}
		w.Write(body)
	})
	hit := testing.AllocsPerRun(100, func() {
		w.h, w.status, w.n = make(http.Header), 0, 0
		h.ServeHTTP(w, r)
	})
	if w.status != 200 || w.n != len(body) || !reflect.DeepEqual(w.h, first.h) {
		t.Fatalf("the hit: status %d, %d bytes, headers %v; want the first answer's %d, %d, %v", w.status, w.n, w.h, first.status, first.n, first.h)
	}
	if hit > bare {
		t.Errorf("a cached hit allocates %.0f times, the same answer from memory %.0f", hit, bare)
	}
}
