package netx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestZonedAddressesChecked: an IPv6 address written with a zone
// ("fd00:ec2::254%eth0", as a URL's [fd00:ec2::254%25eth0] gives it, and
// as the dialer hands it to the check) is judged by its address: the
// kernel ignores the zone of an address that is not link-local and
// connects to it, while netip.Prefix.Contains is false for any zoned
// address, so the metadata prefixes and the IPv4 inside NAT64, 6to4 and
// IPv4-compatible addresses went unseen.
func TestZonedAddressesChecked(t *testing.T) {
	for _, tt := range []struct {
		addr  string
		opt   OutboundOptions
		never bool // also ErrNeverReached
	}{
		{"fd00:ec2::254%eth0", OutboundOptions{AllowPrivate: true}, true},
		{"fd00:ec2::254%1", OutboundOptions{AllowPrivate: true}, true},
		{"fd20:ce::254%1", OutboundOptions{AllowPrivate: true}, true},
		{"64:ff9b::a9fe:a9fe%1", OutboundOptions{AllowPrivate: true}, true},
		{"64:ff9b::a9fe:a9fe%1", OutboundOptions{}, true},
		{"2002:a9fe:a9fe::1%1", OutboundOptions{}, true},
		{"::a9fe:a9fe%1", OutboundOptions{}, true},
		{"fe80::1%1", OutboundOptions{AllowPrivate: true}, true},
		// Loopback and private addresses through NAT64 and 6to4,
		// without AllowPrivate.
		{"64:ff9b::7f00:1%1", OutboundOptions{}, false},
		{"64:ff9b::a00:1%lo", OutboundOptions{}, false},
		{"2002:c0a8:101::1%1", OutboundOptions{}, false},
		{"fec0::1%1", OutboundOptions{}, false},
		{"fd12::1%1", OutboundOptions{AllowLoopback: true}, false},
	} {
		err := dialCheck(net.JoinHostPort(tt.addr, "80"), tt.opt)
		if !errors.Is(err, ErrRefusedAddress) || errors.Is(err, ErrNeverReached) != tt.never {
			t.Errorf("dial %s with %+v: %v, want refused (never reached: %v)", tt.addr, tt.opt, err, tt.never)
		}
		err = CheckHost(context.Background(), "["+tt.addr+"]", tt.opt)
		if !errors.Is(err, ErrRefusedAddress) || errors.Is(err, ErrNeverReached) != tt.never {
			t.Errorf("CheckHost(%s) with %+v: %v, want refused (never reached: %v)", tt.addr, tt.opt, err, tt.never)
		}
	}
	// A public address keeps working with a zone (which means nothing
	// to it).
	if err := dialCheck("[2606:4700::1111%1]:443", OutboundOptions{}); err != nil {
		t.Errorf("a public address with a zone: %v, want allowed", err)
	}
}

// TestTranslatedFormsChecked: the IPv4 inside the other IPv6 forms that
// carry one is checked as IPv4: SIIT's IPv4-translated ::ffff:0:a.b.c.d
// (RFC 2765), and the local-use NAT64 prefix 64:ff9b:1::/48 (RFC 8215),
// in each of RFC 6052's layouts that fit in it. The local-use prefix is
// not public either: it is translated by the operator's own network.
func TestTranslatedFormsChecked(t *testing.T) {
	v4 := netip.MustParseAddr("169.254.169.254").As4()
	for _, tt := range []struct {
		addr  string
		opt   OutboundOptions
		never bool
	}{
		{"::ffff:0:a9fe:a9fe", OutboundOptions{AllowPrivate: true}, true},
		{"::ffff:0:7f00:1", OutboundOptions{}, false},
		{"64:ff9b:1::a9fe:a9fe", OutboundOptions{AllowPrivate: true}, true},
		{"64:ff9b:1::a00:1", OutboundOptions{}, false},
		{rfc6052(48, v4), OutboundOptions{AllowPrivate: true}, true}, // 64:ff9b:1:a9fe:a9:fe00::
		{rfc6052(56, v4), OutboundOptions{AllowPrivate: true}, true},
		{rfc6052(64, v4), OutboundOptions{AllowPrivate: true}, true},
		{"64:ff9b:1::6464:64c8", OutboundOptions{AllowPrivate: true}, true}, // Alibaba's 100.100.100.200
		{"64:ff9b:1:1234::5678", OutboundOptions{}, false},                  // local-use: not public
		// What the local network is not, inside an IPv6 address, stays
		// refused with AllowPrivate: multicast, broadcast.
		{"64:ff9b::e000:1", OutboundOptions{AllowPrivate: true}, false},
		{"64:ff9b::ffff:ffff", OutboundOptions{AllowPrivate: true}, false},
		{"2002:e000:1::1", OutboundOptions{AllowPrivate: true}, false},
	} {
		err := dialCheck(net.JoinHostPort(tt.addr, "80"), tt.opt)
		if !errors.Is(err, ErrRefusedAddress) || errors.Is(err, ErrNeverReached) != tt.never {
			t.Errorf("dial %s with %+v: %v, want refused (never reached: %v)", tt.addr, tt.opt, err, tt.never)
		}
	}
	// The local network behind a local-use NAT64 is reached with
	// AllowPrivate, as the local network is.
	if err := dialCheck("[64:ff9b:1::a00:1]:80", OutboundOptions{AllowPrivate: true}); err != nil {
		t.Errorf("64:ff9b:1::a00:1 (10.0.0.1) with AllowPrivate: %v, want allowed", err)
	}
}

