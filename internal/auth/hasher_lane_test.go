package auth

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestHasherKnownLane: with every strangers' place taken and the shared
// slot held by a hash that does not end, a login in the known browsers'
// lane still enters and its hash runs, in the lane's own slot; the lane
// has room for KnownSlots+KnownQueue logins, which strangers never take;
// each place goes back to its own lane.
func TestHasherKnownLane(t *testing.T) {
	h := NewHasher(1, 2, time.Minute)
	bk := &blockingKey{release: make(chan struct{}), only: 1}
	h.key = bk.key
	defer close(bk.release)

	var strangers []*Turn
	for {
		turn, err := h.Enter()
		if err != nil {
			break
		}
		strangers = append(strangers, turn)
	}
	if len(strangers) != 3 {
		t.Fatalf("strangers' places: %d, want 3", len(strangers))
	}
	// The first stranger's hash holds the shared slot; the others wait
	// for it.
	for _, turn := range strangers {
		go turn.CheckNothing(context.Background(), "a stranger's guess")
	}
	waitFor(t, "the shared slot taken", func() bool { return bk.count() == 1 })

	owner, err := h.EnterKnown("owner@example.org")
	if err != nil {
		t.Fatalf("the owner with the strangers' queue full: %v, want a place in the known lane", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := owner.Hash(context.Background(), "the owner's password")
		done <- err
	}()
	var herr error
	waitFor(t, "the owner's hash while the shared slot is held", func() bool {
		select {
		case herr = <-done:
			return true
		default:
			return false
		}
	})
	if herr != nil {
		t.Errorf("the owner's hash: %v", herr)
	}
	if st := h.Stats(); st.Known != 1 || st.Hashes != 2 || st.Peak != 2 {
		t.Errorf("stats %+v: want the stranger's hash and the owner's, one of them in the lane, both at once", st)
	}
	owner.Leave()
	owner.Leave()
	if len(h.knownTickets) != 0 || len(h.tickets) != 3 {
		t.Errorf("after the owner left: lane places held %d, strangers' %d; want 0 and 3", len(h.knownTickets), len(h.tickets))
	}

	// The lane's own room, and no more: each account's share of it, for
	// as many accounts as it has room.
	var lane []*Turn
	for len(lane) < KnownSlots+KnownQueue {
		turn, err := h.EnterKnown(fmt.Sprintf("owner%d@example.org", len(lane)/KnownPerAccount))
		if err != nil {
			t.Fatalf("known place %d: %v", len(lane)+1, err)
		}
		lane = append(lane, turn)
	}
	if _, err := h.EnterKnown("another@example.org"); !errors.Is(err, ErrBusy) {
		t.Errorf("a known login beyond the lane's room: %v, want ErrBusy", err)
	}
	for _, turn := range lane {
		turn.Leave()
	}
	if len(h.lane) != 0 {
		t.Errorf("after every login left the lane: %d accounts still counted in it", len(h.lane))
	}
	// A stranger never runs in the lane's slot: with it free and the
	// shared one held, a stranger's hash waits (here until its client
	// goes).
	for _, turn := range strangers {
		turn.Leave()
	}
	stranger, err := h.Enter()
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Leave()
	cctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := stranger.CheckNothing(cctx, "another guess"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a stranger with only the lane's slot free: %v, want it to wait until its client goes", err)
	}
}

// TestHasherKnownLanePerAccount: one account's logins take at most
// KnownPerAccount places of the lane, whatever browsers they come from;
// another account still finds room, and a place given back is the
// account's to take again.
func TestHasherKnownLanePerAccount(t *testing.T) {
	h := NewHasher(1, 0, time.Minute)
	var mine []*Turn
	for range KnownPerAccount {
		turn, err := h.EnterKnown("mole@example.org")
		if err != nil {
			t.Fatalf("the account's place %d: %v", len(mine)+1, err)
		}
		mine = append(mine, turn)
	}
	if _, err := h.EnterKnown("mole@example.org"); !errors.Is(err, ErrBusy) {
		t.Errorf("the account's login beyond its share of the lane: %v, want ErrBusy", err)
	}
	owner, err := h.EnterKnown("owner@example.org")
	if err != nil {
		t.Errorf("another account while the first holds its share: %v", err)
	} else {
		owner.Leave()
	}
	mine[0].Leave()
	mine[0].Leave() // a second Leave gives nothing back
	again, err := h.EnterKnown("mole@example.org")
	if err != nil {
		t.Fatalf("the account after one of its logins left: %v", err)
	}
	if _, err := h.EnterKnown("mole@example.org"); !errors.Is(err, ErrBusy) {
		t.Errorf("a second Leave of one place gave the account another: %v", err)
	}
	again.Leave()
	mine[1].Leave()
	if len(h.lane) != 0 || len(h.knownTickets) != 0 {
		t.Errorf("after all left: %d accounts counted, %d places held; want none", len(h.lane), len(h.knownTickets))
	}
}
