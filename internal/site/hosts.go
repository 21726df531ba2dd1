package site

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Hosts: the site answers on its primary address, on every mirror and on
// its onion address. A request is matched to one of them by its Host header
// (or X-Forwarded-Host from a trusted proxy), and links that should keep a
// reader where they are (feeds, sitemaps, robots.txt, oEmbed, the feed
// links in a page's head) name that address. Canonical links and
// structured data always name the primary.
//
// A Host that is none of the site's addresses is answered as the primary,
// or refused with 421 under Config.StrictHosts. Either way the header's
// text is never written anywhere: only the matched address is, and only it
// is part of a page's cache key, so a request with a made-up Host cannot
// put that name into a page, a feed or the cache for the next reader.

// origin is one of the site's own addresses.
type origin struct {
	base  string // scheme and host as the operator gave them, no slash: "https://mirror.example.net"
	onion bool   // an onion service: no Onion-Location on its answers
}

// hostTable maps host names, in the form hostKey gives, to the addresses
// given by flags. It is built once and only read.
type hostTable struct {
	primary *origin
	byName  map[string]*origin
}

func newHostTable(cfg Config) hostTable {
	t := hostTable{byName: map[string]*origin{}}
	t.primary = t.add(cfg.BaseURL)
	for _, m := range cfg.Mirrors {
		t.add(m)
	}
	if cfg.Onion != nil {
		t.add(cfg.Onion)
	}
	return t
}

// add registers an address; the first one given for a host name wins, so
// the primary is never shadowed by a mirror on the same name.
func (t hostTable) add(u *url.URL) *origin {
	k := hostKey(u.Host)
	if o, ok := t.byName[k]; ok {
		return o
	}
	o := newOrigin(u)
	t.byName[k] = o
	return o
}

func newOrigin(u *url.URL) *origin {
	return &origin{base: u.Scheme + "://" + u.Host, onion: strings.HasSuffix(strings.ToLower(u.Hostname()), ".onion")}
}

// hostKey is the form host names are compared in: lower case, without a
// trailing dot, and without the port when it is 80 or 443. The default
// ports are dropped whatever the scheme, because the scheme the reader used
// is not always known here (a proxy may not say), and a browser sends
// "news.example.org", not "news.example.org:443".
func hostKey(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	name, port := h, ""
	i := strings.LastIndexByte(h, ':')
	if i >= 0 && !strings.Contains(h[i:], "]") {
		name, port = h[:i], h[i+1:]
	}
	name = strings.TrimSuffix(name, ".")
	if port == "" || port == "80" || port == "443" {
		return name
	}
	if len(name) == i {
		// h is in the form already ("127.0.0.1:8080"): no new string.
		return h
	}
	return name + ":" + port
}

// originKey is the context key of the address a request came through.
type originKey struct{}

// resolveOrigin matches a request to one of the site's addresses: those
// given by flags, then those the newsroom added at run time. It reports
// false for any other host.
func (s *Site) resolveOrigin(r *http.Request) (*origin, bool) {
	return s.originOf(r.Context(), s.cfg.Proxies.Host(r))
}

// originOf finds the site's address with this host name (and port).
func (s *Site) originOf(ctx context.Context, host string) (*origin, bool) {
	k := hostKey(host)
	if o, ok := s.hosts.byName[k]; ok {
		return o, true
	}
	// The lists belong to the settings every request shares: read them,
	// never append to them.
	mirrors, onion := s.runtimeAddresses(ctx)
	for _, u := range mirrors {
		if hostKey(u.Host) == k {
			return newOrigin(u), true
		}
	}
	if onion != nil && hostKey(onion.Host) == k {
		return newOrigin(onion), true
	}
	return nil, false
}

// runtimeAddresses are the mirrors and the onion address the newsroom
// keeps in the settings, besides those given by flags. The settings are
// read once per change, so this costs no query per request.
func (s *Site) runtimeAddresses(ctx context.Context) (mirrors []*url.URL, onion *url.URL) {
	a := s.settings(ctx).Addresses
	return a.Mirrors, a.Onion
}