// TestAzureWireServerNeverReached: Azure's WireServer, 168.63.129.16, is
// a public address, so it passed the check without AllowPrivate; it hands
// a machine's extension settings to whoever on it asks.
func TestAzureWireServerNeverReached(t *testing.T) {
	for _, a := range []string{"168.63.129.16", "::ffff:168.63.129.16", "64:ff9b::a83f:8110", "2002:a83f:8110::1"} {
		for _, opt := range []OutboundOptions{{}, {AllowPrivate: true}} {
			if err := dialCheck(net.JoinHostPort(a, "80"), opt); !errors.Is(err, ErrNeverReached) {
				t.Errorf("dial %s with %+v: %v, want never reached", a, opt, err)
			}
		}
	}
	opt := OutboundOptions{Timeout: 3 * time.Second, MaxRedirects: -1}
	opt.beforeConnect = loopbackOnly(t)
	if _, err := OutboundClient(opt).Get("http://168.63.129.16/?comp=versions"); !errors.Is(err, ErrNeverReached) {
		t.Errorf("Get of the WireServer: %v, want never reached", err)
	}
	// Its neighbours are public addresses like any other.
	if err := dialCheck("168.63.129.17:80", OutboundOptions{}); err != nil {
		t.Errorf("168.63.129.17: %v, want allowed", err)
	}
}

// rfc6052 writes ip inside 64:ff9b:1::/48 in the layout of a NAT64
// prefix of n bits (RFC 6052 section 2.2: bits 64 to 71 stay zero).
func rfc6052(n int, ip [4]byte) string {
	b := netip.MustParseAddr("64:ff9b:1::").As16()
	at := n / 8
	for _, x := range ip {
		if at == 8 {
			at++
		}
		b[at] = x
		at++
	}
	return netip.AddrFrom16(b).String()
}

// TestZonedURLNeverReachesMetadata: through the real client, the zoned
// forms of the metadata addresses are refused by the dialer's check.
// The guard refuses, before any connection, whatever the check lets
// through but the loopback test server, so a regression here fails
// without sending a packet to those addresses.
func TestZonedURLNeverReachesMetadata(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	opt := OutboundOptions{AllowPrivate: true, Timeout: 3 * time.Second, MaxRedirects: -1}
	opt.beforeConnect = loopbackOnly(t)
	client := OutboundClient(opt)
	for _, u := range []string{"http://[fd00:ec2::254%25eth0]/", "http://[fd00:ec2::254%251]/", "http://[fd20:ce::254%251]/",
		"http://[64:ff9b::a9fe:a9fe%251]/", "http://[::ffff:0:a9fe:a9fe]/", "http://[64:ff9b:1::a9fe:a9fe]/"} {
		resp, err := client.Get(u)
		if err == nil {
			resp.Body.Close()
			t.Errorf("Get(%s) with AllowPrivate: %s, want refused", u, resp.Status)
			continue
		}
		if !errors.Is(err, ErrNeverReached) {
			t.Errorf("Get(%s) with AllowPrivate: %v, want ErrNeverReached", u, err)
		}
	}
	// The guard lets the loopback server be reached, zone or not.
	for _, u := range []string{srv.URL, strings.Replace(srv.URL, "127.0.0.1", "[::ffff:127.0.0.1]", 1)} {
		resp, err := client.Get(u)
		if err != nil {
			t.Errorf("Get(%s): %v", u, err)
			continue
		}
		resp.Body.Close()
	}
}

// loopbackOnly is a guard for tests of the real dialer: it refuses any
// connection the check allowed but to a loopback address.
func loopbackOnly(t *testing.T) func(network, address string) error {
	return func(network, address string) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		if ip, err := netip.ParseAddr(host); err == nil && ip.Unmap().WithZone("").IsLoopback() {
			return nil
		}
		t.Errorf("the check let a connection to %s %s through", network, address)
		return fmt.Errorf("test guard: no connection to %s", address)
	}
}
