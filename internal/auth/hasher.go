package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// ErrBusy means more logins wanted a password check than the Hasher runs
// and queues at once, or one waited longer than it allows: the answer is
// "try again in a moment", at once, rather than a slow one for everybody.
var ErrBusy = errors.New("auth: too many password checks at once")

// Hasher runs password hashes a few at a time. An argon2id hash takes
// 19 MiB and a few tens of milliseconds of one core, so logins that all
// hashed at once would take the server's memory and its cores from the
// readers: 400 concurrent logins grew the process by 800 MB. With a
// Hasher, the hashes' memory is bounded by how many run at once, the
// other cores keep serving pages, and logins beyond the queue are refused
// in microseconds.
//
// Logins from a browser the account knows have a lane of their own
// (EnterKnown): room to wait that strangers cannot take, and a slot of
// their own besides the shared ones, so a flood of strangers neither
// turns the owner away nor makes the owner wait behind it. One account
// holds at most KnownPerAccount of the lane's places, so the owners of
// the other accounts keep theirs.
type Hasher struct {
	slots   chan struct{} // one per hash that may run now
	tickets chan struct{} // one per login running or waiting
	// The known browsers' lane: a login in it hashes in a shared slot
	// or in one of its own, whichever frees first.
	knownSlots   chan struct{}
	knownTickets chan struct{}
	maxWait      time.Duration

	laneMu sync.Mutex
	lane   map[string]int // places of the lane held, by account; at most KnownSlots+KnownQueue entries

	// key computes argon2id; tests replace it to count and to block.
	key func(pw, salt []byte, p Params) []byte

	hashes, known, refused atomic.Int64

	mu            sync.Mutex
	running, peak int
}

// KnownSlots and KnownQueue size the known browsers' lane: hashes that
// only its logins may run, beyond the shared ones, and how many of its
// logins may wait besides. One slot keeps the memory bound at one more
// hash (19 MiB); the lane's logins are few, since each needs a browser
// the account has logged in with or a session of it, and the throttle
// holds each such browser to a few attempts at a time.
const (
	KnownSlots = 1
	KnownQueue = 15
)

// KnownPerAccount is the most places of the known browsers' lane one
// account's logins hold at once. The lane is shared by every account,
// and an account's own logins are limited neither by the throttle while
// the password is right nor by browsers (each login without a device
// cookie makes a new one, each login a new session): without this bound
// a hostile writer logging in to their own account over and over would
// hold the whole lane and, with strangers flooding the queue, turn every
// other account's owner away. Two is the owner's phone and laptop at
// once; a third login of the account waits with the strangers.
const KnownPerAccount = 2

// NewHasher returns a Hasher that runs at most concurrent hashes at once
// for strangers and lets at most queue more wait, each for at most
// maxWait; logins from known browsers (EnterKnown) have KnownSlots more
// and KnownQueue places of their own.
func NewHasher(concurrent, queue int, maxWait time.Duration) *Hasher {
	concurrent = max(concurrent, 1)
	queue = max(queue, 0)
	return &Hasher{slots: make(chan struct{}, concurrent), tickets: make(chan struct{}, concurrent+queue),
		knownSlots: make(chan struct{}, KnownSlots), knownTickets: make(chan struct{}, KnownSlots+KnownQueue), maxWait: maxWait,
		lane: map[string]int{},
		key: func(pw, salt []byte, p Params) []byte {
			return argon2.IDKey(pw, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
		}}
}

// HasherStats are a Hasher's counts since it was made.
type HasherStats struct {
	Hashes  int64 // argon2id hashes computed
	Known   int64 // of those, hashes for logins in the known browsers' lane
	Refused int64 // logins refused because the queue was full or the wait too long
	Peak    int   // most hashes that ran at the same time
}

// Stats returns the Hasher's counts.
func (h *Hasher) Stats() HasherStats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return HasherStats{Hashes: h.hashes.Load(), Known: h.known.Load(), Refused: h.refused.Load(), Peak: h.peak}
}

// Turn is a login's place in a Hasher's queue. Leave gives it back.
type Turn struct {
	h       *Hasher
	known   bool   // in the known browsers' lane
	account string // whose place of the lane it is
	once    sync.Once
}

