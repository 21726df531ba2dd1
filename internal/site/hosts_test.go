package site_test

import (
	"bytes"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/netx"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// The hosts tests run the fixture newsroom of the distribution tests on a
// primary address, a mirror and an onion address, and send requests to the
// handler directly, so each can say which host it asked for, whether it
// came over TLS and from which address.

const (
	hostMirror  = "https://mirror.example.net"
	hostAdded   = "https://second-mirror.example.com" // a mirror the newsroom adds at run time
	hostUnknown = "evil.example"
)

// onionName is a made-up version 3 onion name: 56 base32 characters.
var onionName = "meridian" + strings.Repeat("x", 48)

var hostOnion = "http://" + onionName + ".onion"

type hostOptions struct {
	strict  bool
	proxies []string
	onion   string // default hostOnion; "-" for none
	hub     string
	logs    io.Writer
}

// newHostSite builds the fixture site with the given host settings and
// returns its handler.
func newHostSite(t testing.TB, s *store.Store, opt hostOptions) http.Handler {
	t.Helper()
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	im := &ingest.Importer{Store: s, Media: ms}
	fsys := distFixture()
	for _, a := range distArticles {
		if _, err := im.ImportFile(ctx, fsys, a.file); err != nil {
			t.Fatalf("fixture: %v", err)
		}
	}
	cfg, err := site.NewConfig(distBase, []string{hostMirror}, "Meridian 24")
	if err != nil {
		t.Fatal(err)
	}
	if opt.onion == "" {
		opt.onion = hostOnion
	}
	if opt.onion != "-" {
		if cfg.Onion, err = site.ParseOnion(opt.onion); err != nil {
			t.Fatal(err)
		}
	}
	cfg.StrictHosts = opt.strict
	if cfg.Proxies, err = netx.ParseProxies(opt.proxies); err != nil {
		t.Fatal(err)
	}
	if opt.hub != "" {
		if cfg.WebSubHub, err = site.ParseWebSubHub(opt.hub); err != nil {
			t.Fatal(err)
		}
	}
	clock := &testClock{t: distNow}
	cfg.Now = clock.Now
	var log *slog.Logger
	if opt.logs != nil {
		log = slog.New(slog.NewTextHandler(opt.logs, nil))
	}
	si, err := site.New(cfg, s, ms, log)
	if err != nil {
		t.Fatal(err)
	}
	return si.Handler()
}

// hostRequest is one request: the host it names, over TLS or not, from
// which peer, with which extra headers.
type hostRequest struct {
	host   string
	tls    bool
	remote string // default 192.0.2.1:4000, an ordinary reader
	header map[string]string
}

// do sends a GET for path and returns the answer, its body decoded.
func (hr hostRequest) do(t testing.TB, h http.Handler, path string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.Host = hr.host
	r.RemoteAddr = hr.remote
	if r.RemoteAddr == "" {
		r.RemoteAddr = "192.0.2.1:4000"
	}
	if hr.tls {
		r.TLS = &tls.ConnectionState{}
	}
	for k, v := range hr.header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// siteURL finds absolute URLs in a document; ampersands may be escaped.
var siteURL = regexp.MustCompile(`https?://[A-Za-z0-9.:\[\]-]+`)

// siteHosts are every name a test request can use: a URL on any of them
// in a document is a link to the site.
var siteHosts = []string{distBase, hostMirror, hostOnion, hostAdded, "http://" + hostUnknown, "https://" + hostUnknown}

// linksOn checks that a document links to the site only on want: every
// absolute URL on one of siteHosts is on want, and there is at least one.
// except lists URLs that may stay on the primary (canonical links).
func linksOn(t *testing.T, what, body, want string, except ...string) {
	t.Helper()
	for _, e := range except {
		body = strings.ReplaceAll(body, e, "")
	}
	n := 0
	for _, u := range siteURL.FindAllString(body, -1) {
		for _, h := range siteHosts {
			if strings.EqualFold(u, h) {
				if u != want {
					t.Errorf("%s: links to %s, want only %s", what, u, want)
				}
				n++
			}
		}
	}
	if n == 0 {
		t.Errorf("%s: no link on %s", what, want)
	}
}

var (
	canonicalTag = regexp.MustCompile(`<link rel="canonical" href="([^"]+)">`)
	ogURLTag     = regexp.MustCompile(`<meta property="og:url" content="([^"]+)">`)
	jsonLDTag    = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	anyMetaTag   = regexp.MustCompile(`<meta [^>]*>`)
)

func TestHosts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		article := fixtureArticle(t, "a1-treaty.md").path
		primaryHost := strings.TrimPrefix(distBase, "https://")
		mirrorHost := strings.TrimPrefix(hostMirror, "https://")
		onionHost := strings.TrimPrefix(hostOnion, "http://")
		tests := []struct {
			name   string
			strict bool
			req    hostRequest
			status int
			origin string // where feeds and sitemaps link to
			onion  bool   // Onion-Location expected
		}{
			{"primary over HTTPS", false, hostRequest{host: primaryHost, tls: true}, 200, distBase, true},
			{"primary over plain HTTP", false, hostRequest{host: primaryHost}, 200, distBase, false},
			{"primary, other case, port and dot, strict", true, hostRequest{host: "NEWS.Example.ORG.:443", tls: true}, 200, distBase, true},
			{"mirror with its default port, strict", true, hostRequest{host: mirrorHost + ":443", tls: true}, 200, hostMirror, true},
			{"onion in capitals, strict", true, hostRequest{host: strings.ToUpper(onionHost)}, 200, hostOnion, false},
			{"mirror over HTTPS", false, hostRequest{host: mirrorHost, tls: true}, 200, hostMirror, true},
			{"onion", false, hostRequest{host: onionHost}, 200, hostOnion, false},
			{"onion, strict", true, hostRequest{host: onionHost}, 200, hostOnion, false},
			{"mirror, strict", true, hostRequest{host: mirrorHost, tls: true}, 200, hostMirror, true},
			{"unknown host", false, hostRequest{host: hostUnknown, tls: true}, 200, distBase, true},
			{"unknown port on the primary", false, hostRequest{host: primaryHost + ":8443", tls: true}, 200, distBase, true},
			{"no host", false, hostRequest{host: ""}, 200, distBase, false},
			{"unknown host, strict", true, hostRequest{host: hostUnknown, tls: true}, 421, "", false},
			{"no host, strict", true, hostRequest{host: ""}, 421, "", false},
		}
		loose := newHostSite(t, s, hostOptions{})
		strict := newHostSite(t, s, hostOptions{strict: true})
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				h := loose
				if tt.strict {
					h = strict
				}
				for _, path := range []string{article, "/rss.xml", "/atom.xml", "/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/articles-1.xml", "/news-sitemap.xml", "/robots.txt", "/news/europe/"} {
					res, body := tt.req.do(t, h, path+"?x=1")
					if res.StatusCode != tt.status {
						t.Fatalf("GET %s: status %d, want %d\n%s", path, res.StatusCode, tt.status, body)
					}
					if strings.Contains(strings.ToLower(body), hostUnknown) {
						t.Errorf("GET %s: the answer names the unknown host", path)
					}
					gotOnion := res.Header.Get("Onion-Location")
					wantOnion := ""
					if tt.onion {
						wantOnion = hostOnion + path + "?x=1"
					}
					if gotOnion != wantOnion {
						t.Errorf("GET %s: Onion-Location %q, want %q", path, gotOnion, wantOnion)
					}
					if tt.status != 200 {
						if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
							t.Errorf("GET %s: 421 as %q, want plain text", path, ct)
						}
						continue
					}
					switch path {
					case article, "/news/europe/":
						canonical := distBase + path
						if m := canonicalTag.FindStringSubmatch(body); m == nil || m[1] != canonical {
							t.Errorf("GET %s: canonical %v, want %s", path, m, canonical)
						}
						if m := ogURLTag.FindStringSubmatch(body); m == nil || m[1] != canonical {
							t.Errorf("GET %s: og:url %v, want %s", path, m, canonical)
						}
						// Structured data names the primary only.
						for _, ld := range jsonLDTag.FindAllStringSubmatch(body, -1) {
							linksOn(t, path+" JSON-LD", ld[1], distBase)
						}
						// The rest of the page (feed and oEmbed discovery
						// links) keeps the reader where they are; links
						// inside the page are relative.
						// Open Graph names the primary (og:url, og:image):
						// it is what a share of the page points to.
						rest := anyMetaTag.ReplaceAllString(jsonLDTag.ReplaceAllString(body, ""), "")
						rest = strings.ReplaceAll(rest, `"`+canonical+`"`, "")
						rest = strings.ReplaceAll(rest, url.QueryEscape(canonical), "")
						// The mirror notice lists every address on purpose.
						if i := strings.Index(rest, "alternate addresses"); i >= 0 {
							rest = rest[:i]
						}
						linksOn(t, path+" head", rest, tt.origin)
					default:
						// A feed names itself on the primary (see
						// TestHostsFeedSelf).
						linksOn(t, path, body, tt.origin, distBase+path)
					}
				}
			})
		}
	})
}

