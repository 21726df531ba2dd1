package auth

import (
	"context"
	"net/netip"
	"sync"
	"time"
)

// FailureLog keeps failed logins where every instance sees them (the
// database), so the limits hold however many instances share the load.
type FailureLog interface {
	RecordLoginFailure(ctx context.Context, key string, at time.Time) error
	CountLoginFailures(ctx context.Context, keys []string, since time.Time) (map[string]int, error)
	ClearLoginFailures(ctx context.Context, key string) error
}

// Throttle limits failed logins per account and per client address. It
// counts in memory, which answers at once and keeps working when the
// database is slow, and in the FailureLog, which every instance shares.
// A login is refused when either says the limit is reached.
type Throttle struct {
	PerAccount int           // failures allowed per account in Window
	PerAddress int           // failures allowed per client address in Window
	Window     time.Duration // how far back failures count
	MaxKeys    int           // bound on the keys kept in memory

	log FailureLog
	now func() time.Time

	mu   sync.Mutex
	keys map[string][]time.Time // failure times within Window, oldest first
}

// NewThrottle returns a throttle with the newsroom's limits: 5 failures per
// account and 20 per address in 15 minutes. log may be nil (memory only).
func NewThrottle(log FailureLog) *Throttle {
	return &Throttle{PerAccount: 5, PerAddress: 20, Window: 15 * time.Minute, MaxKeys: 10000,
		log: log, now: time.Now, keys: map[string][]time.Time{}}
}

// Keys returns the throttle keys of an attempt: the account's, and the
// client address's. IPv6 clients are counted per /64, the block one
// subscriber usually holds, so hopping between addresses does not help.
func Keys(email, addr string) (account, address string) {
	if a, err := netip.ParseAddr(addr); err == nil && a.Is6() && !a.Is4In6() {
		if p, err := a.Prefix(64); err == nil {
			addr = p.String()
		}
	}
	return "account:" + email, "addr:" + addr
}

// Allow reports whether another login attempt may be made for the account
// from the address, and if not, how long until it may. An error of the
// FailureLog is returned with the memory's answer.
func (t *Throttle) Allow(ctx context.Context, email, addr string) (bool, time.Duration, error) {
	acct, ad := Keys(email, addr)
	now := t.now()
	t.mu.Lock()
	nAcct, nAddr := t.countLocked(acct, now), t.countLocked(ad, now)
	t.mu.Unlock()
	if nAcct >= t.PerAccount || nAddr >= t.PerAddress {
		return false, t.Window, nil
	}
	if t.log == nil {
		return true, 0, nil
	}
	counts, err := t.log.CountLoginFailures(ctx, []string{acct, ad}, now.Add(-t.Window))
	if err != nil {
		return true, 0, err
	}
	if counts[acct] >= t.PerAccount || counts[ad] >= t.PerAddress {
		return false, t.Window, nil
	}
	return true, 0, nil
}

// Fail records a failed attempt against the account and the address.
func (t *Throttle) Fail(ctx context.Context, email, addr string) error {
	acct, ad := Keys(email, addr)
	now := t.now()
	t.mu.Lock()
	t.addLocked(acct, now)
	t.addLocked(ad, now)
	t.mu.Unlock()
	if t.log == nil {
		return nil
	}
	if err := t.log.RecordLoginFailure(ctx, acct, now); err != nil {
		return err
	}
	return t.log.RecordLoginFailure(ctx, ad, now)
}

// Succeed forgets an account's failures after a good login. The address's
// failures stay: one right password must not reset guessing at others.
func (t *Throttle) Succeed(ctx context.Context, email string) error {
	acct, _ := Keys(email, "")
	t.mu.Lock()
	delete(t.keys, acct)
	t.mu.Unlock()
	if t.log == nil {
		return nil
	}
	return t.log.ClearLoginFailures(ctx, acct)
}

func (t *Throttle) countLocked(key string, now time.Time) int {
	times := t.keys[key]
	cut := now.Add(-t.Window)
	i := 0
	for i < len(times) && !times[i].After(cut) {
		i++
	}
	if i == len(times) {
		delete(t.keys, key)
		return 0
	}
	t.keys[key] = times[i:]
	return len(times) - i
}

func (t *Throttle) addLocked(key string, now time.Time) {
	if _, ok := t.keys[key]; !ok && len(t.keys) >= t.MaxKeys {
		t.evictLocked(now)
	}
	times := append(t.keys[key], now)
	// Only whether the count reached the larger limit matters: keep no more.
	if limit := max(t.PerAccount, t.PerAddress); len(times) > limit {
		times = times[len(times)-limit:]
	}
	t.keys[key] = times
}

// evictLocked makes room: first by dropping keys with no recent failure,
// then, under a flood of distinct keys, the key idle longest. The database
// still holds what memory drops.
func (t *Throttle) evictLocked(now time.Time) {
	cut := now.Add(-t.Window)
	for k, times := range t.keys {
		if len(times) == 0 || !times[len(times)-1].After(cut) {
			delete(t.keys, k)
		}
	}
	for len(t.keys) >= t.MaxKeys {
		var oldest string
		var at time.Time
		for k, times := range t.keys {
			if last := times[len(times)-1]; oldest == "" || last.Before(at) {
				oldest, at = k, last
			}
		}
		delete(t.keys, oldest)
	}
}

// Len returns how many keys are held in memory.
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.keys)
}
