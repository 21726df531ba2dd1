package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// blockingKey replaces a Hasher's argon2id with a function that records
// its parameters and waits to be let go, so a test holds hashes running
// for as long as it likes without timing anything.
type blockingKey struct {
	mu      sync.Mutex
	started int
	params  []Params
	release chan struct{}
	only    int // when above 0, only the first "only" calls wait
}

func (b *blockingKey) key(pw, salt []byte, p Params) []byte {
	b.mu.Lock()
	b.started++
	n := b.started
	b.params = append(b.params, p)
	b.mu.Unlock()
	if b.only == 0 || n <= b.only {
		<-b.release
	}
	return make([]byte, p.KeyLen)
}

func (b *blockingKey) count() int { b.mu.Lock(); defer b.mu.Unlock(); return b.started }

// waitFor polls cond for up to ten seconds: long enough for any machine,
// and it only sets how long a broken build takes to fail.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("waited 10 s for %s", what)
}

// TestHasherBoundsConcurrentHashes: 100 logins at once run at most the
// Hasher's concurrency in hashes at a time (the memory bound: finding 5 of
// issue 14 had 400 hashes of 19 MiB at once), queue at most its queue, and
// the rest are refused at once, while the admitted hashes are still
// running.
func TestHasherBoundsConcurrentHashes(t *testing.T) {
	const concurrent, queue = 2, 10
	h := NewHasher(concurrent, queue, time.Minute)
	bk := &blockingKey{release: make(chan struct{})}
	h.key = bk.key
	encoded := HashPassword("the right password")

	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[string]int{}
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			turn, err := h.Enter()
			if err != nil {
				mu.Lock()
				results["refused at the door"]++
				mu.Unlock()
				return
			}
			defer turn.Leave()
			_, _, err = turn.Check(context.Background(), encoded, "a wrong password")
			mu.Lock()
			results[map[bool]string{true: "checked", false: "error"}[err == nil]]++
			mu.Unlock()
		}()
	}
	// Every refusal happens while the admitted hashes are held running:
	// nobody refused waited for a slot.
	waitFor(t, "88 refusals", func() bool { return h.Stats().Refused == 100-concurrent-queue })
	waitFor(t, "two hashes running", func() bool { return bk.count() >= concurrent })
	close(bk.release)
	wg.Wait()
	st := h.Stats()
	if st.Peak != concurrent || st.Hashes != concurrent+queue || results["checked"] != concurrent+queue || results["refused at the door"] != 100-concurrent-queue {
		t.Errorf("got %+v and %v; want a peak of %d, %d hashes and %d refused", st, results, concurrent, concurrent+queue, 100-concurrent-queue)
	}
	// Places are given back: the Hasher takes new logins.
	turn, err := h.Enter()
	if err != nil {
		t.Fatalf("after the flood: %v", err)
	}
	turn.Leave()
	turn.Leave() // twice does not give back someone else's place
	if len(h.tickets) != 0 {
		t.Errorf("tickets held after every login left: %d", len(h.tickets))
	}
}

// TestHasherWaitIsBounded: a login that waits longer than the Hasher
// allows, or whose client has gone, stops waiting.
func TestHasherWaitIsBounded(t *testing.T) {
	h := NewHasher(1, 5, 20*time.Millisecond)
	bk := &blockingKey{release: make(chan struct{}), only: 1}
	h.key = bk.key
	defer close(bk.release)
	first, _ := h.Enter()
	go first.CheckNothing(context.Background(), "pw")
	waitFor(t, "the first hash", func() bool { return bk.count() == 1 })

	second, err := h.Enter()
	if err != nil {
		t.Fatal(err)
	}
	if err := second.CheckNothing(context.Background(), "pw"); !errors.Is(err, ErrBusy) {
		t.Errorf("waiting past maxWait: %v, want ErrBusy", err)
	}
	cctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := second.Hash(cctx, "pw"); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting with the client gone: %v, want context.Canceled", err)
	}
	if n := bk.count(); n != 1 {
		t.Errorf("hashes run: %d, want only the first", n)
	}
}

// TestHasherChecks: a Turn checks and makes hashes as CheckPassword and
// HashPassword do, and an unknown account or an unreadable hash costs one
// hash of the same parameters as a real account's, so the time taken does
// not tell whether the account exists.
func TestHasherChecks(t *testing.T) {
	h := NewHasher(2, 2, time.Minute)
	turn, _ := h.Enter()
	defer turn.Leave()
	encoded, err := turn.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := CheckPassword(encoded, "correct horse battery staple"); !ok {
		t.Error("a Turn's hash does not check with CheckPassword")
	}
	for _, tt := range []struct {
		hash, pw   string
		ok, rehash bool
	}{
		{encoded, "correct horse battery staple", true, false},
		{encoded, "Correct horse battery staple", false, false},
		{hashWith("old", Params{Memory: 4096, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}), "old", true, true},
		{"not a hash", "not a hash", false, false},
	} {
		ok, rehash, err := turn.Check(ctx, tt.hash, tt.pw)
		if err != nil || ok != tt.ok || rehash != tt.rehash {
			t.Errorf("Check(%.30q, %q) = %v %v %v, want %v %v", tt.hash, tt.pw, ok, rehash, err, tt.ok, tt.rehash)
		}
	}

	bk := &blockingKey{release: make(chan struct{})}
	close(bk.release)
	h.key = bk.key
	turn.Check(ctx, encoded, "wrong")
	turn.CheckNothing(ctx, "wrong")
	turn.Check(ctx, "$argon2id$garbage", "wrong")
	if len(bk.params) != 3 {
		t.Fatalf("hashes: %d, want one per check", len(bk.params))
	}
	for i, p := range bk.params {
		if p != DefaultParams {
			t.Errorf("check %d hashed with %+v, want %+v like an account's", i, p, DefaultParams)
		}
	}
}
