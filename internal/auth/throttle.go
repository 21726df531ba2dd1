package auth

import (
	"context"
	"net/netip"
	"sort"
	"sync"
	"time"
)

// FailureLog keeps login attempts where every instance sees them (the
// database). An attempt is written before its password is checked and the
// others are counted after that write, so of two attempts raced on two
// instances at least one sees the other: the limits hold across instances,
// not only within one process.
type FailureLog interface {
	// ReserveLogin writes one attempt made at "at" under each key of
	// since, and returns the rows it wrote and, for each key, how many
	// other attempts were made after since[key] and when the latest of
	// them was. It must not run inside a transaction: the write has to be
	// visible to every other attempt before the count is read.
	ReserveLogin(ctx context.Context, at time.Time, since map[string]time.Time) (ids []int64, others map[string]int, latest map[string]time.Time, err error)
	// ReleaseLogin deletes the rows ids (an attempt that turned out not to
	// be a failure) and every row of the keys in clear.
	ReleaseLogin(ctx context.Context, ids []int64, clear []string) error
	// PruneLogins deletes the keys' attempts made before a time.
	PruneLogins(ctx context.Context, keys []string, before time.Time) error
	// SweepLogins deletes, for each key prefix of before, every attempt
	// under a key with that prefix made before its time: the attempts of
	// keys nobody tries again, which PruneLogins never reaches.
	SweepLogins(ctx context.Context, before map[string]time.Time) error
}

// Login is one attempt to log in, as the throttle sees it.
type Login struct {
	Account string // the e-mail address typed, normalized
	Address string // the client's address
	// Device names a browser the account has logged in from before (by
	// its device cookie, or a session of the account it still holds), ""
	// when there is none. A login from it is limited on its own: failures
	// from elsewhere, at the same address or not, do not hold it back.
	Device string
	// Known is set when the account has logged in from Address before:
	// the delays that failures from everywhere put on the account do not
	// apply there.
	Known bool
}

// Throttle limits password guessing without letting a guesser lock the
// owner out, in the way OWASP's authentication guidance describes:
//
//   - one account from one address: PerPair failures in Window, then
//     refused (the owner elsewhere is not affected);
//   - one address over all accounts: PerAddress failures in Window;
//   - one IPv6 /48 over all accounts: PerBlock failures in Window, except
//     from a /64 the account has logged in from (Login.Known);
//   - one account from everywhere: AccountFree failures in AccountWindow,
//     then each further attempt must wait FirstDelay after the latest,
//     doubling with each failure up to MaxDelay. This is a delay, never a
//     lock, and it does not apply from an address the account has logged
//     in from before (Login.Known);
//   - a browser the account has logged in from before (Login.Device): only
//     its own PerPair failures in Window count.
//
// Every attempt reserves its place under each key before its password is
// checked and keeps it until the answer is known, so concurrent attempts
// cannot all pass the check before any failure is recorded. Places are
// reserved in memory, which answers at once, and in the FailureLog, which
// every instance shares; an attempt must pass both.
type Throttle struct {
	PerPair       int           // failures of one account from one address, or one device, in Window
	PerAddress    int           // failures from one address, over all accounts, in Window
	PerBlock      int           // failures from one IPv6 /48, over all accounts, in Window; 0: no such limit
	Window        time.Duration // how far back the three counts above go
	AccountFree   int           // failures of one account in AccountWindow before delays begin
	FirstDelay    time.Duration // the first delay; it doubles with each further failure
	MaxDelay      time.Duration // the longest delay
	AccountWindow time.Duration // how far back the account's failures count
	MaxKeys       int           // bound on the keys kept in memory
	// PendingFor is the longest an attempt's place is held in memory
	// without Fail, Succeed or Cancel: no password check lasts that long,
	// so a place its request lost (a panic) is dropped instead of holding
	// its keys refused for as long as the process runs.
	PendingFor time.Duration

	log FailureLog
	now func() time.Time

	mu   sync.Mutex
	keys map[string]*entry
}

// entry is what memory holds of one key.
type entry struct {
	fails   []time.Time // failures within the key's window, oldest first
	pending []time.Time // attempts whose password is being checked now
	last    time.Time   // the latest failure or attempt: for eviction
}

