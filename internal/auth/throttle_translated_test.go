package auth

import (
	"fmt"
	"testing"
	"time"
)

// TestTranslatedAddressesAreTheirIPv4: an IPv6 address that carries an
// IPv4 client's address (NAT64's well-known prefix, as a site behind a
// stateless translator sees every IPv4 reader; 6to4; Teredo) is counted
// as that IPv4 address, and in no /64 or /48: otherwise every IPv4
// client of the translator shares one /64's 20 failures and one /48's
// 100, and a guesser anywhere on IPv4 locks them all out together.
// Behind a local-use NAT64 prefix (64:ff9b:1::/48), whose IPv4 part may
// sit anywhere after it, each address is counted alone.
func TestTranslatedAddressesAreTheirIPv4(t *testing.T) {
	for _, tt := range []struct{ addr, key string }{
		{"64:ff9b::192.0.2.1", "addr:192.0.2.1"},
		{"64:ff9b::c000:202", "addr:192.0.2.2"},
		{"::ffff:0:c000:201", "addr:192.0.2.1"},                     // SIIT's IPv4-translated form (RFC 2765)
		{"2002:c000:201::1", "addr:192.0.2.1"},                      // 6to4
		{"2002:c000:201:ffff:1:2:3:4", "addr:192.0.2.1"},            // 6to4, another /64 of the same IPv4 site
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", "addr:192.0.2.45"}, // Teredo (RFC 4380's example)
		{"64:ff9b:1::c000:201", "addr:64:ff9b:1::c000:201"},
		{"64:ff9b:1:c000:2:100::", "addr:64:ff9b:1:c000:2:100::"},
	} {
		if got := AddressKey(tt.addr); got != tt.key {
			t.Errorf("AddressKey(%q) = %q, want %q", tt.addr, got, tt.key)
		}
		if got := BlockKey(tt.addr); got != "" {
			t.Errorf("BlockKey(%q) = %q, want none: it is one IPv4 client", tt.addr, got)
		}
	}
	if AddressKey("64:ff9b:1::c000:201") == AddressKey("64:ff9b:1::c000:202") {
		t.Error("two IPv4 clients behind a local-use NAT64 prefix share a key")
	}

	// IPv4 readers behind the site's translator, each guessing once at a
	// different account: none of them is held back by the others.
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	th := newTestThrottle(newMemLog(), c)
	n := th.PerBlock + th.PerAddress
	for i := range n {
		l := Login{Account: fmt.Sprintf("user%d@example.org", i), Address: fmt.Sprintf("64:ff9b::198.51.%d.%d", i/250, 1+i%250)}
		if ok, _ := try(t, th, l); !ok {
			t.Fatalf("IPv4 client %d of %d behind NAT64 (%s): refused, as if the others' guesses were its own", i+1, n, l.Address)
		}
	}
	// One IPv4 client is still held to its own limit.
	one := 0
	for i := range 2 * th.PerAddress {
		if ok, _ := try(t, th, Login{Account: fmt.Sprintf("x%d@example.org", i), Address: "64:ff9b::203.0.113.7"}); ok {
			one++
		}
	}
	if one != th.PerAddress {
		t.Errorf("one IPv4 client behind NAT64: %d guesses checked, want %d (PerAddress)", one, th.PerAddress)
	}
}
