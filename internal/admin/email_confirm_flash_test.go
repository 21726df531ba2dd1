package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit/mailserver"
)

// TestEmailConfirmedWhileSignedIn: confirming a new address in the
// browser that is signed in lands on the account page saying so. The
// link's route is public, so the handler never saw the session and sent
// everyone to the login page, which sends a signed-in browser on to the
// desk: the "address is changed" message was never shown.
func TestEmailConfirmedWhileSignedIn(t *testing.T) {
	srv := mailserver.Start(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		send := withMail(t, f, srv)
		to := "flash-" + st.Engine() + "@example.org"
		c := f.as(t, "editor")
		if res := c.post("/admin/account/email", url.Values{"new_email": {to}, "email_current": {password}}); res.status != http.StatusSeeOther {
			t.Fatalf("asking: %d %s", res.status, res.body)
		}
		send()
		link := linkIn(t, srv.WaitFor(t, to, 1)[0])
		res := c.post(link, nil)
		if res.status != http.StatusSeeOther || res.location() != "/admin/account?done=email-changed" {
			t.Fatalf("confirming while signed in: %d %s", res.status, res.location())
		}
		if res := c.get(res.location()); res.status != 200 || !strings.Contains(res.body, flashes["email-changed"]) || !strings.Contains(res.body, to) {
			t.Fatalf("the account page after: %d", res.status)
		}
		if res := f.anon(t).get(link); res.status != 404 {
			t.Fatalf("the link after use: %d", res.status)
		}
	})
}
