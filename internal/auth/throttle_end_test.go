package auth

import (
	"fmt"
	"testing"
	"time"
)

// TestThrottleLostPlacesExpire: a place whose request never ended it (a
// panic between Reserve and the answer) is dropped from memory after
// PendingFor. Before, memory counted it for as long as the process ran
// and never evicted its keys, so five lost places locked an account at
// an address for good, even after the database had forgotten them.
func TestThrottleLostPlacesExpire(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	th := newTestThrottle(nil, c)
	l := Login{Account: "ana@example.org", Address: "192.0.2.1"}
	for i := range th.PerPair {
		if res, _, err := th.Reserve(ctx, l); res == nil || err != nil {
			t.Fatalf("place %d: %v %v", i+1, res, err)
		}
		// Lost: neither Fail, Succeed nor Cancel.
	}
	if res, _, _ := th.Reserve(ctx, l); res != nil {
		t.Fatalf("a 6th place while 5 are in flight: granted, want refused")
	}
	c.add(th.PendingFor + time.Second)
	res, _, err := th.Reserve(ctx, l)
	if res == nil || err != nil {
		t.Fatalf("after PendingFor, the lost places still refuse the account at the address (%v)", err)
	}
	res.Cancel(ctx)
}

// TestReservationEndsOnce: the first of Fail, Succeed and Cancel ends a
// place, and the others do nothing, so a caller can defer Cancel as a
// safety net. Before, a Cancel after Fail deleted the failure's rows and
// a second Fail counted one attempt twice.
func TestReservationEndsOnce(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	log := newMemLog()
	th := newTestThrottle(log, c)
	l := Login{Account: "ana@example.org", Address: "192.0.2.1"}
	for range 3 {
		c.add(time.Second)
		res, _, err := th.Reserve(ctx, l)
		if res == nil || err != nil {
			t.Fatal(res, err)
		}
		res.Fail(ctx)
		res.Fail(ctx)
		res.Cancel(ctx)
		res.Succeed(ctx)
	}
	if n := log.count("account:ana@example.org"); n != 3 {
		t.Errorf("3 failures, each also cancelled and succeeded after: the log holds %d, want 3", n)
	}
	// Memory agrees: two more failures reach the limit of 5, not fewer.
	for i := range 2 {
		c.add(time.Second)
		if ok, _ := try(t, th, l); !ok {
			t.Fatalf("failure %d of 5 refused", 4+i)
		}
	}
	if ok, _ := try(t, th, l); ok {
		t.Error("a 6th failure allowed")
	}
}

// TestThrottleSweep: attempts under keys nobody tries again (made-up
// accounts, addresses seen once) leave the FailureLog once no window
// counts them. Fail prunes only its own keys, so before Sweep a guesser
// grew the table by three rows a check, for ever.
func TestThrottleSweep(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	log := newMemLog()
	th := newTestThrottle(log, c)
	for i := range 200 {
		try(t, th, Login{Account: fmt.Sprintf("nobody%d@example.org", i), Address: fmt.Sprintf("10.0.%d.%d", i/100, i%100)})
	}
	if n := log.len(); n != 600 {
		t.Fatalf("rows after 200 failures: %d, want 600", n)
	}
	// Within the short window nothing goes.
	if err := th.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if n := log.len(); n != 600 {
		t.Errorf("a sweep within the window left %d rows, want 600", n)
	}
	// Past the address window, only the accounts' rows still count.
	c.add(th.Window + time.Minute)
	th.Sweep(ctx)
	if n, acc := log.len(), log.countPrefix("account:"); n != 200 || acc != 200 {
		t.Errorf("past the address window: %d rows (%d of accounts), want the 200 of accounts", n, acc)
	}
	c.add(th.AccountWindow)
	th.Sweep(ctx)
	if n := log.len(); n != 0 {
		t.Errorf("past every window: %d rows left", n)
	}
	if n := th.Len(); n != 0 {
		t.Errorf("past every window: memory holds %d keys", n)
	}
}

// TestAddressKeyMappedIPv4: an IPv4 address written as IPv6 is counted
// with the IPv4 address, not as a fresh /64 of its own.
func TestAddressKeyMappedIPv4(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"::ffff:192.0.2.1", "192.0.2.1"},
		{"::ffff:c000:0201", "192.0.2.1"},
		{"2001:db8::1", "2001:db8::ffff:1"},
		{"2001:db8::1%eth0", "2001:db8::2"},
	} {
		if ka, kb := AddressKey(tt.a), AddressKey(tt.b); ka != kb {
			t.Errorf("AddressKey(%q) = %q, AddressKey(%q) = %q: want one key", tt.a, ka, tt.b, kb)
		}
	}
	if AddressKey("2001:db8:0:1::1") == AddressKey("2001:db8::1") {
		t.Error("two /64s share a key")
	}
}
