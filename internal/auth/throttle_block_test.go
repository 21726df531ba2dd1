package auth

import (
	"fmt"
	"testing"
	"time"
)

// TestThrottleBlockLimit: password spraying from one IPv6 /48, a new /64
// for each guess and a new account each time, is held to PerBlock
// failures in the window over the whole /48, on two instances sharing one
// log; other /48s, IPv4 addresses, a /64 the account has logged in from
// and a known browser are not held back by it.
func TestThrottleBlockLimit(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	shared := newMemLog()
	a, b := newTestThrottle(shared, c), newTestThrottle(shared, c)
	if a.PerBlock <= a.PerAddress {
		t.Fatalf("PerBlock %d, want more than one /64's PerAddress %d", a.PerBlock, a.PerAddress)
	}
	spray := func(i int) Login {
		// 2001:db8:7:i::1: /64 number i of the /48 2001:db8:7::/48.
		return Login{Account: fmt.Sprintf("user%d@example.org", i), Address: fmt.Sprintf("2001:db8:7:%x::1", i)}
	}
	allowed := 0
	for i := range 3 * a.PerBlock {
		th := a
		if i%2 == 1 {
			th = b
		}
		if ok, _ := try(t, th, spray(i)); ok {
			allowed++
		}
	}
	if allowed != a.PerBlock {
		t.Errorf("%d guesses from as many /64s of one /48: %d checked, want %d (PerBlock)", 3*a.PerBlock, allowed, a.PerBlock)
	}
	if ok, wait := try(t, b, Login{Account: "new@example.org", Address: "2001:db8:7:ffff::5"}); ok || wait <= 0 {
		t.Errorf("a fresh /64 of the full /48: allowed=%v wait=%s, want refused with a wait", ok, wait)
	}
	// Not held back by the full /48: the next /48, IPv4 (written either
	// way), the account's own /64, the account's browser.
	for _, l := range []Login{
		{Account: "ana@example.org", Address: "2001:db8:8::1"},                       // the next /48
		{Account: "ana@example.org", Address: "192.0.2.1"},                           // IPv4
		{Account: "ben@example.org", Address: "::ffff:192.0.2.2"},                    // IPv4 as IPv6
		{Account: "cy@example.org", Address: "2001:db8:7:1234::9", Known: true},      // the account's own /64
		{Account: "dee@example.org", Address: "2001:db8:7:4321::9", Device: "dee-1"}, // a known browser
	} {
		if ok, _ := try(t, a, l); !ok {
			t.Errorf("%+v while the /48 2001:db8:7::/48 is full: refused", l)
		}
	}
	// The window passes: the /48 may try again.
	c.add(a.Window + time.Second)
	if ok, _ := try(t, b, spray(9999)); !ok {
		t.Error("after the window: the /48 still refused")
	}
}

func TestBlockKey(t *testing.T) {
	for _, tt := range []struct{ addr, want string }{
		{"2001:db8:7:1::1", "block:2001:db8:7::/48"},
		{"2001:db8:7:ffff:1:2:3:4", "block:2001:db8:7::/48"},
		{"2001:db8:8::1", "block:2001:db8:8::/48"},
		{"192.0.2.1", ""},
		{"::ffff:192.0.2.1", ""},
		{"not an address", ""},
	} {
		if got := BlockKey(tt.addr); got != tt.want {
			t.Errorf("BlockKey(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}
