package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// How API answers are cached, by apps, by a CDN and in process.
//
// Every successful read carries a strong ETag made from its bytes, and a
// request whose If-None-Match names it gets 304 with no body. Cache-Control
// is the pages' (internal/site/keys.go): when a purge hook tells a CDN of
// every change, an answer names what it shows in Surrogate-Key and
// Cache-Tag (the keys the change log records) and the CDN may keep it an
// hour; otherwise a minute, as a browser does. Reads also go through the
// site's page cache (dispatch.go), which every change makes stale.

// The Cache-Control values, the same as the site's pages.
const (
	cacheKeyed = "public, max-age=60, s-maxage=3600, stale-while-revalidate=60, stale-if-error=86400"
	cacheShort = "public, max-age=60, stale-while-revalidate=60, stale-if-error=86400"
	cacheNever = "no-store"
	// cachePrivate is for an answer for one client alone: a write's, or
	// one that shows a draft.
	cachePrivate = "private, no-store"
)

// maxKeysHeader bounds the keys sent, as the site's pages do: proxies on
// the way often keep all of an answer's headers in 4 or 8 KB.
const maxKeysHeader = 4000

// corsMethods and corsHeaders are what a browser's preflight is told it
// may send from any origin: reads, and the write API's methods with its
// token (Authorization), revision (If-Match) and body type. No credentials
// are allowed: a token is a bearer header a script sets, never a cookie.
const (
	corsMethods = "GET, HEAD, POST, PUT, PATCH, OPTIONS"
	corsHeaders = "Accept, If-None-Match, If-Modified-Since, Authorization, If-Match, Content-Type"
)

// keys are the surrogate keys of an answer: its own, always sent, and those
// of the items it shows, which give way to news.KeyLists when the whole
// would be too long.
type keys struct{ own, items []string }

func (k *keys) list() []string {
	if k == nil {
		return nil
	}
	own := news.PurgeKeys(k.own)
	seen := map[string]bool{}
	size := 0
	for _, key := range own {
		seen[key] = true
		size += len(key) + 1
	}
	out := own
	for _, key := range news.PurgeKeys(k.items) {
		if seen[key] {
			continue
		}
		seen[key] = true
		if size += len(key) + 1; size > maxKeysHeader {
			return append(own[:len(own):len(own)], news.KeyLists)
		}
		out = append(out, key)
	}
	return out
}

// ctxKey keys the values the API puts in a request's context.
type ctxKey int

const (
	// keyCaching marks a request rendered for the page cache, which
	// answers If-None-Match itself from the entry it keeps (dispatch.go).
	keyCaching ctxKey = iota
)

// send encodes v first, so an encoding error becomes a clean 500, and
// answers it with the headers of its kind. k names what the answer shows;
// nil sends no keys.
func (a *API) send(w http.ResponseWriter, r *http.Request, status int, contentType string, v any, k *keys) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		a.log.Error("api: encoding an answer", "path", r.URL.Path, "err", err)
		status, contentType, k = http.StatusInternalServerError, "application/json; charset=utf-8", nil
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"Internal error."}}` + "\n")
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	// Any site or app may read the API; it takes no cookies.
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag, Retry-After")
	h.Del("Surrogate-Key")
	h.Del("Cache-Tag")
	read := r.Method == http.MethodGet || r.Method == http.MethodHead
	switch {
	case !read || h.Get("Cache-Control") == cachePrivate:
		// An answer to a write, or one that shows a draft, is for its
		// client alone.
		h.Set("Cache-Control", cachePrivate)
	case status >= 500 || status == http.StatusBadRequest:
		h.Set("Cache-Control", cacheNever)
	case a.cfg.Site != nil && a.cfg.Site.Purging() && len(k.list()) > 0:
		list := k.list()
		h.Set("Surrogate-Key", strings.Join(list, " "))
		h.Set("Cache-Tag", strings.Join(list, ","))
		h.Set("Cache-Control", cacheKeyed)
	default:
		h.Set("Cache-Control", cacheShort)
	}
	if status == http.StatusServiceUnavailable {
		h.Set("Retry-After", "10")
	}
	if read && status == http.StatusOK {
		// The page cache makes the same tag from the same bytes.
		sum := sha256.Sum256(buf.Bytes())
		etag := `"` + hex.EncodeToString(sum[:12]) + `"`
		h.Set("ETag", etag)
		if r.Context().Value(keyCaching) == nil && etagMatch(r.Header.Get("If-None-Match"), etag) {
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// etagMatch reads If-None-Match: a list of tags, or "*". The comparison is
// weak (RFC 9110 13.1.2), as If-None-Match asks.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// preflight answers a browser's CORS preflight for any API address: reads
// may come from any origin, without credentials.
func (a *API) preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", corsMethods)
	h.Set("Access-Control-Allow-Headers", corsHeaders)
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Cache-Control", cacheShort)
	w.WriteHeader(http.StatusNoContent)
}
