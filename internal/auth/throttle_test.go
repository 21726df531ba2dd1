package auth

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var ctx = context.Background()

// memLog is a FailureLog in memory, standing for the database that several
// instances share. (The store's own tests run the same races on SQLite and
// PostgreSQL.)
type memLog struct {
	mu   sync.Mutex
	next int64
	rows map[int64]memRow
}

type memRow struct {
	key string
	at  time.Time
}

func newMemLog() *memLog { return &memLog{rows: map[int64]memRow{}} }

func (m *memLog) ReserveLogin(_ context.Context, at time.Time, since map[string]time.Time) ([]int64, map[string]int, map[string]time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []int64
	mine := map[int64]bool{}
	for k := range since {
		m.next++
		m.rows[m.next] = memRow{k, at}
		ids = append(ids, m.next)
		mine[m.next] = true
	}
	others, latest := map[string]int{}, map[string]time.Time{}
	for id, r := range m.rows {
		if s, ok := since[r.key]; ok && !mine[id] && r.at.After(s) {
			others[r.key]++
			if r.at.After(latest[r.key]) {
				latest[r.key] = r.at
			}
		}
	}
	return ids, others, latest, nil
}

func (m *memLog) ReleaseLogin(_ context.Context, ids []int64, clear []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		delete(m.rows, id)
	}
	for id, r := range m.rows {
		for _, k := range clear {
			if r.key == k {
				delete(m.rows, id)
			}
		}
	}
	return nil
}

func (m *memLog) PruneLogins(_ context.Context, keys []string, before time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, r := range m.rows {
		for _, k := range keys {
			if r.key == k && r.at.Before(before) {
				delete(m.rows, id)
			}
		}
	}
	return nil
}

func (m *memLog) SweepLogins(_ context.Context, before map[string]time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, r := range m.rows {
		for p, cut := range before {
			if strings.HasPrefix(r.key, p) && r.at.Before(cut) {
				delete(m.rows, id)
			}
		}
	}
	return nil
}

func (m *memLog) countPrefix(prefix string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, r := range m.rows {
		if strings.HasPrefix(r.key, prefix) {
			n++
		}
	}
	return n
}

func (m *memLog) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.rows)
}

func (m *memLog) count(key string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, r := range m.rows {
		if r.key == key {
			n++
		}
	}
	return n
}

// clock is a settable time shared by throttles.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestThrottle(log FailureLog, c *clock) *Throttle {
	th := NewThrottle(log)
	th.now = c.now
	return th
}

