package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// Most requests to the API are anonymous reads of the content, and most of
// those are answered from the site's page cache. They are served before
// the route table and the token check, as the site serves its cached
// pages before its own (internal/site/routes.go): the key is made from the
// request, the entry is looked up and written, and nothing else runs. A
// miss goes through the whole handler, which renders the answer for the
// cache to keep. A request with credentials never reaches the cache,
// neither to read an answer nor to leave one: what a token may see (drafts,
// with read:drafts) is its own.

// Parameters that select the answer of each cached read besides its path;
// the handlers read no other (listParams: articles.go).
var (
	formatParams = []string{"format"}
	lookupParams = []string{"path", "format"}
)

// dispatch serves anonymous GET and HEAD requests for the content from the
// page cache, and everything else through next.
func (a *API) dispatch(next http.Handler) http.Handler {
	// A miss renders through the whole handler, marked so that send leaves
	// If-None-Match to the cache, which answers it from the entry.
	render := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyCaching, true)))
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.Header.Get("Authorization") == "" {
			if key, ok := cacheKey(r); ok {
				a.cache.ServeKeyed(w, r, key, render)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// cacheKey is the page cache's key of a read of the content (after the
// address asked, which the cache adds): the path, then the parameters
// that select the answer, each in the order of its list and each value in
// the order given, then "|ninjs" for the ninjs representation. Any other
// parameter is left out, as the handlers ignore it, so made-up queries
// cannot fill the cache. It is false for any other address, and for a path
// that holds '?' or '|' (escaped in the request), which could otherwise
// make the key of another answer and put its own there.
func cacheKey(r *http.Request) (string, bool) {
	p := r.URL.Path
	rest, ok := strings.CutPrefix(p, "/api/v1/")
	if !ok {
		return "", false
	}
	var params []string
	switch rest {
	case "articles":
		params = listParams
	case "lookup":
		params = lookupParams
	case "sections", "tags", "authors", "pages", "site":
	default:
		id, ok := strings.CutPrefix(rest, "articles/")
		if !ok || id == "" || id == "." || id == ".." || strings.ContainsAny(id, "/?|") {
			return "", false
		}
		params = formatParams
	}
	raw := r.URL.RawQuery
	if raw == "" {
		if acceptsNinjs(r.Header.Get("Accept")) {
			return p + "|ninjs", true
		}
		return p, true
	}
	var b strings.Builder
	b.Grow(len(p) + len(raw) + 8)
	b.WriteString(p)
	sep := byte('?')
	for _, name := range params {
		eachValue(raw, name, func(v string) bool {
			b.WriteByte(sep)
			b.WriteString(name)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
			sep = '&'
			return true
		})
	}
	// The representation, as formatOf reads it: the first format given,
	// else the Accept header.
	format := ""
	eachValue(raw, "format", func(v string) bool { format = v; return false })
	if format == "ninjs" || format == "" && acceptsNinjs(r.Header.Get("Accept")) {
		b.WriteString("|ninjs")
	}
	return b.String(), true
}

// eachValue calls f with each value of the parameter name in the raw
// query, in order, until f returns false. It reads the query as
// url.ParseQuery does, pairs it refuses skipped, without making its map.
func eachValue(raw, name string, f func(string) bool) {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(k)
		if err != nil || k != name {
			continue
		}
		if v, err = url.QueryUnescape(v); err != nil {
			continue
		}
		if !f(v) {
			return
		}
	}
}