// NewThrottle returns a throttle with the newsroom's limits: 5 failures per
// account and address, 20 per address (IPv6: per /64) and 100 per IPv6
// /48, in 15 minutes; per account, delays from 1 s doubling to 15 minutes
// after 5 failures in a day. log may be nil (memory only).
//
// A /48 is what one site (a home, an office, a server's network) is
// usually given: 65,536 /64s, each with its own PerAddress. 100 per /48
// is five times one /64's limit, so an office whose people reach the
// newsroom from several /64s of its /48 can mistype many passwords before
// any of them is held back (and a browser or a /64 that has logged in
// before is not held back by it at all), while a guesser with a whole /48
// gets 100 guesses per 15 minutes over all accounts instead of 20 from
// each of its 65,536 /64s: 1.3 million.
func NewThrottle(log FailureLog) *Throttle {
	return &Throttle{PerPair: 5, PerAddress: 20, PerBlock: 100, Window: 15 * time.Minute,
		AccountFree: 5, FirstDelay: time.Second, MaxDelay: 15 * time.Minute, AccountWindow: 24 * time.Hour,
		MaxKeys: 10000, PendingFor: time.Minute, log: log, now: time.Now, keys: map[string]*entry{}}
}

// AddressKey is the name a client address is counted under. IPv6 clients
// are counted per /64, the block one subscriber usually holds, so hopping
// between addresses does not help; an IPv4 address written as IPv6
// (::ffff:192.0.2.1), or carried in one by a translator (countedAddr),
// is the IPv4 address, so the spellings share one count.
func AddressKey(addr string) string {
	if a, err := netip.ParseAddr(addr); err == nil {
		a, alone := countedAddr(a)
		addr = a.String()
		if !alone {
			if p, err := a.Prefix(64); err == nil {
				addr = p.String()
			}
		}
	}
	return "addr:" + addr
}

// BlockKey is the name the IPv6 /48 around a client address is counted
// under, or "" for an IPv4 address (written either way, or carried in an
// IPv6 one: countedAddr) or one that does not parse: IPv4 has no block
// that a subscriber usually holds alone (a /24 may be a whole carrier's
// NAT).
func BlockKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return ""
	}
	a, alone := countedAddr(a)
	if alone {
		return ""
	}
	p, err := a.Prefix(48)
	if err != nil {
		return ""
	}
	return "block:" + p.String()
}

// Prefixes whose IPv6 addresses each stand for one IPv4 client.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")    // NAT64's well-known prefix (RFC 6052): the IPv4 address in the last 32 bits
	siit      = netip.MustParsePrefix("::ffff:0:0:0/96") // SIIT's IPv4-translated form (RFC 2765): the same
	nat64Site = netip.MustParsePrefix("64:ff9b:1::/48")  // NAT64's local-use prefix (RFC 8215): the IPv4 address where the site put it
	sixToFour = netip.MustParsePrefix("2002::/16")       // 6to4 (RFC 3056): the IPv4 address after 2002:
	teredo    = netip.MustParsePrefix("2001::/32")       // Teredo (RFC 4380): the IPv4 address, inverted, in the last 32 bits
)

// countedAddr is the address a client is counted as, and whether it is
// counted alone rather than in the /64 and /48 around it (IPv4). An IPv6
// address that carries an IPv4 client's address is that IPv4 address: a
// site behind a stateless translator (SIIT, NAT64's well-known prefix)
// sees every IPv4 reader in 64:ff9b::/96 (or SIIT's ::ffff:0:0:0/96),
// one /64, so without this every IPv4 reader would share one /64's and
// one /48's failures, and a guesser anywhere on IPv4 would lock them all
// out together; a 6to4 /48 or a Teredo address is one IPv4 host's. Behind the local-use prefix the IPv4
// address may sit anywhere after the /48, so each address is counted
// alone. A translator's network-specific prefix cannot be told from a
// network's own; docs/security.md says so.
func countedAddr(a netip.Addr) (netip.Addr, bool) {
	a = a.Unmap().WithZone("")
	b := a.As16()
	switch {
	case !a.Is6():
		return a, true
	case nat64.Contains(a), siit.Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	case teredo.Contains(a):
		return netip.AddrFrom4([4]byte{^b[12], ^b[13], ^b[14], ^b[15]}), true
	case nat64Site.Contains(a):
		return a, true
	}
	return a, false
}

