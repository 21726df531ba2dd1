package admin

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

var (
	secretRE   = regexp.MustCompile(`id="secret" value="([A-Z2-7]+)"`)
	recoveryRE = regexp.MustCompile(`<code>([a-z2-9]{5}-[a-z2-9]{5})</code>`)
)

// enrol sets up two-factor authentication for a signed-in client at now,
// through the pages, and returns the secret and the recovery codes.
func enrol(t *testing.T, f *fixture, c *client, now time.Time) (string, []string) {
	t.Helper()
	if res := c.post("/admin/account/two-factor/start", nil); res.status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", res.status, res.body)
	}
	res := c.get("/admin/account/two-factor")
	m := secretRE.FindStringSubmatch(res.body)
	if m == nil || !strings.Contains(res.body, "otpauth://totp/") {
		t.Fatalf("no secret on the page: %s", res.body)
	}
	secret := m[1]
	if res := c.post("/admin/account/two-factor/confirm", url.Values{"code": {"000000"}, "current": {password}}); res.status != http.StatusBadRequest {
		t.Fatalf("a wrong code confirmed: %d", res.status)
	}
	code, _ := auth.TOTPCode(secret, auth.TOTPStep(now))
	res = c.post("/admin/account/two-factor/confirm", url.Values{"code": {code}, "current": {password}})
	var codes []string
	for _, m := range recoveryRE.FindAllStringSubmatch(res.body, -1) {
		codes = append(codes, m[1])
	}
	if res.status != 200 || len(codes) != auth.RecoveryCodes {
		t.Fatalf("confirm: %d, %d recovery codes\n%s", res.status, len(codes), res.body)
	}
	return secret, codes
}

// loginCode logs in with the password, expects the code step, and sends
// code; it returns the code form's response.
func loginCode(t *testing.T, c *client, email, code string) response {
	t.Helper()
	c.cookie = nil
	delete(c.header, "Cookie")
	res := c.post("/admin/login", url.Values{"email": {email}, "password": {password}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/admin/login/code") {
		t.Fatalf("password step: %d %s", res.status, res.location())
	}
	if c.cookie != nil {
		t.Fatal("a session before the code")
	}
	var step string
	for _, ck := range (&http.Response{Header: res.header}).Cookies() {
		if ck.Name == codeCookiePlain {
			step = ck.Value
		}
	}
	if step == "" {
		t.Fatal("no code-step cookie")
	}
	c.header.Set("Cookie", codeCookiePlain+"="+step)
	if res := c.get("/admin/login/code"); res.status != 200 {
		t.Fatalf("code page: %d", res.status)
	}
	res = c.post("/admin/login/code", url.Values{"code": {code}, "next": {"/admin/account"}})
	delete(c.header, "Cookie")
	return res
}

// TestTwoFactorLogin: enrolment through the account page; the login asks
// for the code after the password; codes one step either side are taken,
// two steps are not; a code is taken once; recovery codes once each.
func TestTwoFactorLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		now := time.Now().Truncate(auth.TOTPPeriod).Add(10 * time.Second)
		f.adm.now = func() time.Time { return now }
		// The account's failures below would delay the right codes by a
		// second each (the throttle's AccountFree): the skew is tested
		// here, the throttle in TestTwoFactorGuessesThrottled.
		f.adm.throttle.AccountFree = 100
		email := f.users["editor"].Email
		secret, recovery := enrol(t, f, f.as(t, "editor"), now)
		at := func(offset int64) string {
			code, _ := auth.TOTPCode(secret, auth.TOTPStep(now)+offset)
			return code
		}
		c := f.anon(t)
		// The enrolment's code (this step) is spent: refused at login.
		if res := loginCode(t, c, email, at(0)); res.status != http.StatusUnauthorized || !strings.Contains(res.body, "used already") {
			t.Fatalf("the enrolment's code again: %d", res.status)
		}
		now = now.Add(2 * auth.TOTPPeriod)
		if res := loginCode(t, c, email, at(-2)); res.status != http.StatusUnauthorized {
			t.Fatalf("a code two steps old: %d", res.status)
		}
		if res := loginCode(t, c, email, at(2)); res.status != http.StatusUnauthorized {
			t.Fatalf("a code two steps ahead: %d", res.status)
		}
		res := loginCode(t, c, email, at(-1))
		if res.status != http.StatusSeeOther || res.location() != "/admin/account" || c.cookie == nil {
			t.Fatalf("a code one step old: %d %s", res.status, res.location())
		}
		if res := c.get("/admin/account"); res.status != 200 {
			t.Fatalf("signed in after the code: %d", res.status)
		}
		if res := loginCode(t, c, email, at(-1)); res.status != http.StatusUnauthorized || !strings.Contains(res.body, "used already") {
			t.Fatalf("the same code again: %d", res.status)
		}
		if res := loginCode(t, c, email, at(1)); res.status != http.StatusSeeOther {
			t.Fatalf("a code one step ahead: %d", res.status)
		}
		// Recovery codes, once each, in any case and spacing.
		if res := loginCode(t, c, email, strings.ToUpper(recovery[0])); res.status != http.StatusSeeOther {
			t.Fatalf("a recovery code: %d", res.status)
		}
		if res := loginCode(t, c, email, recovery[0]); res.status != http.StatusUnauthorized {
			t.Fatalf("a recovery code twice: %d", res.status)
		}
		if res := loginCode(t, c, email, strings.ReplaceAll(recovery[1], "-", " ")); res.status != http.StatusSeeOther {
			t.Fatalf("another recovery code: %d", res.status)
		}
		if auditCount(t, st, "user.recovery-code", "") != 2 {
			t.Fatal("recovery codes not in the audit log")
		}
		tf, _ := st.TwoFactorOf(ctx, f.users["editor"].ID)
		if tf.RecoveryLeft != auth.RecoveryCodes-2 {
			t.Fatalf("%d recovery codes left", tf.RecoveryLeft)
		}
	})
}

