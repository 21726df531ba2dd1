package admin

import (
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestTwoFactorInChromium: an editor turns on two-factor authentication
// from the account page as a person would (reading the key off the page,
// typing the app's code), sees the recovery codes, logs out, and logs in
// again: the password, then the code page, then the desk.
func TestTwoFactorInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		now := time.Now()
		f.adm.now = func() time.Time { return now }
		bt := f.browse(t, "editor")
		bt.open("/admin/account")
		bt.submit(`a[href="/admin/account/two-factor"]`)
		bt.submit(`form[action="/admin/account/two-factor/start"] button`)
		secret := bt.eval(`document.querySelector('#secret').value`)
		if secret == "" || !strings.Contains(bt.html(), "otpauth://totp/") {
			t.Fatalf("no key on the page:\n%s", bt.html())
		}
		code, _ := auth.TOTPCode(secret, auth.TOTPStep(now))
		bt.typeInto("#current", password)
		bt.typeInto("#code", code)
		bt.submit(`form[action="/admin/account/two-factor/confirm"] button`)
		if n := bt.eval(`String(document.querySelectorAll('ul.codes li').length)`); n != "10" {
			t.Fatalf("%s recovery codes shown, want 10:\n%s", n, bt.html())
		}
		bt.submit(`form.logout button`)
		bt.typeInto("#email", f.users["editor"].Email)
		bt.typeInto("#password", password)
		bt.submit(`form[action="/admin/login"] button`)
		if loc := bt.eval(`location.pathname`); loc != "/admin/login/code" {
			t.Fatalf("after the password: %s", loc)
		}
		now = now.Add(auth.TOTPPeriod)
		code, _ = auth.TOTPCode(secret, auth.TOTPStep(now))
		bt.typeInto("#code", code)
		bt.submit(`form[action="/admin/login/code"] button`)
		if loc := bt.eval(`location.pathname`); loc != "/admin/" {
			t.Fatalf("after the code: %s\n%s", loc, bt.html())
		}
	})
}
