package admin

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/mail/outbox"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit/mailserver"
)

// withMail gives the fixture's newsroom a real SMTP server, and returns a
// function that sends what the outbox holds (the worker serve runs, once).
func withMail(t *testing.T, f *fixture, srv *mailserver.Server) func() {
	t.Helper()
	c, err := mail.ParseSMTP(srv.SMTP, "", "Newsroom <news@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	f.adm.cfg.Mail = mail.NewSMTP(c)
	w := outbox.New(f.st, f.adm.cfg.Mail, outbox.Options{}, nil)
	return func() {
		t.Helper()
		w.SendDue(ctx)
	}
}

var linkRE = regexp.MustCompile(`http://news\.example\.org(/admin/[a-z/-]+/[A-Za-z0-9_-]{43})`)

// linkIn returns the path of the newsroom link in a message.
func linkIn(t *testing.T, m mailserver.Message) string {
	t.Helper()
	got := linkRE.FindStringSubmatch(m.Text)
	if got == nil {
		t.Fatalf("no link in %q", m.Text)
	}
	return got[1]
}

// TestInvitationByMail: with mail configured, an invitation with an
// address is e-mailed through the SMTP server and not shown; the link in
// the message creates the account.
func TestInvitationByMail(t *testing.T) {
	srv := mailserver.Start(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		send := withMail(t, f, srv)
		to := "new-" + st.Engine() + "@example.org"
		res := f.as(t, "admin").post("/admin/invitations", url.Values{"email": {to}, "role": {"editor"}})
		if res.status != 200 || !strings.Contains(res.body, "on its way to "+to) || strings.Contains(res.body, "/admin/invite/") {
			t.Fatalf("invitation page: %d %s", res.status, res.body)
		}
		send()
		msgs := srv.WaitFor(t, to, 1)
		if !strings.Contains(msgs[0].Subject, "invited") || !strings.Contains(msgs[0].Text, "as editor") {
			t.Fatalf("message %q: %q", msgs[0].Subject, msgs[0].Text)
		}
		link := linkIn(t, msgs[0])
		c := f.anon(t)
		if res := c.get(link); res.status != 200 || !strings.Contains(res.body, to) {
			t.Fatalf("invitation link: %d", res.status)
		}
		res = c.post(link, url.Values{"name": {"New Person"}, "password": {password}, "confirm": {password}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("joining: %d %s", res.status, res.body)
		}
		if u, err := st.UserByEmail(ctx, to); err != nil || string(u.Role) != "editor" {
			t.Fatalf("account made: %+v %v", u, err)
		}
		// An invitation without an address still shows its link.
		res = f.as(t, "admin").post("/admin/invitations", url.Values{"role": {"contributor"}})
		if !strings.Contains(res.body, "/admin/invite/") {
			t.Fatal("an invitation without an address shows no link")
		}
	})
}

// TestPasswordReset: the answer is the same for a known and an unknown
// address, and only the known one gets mail; the link works once, not
// after a newer one, not after an hour; using it ends the account's
// sessions; requests are throttled per address.
func TestPasswordReset(t *testing.T) {
	srv := mailserver.Start(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		send := withMail(t, f, srv)
		to := "reset-" + st.Engine() + "@example.org"
		u := f.users["editor"]
		if err := st.SetUserEmail(ctx, u.ID, to); err != nil {
			t.Fatal(err)
		}
		signedIn := f.as(t, "editor")
		if res := signedIn.get("/admin/account"); res.status != 200 {
			t.Fatalf("account page: %d", res.status)
		}
		c := f.anon(t)
		if res := c.get("/admin/login"); !strings.Contains(res.body, `href="/admin/forgot"`) {
			t.Fatal("the login page has no forgotten-password link")
		}
		known := c.post("/admin/forgot", url.Values{"email": {to}})
		unknown := c.post("/admin/forgot", url.Values{"email": {"nobody-" + st.Engine() + "@example.org"}})
		if known.status != 200 || unknown.status != 200 || known.body != unknown.body || !strings.Contains(known.body, "If an account has this address") {
			t.Fatalf("answers differ: %d %d\n%s\n---\n%s", known.status, unknown.status, known.body, unknown.body)
		}
		send()
		first := linkIn(t, srv.WaitFor(t, to, 1)[0])
		if all, _ := srv.Messages(); len(all) != 0 {
			for _, m := range all {
				if strings.HasPrefix(m.Recipients()[0], "nobody-"+st.Engine()) {
					t.Fatal("mail sent to an address without an account")
				}
			}
		}
		// A newer link ends the first.
		c.post("/admin/forgot", url.Values{"email": {to}})
		send()
		second := linkIn(t, srv.WaitFor(t, to, 2)[1])
		if res := c.get(first); res.status != 404 {
			t.Fatalf("the older link after a newer one: %d", res.status)
		}
		if res := c.get(second); res.status != 200 {
			t.Fatalf("the newest link: %d", res.status)
		}
		newPW := "a brand new passphrase here"
		if res := c.post(second, url.Values{"password": {newPW}, "confirm": {"something else entirely"}}); res.status != 400 {
			t.Fatalf("mismatched passwords: %d", res.status)
		}
		res := c.post(second, url.Values{"password": {newPW}, "confirm": {newPW}})
		if res.status != http.StatusSeeOther || res.location() != "/admin/login?done=reset" {
			t.Fatalf("reset: %d %s", res.status, res.location())
		}
		if res := c.post(second, url.Values{"password": {"yet another passphrase"}, "confirm": {"yet another passphrase"}}); res.status != 404 {
			t.Fatalf("the link used twice: %d", res.status)
		}
		if res := signedIn.get("/admin/account"); res.status != http.StatusSeeOther {
			t.Fatalf("a session from before the reset still works: %d", res.status)
		}
		got, _ := st.UserByID(ctx, u.ID)
		if ok, _ := auth.CheckPassword(got.PasswordHash, newPW); !ok {
			t.Fatal("the new password is not the account's")
		}
		if auditCount(t, st, "user.password", userTarget(u)) != 1 || auditCount(t, st, "user.reset.request", "") != 3 {
			t.Fatal("the reset is not in the audit log")
		}
		// An expired link.
		c.post("/admin/forgot", url.Values{"email": {to}})
		send()
		third := linkIn(t, srv.WaitFor(t, to, 3)[2])
		f.adm.now = func() time.Time { return time.Now().Add(auth.ResetLifetime + time.Minute) }
		if res := c.get(third); res.status != 404 {
			t.Fatalf("an expired link: %d", res.status)
		}
		f.adm.now = time.Now
		// Three requests an hour for one address (known or not), then 429.
		if res := c.post("/admin/forgot", url.Values{"email": {to}}); res.status != http.StatusTooManyRequests {
			t.Fatalf("a fourth request in the hour: %d", res.status)
		}
		other := "other-" + st.Engine() + "@example.org"
		for i := range 3 {
			if res := c.post("/admin/forgot", url.Values{"email": {other}}); res.status != 200 {
				t.Fatalf("request %d for another address: %d", i, res.status)
			}
		}
		if res := c.post("/admin/forgot", url.Values{"email": {other}}); res.status != http.StatusTooManyRequests {
			t.Fatalf("a fourth request for an unknown address: %d", res.status)
		}
	})
}