// rule is one key an attempt is counted under and how.
type rule struct {
	key    string
	limit  int           // refused at this many failures; 0: the account's delays
	window time.Duration // how far back failures count
	check  bool          // false: recorded only
	clear  bool          // forgotten after a good password
}

func (t *Throttle) rules(l Login) []rule {
	account := rule{key: "account:" + l.Account, window: t.AccountWindow, check: !l.Known && l.Device == ""}
	if l.Device != "" {
		return []rule{{key: "device:" + l.Device, limit: t.PerPair, window: t.Window, check: true, clear: true}, account}
	}
	addr := AddressKey(l.Address)
	rules := []rule{
		{key: "pair:" + l.Account + " " + addr, limit: t.PerPair, window: t.Window, check: true, clear: true},
		{key: addr, limit: t.PerAddress, window: t.Window, check: true},
		account,
	}
	// The /48 counts every attempt from it, but does not hold back one
	// from a /64 the account has logged in from: a guesser spraying from
	// elsewhere in the owner's /48 (the same office, the same carrier's
	// block) must not lock the owner out at home, and at that /64 the
	// guesser still meets PerAddress and PerPair.
	if block := BlockKey(l.Address); block != "" && t.PerBlock > 0 {
		rules = append(rules, rule{key: block, limit: t.PerBlock, window: t.Window, check: !l.Known})
	}
	return rules
}

// wait is how long an attempt must wait, given n other attempts under the
// rule's key in its window, the latest at latest; 0 when it may go now.
func (t *Throttle) wait(r rule, n int, latest, now time.Time) time.Duration {
	if !r.check {
		return 0
	}
	if r.limit > 0 {
		if n >= r.limit {
			return r.window
		}
		return 0
	}
	if n < t.AccountFree {
		return 0
	}
	d := t.MaxDelay
	if steps := n - t.AccountFree; steps < 30 {
		d = min(t.FirstDelay<<steps, t.MaxDelay)
	}
	if gone := now.Sub(latest); gone < d {
		return d - gone
	}
	return 0
}

// Reservation is an attempt's place under each of its keys, held while its
// password is checked. The first of Fail, Succeed or Cancel ends it; the
// others do nothing after that, so a caller may defer Cancel to end the
// place whatever happens and still Fail or Succeed it on the way.
type Reservation struct {
	t     *Throttle
	rules []rule
	at    time.Time
	ids   []int64 // the FailureLog's rows
	ended bool    // guarded by t.mu
}

// endLocked marks the reservation ended, and reports whether it was open.
func (r *Reservation) endLocked() bool {
	if r.ended {
		return false
	}
	r.ended = true
	return true
}

// Reserve takes a place for a login attempt, or says how long to wait
// before trying again. An error of the FailureLog is returned with the
// memory's answer, so a slow or failing database does not stop logins
// that memory allows.
func (t *Throttle) Reserve(ctx context.Context, l Login) (*Reservation, time.Duration, error) {
	now := t.now()
	rules := t.rules(l)
	t.mu.Lock()
	for _, r := range rules {
		if w := t.memoryWaitLocked(r, now); w > 0 {
			t.mu.Unlock()
			return nil, w, nil
		}
	}
	for _, r := range rules {
		e := t.entryLocked(r.key, now)
		e.pending = append(e.pending, now)
		e.last = now
	}
	t.mu.Unlock()
	res := &Reservation{t: t, rules: rules, at: now}
	if t.log == nil {
		return res, 0, nil
	}
	since := make(map[string]time.Time, len(rules))
	for _, r := range rules {
		since[r.key] = now.Add(-r.window)
	}
	ids, others, latest, err := t.log.ReserveLogin(ctx, now, since)
	if err != nil {
		return res, 0, err
	}
	res.ids = ids
	for _, r := range rules {
		if w := t.wait(r, others[r.key], latest[r.key], now); w > 0 {
			// Released even when the request has gone meanwhile: a refused
			// attempt left behind would count as a failure.
			return nil, w, res.Cancel(context.WithoutCancel(ctx))
		}
	}
	return res, 0, nil
}

