package admin

import (
	"net/http"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestOneAccountCannotFillTheOwnersLane: the known browsers' lane is
// shared by every account, and an account's own logins are not limited
// by the throttle while the password is right, nor by browsers (every
// login without a device cookie makes a new one, every login a new
// session). So a hostile contributor could keep the whole lane busy with
// logins to their own account and, with strangers flooding the queue,
// lock every other account's owner out. One account's logins hold at
// most auth.KnownPerAccount places of the lane; beyond that its login is
// refused like a stranger's, and the owner of another account still gets
// in.
func TestOneAccountCannotFillTheOwnersLane(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		adm, err := New(Config{Login: LoginLimits{Hashes: 1, Queue: 3, Wait: time.Minute}}, st, f.ms, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := adm.Handler()
		w := postLogin(h, "198.51.100.30", "editor@example.org", password)
		owner := cookieOf(w, devicePlain)
		w2 := postLogin(h, "198.51.100.40", "contributor@example.org", password)
		mole := cookieOf(w2, devicePlain)
		if w.Code != http.StatusSeeOther || w2.Code != http.StatusSeeOther || owner == nil || mole == nil {
			t.Fatalf("first logins: the owner %d, the contributor %d; device cookies %v, %v", w.Code, w2.Code, owner, mole)
		}

		hasher := adm.gate.hasher
		for {
			turn, err := hasher.Enter()
			if err != nil {
				break
			}
			defer turn.Leave()
		}
		// The contributor's own logins in flight, each waiting in the lane
		// for a hash while the flood keeps the slots busy: as many as the
		// lane lets one account hold.
		held := 0
		for held <= auth.KnownSlots+auth.KnownQueue {
			turn, err := hasher.EnterKnown(laneOf(auth.Login{Account: "contributor@example.org"}))
			if err != nil {
				break
			}
			defer turn.Leave()
			held++
		}
		if held != auth.KnownPerAccount {
			t.Errorf("one account's logins hold %d places of the lane, want %d (KnownPerAccount)", held, auth.KnownPerAccount)
		}
		if w := postLogin(h, "198.51.100.40", "contributor@example.org", password, mole); w.Code != http.StatusServiceUnavailable {
			t.Errorf("the contributor's next login, its share of the lane full: %d, want 503 as a stranger's", w.Code)
		}
		if w := postLogin(h, "192.0.2.77", "editor@example.org", password, owner); w.Code != http.StatusSeeOther {
			t.Errorf("the owner of another account during the flood: %d, want 303", w.Code)
		}
	})
}
