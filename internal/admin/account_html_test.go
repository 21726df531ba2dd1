package admin

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
	"github.com/newsdesk/newsdesk/internal/testkit/mailserver"
)

// TestAccountPagesAreValidHTML checks the pages of issue 18's mail and
// two-factor work with the Nu HTML Checker, in each state they show: the
// forgotten-password form before and after, the reset form, the code step,
// the two-factor page off, being set up, with recovery codes and on, the
// address confirmation, the users pages, the settings, the mail outbox.
func TestAccountPagesAreValidHTML(t *testing.T) {
	srv := mailserver.Start(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		send := withMail(t, f, srv)
		now := time.Now()
		f.adm.now = func() time.Time { return now }
		docs := map[string][]byte{}
		keep := func(name string, res response, want int) {
			t.Helper()
			if res.status != want {
				t.Fatalf("%s: %d, want %d", name, res.status, want)
			}
			docs[name] = []byte(res.body)
		}
		anon := f.anon(t)
		keep("login", anon.get("/admin/login"), 200)
		keep("forgot", anon.get("/admin/forgot"), 200)
		to := "html-" + st.Engine() + "@example.org"
		if err := st.SetUserEmail(ctx, f.users["other"].ID, to); err != nil {
			t.Fatal(err)
		}
		keep("forgot sent", anon.post("/admin/forgot", url.Values{"email": {to}}), 200)
		send()
		keep("reset", anon.get(linkIn(t, srv.WaitFor(t, to, 1)[0])), 200)
		ed := f.as(t, "editor")
		keep("account", ed.get("/admin/account"), 200)
		keep("two-factor off", ed.get("/admin/account/two-factor"), 200)
		ed.post("/admin/account/two-factor/start", nil)
		keep("two-factor setting up", ed.get("/admin/account/two-factor"), 200)
		res := ed.get("/admin/account/two-factor")
		secret := secretRE.FindStringSubmatch(res.body)[1]
		code, _ := auth.TOTPCode(secret, auth.TOTPStep(now))
		keep("two-factor codes", ed.post("/admin/account/two-factor/confirm", url.Values{"code": {code}, "current": {password}}), 200)
		keep("two-factor on", ed.get("/admin/account/two-factor"), 200)
		keep("code step", func() response {
			c := f.anon(t)
			r := c.post("/admin/login", url.Values{"email": {f.users["editor"].Email}, "password": {password}})
			for _, ck := range (&http.Response{Header: r.header}).Cookies() {
				if ck.Name == codeCookiePlain {
					c.header.Set("Cookie", codeCookiePlain+"="+ck.Value)
				}
			}
			return c.get("/admin/login/code")
		}(), 200)
		ed.post("/admin/account/email", url.Values{"new_email": {"moved-" + to}, "email_current": {password}})
		send()
		keep("confirm address", anon.get(linkIn(t, srv.WaitFor(t, "moved-"+to, 1)[0])), 200)
		admin := f.as(t, "admin")
		keep("users with a sent invitation", admin.post("/admin/invitations", url.Values{"email": {"inv-" + to}, "role": {"editor"}}), 200)
		keep("user with two-factor", admin.get("/admin/users/"+itoa(f.users["editor"].ID)), 200)
		keep("settings", admin.get("/admin/settings"), 200)
		keep("mail", admin.get("/admin/mail"), 200)
		testkit.ValidateHTMLBatch(t, docs)
	})
}
