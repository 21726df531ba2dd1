package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit/mailserver"
)

// TestNewPasswordOrAddressEndsLinks: a thief with a session asks to move
// the account to an address of theirs; the owner, told at the old
// address, changes the password as the message says. The thief's link
// must then be dead, or the thief confirms it and takes the account with
// "Forgot password". A new password (the owner's or one an admin sets)
// ends every open link of the account, and an address an admin changes
// ends the reset links sent to the old one (docs/security.md).
func TestNewPasswordOrAddressEndsLinks(t *testing.T) {
	srv := mailserver.Start(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		send := withMail(t, f, srv)
		owner := "owner-" + st.Engine() + "@example.org"
		thief := "thief-" + st.Engine() + "@example.org"
		u := f.users["contributor"]
		if err := st.SetUserEmail(ctx, u.ID, owner); err != nil {
			t.Fatal(err)
		}
		stolen := f.as(t, "contributor")
		if res := stolen.post("/admin/account/email", url.Values{"new_email": {thief}, "email_current": {password}}); res.status != http.StatusSeeOther {
			t.Fatalf("asking for the thief's address: %d %s", res.status, res.body)
		}
		anon := f.anon(t)
		if res := anon.post("/admin/forgot", url.Values{"email": {owner}}); res.status != 200 {
			t.Fatalf("forgot: %d", res.status)
		}
		send()
		emailLink := linkIn(t, srv.WaitFor(t, thief, 1)[0])
		resetLink := ""
		for _, m := range srv.WaitFor(t, owner, 2) {
			if linkRE.MatchString(m.Text) {
				resetLink = linkIn(t, m)
			}
		}
		if resetLink == "" {
			t.Fatal("no reset link at the owner's address")
		}
		newPW := "the owner's new passphrase"
		if res := f.as(t, "contributor").post("/admin/account/password", url.Values{"current": {password}, "password": {newPW}, "confirm": {newPW}}); res.status != http.StatusSeeOther {
			t.Fatalf("the owner's new password: %d %s", res.status, res.body)
		}
		if res := anon.get(emailLink); res.status != 404 {
			t.Fatalf("the thief's address link after the owner's new password: %d", res.status)
		}
		if res := anon.post(emailLink, nil); res.status != 404 {
			t.Fatalf("confirming the thief's address after the owner's new password: %d", res.status)
		}
		if got, _ := st.UserByID(ctx, u.ID); got.Email != owner {
			t.Fatalf("the account moved to %s", got.Email)
		}
		if res := anon.get(resetLink); res.status != 404 {
			t.Fatalf("a reset link after a new password: %d", res.status)
		}

		// A password set by an admin ends the links too.
		if res := f.as(t, "contributor").post("/admin/account/email", url.Values{"new_email": {thief}, "email_current": {newPW}}); res.status != http.StatusSeeOther {
			t.Fatalf("asking again: %d %s", res.status, res.body)
		}
		send()
		emailLink = linkIn(t, srv.WaitFor(t, thief, 2)[1])
		admin := f.as(t, "admin")
		userPath := "/admin/users/" + strconv.FormatInt(u.ID, 10)
		form := url.Values{"email": {owner}, "name": {u.Name}, "role": {string(u.Role)}, "password": {"set by an admin here"}}
		if res := admin.post(userPath, form); res.status != http.StatusSeeOther {
			t.Fatalf("an admin sets the password: %d %s", res.status, res.body)
		}
		if res := anon.get(emailLink); res.status != 404 {
			t.Fatalf("the thief's address link after an admin's new password: %d", res.status)
		}

		// An address changed by an admin ends the reset links sent to
		// the old one.
		if res := anon.post("/admin/forgot", url.Values{"email": {owner}}); res.status != 200 {
			t.Fatalf("forgot: %d", res.status)
		}
		send()
		msgs := srv.WaitFor(t, owner, 4)
		resetLink = linkIn(t, msgs[len(msgs)-1])
		form = url.Values{"email": {"moved-" + owner}, "name": {u.Name}, "role": {string(u.Role)}}
		if res := admin.post(userPath, form); res.status != http.StatusSeeOther {
			t.Fatalf("an admin changes the address: %d %s", res.status, res.body)
		}
		if res := anon.get(resetLink); res.status != 404 {
			t.Fatalf("a reset link sent to the old address after an admin changed it: %d", res.status)
		}
	})
}