// TestHostsCachePoisoning: a request with a made-up Host comes first and
// fills the cache; readers on the primary and on the mirror then get their
// own links, and nothing anyone gets names the made-up host.
func TestHostsCachePoisoning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHostSite(t, s, hostOptions{proxies: []string{"10.0.0.0/8"}})
		article := fixtureArticle(t, "a1-treaty.md").path
		attacks := []hostRequest{
			{host: hostUnknown},
			{host: "news.example.org", remote: "192.0.2.66:999", header: map[string]string{"X-Forwarded-Host": hostUnknown}},
			{host: "news.example.org", remote: "10.0.0.5:999", header: map[string]string{"X-Forwarded-Host": hostUnknown}},
			{host: hostUnknown + ":8080", header: map[string]string{"X-Forwarded-Host": "mirror.example.net"}},
		}
		paths := []string{"/", article, "/rss.xml", "/sitemap.xml", "/robots.txt", "/news/europe/"}
		for _, a := range attacks {
			for _, p := range paths {
				if _, body := a.do(t, h, p); strings.Contains(body, hostUnknown) {
					t.Errorf("attack %+v on %s: the answer names the unknown host", a, p)
				}
			}
		}
		readers := []struct {
			req    hostRequest
			origin string
		}{
			{hostRequest{host: "news.example.org", tls: true}, distBase},
			{hostRequest{host: "mirror.example.net", tls: true}, hostMirror},
		}
		for _, rd := range readers {
			for _, p := range []string{"/rss.xml", "/sitemap.xml", "/robots.txt"} {
				res, body := rd.req.do(t, h, p)
				if res.StatusCode != 200 {
					t.Fatalf("%s%s: status %d", rd.origin, p, res.StatusCode)
				}
				linksOn(t, rd.origin+p, body, rd.origin, distBase+p)
			}
			_, body := rd.req.do(t, h, article)
			if strings.Contains(body, hostUnknown) {
				t.Errorf("%s%s: the page names the unknown host", rd.origin, article)
			}
		}
	})
}