// TestTwoFactorGuessesThrottled: wrong codes are limited as passwords
// are; past the limit even the right code waits.
func TestTwoFactorGuessesThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		now := time.Now()
		f.adm.now = func() time.Time { return now }
		email := f.users["contributor"].Email
		secret, _ := enrol(t, f, f.as(t, "contributor"), now)
		now = now.Add(auth.TOTPPeriod)
		c := f.anon(t)
		wrong := 0
		for i := range 10 {
			res := loginCode(t, c, email, "00000"+string(rune('0'+i)))
			if res.status == http.StatusTooManyRequests {
				break
			}
			wrong++
		}
		if wrong > 5 {
			t.Fatalf("%d wrong codes before the throttle, want at most 5", wrong)
		}
		code, _ := auth.TOTPCode(secret, auth.TOTPStep(now))
		if res := loginCode(t, c, email, code); res.status != http.StatusTooManyRequests {
			t.Fatalf("the right code past the limit: %d", res.status)
		}
	})
}

// TestTwoFactorRequiredForAdmins: the setting cannot be turned on by an
// admin without two-factor; once on, an admin without it can only set it
// up; it cannot be turned off meanwhile.
func TestTwoFactorRequiredForAdmins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := f.as(t, "admin")
		if res := admin.post("/admin/settings/two-factor", url.Values{"required": {"1"}}); res.status != 400 {
			t.Fatalf("required by an admin without it: %d", res.status)
		}
		now := time.Now()
		f.adm.now = func() time.Time { return now }
		enrol(t, f, admin, now)
		if res := admin.post("/admin/settings/two-factor", url.Values{"required": {"1"}}); res.status != http.StatusSeeOther {
			t.Fatalf("turning it on: %d", res.status)
		}
		if res := admin.get("/admin/settings"); res.status != 200 || !strings.Contains(res.body, `value="1" checked`) {
			t.Fatalf("settings after: %d", res.status)
		}
		if res := admin.post("/admin/account/two-factor/off", url.Values{"code": {"123456"}}); res.status != http.StatusForbidden {
			t.Fatalf("turning off while required: %d", res.status)
		}
		u2 := *f.users["admin"]
		u2.ID, u2.Email, u2.Name = 0, "admin2@example.org", "Second Admin"
		if err := st.CreateUser(ctx, &u2); err != nil {
			t.Fatal(err)
		}
		f.users["admin2"] = &u2
		c := f.as(t, "admin2")
		if res := c.get("/admin/articles"); res.status != http.StatusSeeOther || res.location() != "/admin/account/two-factor" {
			t.Fatalf("an admin without two-factor: %d %s", res.status, res.location())
		}
		if res := c.post("/admin/sections", url.Values{"name": {"X"}}); res.status != http.StatusForbidden {
			t.Fatalf("a change by an admin without two-factor: %d", res.status)
		}
		if res := c.get("/admin/account/two-factor"); res.status != 200 || !strings.Contains(res.body, "requires two-factor") {
			t.Fatalf("the setup page: %d", res.status)
		}
		now = now.Add(time.Minute)
		enrol(t, f, c, now)
		if res := c.get("/admin/articles"); res.status != 200 {
			t.Fatalf("after setting it up: %d", res.status)
		}
		// Editors are not concerned.
		if res := f.as(t, "editor").get("/admin/articles"); res.status != 200 {
			t.Fatalf("an editor: %d", res.status)
		}
	})
}

