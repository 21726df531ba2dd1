// Package netx reads what a request says about where it came from: the
// client's address, whether the reader's browser used HTTPS, and the host
// it asked for. Behind a reverse proxy those come in X-Forwarded-For,
// X-Forwarded-Proto and X-Forwarded-Host, which anyone can send; they are
// believed only from the proxies the operator names (--trusted-proxy). The
// site, the newsroom, the API and their logs all ask here, so the program
// has one answer to "who is this, and did they come over HTTPS".
package netx

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies is the set of reverse proxies whose forwarding headers
// (X-Forwarded-For, -Proto, -Host) are believed. Empty, the client is
// whoever is at the other end of the connection, and those headers are
// ignored.
type Proxies []netip.Prefix

// ParseProxies reads addresses and CIDR blocks ("10.0.0.0/8", "::1").
func ParseProxies(list []string) (Proxies, error) {
	var out Proxies
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: give an IP address or a CIDR block", s)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func (ps Proxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peer is the address at the other end of the connection.
func peer(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	return a.Unmap(), err == nil
}

// Forwarded reports whether the request reached us through a trusted
// proxy, whose forwarding headers are therefore believed.
func (ps Proxies) Forwarded(r *http.Request) bool {
	if len(ps) == 0 {
		return false
	}
	a, ok := peer(r)
	return ok && ps.trusts(a)
}

// ClientAddr returns the address a request comes from. When the connection
// comes from a trusted proxy, X-Forwarded-For is read from the right, past
// every trusted proxy: the first address no trusted proxy vouches for is
// the client. Addresses further left were written by the client and could
// be anything.
func (ps Proxies) ClientAddr(r *http.Request) string {
	a, ok := peer(r)
	if !ok {
		return r.RemoteAddr
	}
	if !ps.trusts(a) {
		return a.String()
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := parseHop(hops[i])
		if err != nil {
			break
		}
		if !ps.trusts(h) {
			return h.Unmap().String()
		}
		a = h.Unmap()
	}
	return a.String()
}

// parseHop reads one address of X-Forwarded-For: bare, as most proxies
// write it, or with the port the client used (203.0.113.9:51234,
// [2001:db8::7]:51234), as some write it (Azure's Application Gateway),
// or in brackets. Were the port read as garbage, every client would be
// the proxy, and share one address's login limits with all the others.
func parseHop(s string) (netip.Addr, error) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err == nil {
		return a, nil
	}
	if host, _, serr := net.SplitHostPort(s); serr == nil {
		return netip.ParseAddr(host)
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return netip.ParseAddr(s[1 : len(s)-1])
	}
	return a, err
}

// HTTPS reports whether the browser reached us over HTTPS: the connection
// is TLS, or a trusted proxy says it terminated TLS.
func (ps Proxies) HTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return ps.Forwarded(r) && strings.EqualFold(lastValue(r.Header.Values("X-Forwarded-Proto")), "https")
}

// Host is the host (and port, if any) the browser asked for: the Host
// header, or X-Forwarded-Host when a trusted proxy sent it. It is what the
// request claims, not yet a known address of the site; callers match it
// against their own list before they use it for anything.
func (ps Proxies) Host(r *http.Request) string {
	if ps.Forwarded(r) {
		if h := lastValue(r.Header.Values("X-Forwarded-Host")); h != "" {
			return h
		}
	}
	return r.Host
}

// lastValue is the rightmost entry of a header that proxies may append
// to ("a, b"): the one the proxy nearest to us wrote. Entries further left
// came from further away, the client included.
func lastValue(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	v := vs[len(vs)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.TrimSpace(v)
}
