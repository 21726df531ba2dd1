package netx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// OutboundOptions are the limits of an OutboundClient.
type OutboundOptions struct {
	// AllowLoopback lets the client reach 127.0.0.0/8 and ::1, and
	// nothing else it would refuse: for tests, whose servers listen there.
	AllowLoopback bool
	// AllowPrivate lets the client reach loopback, private (10/8,
	// 172.16/12, 192.168/16, fc00::/7) and carrier-grade NAT addresses
	// too: for an operator who says the receivers are on the local
	// network (serve --webhook-allow-private). Link-local addresses and
	// the clouds' metadata services stay refused (see neverReached), as
	// do unspecified, multicast and broadcast ones.
	AllowPrivate bool
	// Timeout is the most a request may take, from dialling to the last
	// byte of the body; 0 means 30 seconds.
	Timeout time.Duration
	// MaxRedirects is how many redirects a request may follow; 0 means 5,
	// a negative number none.
	MaxRedirects int
	// beforeConnect, when set, is asked about each connection the check
	// allowed, just before it is made: tests of the real dialer refuse
	// there what they never mean to reach, so that a regression of the
	// check fails the test without a packet leaving for the address.
	beforeConnect func(network, address string) error
}

// OutboundClient returns an HTTP client for addresses that come from
// outside (an export's image addresses, later webhooks): it speaks only
// http and https, and refuses to connect to this machine, the local
// network, link-local addresses (the cloud's metadata service among them),
// unspecified, multicast and carrier-grade NAT addresses. The check is made
// on the address actually dialled, after DNS, so a name that resolves to a
// private address, or a redirect to one, is refused too.
func OutboundClient(opt OutboundOptions) *http.Client {
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	switch {
	case opt.MaxRedirects == 0:
		opt.MaxRedirects = 5
	case opt.MaxRedirects < 0:
		opt.MaxRedirects = 0
	}
	dialer := &net.Dialer{
		Timeout: 10 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			if err := dialCheck(address, opt); err != nil {
				return err
			}
			if opt.beforeConnect != nil {
				return opt.beforeConnect(network, address)
			}
			return nil
		},
	}
	transport := &http.Transport{
		// No proxy from the environment: the check must see the
		// address the request goes to.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: opt.Timeout,
	}
	return &http.Client{
		Transport: schemeCheck{transport},
		Timeout:   opt.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > opt.MaxRedirects {
				return fmt.Errorf("stopped after %d redirects", opt.MaxRedirects)
			}
			return checkScheme(req)
		},
	}
}

// schemeCheck refuses any scheme but http and https before the transport
// sees the request.
type schemeCheck struct{ next http.RoundTripper }

func (s schemeCheck) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := checkScheme(req); err != nil {
		return nil, err
	}
	return s.next.RoundTrip(req)
}

func checkScheme(req *http.Request) error {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("refused %s: only http and https addresses are fetched", req.URL.Redacted())
	}
	return nil
}

// ErrRefusedAddress is what a dial to a refused address fails with
// (wrapped, with the address and the reason).
var ErrRefusedAddress = errors.New("refused address")

// ErrNeverReached is wrapped too, beside ErrRefusedAddress, when the
// address is one no option lets a client reach: a link-local address or a
// cloud's metadata service (neverReached).
var ErrNeverReached = errors.New("never reached")

// refusal is the error of a refused address: it is ErrRefusedAddress, and
// ErrNeverReached as well when never is set.
type refusal struct {
	ip    netip.Addr
	why   string
	never bool
}

func (e *refusal) Error() string {
	return ErrRefusedAddress.Error() + " " + e.ip.String() + ": " + e.why
}

func (e *refusal) Is(target error) bool {
	return target == ErrRefusedAddress || (e.never && target == ErrNeverReached)
}

// checkDial refuses an address that is not a public one.
func checkDial(address string, allowLoopback bool) error {
	return dialCheck(address, OutboundOptions{AllowLoopback: allowLoopback})
}

