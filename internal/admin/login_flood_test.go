package admin

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestOwnerLogsInDuringAFlood: while strangers hold every place of the
// queue of password checks and keep its shared slot hashing, and more
// strangers keep posting logins (each answered 503), the account's owner
// logs in from a browser the account knows (its device cookie, even at a
// new address) and with a session of the account: their checks run in
// the known browsers' lane. A made-up device cookie, another account's
// session and a known address without a cookie do not open the lane.
// Outcomes only: answers and the hasher's counts, no times.
func TestOwnerLogsInDuringAFlood(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		adm, err := New(Config{Login: LoginLimits{Hashes: 1, Queue: 3, Wait: time.Minute}}, st, f.ms, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := adm.Handler()
		const home, laptopAt = "198.51.100.20", "198.51.100.30"
		if w := postLogin(h, home, "editor@example.org", password); w.Code != http.StatusSeeOther {
			t.Fatalf("the owner's first login from home: %d", w.Code)
		}
		w := postLogin(h, laptopAt, "editor@example.org", password)
		device, session := cookieOf(w, devicePlain), cookieOf(w, cookiePlain)
		if w.Code != http.StatusSeeOther || device == nil || session == nil {
			t.Fatalf("the owner's login with the laptop: %d, device cookie %v, session %v", w.Code, device, session)
		}
		other := f.as(t, "contributor").cookie

		// The flood: strangers take every place of the queue, and those
		// places hash real passwords one after another, so the shared
		// slot is never free for long.
		hasher := adm.gate.hasher
		var held []*auth.Turn
		for {
			turn, err := hasher.Enter()
			if err != nil {
				break
			}
			held = append(held, turn)
		}
		if len(held) != 4 {
			t.Fatalf("strangers' places: %d, want 1 running + 3 waiting", len(held))
		}
		// The strangers' places are given back only after the last
		// stranger's login has been answered (stopHashing after
		// stopPosting), so every one of those finds the queue full.
		stopHashing, stopPosting := make(chan struct{}), make(chan struct{})
		var hashing, posting sync.WaitGroup
		for _, turn := range held {
			hashing.Add(1)
			go func() {
				defer hashing.Done()
				defer turn.Leave()
				for {
					select {
					case <-stopHashing:
						return
					default:
					}
					if _, err := turn.Hash(context.Background(), "a stranger's guess"); err != nil {
						t.Errorf("a stranger's hash: %v", err)
						return
					}
				}
			}()
		}
		var mu sync.Mutex
		strangers := map[int]int{}
		for i := range 8 {
			posting.Add(1)
			go func() {
				defer posting.Done()
				for n := 0; ; n++ {
					select {
					case <-stopPosting:
						return
					default:
					}
					w := postLogin(h, "203.0.113."+itoa(int64(i)), "user"+itoa(int64(n))+"@example.org", "guess")
					mu.Lock()
					strangers[w.Code]++
					mu.Unlock()
				}
			}()
		}

		before := hasher.Stats()
		if w := postLogin(h, "192.0.2.77", "editor@example.org", password, device); w.Code != http.StatusSeeOther {
			t.Errorf("the owner's laptop (device cookie) at a new address during the flood: %d, want 303\n%.300s", w.Code, w.Body.String())
		}
		if w := postLogin(h, laptopAt, "editor@example.org", password, session); w.Code != http.StatusSeeOther {
			t.Errorf("the owner with a session of the account during the flood: %d, want 303", w.Code)
		}
		if w := postLogin(h, laptopAt, "editor@example.org", "a wrong password", device); w.Code != http.StatusUnauthorized {
			t.Errorf("the owner's browser with a wrong password during the flood: %d, want 401 (checked, not refused)", w.Code)
		}
		forged := &http.Cookie{Name: devicePlain, Value: strings.Repeat("A", 43)}
		for _, tt := range []struct {
			name   string
			addr   string
			cookie *http.Cookie
		}{
			{"a made-up device cookie", "203.0.113.99", forged},
			{"another account's session", "203.0.113.98", other},
			{"the owner's known address, no cookie", home, nil},
		} {
			if w := postLogin(h, tt.addr, "editor@example.org", password, tt.cookie); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
				t.Errorf("%s during the flood: %d (Retry-After %q), want 503 with Retry-After", tt.name, w.Code, w.Header().Get("Retry-After"))
			}
		}
		after := hasher.Stats()
		close(stopPosting)
		posting.Wait()
		close(stopHashing)
		hashing.Wait()

		if n := after.Known - before.Known; n != 3 {
			t.Errorf("hashes in the known browsers' lane: %d, want 3 (the owner's three checks)", n)
		}
		if strangers[http.StatusServiceUnavailable] == 0 || len(strangers) != 1 {
			t.Errorf("strangers' logins during the flood: %v, want every one 503", strangers)
		}
		if st := hasher.Stats(); st.Peak > 1+auth.KnownSlots {
			t.Errorf("hashes at once: %d, want at most the shared slot and the lane's %d", st.Peak, auth.KnownSlots)
		}
	})
}