// TestHostsProxies: X-Forwarded-Proto and X-Forwarded-Host count only from
// a trusted proxy; X-Forwarded-For too (the address in the logs).
func TestHostsProxies(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var logs syncBuffer
		h := newHostSite(t, st, hostOptions{proxies: []string{"10.0.0.0/8"}, logs: &logs})
		strict := newHostSite(t, st, hostOptions{proxies: []string{"10.0.0.0/8"}, strict: true})
		const proxy, stranger = "10.1.2.3:5000", "192.0.2.1:5000"
		forwarded := map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "mirror.example.net", "X-Forwarded-For": "203.0.113.7"}
		tests := []struct {
			name   string
			h      http.Handler
			req    hostRequest
			status int
			origin string
			onion  bool
		}{
			{"trusted proxy: host and HTTPS believed", h, hostRequest{host: "internal:8080", remote: proxy, header: forwarded}, 200, hostMirror, true},
			{"untrusted peer: headers ignored", h, hostRequest{host: "news.example.org", remote: stranger, header: forwarded}, 200, distBase, false},
			{"untrusted peer, strict: its Host is unknown", strict, hostRequest{host: "internal:8080", remote: stranger, header: forwarded}, 421, "", false},
			{"trusted proxy without forwarding headers", h, hostRequest{host: "mirror.example.net", remote: proxy}, 200, hostMirror, false},
			{"trusted proxy says http", h, hostRequest{host: "news.example.org", remote: proxy, header: map[string]string{"X-Forwarded-Proto": "http"}}, 200, distBase, false},
			{"trusted proxy, unknown forwarded host, strict", strict, hostRequest{host: "news.example.org", remote: proxy, header: map[string]string{"X-Forwarded-Host": hostUnknown}}, 421, "", false},
			{"TLS to us directly", h, hostRequest{host: "news.example.org", tls: true, remote: stranger}, 200, distBase, true},
		}
		for _, tt := range tests {
			res, body := tt.req.do(t, tt.h, "/rss.xml")
			if res.StatusCode != tt.status {
				t.Errorf("%s: status %d, want %d", tt.name, res.StatusCode, tt.status)
				continue
			}
			if got := res.Header.Get("Onion-Location") != ""; got != tt.onion {
				t.Errorf("%s: Onion-Location %q, want one: %v", tt.name, res.Header.Get("Onion-Location"), tt.onion)
			}
			if tt.status == 200 {
				linksOn(t, tt.name, body, tt.origin, distBase+"/rss.xml")
			}
		}

		// X-Forwarded-For: the address a failed request is logged with.
		// With the database gone, a page not yet cached fails.
		st.Close()
		for _, c := range []struct {
			remote, want string
		}{{proxy, "addr=203.0.113.7"}, {stranger, "addr=192.0.2.1"}} {
			logs.Reset()
			hr := hostRequest{host: "news.example.org", remote: c.remote, header: map[string]string{"X-Forwarded-For": "203.0.113.7"}}
			res, _ := hr.do(t, h, "/tag/football?from="+c.remote)
			if res.StatusCode < 500 {
				t.Fatalf("with the database closed: status %d", res.StatusCode)
			}
			if got := logs.String(); !strings.Contains(got, c.want) {
				t.Errorf("peer %s: log %q, want %s", c.remote, got, c.want)
			}
		}
	})
}