// dialCheck refuses an address that is not a public one, unless opt
// allows it.
func dialCheck(address string, opt OutboundOptions) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w %s: %v", ErrRefusedAddress, address, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w %s: not an IP address", ErrRefusedAddress, address)
	}
	return checkAddr(ip, opt)
}

func checkAddr(ip netip.Addr, opt OutboundOptions) error {
	// The zone goes: an address is judged by what it is, and the kernel
	// ignores the zone of one that is not link-local ([fd00:ec2::254%eth0]
	// reaches fd00:ec2::254), while netip's Prefix.Contains is false for
	// any zoned address, which would hide the prefixes checked below.
	ip = ip.Unmap().WithZone("")
	if why := neverReached(ip); why != "" {
		return &refusal{ip: ip, why: why, never: true}
	}
	if ip.IsLoopback() && (opt.AllowLoopback || opt.AllowPrivate) {
		return nil
	}
	why := notPublic(ip)
	if why != "" && opt.AllowPrivate && localNetwork(embeddedIPv4(ip)) {
		return nil
	}
	if why != "" {
		return &refusal{ip: ip, why: why}
	}
	return nil
}

// The clouds' metadata services outside the link-local ranges: each hands
// the machine's credentials to whoever on it asks, so an address that a
// webhook's receiver or a story's image gives must never lead there, on an
// intranet or not.
var metadataServices = []netip.Prefix{
	netip.MustParsePrefix("fd00:ec2::/64"),      // AWS over IPv6: metadata (::254), DNS (::23), time (::123)
	netip.MustParsePrefix("fd20:ce::254/128"),   // Google Cloud over IPv6
	netip.MustParsePrefix("100.100.100.200/32"), // Alibaba Cloud (inside 100.64.0.0/10)
	netip.MustParsePrefix("192.0.0.192/32"),     // Oracle Cloud (classic)
	// Azure's WireServer: a public address every Azure machine reaches
	// on the host, which hands out the machine's extension settings
	// (their secrets among them); refused even without AllowPrivate.
	netip.MustParsePrefix("168.63.129.16/32"),
}

// neverReached says why ip may not be reached whatever the options, or
// returns "": link-local addresses (169.254.0.0/16, where most clouds
// answer at 169.254.169.254, and fe80::/10), also inside NAT64, 6to4 and
// IPv4-compatible addresses, and the metadata services above. An intranet
// has no receivers there.
func neverReached(ip netip.Addr) string {
	for _, p := range metadataServices {
		if p.Contains(ip) {
			return "a cloud metadata service, never reached"
		}
	}
	for _, v4 := range append([]netip.Addr{embeddedIPv4(ip)}, localNAT64Embedded(ip)...) {
		if v4.IsLinkLocalUnicast() {
			return "a link-local address (such as the cloud metadata service), never reached"
		}
		if v4 != ip {
			for _, p := range metadataServices {
				if p.Contains(v4) {
					return "a cloud metadata service, never reached"
				}
			}
		}
	}
	return ""
}

// embeddedIPv4 returns the IPv4 address an IPv6 one carries (NAT64,
// SIIT's IPv4-translated, 6to4, IPv4-compatible), which is where a packet
// to it goes; ip otherwise. An address of the local-use NAT64 prefix
// carries its IPv4 where the operator's prefix length puts it: this is the
// /96 reading (see localNAT64Embedded for the others).
func embeddedIPv4(ip netip.Addr) netip.Addr {
	switch b := ip.As16(); {
	case !ip.Is6():
		return ip
	case nat64.Contains(ip), localNAT64.Contains(ip), translated.Contains(ip),
		compatible.Contains(ip) && !ip.IsUnspecified() && !ip.IsLoopback():
		return netip.AddrFrom4([4]byte(b[12:16]))
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6]))
	}
	return ip
}