// memoryWaitLocked applies a rule to what memory holds; for a refusal
// made by failures alone it says when the oldest leaves the window.
func (t *Throttle) memoryWaitLocked(r rule, now time.Time) time.Duration {
	e := t.keys[r.key]
	if e == nil || !r.check {
		return 0
	}
	t.expireLocked(e, r.window, now)
	t.expirePendingLocked(e, now)
	n := len(e.fails) + len(e.pending)
	var latest time.Time
	if len(e.fails) > 0 {
		latest = e.fails[len(e.fails)-1]
	}
	for _, p := range e.pending {
		if p.After(latest) {
			latest = p
		}
	}
	w := t.wait(r, n, latest, now)
	if w > 0 && r.limit > 0 {
		if len(e.fails) >= r.limit {
			w = e.fails[len(e.fails)-r.limit].Add(r.window).Sub(now)
		} else {
			w = time.Second // attempts in flight: one of them may fail or not
		}
		w = max(w, time.Second)
	}
	return w
}

// Fail records the attempt as a failed login under each of its keys.
func (r *Reservation) Fail(ctx context.Context) error {
	t := r.t
	t.mu.Lock()
	if !r.endLocked() {
		t.mu.Unlock()
		return nil
	}
	for _, ru := range r.rules {
		e := t.unpendLocked(ru.key, r.at)
		if e == nil {
			e = t.entryLocked(ru.key, r.at)
		}
		e.fails = append(e.fails, r.at)
		if keep := t.keep(); len(e.fails) > keep {
			e.fails = e.fails[len(e.fails)-keep:]
		}
	}
	t.mu.Unlock()
	if t.log == nil || r.ids == nil {
		return nil
	}
	// The attempt's rows stay as the failure's record; older rows than
	// any window are dropped so the table stays small.
	return t.log.PruneLogins(ctx, r.keys(), r.at.Add(-max(t.Window, t.AccountWindow)))
}

// Succeed ends the attempt after a good password: it is not counted, and
// the failures of this account from this address (or this device) are
// forgotten. The address's failures on other accounts stay, so one right
// password does not reset guessing at others; the account's failures from
// elsewhere stay too, so its owner logging in does not give a guesser
// elsewhere a fresh start.
func (r *Reservation) Succeed(ctx context.Context) error {
	t := r.t
	var clear []string
	t.mu.Lock()
	if !r.endLocked() {
		t.mu.Unlock()
		return nil
	}
	for _, ru := range r.rules {
		e := t.unpendLocked(ru.key, r.at)
		if ru.clear {
			clear = append(clear, ru.key)
			if e != nil {
				// Other attempts may be in flight under the key still.
				e.fails = nil
				if len(e.pending) == 0 {
					delete(t.keys, ru.key)
				}
			}
		}
	}
	t.mu.Unlock()
	if t.log == nil {
		return nil
	}
	return t.log.ReleaseLogin(ctx, r.ids, clear)
}

// Cancel ends an attempt whose password was not checked: it is not
// counted at all.
func (r *Reservation) Cancel(ctx context.Context) error {
	t := r.t
	t.mu.Lock()
	if !r.endLocked() {
		t.mu.Unlock()
		return nil
	}
	for _, ru := range r.rules {
		t.unpendLocked(ru.key, r.at)
	}
	t.mu.Unlock()
	if t.log == nil || r.ids == nil {
		return nil
	}
	return t.log.ReleaseLogin(ctx, r.ids, nil)
}

func (r *Reservation) keys() []string {
	out := make([]string, len(r.rules))
	for i, ru := range r.rules {
		out[i] = ru.key
	}
	return out
}

// keep is how many failures per key memory needs: enough to reach every
// limit and the longest delay.
func (t *Throttle) keep() int {
	steps := 0
	for d := t.FirstDelay; d > 0 && d < t.MaxDelay && steps < 30; d <<= 1 {
		steps++
	}
	return max(t.PerPair, t.PerAddress, t.PerBlock, t.AccountFree+steps+1)
}