// syncBuffer is a log sink that handlers may write to concurrently.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	s.b.Reset()
	s.mu.Unlock()
}

func TestParseOnion(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for an error
	}{
		{hostOnion, hostOnion},
		{strings.ToUpper(hostOnion[:7]) + strings.ToUpper(hostOnion[7:]) + "/", hostOnion},
		{"https://" + onionName + ".onion", "https://" + onionName + ".onion"},
		{"http://news.example.org", ""},
		{"http://short.onion", ""},
		{"http://" + onionName[1:] + "1.onion", ""}, // 1 is not base32
		{"http://" + onionName + "x.onion", ""},
		{hostOnion + "/news/", ""},
		{onionName + ".onion", ""},
		{hostOnion + ".example.org", ""},
	}
	for _, tt := range tests {
		u, err := site.ParseOnion(tt.in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("ParseOnion(%q) = %v, want an error", tt.in, u)
		case tt.want != "" && (err != nil || u.String() != tt.want):
			t.Errorf("ParseOnion(%q) = %v, %v; want %s", tt.in, u, err, tt.want)
		}
	}
	if u, err := site.ParseOnion(" "); u != nil || err != nil {
		t.Errorf("ParseOnion(blank) = %v, %v; want nil, nil", u, err)
	}
}

// TestHostsFeedSelf: a feed read on a mirror names the primary's feed as
// its self link and id (the feed's identity, and the topic a WebSub hub is
// told about), with a hub or without, while its other links stay on the
// mirror.
func TestHostsFeedSelf(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, hub := range []string{"", "https://hub.example.com/"} {
			h := newHostSite(t, s, hostOptions{hub: hub})
			wantSelf := distBase + "/news/europe/atom.xml"
			for _, f := range []struct{ path, self, id string }{
				{"/news/europe/atom.xml", `<link rel="self" type="application/atom+xml" href="` + wantSelf + `"`, "<id>" + wantSelf + "</id>"},
				{"/news/europe/rss.xml", `<atom:link href="` + distBase + `/news/europe/rss.xml" rel="self"`, ""},
				{"/news/europe/feed.json", `"feed_url": "` + distBase + `/news/europe/feed.json"`, ""},
			} {
				res, body := hostRequest{host: "mirror.example.net", tls: true}.do(t, h, f.path)
				if res.StatusCode != 200 {
					t.Fatalf("%s: status %d", f.path, res.StatusCode)
				}
				mustContain(t, f.path, body, f.self)
				if f.id != "" {
					mustContain(t, f.path, body, f.id)
				}
				linksOn(t, f.path+" without its own address", strings.ReplaceAll(body, distBase+f.path, ""), hostMirror)
			}
		}
	})
}