// onionAddress is the onion address to announce: the one the newsroom
// set, or else the flag's; nil for none. A newsroom replacing a seized or
// burnt onion service sets the new one at run time, and the old name still
// answers while readers move.
func (s *Site) onionAddress(ctx context.Context) *url.URL {
	_, onion := s.runtimeAddresses(ctx)
	return onion
}

// here is the address the request with this context came through; the
// primary when the request was not matched (outside a request, in tests
// that call handlers directly, or for an unknown host).
func (s *Site) here(ctx context.Context) *origin {
	if o, ok := ctx.Value(originKey{}).(*origin); ok {
		return o
	}
	return s.hosts.primary
}

// Here is the address a request came through, as its context carries it
// after WithHosts: "https://mirror.example.net", or the primary's.
func (s *Site) Here(ctx context.Context) string { return s.here(ctx).base }

// WithHosts answers requests for other handlers of the program (the API)
// as the site answers its own: matched to one of its addresses, refused
// with 421 under --strict-hosts, and carrying the address for Here.
func (s *Site) WithHosts(next http.Handler) http.Handler { return s.withHosts(next, nil) }

// link returns the absolute URL of a site path on the address the request
// came through, so a reader on a mirror stays on the mirror. Canonical
// links use Config.abs instead.
func (s *Site) link(ctx context.Context, path string) string {
	return s.here(ctx).base + path
}

// rebase moves an absolute URL on the primary address to the address the
// request came through; any other URL is returned as it is. Settings hold
// URLs made absolute on the primary (the logo), and a feed read on a
// mirror should not send its reader's app to the primary for them.
func (s *Site) rebase(ctx context.Context, u string) string {
	here := s.here(ctx)
	if here == s.hosts.primary {
		return u
	}
	if rest, ok := strings.CutPrefix(u, s.hosts.primary.base+"/"); ok {
		return here.base + "/" + rest
	}
	return u
}

// misdirected is the whole answer to a request for a host the site does
// not serve, under StrictHosts. It does not repeat the host: nothing the
// client sent is echoed.
const misdirected = "Misdirected request: this server does not serve the site under that host name.\n"

// withHosts matches every request to one of the site's addresses before
// anything else sees it, answers an unknown host (421 under StrictHosts,
// otherwise as the primary), and adds Onion-Location to HTTPS answers
// when the site has an onion address.
//
// hit, when not nil, is tried first with the matched address: it answers
// from the page cache and reports whether it did. Only when it did not is
// the request copied to carry the address in its context (one copy of the
// request and two allocations) and sent to next.
func (s *Site) withHosts(next http.Handler, hit func(http.ResponseWriter, *http.Request, *origin) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o, known := s.resolveOrigin(r)
		if !known {
			if s.cfg.StrictHosts {
				h := w.Header()
				h.Set("Content-Type", "text/plain; charset=utf-8")
				h.Set("Cache-Control", "no-store")
				w.WriteHeader(http.StatusMisdirectedRequest)
				if r.Method != http.MethodHead {
					io.WriteString(w, misdirected)
				}
				return
			}
			o = s.hosts.primary
		}
		// Tor Browser offers the onion address when an HTTPS page names
		// it; on plain HTTP the header could have been put there by anyone
		// on the path, so browsers ignore it there and it is not sent.
		if !o.onion && s.cfg.Proxies.HTTPS(r) {
			if onion := s.onionAddress(r.Context()); onion != nil {
				w.Header().Set("Onion-Location", onion.String()+r.URL.RequestURI())
			}
		}
		if hit != nil && hit(w, r, o) {
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), originKey{}, o)))
	})
}

// cacheVariant is the part of a cached page's key beyond its path and
// query: the matched address, never the Host header. The same path on the
// primary and on a mirror are two entries, because their feeds and
// sitemaps name different hosts; an unknown host shares the primary's.
// cachedHit builds the same key from the address withHosts matched.
func (s *Site) cacheVariant(r *http.Request) string {
	return s.here(r.Context()).base
}