// TestForgotWithoutMail: without mail the page says to ask an admin.
func TestForgotWithoutMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := f.anon(t)
		if res := c.get("/admin/login"); strings.Contains(res.body, `href="/admin/forgot"`) {
			t.Fatal("a reset link offered without mail")
		}
		if res := c.post("/admin/forgot", url.Values{"email": {"editor@example.org"}}); res.status != http.StatusConflict || !strings.Contains(res.body, "ask an admin") {
			t.Fatalf("without mail: %d", res.status)
		}
	})
}

// TestEmailChange: the new address gets a link, the old one is told; the
// change is made when the link is used, once.
func TestEmailChange(t *testing.T) {
	srv := mailserver.Start(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		send := withMail(t, f, srv)
		old := "old-" + st.Engine() + "@example.org"
		u := f.users["contributor"]
		if err := st.SetUserEmail(ctx, u.ID, old); err != nil {
			t.Fatal(err)
		}
		c := f.as(t, "contributor")
		if res := c.post("/admin/account/email", url.Values{"new_email": {"x-" + old}, "email_current": {"wrong password"}}); res.status != 400 {
			t.Fatalf("a wrong password: %d", res.status)
		}
		if res := c.post("/admin/account/email", url.Values{"new_email": {"editor@example.org"}, "email_current": {password}}); res.status != http.StatusConflict {
			t.Fatalf("another account's address: %d", res.status)
		}
		to := "new-" + old
		if res := c.post("/admin/account/email", url.Values{"new_email": {to}, "email_current": {password}}); res.status != http.StatusSeeOther {
			t.Fatalf("asking: %d %s", res.status, res.body)
		}
		send()
		told := srv.WaitFor(t, old, 1)[0]
		if !strings.Contains(told.Text, to) || linkRE.MatchString(told.Text) {
			t.Fatalf("the old address's message: %q", told.Text)
		}
		link := linkIn(t, srv.WaitFor(t, to, 1)[0])
		if got, _ := st.UserByID(ctx, u.ID); got.Email != old {
			t.Fatal("changed before the link was used")
		}
		if res := c.get(link); res.status != 200 || !strings.Contains(res.body, to) {
			t.Fatalf("the link's page: %d", res.status)
		}
		if res := c.post(link, nil); res.status != http.StatusSeeOther {
			t.Fatalf("confirming: %d %s", res.status, res.body)
		}
		if got, _ := st.UserByID(ctx, u.ID); got.Email != to {
			t.Fatalf("address after confirming: %s", got.Email)
		}
		if res := c.post(link, nil); res.status != 404 {
			t.Fatalf("the link used twice: %d", res.status)
		}
	})
}
