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

// TestCachedHitHostForms: once a page is cached, every form of a known
// Host (upper case, a trailing dot, the default ports) is answered from
// its own address's entry, a port the site does not serve on is another
// host (the primary's answer, or 421 under --strict-hosts, cached page or
// not), and what the cache must leave to the site still reaches it: the
// old /?p= addresses, methods other than GET and HEAD.
func TestCachedHitHostForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHostSite(t, s, hostOptions{})
		a, err := s.ArticleByPath(ctx, store.Full, "news/europe", "negotiators-agree-on-river-treaty")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddOldAddress(ctx, "/?p=123", store.OldAddress{ArticleID: a.ID}); err != nil {
			t.Fatal(err)
		}
		path := distArticles[0].path
		primary := hitAnswer(h, "GET", "news.example.org", true, path, "Accept-Encoding", "gzip")
		mirror := hitAnswer(h, "GET", "mirror.example.net", true, path, "Accept-Encoding", "gzip")
		if primary.Code != 200 || mirror.Code != 200 || primary.Body.String() == mirror.Body.String() {
			t.Fatalf("primary %d, mirror %d, same bytes %v", primary.Code, mirror.Code, primary.Body.String() == mirror.Body.String())
		}
		for host, want := range map[string]*httptest.ResponseRecorder{
			"NEWS.Example.ORG":          primary,
			"news.example.org.":         primary,
			"news.example.org.:443":     primary,
			"news.example.org:80":       primary,
			" news.example.org ":        primary,
			"MIRROR.example.net.:443":   mirror,
			"mirror.example.net:80":     mirror,
			"mirror.example.net:8443":   primary, // not the mirror's port: an unknown host
			"news.example.org:8080":     primary,
			"[2001:db8::1]:8080":        primary,
			"mirror.example.net.evil":   primary,
			"evil.mirror.example.net:0": primary,
		} {
			sameSiteAnswer(t, path+" for Host "+host, hitAnswer(h, "GET", host, true, path, "Accept-Encoding", "gzip"), want)
		}

		home := hitAnswer(h, "GET", "news.example.org", true, "/")
		if home.Code != 200 {
			t.Fatalf("home: %d", home.Code)
		}
		for _, target := range []string{"/?p=123", "/?utm_source=x&p=123"} {
			got := hitAnswer(h, "GET", "news.example.org", true, target)
			if got.Code != http.StatusMovedPermanently || got.Header().Get("Location") != a.URL() {
				t.Errorf("%s with the home page cached: %d to %q, want 301 to %s", target, got.Code, got.Header().Get("Location"), a.URL())
			}
		}
		for _, method := range []string{"POST", "PUT", "DELETE", "OPTIONS"} {
			got := hitAnswer(h, method, "news.example.org", true, path)
			if got.Code != http.StatusMethodNotAllowed || got.Header().Get("Etag") != "" {
				t.Errorf("%s %s with the page cached: %d, ETag %q; want 405 and none", method, path, got.Code, got.Header().Get("Etag"))
			}
		}

		strict := newHostSite(t, s, hostOptions{strict: true})
		if got := hitAnswer(strict, "GET", "news.example.org", true, path); got.Code != 200 {
			t.Fatalf("strict primary: %d", got.Code)
		}
		for _, host := range []string{"evil.example", "news.example.org:8443", "mirror.example.net:8080", "[::1]:443"} {
			for _, method := range []string{"GET", "HEAD"} {
				got := hitAnswer(strict, method, host, true, path)
				if got.Code != http.StatusMisdirectedRequest || got.Header().Get("Etag") != "" || strings.Contains(got.Body.String(), "treaty") {
					t.Errorf("strict hosts, %s for Host %q with the page cached: %d, ETag %q", method, host, got.Code, got.Header().Get("Etag"))
				}
			}
		}
		if got := hitAnswer(strict, "GET", "News.Example.Org.:443", true, path); got.Code != 200 {
			t.Errorf("strict hosts, the primary's Host in another form: %d", got.Code)
		}
	})
}

// TestCachedPathWithQuestionMark: a path holding '?' (sent escaped, %3F)
// is not a page's address with a query. Its answer (a 404) was kept under
// the key of that page, the path and the page parameters joined by '?',
// so anyone could put a 404 in place of a section's second page until
// the next change to the content, for every reader (and the fast path
// served it too).
func TestCachedPathWithQuestionMark(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHostSite(t, s, hostOptions{})
		for _, poison := range []string{"/news/europe/%3Fpage=2", "/news/europe/%3Fpage%3D2", "/news/europe/%3fpage=2&utm_source=x"} {
			if got := hitAnswer(h, "GET", "news.example.org", true, poison); got.Code != http.StatusNotFound {
				t.Fatalf("%s: %d, want 404", poison, got.Code)
			}
		}
		for range 2 {
			if got := hitAnswer(h, "GET", "news.example.org", true, "/news/europe/?page=2"); got.Code != 200 {
				t.Errorf("/news/europe/?page=2 after requests for /news/europe/%%3Fpage=2: %d, want 200", got.Code)
			}
		}
	})
}

// TestCachedPathWithEscapedSlash: "/static%2Fsite.css" is one segment to
// the site's routes (none of its own, a 404), but its path is
// "/static/site.css" once unescaped. Kept under that key, its 404 was
// every reader's style sheet until the next change to the content.
func TestCachedPathWithEscapedSlash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHostSite(t, s, hostOptions{})
		home := hitAnswer(h, "GET", "news.example.org", true, "/").Body.String()
		i := strings.Index(home, "/static/")
		if i < 0 {
			t.Fatal("no /static/ link on the home page")
		}
		css := home[i : i+strings.IndexByte(home[i:], '"')]
		poison := "/static%2F" + strings.TrimPrefix(css, "/static/")
		if got := hitAnswer(h, "GET", "news.example.org", true, poison); got.Code != http.StatusNotFound {
			t.Fatalf("%s: %d, want 404", poison, got.Code)
		}
		for range 2 {
			if got := hitAnswer(h, "GET", "news.example.org", true, css); got.Code != 200 {
				t.Errorf("%s after a request for %s: %d, want 200", css, poison, got.Code)
			}
		}
	})
}
