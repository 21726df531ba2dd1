// Package cache keeps rendered public pages in memory, already compressed,
// and serves them at the cost of a map lookup and a write.
//
// Correct before clever: every change to the content moves one generation
// counter, and an entry rendered in an older generation is never served as
// fresh. An old entry is still served when rendering it again fails (the
// database is down), so readers keep getting pages through an outage.
package cache

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// Cache is a bounded in-memory cache of whole HTTP answers.
type Cache struct {
	limit   int64    // bytes of bodies kept at most
	params  []string // query parameters that select a different page
	vary    func(*http.Request) string
	gen     atomic.Uint64
	mu      sync.Mutex
	entries map[string]*list.Element // of *entry
	lru     *list.List               // front: most recently used
	size    int64
	flight  map[string]*call

	hits, misses, stale, coalesced atomic.Int64
}

// entry is one cached answer, with its compressed forms as they are made.
type entry struct {
	key    string
	gen    uint64
	status int
	header http.Header // Content-Type, Cache-Control, Location, Surrogate-Key...
	// headers is header as a list, in which Vary already names
	// Accept-Encoding when the body is compressed (see setHeaders): a hit
	// walks a slice instead of a map.
	headers []headerValue
	// varyHeader is whether headers has Vary.
	varyHeader bool
	etag       string
	// etagValue and rawLength are the ETag and Content-Length header
	// values, made once.
	etagValue, rawLength []string
	lastModified         []string // at, as the Last-Modified header's value
	raw                  []byte
	at                   time.Time
	// compress is set when the body is worth compressing. Each encoding
	// is made the first time a client asks for it (see encoded): the
	// render that missed makes only the one its client takes.
	compress bool
	encMu    sync.Mutex // guards gz and br and their lengths
	gz, br   []byte
	gzLength []string // Content-Length of gz, made with it
	brLength []string
	// size is what this entry counts for in Cache.size, under Cache.mu.
	size int64
}

// headerValue is one header of a cached answer.
type headerValue struct {
	name  string
	value []string
}

// setHeaders makes e.headers, once e.compress is decided. A Vary of the
// render's own gets Accept-Encoding added here, once, as serve would add
// it to every answer.
func (e *entry) setHeaders() {
	e.headers = make([]headerValue, 0, len(e.header))
	for k, v := range e.header {
		if k == "Vary" {
			e.varyHeader = true
			if e.compress {
				// Clipped: append leaves room to spare past two values,
				// and a later Add to one answer's Vary would write into
				// the array every other answer shares.
				v = slices.Clip(append(v[:len(v):len(v)], "Accept-Encoding"))
			}
		}
		e.headers = append(e.headers, headerValue{k, v})
	}
}

// bytes is the entry's size as it is now.
func (e *entry) bytes() int64 {
	e.encMu.Lock()
	defer e.encMu.Unlock()
	return int64(len(e.raw)+len(e.gz)+len(e.br)) + 512
}

// call is a render in progress that other requests for the same key wait on.
type call struct {
	done chan struct{}
	e    *entry
}

// New returns a cache that keeps at most limit bytes. params names the query
// parameters that select a different page (such as "after" or "q"); all
// others are ignored, so a flood of made-up query strings cannot fill it.
func New(limit int64, params ...string) *Cache {
	c := &Cache{limit: limit, params: params, entries: map[string]*list.Element{}, lru: list.New(), flight: map[string]*call{}}
	c.gen.Store(1)
	return c
}

// Invalidate makes every entry stale: the next request for any page renders
// it again.
func (c *Cache) Invalidate() { c.gen.Add(1) }

// Stats are counters for monitoring and tests.
type Stats struct {
	Entries                        int
	Bytes                          int64
	Hits, Misses, Stale, Coalesced int64
}

// Stats returns the current counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Entries: c.lru.Len(), Bytes: c.size, Hits: c.hits.Load(), Misses: c.misses.Load(), Stale: c.stale.Load(), Coalesced: c.coalesced.Load()}
}