// TestAdminTurnsOffTwoFactor: an admin turns off another account's
// two-factor authentication (phone and codes lost): its sessions end and
// the password alone logs in again.
func TestAdminTurnsOffTwoFactor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		now := time.Now()
		f.adm.now = func() time.Time { return now }
		writer := f.as(t, "contributor")
		enrol(t, f, writer, now)
		id := f.users["contributor"].ID
		admin := f.as(t, "admin")
		if res := admin.get("/admin/users/" + itoa(id)); !strings.Contains(res.body, "/two-factor/off") {
			t.Fatal("the user page offers no way to turn it off")
		}
		if res := f.as(t, "editor").post("/admin/users/"+itoa(id)+"/two-factor/off", nil); res.status != http.StatusForbidden {
			t.Fatalf("an editor: %d", res.status)
		}
		if res := admin.post("/admin/users/"+itoa(id)+"/two-factor/off", nil); res.status != http.StatusSeeOther {
			t.Fatalf("turning off: %d", res.status)
		}
		if on, _ := st.TwoFactorOn(ctx, id); on {
			t.Fatal("still on")
		}
		if res := writer.get("/admin/account"); res.status != http.StatusSeeOther {
			t.Fatalf("the account's session survived: %d", res.status)
		}
		c := f.anon(t)
		res := c.post("/admin/login", url.Values{"email": {f.users["contributor"].Email}, "password": {password}})
		if res.status != http.StatusSeeOther || strings.HasPrefix(res.location(), "/admin/login/code") || c.cookie == nil {
			t.Fatalf("login after: %d %s", res.status, res.location())
		}
		if auditCount(t, st, "user.two-factor.off", userTarget(f.users["contributor"])) != 1 {
			t.Fatal("not in the audit log")
		}
	})
}

// Turning two-factor on asks for the account's password as well as a
// code of the new key: a stolen session alone could otherwise enrol the
// thief's own app, see the recovery codes, and lock the owner out at
// the next login.
func TestTwoFactorOnNeedsThePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		now := time.Now()
		f.adm.now = func() time.Time { return now }
		c := f.as(t, "editor")
		if res := c.post("/admin/account/two-factor/start", nil); res.status != http.StatusSeeOther {
			t.Fatalf("start: %d", res.status)
		}
		page := c.get("/admin/account/two-factor")
		if !strings.Contains(page.body, `name="current"`) {
			t.Errorf("the setup form asks for no password:\n%s", page.body)
		}
		secret := secretRE.FindStringSubmatch(page.body)[1]
		for _, pw := range []string{"", "not the password at all"} {
			code, _ := auth.TOTPCode(secret, auth.TOTPStep(now))
			res := c.post("/admin/account/two-factor/confirm", url.Values{"code": {code}, "current": {pw}})
			if res.status != http.StatusBadRequest || !strings.Contains(res.body, "password") {
				t.Errorf("password %q: %d, want 400 naming the password\n%s", pw, res.status, res.body)
			}
			if tf, err := st.TwoFactorOf(ctx, f.users["editor"].ID); err != nil || tf.On {
				t.Fatalf("password %q: two-factor on (%v)", pw, err)
			}
		}
		code, _ := auth.TOTPCode(secret, auth.TOTPStep(now))
		if res := c.post("/admin/account/two-factor/confirm", url.Values{"code": {code}, "current": {password}}); res.status != 200 {
			t.Fatalf("with the password: %d\n%s", res.status, res.body)
		}
		if tf, err := st.TwoFactorOf(ctx, f.users["editor"].ID); err != nil || !tf.On {
			t.Fatalf("two-factor not on with the password and a code (%v)", err)
		}
	})
}