// try reserves a place for l and, when it gets one, records a failure.
func try(t *testing.T, th *Throttle, l Login) (allowed bool, wait time.Duration) {
	t.Helper()
	res, wait, err := th.Reserve(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	if res == nil {
		return false, wait
	}
	if err := res.Fail(ctx); err != nil {
		t.Fatal(err)
	}
	return true, 0
}

func TestThrottleLimits(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	shared := newMemLog()
	a, b := newTestThrottle(shared, c), newTestThrottle(shared, c) // two instances, one database
	ana := func(addr string) Login { return Login{Account: "ana@example.org", Address: addr} }

	// One account from one address: five failures, then refused.
	for i := range 5 {
		c.add(time.Second)
		if ok, _ := try(t, a, ana("192.0.2.1")); !ok {
			t.Fatalf("attempt %d refused, want 5 allowed", i+1)
		}
	}
	if ok, wait := try(t, a, ana("192.0.2.1")); ok || wait <= 0 {
		t.Errorf("6th attempt from the same address: allowed=%v wait=%s, want refused with a wait", ok, wait)
	}
	if ok, _ := try(t, b, ana("192.0.2.1")); ok {
		t.Error("6th attempt from the same address on the other instance: allowed, want refused (the limit is shared)")
	}
	// From anywhere else, the account is delayed, not locked: the first
	// delay is one second after the latest failure.
	if ok, wait := try(t, b, ana("198.51.100.7")); ok || wait <= 0 || wait > time.Second {
		t.Errorf("another address at once: allowed=%v wait=%s, want a wait of at most 1s", ok, wait)
	}
	c.add(time.Second)
	if ok, _ := try(t, b, ana("198.51.100.7")); !ok {
		t.Error("another address after the first delay: refused")
	}
	// Each further failure doubles the delay.
	c.add(1500 * time.Millisecond)
	if ok, wait := try(t, a, ana("198.51.100.8")); ok || wait <= 0 || wait > 500*time.Millisecond {
		t.Errorf("1.5 s after the 6th failure: allowed=%v wait=%s, want about 0.5 s more (a 2 s delay)", ok, wait)
	}
	c.add(500 * time.Millisecond)
	if ok, _ := try(t, a, ana("198.51.100.8")); !ok {
		t.Error("2 s after the 6th failure: refused")
	}
	// The delays never grow past MaxDelay.
	for i := range 30 {
		c.add(a.MaxDelay)
		if ok, _ := try(t, a, ana(fmt.Sprintf("203.0.113.%d", i))); !ok {
			t.Fatalf("after MaxDelay: refused")
		}
	}
	if _, wait := try(t, a, ana("203.0.113.78")); wait > a.MaxDelay || wait <= 0 {
		t.Errorf("after many failures: wait %s, want at most MaxDelay %s", wait, a.MaxDelay)
	}

	// The owner's own places are not delayed: an address the account has
	// logged in from, and a browser it has logged in with.
	if ok, _ := try(t, b, Login{Account: "ana@example.org", Address: "192.0.2.200", Known: true}); !ok {
		t.Error("a known address of the account: refused")
	}
	if ok, _ := try(t, b, Login{Account: "ana@example.org", Address: "192.0.2.1", Device: "ana-laptop"}); !ok {
		t.Error("a known device at the guessing address: refused")
	}
	// Another account is not affected.
	if ok, _ := try(t, b, Login{Account: "ben@example.org", Address: "198.51.100.70"}); !ok {
		t.Error("another account from a clean address: refused")
	}

	// Per address: 20 failures over many accounts, counted per IPv6 /64.
	c.add(time.Hour)
	for i := range 20 {
		if ok, _ := try(t, a, Login{Account: fmt.Sprintf("user%d@example.org", i), Address: "2001:db8::1"}); !ok {
			t.Fatalf("address attempt %d refused, want 20", i+1)
		}
	}
	if ok, _ := try(t, a, Login{Account: "zed@example.org", Address: "2001:db8::2"}); ok {
		t.Error("an address in the same IPv6 /64 after 20 failures: allowed, want refused")
	}
	if ok, _ := try(t, a, Login{Account: "zed@example.org", Address: "2001:db8:1::1"}); !ok {
		t.Error("another /64: refused")
	}
	c.add(16 * time.Minute)
	if ok, _ := try(t, a, Login{Account: "yan@example.org", Address: "2001:db8::1"}); !ok {
		t.Error("after the window: the address still refused")
	}
}

func TestThrottleDevice(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	th := newTestThrottle(newMemLog(), c)
	dev := Login{Account: "ana@example.org", Address: "192.0.2.1", Device: "d1"}
	for i := range 5 {
		if ok, _ := try(t, th, dev); !ok {
			t.Fatalf("device attempt %d refused", i+1)
		}
	}
	if ok, _ := try(t, th, dev); ok {
		t.Error("6th failure from one device: allowed, want refused (a stolen device cookie is limited too)")
	}
	other := dev
	other.Device = "d2"
	if ok, _ := try(t, th, other); !ok {
		t.Error("another device of the account: refused")
	}
}

func TestThrottleSuccessForgets(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	log := newMemLog()
	th := newTestThrottle(log, c)
	l := Login{Account: "cy@example.org", Address: "203.0.113.5"}
	for range 4 {
		try(t, th, l)
	}
	res, _, err := th.Reserve(ctx, l)
	if err != nil || res == nil {
		t.Fatalf("5th attempt: %v %v", res, err)
	}
	if err := res.Succeed(ctx); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, k := range []string{"pair:cy@example.org addr:203.0.113.5", "addr:203.0.113.5", "account:cy@example.org"} {
		got[k] = log.count(k)
	}
	want := map[string]int{"pair:cy@example.org addr:203.0.113.5": 0, "addr:203.0.113.5": 4, "account:cy@example.org": 4}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("after a good password, %s holds %d attempts, want %d", k, got[k], n)
		}
	}
	// A cancelled attempt (its password never checked) is not counted.
	res, _, _ = th.Reserve(ctx, Login{Account: "dee@example.org", Address: "203.0.113.6"})
	res.Cancel(ctx)
	if n := log.count("account:dee@example.org"); n != 0 {
		t.Errorf("a cancelled attempt left %d rows", n)
	}
}