// VaryBy makes f's answer part of every key, before the path: the site
// gives the known address a request came through, so the same path on two
// of its addresses is two entries. f must return one of a few values the
// caller controls and never text from the request itself (such as the Host
// header): that would let anyone fill the cache, or plant an answer for
// the next reader. Its answers hold no space. Call it before Handler
// serves.
func (c *Cache) VaryBy(f func(*http.Request) string) { c.vary = f }

// key is the variant (see VaryBy), the path and the page-selecting query
// parameters, sorted.
func (c *Cache) key(r *http.Request) string {
	if c.vary != nil {
		// Variants hold no space, so the first space ends one and no two
		// (variant, path) pairs share a key.
		return c.vary(r) + " " + c.pathKey(r)
	}
	return c.pathKey(r)
}

// pathKey is the path, escaped as the request sent it, and the
// page-selecting query parameters, sorted. The escaped path is the one
// routes are matched on, and it holds no '?': keyed by the unescaped path,
// "/static%2Fx.css" (one segment, a 404) took the key of "/static/x.css",
// and "/news/%3Fpage=2" that of "/news/?page=2", so anyone could put a
// 404 in place of any page for every reader.
func (c *Cache) pathKey(r *http.Request) string {
	if r.URL.RawQuery == "" || len(c.params) == 0 {
		return r.URL.EscapedPath()
	}
	q := r.URL.Query()
	var parts []string
	for _, p := range c.params {
		for _, v := range q[p] {
			parts = append(parts, url.QueryEscape(p)+"="+url.QueryEscape(v))
		}
	}
	if len(parts) == 0 {
		return r.URL.EscapedPath()
	}
	sort.Strings(parts)
	return r.URL.EscapedPath() + "?" + strings.Join(parts, "&")
}

// Handler serves GET and HEAD from the cache, rendering through next on a
// miss; other methods go straight to next. Many simultaneous misses on one
// page render it once.
func (c *Cache) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		c.serveKey(w, r, c.key(r), next)
	})
}

// ServeKeyed serves a GET or HEAD request from the entry of pathKey (after
// the variant, see VaryBy), rendering through next on a miss, as Handler
// does. It is for a caller whose answers are selected by more than the
// path and the page parameters (the API's filters, its representation):
// the caller builds pathKey from everything that selects the answer, and
// next gets the request as it came.
func (c *Cache) ServeKeyed(w http.ResponseWriter, r *http.Request, pathKey string, next http.Handler) {
	key := pathKey
	if c.vary != nil {
		key = c.vary(r) + " " + pathKey
	}
	c.serveKey(w, r, key, next)
}

// ServeHit serves a GET or HEAD request from a fresh entry for the given
// variant (what VaryBy's function would return for it; ignored without
// VaryBy), its path and page parameters, and reports whether it did. It renders nothing and counts no
// miss: a caller that gets false sends the request on to Handler, which
// does both. It lets the caller try the cache before it builds what only a
// render needs (the site's request context): on a hit that work is saved,
// and the answer is the one Handler would have sent.
func (c *Cache) ServeHit(w http.ResponseWriter, r *http.Request, variant string) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	gen := c.gen.Load()
	var e *entry
	if r.URL.RawQuery == "" || len(c.params) == 0 {
		// The key is built on the stack: a lookup with string(buf) makes
		// no string. A key longer than the buffer is built on the heap.
		var kb [256]byte
		buf := kb[:0]
		if c.vary != nil {
			buf = append(append(buf, variant...), ' ')
		}
		buf = append(buf, r.URL.EscapedPath()...) // as pathKey
		c.mu.Lock()
		e = c.freshLocked(c.entries[string(buf)], gen)
	} else {
		key := c.pathKey(r)
		if c.vary != nil {
			key = variant + " " + key
		}
		c.mu.Lock()
		e = c.freshLocked(c.entries[key], gen)
	}
	c.mu.Unlock()
	if e == nil {
		return false
	}
	c.hits.Add(1)
	c.serve(w, r, e)
	return true
}

