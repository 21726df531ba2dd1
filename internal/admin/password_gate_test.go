package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestPasswordChangeWaitsItsTurn checks a password change computes its
// argon2id hashes in the logins' queue (login.go), like a login: with the
// queue full it is answered 503 at once and changes nothing; with room,
// its check and its new hash are counted by the queue's hasher. Any
// session may send the form, and outside the queue a few hundred at once
// took the server's memory as logins did (issue 14, finding 5).
func TestPasswordChangeWaitsItsTurn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := f.as(t, "contributor")
		form := url.Values{"current": {password}, "password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}}
		hasher := f.adm.gate.hasher

		var turns []*auth.Turn
		for {
			turn, err := hasher.Enter()
			if err != nil {
				break
			}
			turns = append(turns, turn)
		}
		res := c.post("/admin/account/password", form)
		if res.status != http.StatusServiceUnavailable || res.header.Get("Retry-After") == "" || !strings.Contains(res.body, "try again in a few seconds") {
			t.Errorf("a password change with the queue full: %d (Retry-After %q), want 503 at once\n%.300s", res.status, res.header.Get("Retry-After"), res.body)
		}
		if u, err := st.UserByID(ctx, f.users["contributor"].ID); err != nil || u.PasswordHash != f.users["contributor"].PasswordHash {
			t.Errorf("the password changed while the queue was full (%v)", err)
		}
		for _, turn := range turns {
			turn.Leave()
		}

		before := hasher.Stats().Hashes
		if res := c.post("/admin/account/password", form); res.status != http.StatusSeeOther {
			t.Fatalf("a password change: %d\n%.300s", res.status, res.body)
		}
		if n := hasher.Stats().Hashes - before; n != 2 {
			t.Errorf("the queue's hasher computed %d hashes for a password change, want 2 (the check and the new hash)", n)
		}
		u, err := st.UserByID(ctx, f.users["contributor"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := auth.CheckPassword(u.PasswordHash, "a brand new passphrase"); !ok {
			t.Errorf("the new password was not stored")
		}
	})
}
