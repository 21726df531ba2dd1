package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestEmailChangeRequestsThrottled: each request to change the address
// mails the address typed (any address) and the account's own. Without
// a bound, any signed-in account could send the newsroom's mail to a
// stranger's address as often as it liked; "Forgot password" is bounded
// to 3 an hour per address, and so is this, per account.
func TestEmailChangeRequestsThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c, err := mail.ParseSMTP("smtp://127.0.0.1:1?tls=none", "", "news@example.org")
		if err != nil {
			t.Fatal(err)
		}
		f.adm.cfg.Mail = mail.NewSMTP(c) // nothing is sent: the outbox is read
		writer := f.as(t, "contributor")
		for i := range emailChangePerAccount {
			to := "victim" + strconv.Itoa(i) + "@example.org"
			if res := writer.post("/admin/account/email", url.Values{"new_email": {to}, "email_current": {password}}); res.status != http.StatusSeeOther {
				t.Fatalf("request %d: %d %s", i, res.status, res.body)
			}
		}
		res := writer.post("/admin/account/email", url.Values{"new_email": {"victim@example.org"}, "email_current": {password}})
		if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
			t.Fatalf("one request too many: %d", res.status)
		}
		if list, _ := st.MailOutbox(ctx, store.MailPending, 100); len(list) != 2*emailChangePerAccount {
			t.Fatalf("the outbox holds %d messages, want %d", len(list), 2*emailChangePerAccount)
		}
		// Another account is not held by this one's requests.
		if res := f.as(t, "editor").post("/admin/account/email", url.Values{"new_email": {"elsewhere@example.org"}, "email_current": {password}}); res.status != http.StatusSeeOther {
			t.Fatalf("another account: %d", res.status)
		}
	})
}