// freshLocked returns el's entry when it is of generation gen, and marks it
// the most recently used; nil otherwise. The caller holds c.mu.
func (c *Cache) freshLocked(el *list.Element, gen uint64) *entry {
	if el == nil {
		return nil
	}
	e := el.Value.(*entry)
	if e.gen != gen {
		return nil
	}
	c.lru.MoveToFront(el)
	return e
}

// serveKey is Handler's work for a request whose key is made.
func (c *Cache) serveKey(w http.ResponseWriter, r *http.Request, key string, next http.Handler) {
	gen := c.gen.Load()
	c.mu.Lock()
	el, ok := c.entries[key]
	var old *entry
	if ok {
		old = el.Value.(*entry)
		if old.gen == gen {
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			c.hits.Add(1)
			c.serve(w, r, old)
			return
		}
	}
	// A miss: join a render in progress, or start one.
	if cl, ok := c.flight[key]; ok {
		c.mu.Unlock()
		c.coalesced.Add(1)
		<-cl.done
		if cl.e != nil {
			c.serve(w, r, cl.e)
			return
		}
		next.ServeHTTP(w, r)
		return
	}
	cl := &call{done: make(chan struct{})}
	c.flight[key] = cl
	c.mu.Unlock()
	c.misses.Add(1)

	rec := newRecorder()
	func() {
		defer func() {
			c.mu.Lock()
			delete(c.flight, key)
			c.mu.Unlock()
			close(cl.done)
		}()
		// Render as a GET even for HEAD, so the entry has a body.
		gr := r
		if r.Method == http.MethodHead {
			gr = r.Clone(r.Context())
			gr.Method = http.MethodGet
		}
		next.ServeHTTP(rec, gr)
		if rec.status >= 500 && old != nil {
			// The render failed: the old page is better than none.
			c.stale.Add(1)
			cl.e = old
			return
		}
		if cacheable(rec) {
			cl.e = c.store(key, gen, rec, preferred(r.Header.Get("Accept-Encoding")), old)
		}
	}()
	if cl.e != nil {
		c.serve(w, r, cl.e)
		return
	}
	rec.replay(w, r)
}

// cacheable reports whether an answer may be kept: a success, a redirect
// or a not-found that sets no cookie and is not marked private.
func cacheable(rec *recorder) bool {
	switch rec.status {
	case http.StatusOK, http.StatusMovedPermanently, http.StatusNotFound, http.StatusGone:
	default:
		return false
	}
	if rec.header.Get("Set-Cookie") != "" {
		return false
	}
	cc := rec.header.Get("Cache-Control")
	return !strings.Contains(cc, "private") && !strings.Contains(cc, "no-store")
}

// store keeps an answer, compressed in enc (the encoding the client that
// asked takes, or ""), evicting the least recently used entries beyond the
// limit.
func (c *Cache) store(key string, gen uint64, rec *recorder, enc string, old *entry) *entry {
	raw := rec.body.Bytes()
	sum := sha256.Sum256(raw)
	e := &entry{key: key, gen: gen, status: rec.status, header: rec.header.Clone(), raw: bytes.Clone(raw), at: time.Now(),
		etag: `"` + hex.EncodeToString(sum[:12]) + `"`, rawLength: []string{strconv.Itoa(len(raw))}}
	e.etagValue = []string{e.etag}
	// Last-Modified is when these bytes were first rendered: a change
	// elsewhere that renders the page again, the same, keeps its date,
	// so If-Modified-Since still answers 304.
	if old != nil && old.etag == e.etag {
		e.at = old.at
	}
	e.lastModified = []string{e.at.UTC().Format(http.TimeFormat)}
	if e.bytes() > c.limit/4 {
		// Too large to keep: serve it this once, uncompressed rather
		// than compressed for one answer. (A cache
		// of size 0, as the static export uses, keeps and compresses
		// nothing.)
		e.setHeaders()
		return e
	}
	if compressible(e.header.Get("Content-Type")) && len(raw) > 512 {
		e.compress = true
		switch enc {
		case "gzip":
			e.gz = gzipBytes(raw)
			e.gzLength = []string{strconv.Itoa(len(e.gz))}
		case "br":
			e.br = brotliBytes(raw)
			e.brLength = []string{strconv.Itoa(len(e.br))}
		}
	}
	e.setHeaders()
	if e.bytes() > c.limit/4 {
		return e // too large to keep once compressed; serve it this once
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		prev := el.Value.(*entry)
		if prev.gen > gen {
			return e // a newer render got here first
		}
		c.size -= prev.size
		el.Value = e
		c.lru.MoveToFront(el)
	} else {
		c.entries[key] = c.lru.PushFront(e)
	}
	e.size = e.bytes()
	c.size += e.size
	c.evict()
	return e
}

