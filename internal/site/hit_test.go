package site_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// A cached page is answered before the request is copied to carry the
// address it came through (Site.cachedHit): these tests hold that answer
// to the one the page's render gave, on every address.

// hitAnswer is one answer through the site's handler, headers and body as
// sent (not decoded).
func hitAnswer(h http.Handler, method, host string, tlsConn bool, path string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	r.Host = host
	r.RemoteAddr = "192.0.2.1:4000"
	if tlsConn {
		r.TLS = &tls.ConnectionState{}
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestCachedHitPerAddress: on the primary, a mirror, the onion address and
// an unknown host, the cached answer to a page is the answer its render
// gave on that address, header for header and byte for byte, and never the
// answer of another address (their feeds and pages name their own host).
func TestCachedHitPerAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHostSite(t, s, hostOptions{})
		type address struct {
			name, host string
			tls        bool
		}
		addresses := []address{
			{"primary", "news.example.org", true},
			{"mirror", "mirror.example.net", true},
			{"onion", onionName + ".onion", false},
			{"primary with a port", "news.example.org:443", true},
		}
		for _, path := range []string{distArticles[0].path, "/", "/rss.xml", "/news/europe/"} {
			for _, enc := range []string{"gzip", "br", ""} {
				first := map[string]*httptest.ResponseRecorder{}
				for _, a := range addresses {
					first[a.name] = hitAnswer(h, "GET", a.host, a.tls, path, "Accept-Encoding", enc)
					if first[a.name].Code != 200 {
						t.Fatalf("%s on %s: status %d", path, a.name, first[a.name].Code)
					}
				}
				for range 2 {
					for _, a := range addresses {
						got := hitAnswer(h, "GET", a.host, a.tls, path, "Accept-Encoding", enc)
						sameSiteAnswer(t, path+" "+enc+" on "+a.name+", again", got, first[a.name])
					}
				}
				if first["primary"].Body.String() == first["mirror"].Body.String() {
					t.Errorf("%s: the same bytes on the primary and the mirror; the test shows nothing", path)
				}
				// The port the browser omits is the same address.
				sameSiteAnswer(t, path+" with :443", first["primary with a port"], first["primary"])
				// An unknown host is answered as the primary, plain HTTP
				// as HTTPS but for Onion-Location.
				sameSiteAnswer(t, path+" for an unknown host", hitAnswer(h, "GET", hostUnknown, true, path, "Accept-Encoding", enc), first["primary"])
				plain := hitAnswer(h, "GET", "news.example.org", false, path, "Accept-Encoding", enc)
				if plain.Header().Get("Onion-Location") != "" || first["primary"].Header().Get("Onion-Location") != hostOnion+path {
					t.Errorf("%s: Onion-Location %q over HTTP, %q over HTTPS", path, plain.Header().Get("Onion-Location"), first["primary"].Header().Get("Onion-Location"))
				}
				plain.Header()["Onion-Location"] = first["primary"].Header()["Onion-Location"]
				sameSiteAnswer(t, path+" over plain HTTP", plain, first["primary"])
			}
		}
	})
}

// TestCachedHitConditional: HEAD, If-None-Match and If-Modified-Since on a
// cached page through the whole site handler answer as on the render.
func TestCachedHitConditional(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHostSite(t, s, hostOptions{})
		path := distArticles[0].path
		miss := hitAnswer(h, "GET", "mirror.example.net", true, path, "Accept-Encoding", "gzip")
		head := hitAnswer(h, "HEAD", "mirror.example.net", true, path, "Accept-Encoding", "gzip")
		if head.Code != 200 || head.Body.Len() != 0 || !reflect.DeepEqual(head.Header(), miss.Header()) {
			t.Errorf("HEAD: %d, %d bytes, headers %v; want the GET's %v and no body", head.Code, head.Body.Len(), head.Header(), miss.Header())
		}
		for _, cond := range [][]string{
			{"If-None-Match", miss.Header().Get("Etag")},
			{"If-Modified-Since", miss.Header().Get("Last-Modified")},
		} {
			got := hitAnswer(h, "GET", "mirror.example.net", true, path, cond[0], cond[1], "Accept-Encoding", "gzip")
			if got.Code != http.StatusNotModified || got.Body.Len() != 0 {
				t.Errorf("%s: %d with %d bytes, want 304 and none", cond[0], got.Code, got.Body.Len())
			}
			for _, k := range []string{"Etag", "Cache-Control", "Vary", "Surrogate-Key", "Content-Security-Policy", "Onion-Location"} {
				if got.Header().Get(k) != miss.Header().Get(k) {
					t.Errorf("%s: %s %q, want %q", cond[0], k, got.Header().Get(k), miss.Header().Get(k))
				}
			}
		}
		// The ETag of the primary's page is not the mirror's.
		other := hitAnswer(h, "GET", "news.example.org", true, path, "If-None-Match", miss.Header().Get("Etag"), "Accept-Encoding", "gzip")
		if other.Code != 200 || other.Header().Get("Etag") == miss.Header().Get("Etag") {
			t.Errorf("the mirror's ETag on the primary: %d, ETag %q", other.Code, other.Header().Get("Etag"))
		}
	})
}

// sameSiteAnswer fails unless got has want's status, headers and body.
func sameSiteAnswer(t *testing.T, what string, got, want *httptest.ResponseRecorder) {
	t.Helper()
	if got.Code != want.Code || got.Body.String() != want.Body.String() {
		t.Errorf("%s: status %d and %d bytes, want %d and %d", what, got.Code, got.Body.Len(), want.Code, want.Body.Len())
	}
	if !reflect.DeepEqual(got.Header(), want.Header()) {
		t.Errorf("%s: headers\n%v\nwant\n%v", what, got.Header(), want.Header())
	}
	for _, k := range []string{"Etag", "Cache-Control", "Content-Security-Policy", "X-Content-Type-Options", "Content-Length"} {
		if got.Header().Get(k) == "" {
			t.Errorf("%s: no %s", what, k)
		}
	}
	if enc := got.Header().Get("Content-Encoding"); enc != "" && !strings.Contains(got.Header().Get("Vary"), "Accept-Encoding") {
		t.Errorf("%s: %s without Vary: Accept-Encoding", what, enc)
	}
}