// localNAT64Embedded returns the IPv4 addresses an address of the
// local-use NAT64 prefix 64:ff9b:1::/48 carries in each layout of RFC 6052
// that fits in it (prefixes of 48, 56, 64 and 96 bits; bits 64 to 71 are
// left out), since which one the translator uses is the operator's choice.
func localNAT64Embedded(ip netip.Addr) []netip.Addr {
	if !localNAT64.Contains(ip) {
		return nil
	}
	b := ip.As16()
	var out []netip.Addr
	for _, start := range []int{6, 7, 9, 12} { // bytes: /48, /56, /64, /96
		var v4 [4]byte
		at := start
		for i := range v4 {
			if at == 8 {
				at++
			}
			v4[i] = b[at]
			at++
		}
		out = append(out, netip.AddrFrom4(v4))
	}
	return out
}

// localNetwork reports whether ip is on this machine or a local network
// (as notPublic reads it), not a multicast, broadcast or unspecified one.
func localNetwork(ip netip.Addr) bool {
	switch {
	case ip.IsMulticast(), ip.IsUnspecified():
		return false
	case ip.Is4() && (ip.As4() == [4]byte{255, 255, 255, 255} || ip.As4()[0] == 0):
		return false
	}
	return true
}

// CheckHost resolves host (a name or an IP address) and refuses it, naming
// the address and why, when any address it has is one an OutboundClient
// with opt would refuse: for addresses given in advance (a webhook
// endpoint), checked when they are given, as they are again at each dial.
func CheckHost(ctx context.Context, host string, opt OutboundOptions) error {
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return checkAddr(ip, opt)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("%w %s: no address found for it (%v)", ErrRefusedAddress, host, err)
	}
	for _, ip := range addrs {
		if err := checkAddr(ip, opt); err != nil {
			return fmt.Errorf("%s is at %w", host, err)
		}
	}
	return nil
}

var (
	sharedSpace = netip.MustParsePrefix("100.64.0.0/10")   // carrier-grade NAT, RFC 6598
	nat64       = netip.MustParsePrefix("64:ff9b::/96")    // IPv4 behind NAT64; checked as IPv4
	localNAT64  = netip.MustParsePrefix("64:ff9b:1::/48")  // local-use NAT64 (RFC 8215): not public; checked as IPv4 too
	translated  = netip.MustParsePrefix("::ffff:0:0:0/96") // SIIT's IPv4-translated (RFC 2765); checked as IPv4
	compatible  = netip.MustParsePrefix("::/96")           // IPv4-compatible (deprecated); checked as IPv4
	sixToFour   = netip.MustParsePrefix("2002::/16")       // 6to4: the IPv4 address after 2002:; checked as IPv4
	siteLocal   = netip.MustParsePrefix("fec0::/10")       // site-local (deprecated), private as fc00::/7 is
)

// notPublic says why ip is not a public address, or returns "".
func notPublic(ip netip.Addr) string {
	switch {
	case siteLocal.Contains(ip):
		return "a site-local address"
	case localNAT64.Contains(ip):
		// Translated by the operator's own network, to addresses of its
		// choosing: not public, whatever the IPv4 inside.
		if why := notPublic(embeddedIPv4(ip)); why != "" {
			return why
		}
		return "a local-use NAT64 address (64:ff9b:1::/48)"
	}
	ip = embeddedIPv4(ip)
	switch {
	case ip.IsLoopback():
		return "a loopback address (this machine)"
	case ip.IsPrivate():
		return "a private network address"
	case ip.IsLinkLocalUnicast():
		return "a link-local address (such as the cloud metadata service)"
	case ip.IsUnspecified():
		return "the unspecified address"
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	case sharedSpace.Contains(ip):
		return "a carrier-grade NAT address (100.64.0.0/10)"
	case ip.Is4() && ip.As4() == [4]byte{255, 255, 255, 255}:
		return "the broadcast address"
	case ip.Is4() && ip.As4()[0] == 0:
		return "an address of this network (0.0.0.0/8)"
	}
	return ""
}