// evict drops the least recently used entries beyond the limit, keeping
// at least one. The caller holds c.mu.
func (c *Cache) evict() {
	for c.size > c.limit && c.lru.Len() > 1 {
		last := c.lru.Back()
		victim := last.Value.(*entry)
		c.lru.Remove(last)
		delete(c.entries, victim.key)
		c.size -= victim.size
	}
}

// encoded returns e's body in enc ("gzip" or "br"), compressing it the
// first time a client asks for that encoding; clients asking at the same
// moment wait for the one compression. An entry still in the cache then
// counts the new bytes against the limit.
func (c *Cache) encoded(e *entry, enc string) (body []byte, length []string) {
	e.encMu.Lock()
	p, l := &e.gz, &e.gzLength
	if enc == "br" {
		p, l = &e.br, &e.brLength
	}
	if *p != nil {
		b, n := *p, *l
		e.encMu.Unlock()
		return b, n
	}
	if enc == "br" {
		*p = brotliBytes(e.raw)
	} else {
		*p = gzipBytes(e.raw)
	}
	*l = []string{strconv.Itoa(len(*p))}
	b, n := *p, *l
	e.encMu.Unlock()
	c.mu.Lock()
	if el, ok := c.entries[e.key]; ok && el.Value == e {
		e.size += int64(len(b))
		c.size += int64(len(b))
		c.evict()
	}
	c.mu.Unlock()
	return b, n
}

// preferred is the encoding to send a client with this Accept-Encoding:
// brotli when it takes it (smaller), else gzip, else none.
func preferred(acceptEncoding string) string {
	switch {
	case Accepts(acceptEncoding, "br"):
		return "br"
	case Accepts(acceptEncoding, "gzip"):
		return "gzip"
	}
	return ""
}