// expireLocked drops failures older than window.
func (t *Throttle) expireLocked(e *entry, window time.Duration, now time.Time) {
	cut := now.Add(-window)
	i := 0
	for i < len(e.fails) && !e.fails[i].After(cut) {
		i++
	}
	e.fails = e.fails[i:]
}

// expirePendingLocked drops the places held longer than PendingFor: their
// requests ended without saying how (a panic), and a place nobody ends
// would otherwise count against its keys, and keep them from eviction,
// for as long as the process runs. Their rows in the FailureLog stay, and
// count as failures there until they leave the window.
func (t *Throttle) expirePendingLocked(e *entry, now time.Time) {
	if t.PendingFor <= 0 {
		return
	}
	cut := now.Add(-t.PendingFor)
	kept := e.pending[:0]
	for _, p := range e.pending {
		if p.After(cut) {
			kept = append(kept, p)
		}
	}
	clear(e.pending[len(kept):])
	e.pending = kept
}

// entryLocked returns a key's entry, making room for it if it is new.
func (t *Throttle) entryLocked(key string, now time.Time) *entry {
	e := t.keys[key]
	if e == nil {
		if len(t.keys) >= t.MaxKeys {
			t.evictLocked(now)
		}
		e = &entry{last: now}
		t.keys[key] = e
	}
	return e
}

// unpendLocked removes one pending attempt made at "at" from a key, and
// returns the key's entry if memory still holds it.
func (t *Throttle) unpendLocked(key string, at time.Time) *entry {
	e := t.keys[key]
	if e == nil {
		return nil
	}
	for i, p := range e.pending {
		if p.Equal(at) {
			e.pending = append(e.pending[:i], e.pending[i+1:]...)
			break
		}
	}
	return e
}

// evictLocked makes room: first by dropping keys with nothing recent, then,
// under a flood of distinct keys, the eighth of them idle longest, so the
// cost of the sort is shared by many new keys. Keys with an attempt in
// flight stay. The FailureLog still holds what memory drops.
func (t *Throttle) evictLocked(now time.Time) {
	longest := max(t.Window, t.AccountWindow)
	for k, e := range t.keys {
		t.expirePendingLocked(e, now)
		if len(e.pending) == 0 && !e.last.After(now.Add(-longest)) {
			delete(t.keys, k)
		}
	}
	if len(t.keys) < t.MaxKeys {
		return
	}
	type idle struct {
		key  string
		last time.Time
	}
	var list []idle
	for k, e := range t.keys {
		if len(e.pending) == 0 {
			list = append(list, idle{k, e.last})
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].last.Before(list[j].last) })
	n := min(len(list), max(1, t.MaxKeys/8, len(t.keys)-t.MaxKeys+1))
	for _, x := range list[:n] {
		delete(t.keys, x.key)
	}
}

// Sweep forgets what no limit counts any more: in memory, the idle keys;
// in the FailureLog, every attempt older than its key's window, whether
// or not its key is tried again. Fail prunes only the keys of the attempt
// it ends, so without a sweep the rows of one-off keys (guesses at made-up
// accounts, from addresses never seen again) would stay for ever: a
// guesser could grow the table by a few rows per check without end. Run
// it now and then (the newsroom does, hourly).
func (t *Throttle) Sweep(ctx context.Context) error {
	now := t.now()
	t.mu.Lock()
	for k, e := range t.keys {
		t.expirePendingLocked(e, now)
		t.expireLocked(e, max(t.Window, t.AccountWindow), now)
		if len(e.pending) == 0 && len(e.fails) == 0 && !e.last.After(now.Add(-max(t.Window, t.AccountWindow))) {
			delete(t.keys, k)
		}
	}
	t.mu.Unlock()
	if t.log == nil {
		return nil
	}
	short := now.Add(-t.Window)
	return t.log.SweepLogins(ctx, map[string]time.Time{
		"pair:": short, "addr:": short, "block:": short, "device:": short,
		"account:": now.Add(-t.AccountWindow),
	})
}

// Len returns how many keys are held in memory.
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.keys)
}