// race runs n attempts at once, each one reserving, "checking the
// password" (counted) and failing, and returns how many checks ran.
func race(th []*Throttle, n int, login func(i int) Login) int64 {
	var checks atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, _, err := th[i%len(th)].Reserve(ctx, login(i))
			if err != nil || res == nil {
				return
			}
			checks.Add(1)
			time.Sleep(time.Millisecond) // the hash: let the others arrive meanwhile
			res.Fail(ctx)
		}()
	}
	close(start)
	wg.Wait()
	return checks.Load()
}

// TestThrottleRace: concurrent wrong passwords must not get more checks
// than the limits, because each attempt reserves its place before the
// check (finding 4 of issue 14: 42 checks for a limit of 5, and 61 for 20).
func TestThrottleRace(t *testing.T) {
	for _, tt := range []struct {
		name      string
		instances int
		login     func(i int) Login
		max       int64
	}{
		{"one account, one address", 1, func(int) Login { return Login{Account: "ana@example.org", Address: "192.0.2.1"} }, 5},
		{"many accounts, one address", 1, func(i int) Login {
			return Login{Account: fmt.Sprintf("u%d@example.org", i), Address: "192.0.2.1"}
		}, 20},
		{"one account, many addresses", 1, func(i int) Login {
			return Login{Account: "ana@example.org", Address: fmt.Sprintf("10.0.%d.%d", i/200, i%200)}
		}, 5},
		{"one account, one address, two instances", 2, func(int) Login { return Login{Account: "ana@example.org", Address: "192.0.2.1"} }, 5},
		{"one device", 1, func(int) Login { return Login{Account: "ana@example.org", Address: "192.0.2.1", Device: "d"} }, 5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
			log := newMemLog()
			var ths []*Throttle
			for range tt.instances {
				ths = append(ths, newTestThrottle(log, c))
			}
			if got := race(ths, 100, tt.login); got > tt.max || got == 0 {
				t.Errorf("100 concurrent attempts: %d password checks, want 1 to %d", got, tt.max)
			}
		})
	}
}

func TestThrottleMemoryIsBounded(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	th := newTestThrottle(nil, c)
	th.MaxKeys = 100
	for i := range 10000 {
		c.add(time.Millisecond)
		try(t, th, Login{Account: fmt.Sprintf("flood%d@example.org", i), Address: fmt.Sprintf("10.%d.%d.%d", i>>16, (i>>8)&255, i&255)})
	}
	for i := range 20 {
		c.add(time.Millisecond)
		try(t, th, Login{Account: fmt.Sprintf("more%d@example.org", i), Address: "192.0.2.1"})
	}
	if n := th.Len(); n > 100 {
		t.Errorf("keys in memory: got %d, want at most 100", n)
	}
	if ok, _ := try(t, th, Login{Account: "any@example.org", Address: "192.0.2.1"}); ok {
		t.Error("the address in use survived eviction: it is the most recently used key")
	}
}