// Enter takes a place in the queue without waiting, or returns ErrBusy at
// once when the queue is full. A login enters before it does anything
// else that costs (reading the database, reserving throttle places), so a
// flood is turned away cheaply.
func (h *Hasher) Enter() (*Turn, error) {
	select {
	case h.tickets <- struct{}{}:
		return &Turn{h: h}, nil
	default:
		h.refused.Add(1)
		return nil, ErrBusy
	}
}

// EnterKnown is Enter in the lane of logins from a browser the account
// knows (its device cookie, or a session of the account): strangers
// never hold its places, so it has room when Enter has none, and its
// hashes may run in a slot of the lane's own when the shared ones are
// busy. The caller must have made sure of the browser first; the lane is
// only as good as that check. account names the account logged in to:
// it holds at most KnownPerAccount places, and ErrBusy beyond them.
func (h *Hasher) EnterKnown(account string) (*Turn, error) {
	h.laneMu.Lock()
	defer h.laneMu.Unlock()
	if h.lane[account] < KnownPerAccount {
		select {
		case h.knownTickets <- struct{}{}:
			h.lane[account]++
			return &Turn{h: h, known: true, account: account}, nil
		default:
		}
	}
	h.refused.Add(1)
	return nil, ErrBusy
}

// Leave gives the place back; calling it again does nothing.
func (t *Turn) Leave() {
	t.once.Do(func() {
		if t.known {
			h := t.h
			h.laneMu.Lock()
			if h.lane[t.account]--; h.lane[t.account] <= 0 {
				delete(h.lane, t.account)
			}
			h.laneMu.Unlock()
			<-h.knownTickets
		} else {
			<-t.h.tickets
		}
	})
}

// run waits for a slot, at most maxWait and while ctx lasts, and computes
// one hash in it.
func (t *Turn) run(ctx context.Context, pw, salt []byte, p Params) ([]byte, error) {
	h := t.h
	timer := time.NewTimer(h.maxWait)
	defer timer.Stop()
	// A known browser's login takes a shared slot or its lane's own,
	// whichever frees first; nil channels are never ready, so a
	// stranger's waits for a shared one alone.
	var own chan struct{}
	if t.known {
		own = h.knownSlots
	}
	select {
	case h.slots <- struct{}{}:
		defer func() { <-h.slots }()
	case own <- struct{}{}:
		defer func() { <-own }()
	case <-timer.C:
		h.refused.Add(1)
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	h.mu.Lock()
	h.running++
	h.peak = max(h.peak, h.running)
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.running--
		h.mu.Unlock()
	}()
	h.hashes.Add(1)
	if t.known {
		h.known.Add(1)
	}
	return h.key(pw, salt, p), nil
}

// Check reports, as CheckPassword does, whether pw matches the encoded
// hash and whether the hash should be replaced. An unreadable hash costs
// the same work as a readable one and never matches.
func (t *Turn) Check(ctx context.Context, encoded, pw string) (ok, rehash bool, err error) {
	p, salt, key, derr := decodeHash(encoded)
	if derr != nil {
		return false, false, t.CheckNothing(ctx, pw)
	}
	got, err := t.run(ctx, []byte(pw), salt, p)
	if err != nil {
		return false, false, err
	}
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	d := DefaultParams
	return true, p.Memory < d.Memory || p.Time < d.Time || len(key) < int(d.KeyLen), nil
}

// CheckNothing does the work of checking a password when there is no
// account, so that a login for an unknown address takes as long as one
// with a wrong password and the time taken does not tell which addresses
// have accounts.
func (t *Turn) CheckNothing(ctx context.Context, pw string) error {
	p, salt, _, _ := decodeHash(dummyHash())
	_, err := t.run(ctx, []byte(pw), salt, p)
	return err
}

// Hash returns a new encoded hash of pw, as HashPassword does, in turn.
func (t *Turn) Hash(ctx context.Context, pw string) (string, error) {
	p := DefaultParams
	salt := newSalt(p)
	key, err := t.run(ctx, []byte(pw), salt, p)
	if err != nil {
		return "", err
	}
	return encodeHash(p, salt, key), nil
}