// BenchmarkHostsCachedHit is the cost of a cached page through the host
// matching, on each kind of address: what every reader's request pays.
func BenchmarkHostsCachedHit(b *testing.B) {
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "newsdesk.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	h := newHostSite(b, st, hostOptions{})
	path := distArticles[0].path
	for _, c := range []struct {
		name string
		req  hostRequest
	}{
		{"primary-http", hostRequest{host: "news.example.org"}},
		{"primary-https-onion-location", hostRequest{host: "news.example.org", tls: true}},
		{"mirror", hostRequest{host: "mirror.example.net", tls: true}},
		{"unknown", hostRequest{host: hostUnknown}},
	} {
		b.Run(c.name, func(b *testing.B) {
			if res, _ := c.req.do(b, h, path); res.StatusCode != 200 {
				b.Fatalf("status %d", res.StatusCode)
			}
			r := httptest.NewRequest("GET", path, nil)
			r.Host = c.req.host
			r.RemoteAddr = "192.0.2.1:4000"
			if c.req.tls {
				r.TLS = &tls.ConnectionState{}
			}
			r.Header.Set("Accept-Encoding", "br, gzip")
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(discard{}, r)
			}
		})
	}
}

// discard is a ResponseWriter that keeps nothing, so the benchmark
// measures the server and not a recorder.
type discard struct{}

var discardHeader = http.Header{}

func (discard) Header() http.Header {
	clear(discardHeader)
	return discardHeader
}
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// TestHostsRuntimeMirror: a mirror and an onion address the newsroom added
// in the settings are answered on like those given by flags, even with
// strict hosts, and the onion is announced when no flag names one.
func TestHostsRuntimeMirror(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const added = hostAdded
		if err := s.SetSetting(ctx, news.SettingMirrors, added+"\n"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSetting(ctx, news.SettingOnion, hostOnion); err != nil {
			t.Fatal(err)
		}
		h := newHostSite(t, s, hostOptions{strict: true, onion: "-"})
		tests := []struct {
			host, origin string
			tls          bool
			onion        string
		}{
			{"second-mirror.example.com", added, true, hostOnion + "/rss.xml"},
			{strings.TrimPrefix(hostOnion, "http://"), hostOnion, false, ""},
			{"news.example.org", distBase, true, hostOnion + "/rss.xml"},
		}
		for _, tt := range tests {
			res, body := hostRequest{host: tt.host, tls: tt.tls}.do(t, h, "/rss.xml")
			if res.StatusCode != 200 {
				t.Fatalf("%s: status %d, want 200", tt.host, res.StatusCode)
			}
			if got := res.Header.Get("Onion-Location"); got != tt.onion {
				t.Errorf("%s: Onion-Location %q, want %q", tt.host, got, tt.onion)
			}
			linksOn(t, tt.host+"/rss.xml", body, tt.origin, distBase+"/rss.xml")
		}
	})
}
