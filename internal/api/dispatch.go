package api

import (
	"context"
	"net/http"
	"net/url"
	"slices"
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
// make the key of another answer and put its own there. It is false too for
// a path sent escaped in another form than the usual ("/api/v1%2Fsections"):
// the routes match the path as sent, so its answer (a 404) is not that of
// the path it spells once unescaped, whose key it would take.
func cacheKey(r *http.Request) (string, bool) {
	if r.URL.RawPath != "" {
		return "", false
	}
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
	// One pass over the query keeps the pairs of the parameters in params
	// with each one's place in the list; a stable sort then puts them in
	// the list's order, the values of one parameter in the order given.
	// (A pass per parameter cost a cached list answer 0.6 µs of 4.4.)
	type pair struct {
		at int
		v  string
	}
	kept := make([]pair, 0, 8)
	format, formatSeen := "", false
	eachPair(raw, func(k, v string) bool {
		if k == "format" && !formatSeen {
			format, formatSeen = v, true
		}
		if i := slices.Index(params, k); i >= 0 {
			kept = append(kept, pair{i, v})
		}
		return true
	})
	slices.SortStableFunc(kept, func(a, b pair) int { return a.at - b.at })
	var b strings.Builder
	b.Grow(len(p) + len(raw) + 8)
	b.WriteString(p)
	sep := byte('?')
	for _, kv := range kept {
		b.WriteByte(sep)
		b.WriteString(params[kv.at])
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv.v))
		sep = '&'
	}
	// The representation, as formatOf reads it: the first format given,
	// else the Accept header.
	if format == "ninjs" || format == "" && acceptsNinjs(r.Header.Get("Accept")) {
		b.WriteString("|ninjs")
	}
	return b.String(), true
}

// eachPair calls f with each name and value of the raw query, unescaped,
// in order, until f returns false. It reads the query as url.ParseQuery
// does, pairs it refuses skipped, without making its map.
func eachPair(raw string, f func(k, v string) bool) {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(k)
		if err != nil {
			continue
		}
		if v, err = url.QueryUnescape(v); err != nil {
			continue
		}
		if !f(k, v) {
			return
		}
	}
}