// serve writes a cached entry in the best encoding the client takes, or
// 304 when the client has it already.
func (c *Cache) serve(w http.ResponseWriter, r *http.Request, e *entry) {
	h := w.Header()
	// The hit path allocates no header values: each is a slice made once
	// (per entry, or for all) with no room to spare, so a later Add
	// copies it and never writes through it.
	for _, x := range e.headers {
		h[x.name] = x.value
	}
	h["Etag"] = e.etagValue
	if _, ok := h["Last-Modified"]; !ok {
		h["Last-Modified"] = e.lastModified
	}
	if e.compress && !e.varyHeader {
		// A Vary set before the cache (not by the render) is kept.
		if _, ok := h["Vary"]; ok {
			h.Add("Vary", "Accept-Encoding")
		} else {
			h["Vary"] = varyEncoding
		}
	}
	if e.status == http.StatusOK && notModified(r, e) {
		h.Del("Content-Type")
		h.Del("Content-Length")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, length := e.raw, e.rawLength
	if e.compress {
		if enc := preferred(headerValue0(r.Header, "Accept-Encoding")); enc != "" {
			body, length = c.encoded(e, enc)
			h["Content-Encoding"] = encodingValue[enc]
		}
	}
	h["Content-Length"] = length
	w.WriteHeader(e.status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// Header values shared by every answer.
var (
	varyEncoding  = []string{"Accept-Encoding"}
	encodingValue = map[string][]string{"gzip": {"gzip"}, "br": {"br"}}
)

// notModified reports whether the client has this entry already: its
// If-None-Match names the ETag or, without If-None-Match (which wins when
// both are sent, RFC 9110 13.1.3), its If-Modified-Since is no earlier
// than the entry's Last-Modified.
func notModified(r *http.Request, e *entry) bool {
	if inm := headerValue0(r.Header, "If-None-Match"); inm != "" {
		return etagMatch(inm, e.etag)
	}
	ims := headerValue0(r.Header, "If-Modified-Since")
	if ims == "" {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !e.at.Truncate(time.Second).After(t)
}

// headerValue0 is h.Get(name) for a name in canonical form, without
// putting the name in that form again.
func headerValue0(h http.Header, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// etagMatch reads If-None-Match: a list of tags, or "*".
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// Accepts reports whether an Accept-Encoding header names coding (or an
// Accept header names a media type) with a weight above zero. The
// newsroom's assets, the site's sitemaps and the API's ninjs use it too.
func Accepts(header, coding string) bool {
	// Read part by part, making no list: every cached answer asks.
	for rest, more := header, true; more; {
		var part string
		part, rest, more = strings.Cut(rest, ",")
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		// The weight is the parameter named q, in any case and in any
		// place among the parameters (RFC 9110 12.4.2).
		for params != "" {
			var param string
			param, params, _ = strings.Cut(params, ";")
			name, q, _ := strings.Cut(param, "=")
			if strings.EqualFold(strings.TrimSpace(name), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
				return err == nil && f > 0
			}
		}
		return true
	}
	return false
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "xml") ||
		strings.Contains(ct, "javascript") || strings.HasPrefix(ct, "image/svg")
}

// The compression levels. Measured on this project's pages (2-core AMD
// EPYC, Go 1.26, writers reused; BenchmarkCompress in
// internal/site/compress_bench_test.go measures them again):
//
//	                      article 22.5 KB     home 40.6 KB      RSS feed 327 KB
//	std gzip 9 (first)    5,931 B  0.64 ms    5,957 B  0.79 ms  66,262 B  13.6 ms
//	std gzip 6 (before)   5,935 B  0.60 ms    5,989 B  0.72 ms  66,571 B  11.5 ms
//	gzip 6 (klauspost)    6,002 B  0.21 ms    6,281 B  0.29 ms  69,109 B   3.2 ms
//	gzip 9 (klauspost)    5,901 B  0.66 ms    5,936 B  0.78 ms  65,733 B  17.0 ms
//	brotli 6 (first)      5,492 B  1.39 ms    5,403 B  0.84 ms  60,091 B  21.1 ms
//	brotli 5              5,500 B  1.30 ms    5,427 B  0.91 ms  61,800 B  18.9 ms
//	brotli 4              5,878 B  0.94 ms    5,825 B  0.85 ms  67,195 B  11.0 ms
//
// Writers are reused (made afresh, a writer cost more than the compressing
// itself), and each encoding is made when a client first asks for it (see
// encoded), so the reader who misses waits for one. Gzip is
// klauspost/compress's: at level 6 it takes a third of the standard
// library's time for 1-5% more bytes, which matters on the cold path after
// every publish; browsers take brotli, as small as level 6 within 0.5-3%
// at level 5.
const (
	gzipLevel   = 6
	brotliLevel = 5
)

var (
	gzipWriters   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzipLevel); return w }}
	brotliWriters = sync.Pool{New: func() any { return brotli.NewWriterLevel(nil, brotliLevel) }}
)

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/4 + 64)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(b)
	zw.Close()
	gzipWriters.Put(zw)
	return buf.Bytes()
}

func brotliBytes(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/4 + 64)
	bw := brotliWriters.Get().(*brotli.Writer)
	bw.Reset(&buf)
	bw.Write(b)
	bw.Close()
	brotliWriters.Put(bw)
	return buf.Bytes()
}

// recorder captures an answer for the cache.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// replay sends an answer that was not cached, as it was rendered.
func (r *recorder) replay(w http.ResponseWriter, req *http.Request) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	if req.Method != http.MethodHead {
		w.Write(r.body.Bytes())
	}
}
