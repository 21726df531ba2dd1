package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestAdminCannotTurnOffOwnTwoFactorFromUsers: the users page's "turn
// off" is an admin's help for another account. Turning one's own off
// takes a code (Your account), and is refused while the site requires it
// of admins; through the users page an admin's session alone (a stolen
// one) turned it off without a code, and past the requirement.
func TestAdminCannotTurnOffOwnTwoFactorFromUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		now := time.Now()
		f.adm.now = func() time.Time { return now }
		admin := f.as(t, "admin")
		enrol(t, f, admin, now)
		if res := admin.post("/admin/settings/two-factor", url.Values{"required": {"1"}}); res.status != http.StatusSeeOther {
			t.Fatalf("requiring it: %d", res.status)
		}
		own := "/admin/users/" + itoa(f.users["admin"].ID)
		if res := admin.get(own); res.status != 200 || strings.Contains(res.body, "/two-factor/off") {
			t.Fatalf("the admin's own user page offers to turn it off: %d", res.status)
		}
		if res := admin.post(own+"/two-factor/off", nil); res.status != http.StatusForbidden {
			t.Fatalf("turning off one's own from the users page: %d", res.status)
		}
		if on, _ := st.TwoFactorOn(ctx, f.users["admin"].ID); !on {
			t.Fatal("the admin's own two-factor authentication was turned off without a code")
		}
	})
}
