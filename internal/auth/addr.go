package auth

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies is the set of reverse proxies whose X-Forwarded-For and
// X-Forwarded-Proto headers are believed. Empty, the client is whoever is at
// the other end of the connection, and those headers are ignored: anyone
// can send them.
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
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
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

// HTTPS reports whether the browser reached us over HTTPS: the connection
// is TLS, or a trusted proxy says it terminated TLS.
func (ps Proxies) HTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	a, ok := peer(r)
	return ok && ps.trusts(a) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
