package admin

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// postWith sends a form straight to a newsroom handler from a client
// address, with the cookies given.
func postWith(h http.Handler, path, addr string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = addr + ":40000"
	for _, c := range cookies {
		if c != nil {
			r.AddCookie(c)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestPasswordChangeThrottled: the current-password field of the password
// change is a password check like the login's, and whoever holds a
// session (a stolen one) could guess at it without limit, a hash per
// request. It now takes a place in the login throttle: PerPair wrong
// guesses from a session, then 429 with no hash computed, the right
// password included; the login form from the same session shares that
// count; the owner's other session is not held back; and the failures
// count for the account's delays, as the login's do.
func TestPasswordChangeThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		h := f.adm.Handler()
		f.adm.throttle.FirstDelay = time.Hour
		const thiefAt = "203.0.113.9"
		stolen := f.as(t, "editor").cookie
		newPw := url.Values{"password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}}
		form := func(current string) url.Values {
			v := url.Values{"current": {current}}
			for k, x := range newPw {
				v[k] = x
			}
			return v
		}
		hasher := f.adm.gate.hasher
		for i := range f.adm.throttle.PerPair {
			if w := postWith(h, "/admin/account/password", thiefAt, form("guess "+itoa(int64(i))), stolen); w.Code != http.StatusBadRequest {
				t.Fatalf("wrong guess %d: %d, want 400", i+1, w.Code)
			}
		}
		before := hasher.Stats().Hashes
		w := postWith(h, "/admin/account/password", thiefAt, form(password), stolen)
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
			t.Errorf("the right password after %d wrong ones from the session: %d (Retry-After %q), want 429", f.adm.throttle.PerPair, w.Code, w.Header().Get("Retry-After"))
		}
		if w := postLogin(h, thiefAt, "editor@example.org", password, stolen); w.Code != http.StatusTooManyRequests {
			t.Errorf("the login form from the same session: %d, want 429 (one count)", w.Code)
		}
		if n := hasher.Stats().Hashes - before; n != 0 {
			t.Errorf("throttled attempts computed %d hashes, want none", n)
		}
		if u, _ := st.UserByID(ctx, f.users["editor"].ID); u.PasswordHash != f.users["editor"].PasswordHash {
			t.Fatal("the password was changed through a throttled session")
		}
		// The guesses count for the account: a stranger is delayed.
		if w := postLogin(h, "192.0.2.77", "editor@example.org", password); w.Code != http.StatusTooManyRequests {
			t.Errorf("a stranger's login after %d wrong current passwords: %d, want 429 (the account's delay)", f.adm.throttle.PerPair, w.Code)
		}
		// The owner, in another browser, is not held back.
		owner := f.as(t, "editor").cookie
		if w := postWith(h, "/admin/account/password", "198.51.100.4", form(password), owner); w.Code != http.StatusSeeOther {
			t.Errorf("the owner's own session: %d, want 303\n%.400s", w.Code, w.Body.String())
		}
	})
}

// TestPasswordChangeForgetsPlaces: the browsers and addresses that logged
// in with the old password (a thief's, who has it) lose their exemption
// from the account's delays when the password changes or the account is
// disabled. Before, a thief's device cookie and address stayed known for
// 180 days after the owner changed the password, and guessed at the new
// one free of the delays that hold back strangers.
func TestPasswordChangeForgetsPlaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		h := f.adm.Handler()
		f.adm.throttle.FirstDelay = time.Hour
		const ownerAt, thiefAt = "198.51.100.20", "203.0.113.66"
		const newPassword = "a brand new passphrase"
		delayAccount := func(from string) {
			for i := range f.adm.throttle.AccountFree + 1 {
				postLogin(h, from+itoa(int64(i)), "editor@example.org", "guess "+itoa(int64(i)))
			}
		}

		// The thief has the password and logs in with it.
		w := postLogin(h, thiefAt, "editor@example.org", password)
		thiefDevice := cookieOf(w, devicePlain)
		if w.Code != http.StatusSeeOther || thiefDevice == nil {
			t.Fatalf("the thief's login: %d, device %v", w.Code, thiefDevice)
		}
		// The owner changes the password from their own session.
		w = postLogin(h, ownerAt, "editor@example.org", password)
		ownerSession, ownerDevice := cookieOf(w, cookiePlain), cookieOf(w, devicePlain)
		w = postWith(h, "/admin/account/password", ownerAt, url.Values{"current": {password}, "password": {newPassword}, "confirm": {newPassword}}, ownerSession, ownerDevice)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("the owner's change: %d", w.Code)
		}
		if c := cookieOf(w, devicePlain); c != nil {
			ownerDevice = c // the browser's device cookie, renewed
		}
		delayAccount("192.0.2.")

		if w := postLogin(h, "192.0.2.99", "editor@example.org", "another guess", thiefDevice); w.Code != http.StatusTooManyRequests {
			t.Errorf("the thief's device cookie after the change: %d, want 429 like any stranger", w.Code)
		}
		if w := postLogin(h, thiefAt, "editor@example.org", "another guess"); w.Code != http.StatusTooManyRequests {
			t.Errorf("the thief's address after the change: %d, want 429 like any stranger", w.Code)
		}
		// The owner's browser and address are known anew.
		if w := postLogin(h, "192.0.2.98", "editor@example.org", newPassword, ownerDevice); w.Code != http.StatusSeeOther {
			t.Errorf("the owner's browser after the change: %d, want 303", w.Code)
		}
		if w := postLogin(h, ownerAt, "editor@example.org", newPassword); w.Code != http.StatusSeeOther {
			t.Errorf("the owner's address after the change: %d, want 303", w.Code)
		}

		// An admin's new password for the account, or disabling it, does
		// the same.
		for _, change := range []url.Values{
			{"password": {"an admin's new passphrase"}},
			{"disabled": {"1"}},
		} {
			known, err := st.KnownLogins(ctx, f.users["editor"].ID, []string{deviceKey(ownerDevice.Value), auth.AddressKey(ownerAt)}, time.Now().Add(-time.Hour))
			if err != nil || len(known) == 0 {
				// Make them known again, as a login would.
				if err := st.RememberLogin(ctx, f.users["editor"].ID, []string{deviceKey(ownerDevice.Value), auth.AddressKey(ownerAt)}, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			ed := f.users["editor"]
			form := url.Values{"email": {ed.Email}, "name": {ed.Name}, "role": {string(ed.Role)}}
			for k, v := range change {
				form[k] = v
			}
			if res := f.as(t, "admin").post("/admin/users/"+itoa(ed.ID), form); res.status != http.StatusSeeOther {
				t.Fatalf("the admin's change %v: %d\n%.400s", change, res.status, res.body)
			}
			known, err = st.KnownLogins(ctx, ed.ID, []string{deviceKey(ownerDevice.Value), auth.AddressKey(ownerAt)}, time.Now().Add(-time.Hour))
			if err != nil || len(known) != 0 {
				t.Errorf("after the admin's change %v, the account still knows %v (%v)", change, known, err)
			}
		}
	})
}

// TestEveryHashWaitsItsTurn: the forms that hash a new password (joining
// by an invitation link, an admin making an account or setting a
// password) hash it in the logins' queue: with the queue full they answer
// 503 at once and change nothing. An invitation link can be sent again
// and again while its account is not made, so outside the queue its
// holder could hash without bound, as logins once did (issue 14, finding
// 5).
func TestEveryHashWaitsItsTurn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := f.as(t, "admin")
		res := admin.post("/admin/invitations", url.Values{"role": {"editor"}, "email": {"new.editor@example.org"}})
		i := strings.Index(res.body, "http://news.example.org/admin/invite/")
		if res.status != 200 || i < 0 {
			t.Fatalf("invitation: %d, link not shown", res.status)
		}
		link := res.body[i+len("http://news.example.org") : i+strings.IndexByte(res.body[i:], '"')]
		hasher := f.adm.gate.hasher
		var turns []*auth.Turn
		for {
			turn, err := hasher.Enter()
			if err != nil {
				break
			}
			turns = append(turns, turn)
		}
		ed := f.users["editor"]
		for _, tt := range []struct {
			name, path string
			form       url.Values
			c          *client
		}{
			{"joining", link, url.Values{"name": {"New Editor"}, "password": {"another long password"}, "confirm": {"another long password"}}, f.anon(t)},
			{"a new account", "/admin/users", url.Values{"email": {"cub@example.org"}, "name": {"Cub Reporter"}, "role": {"contributor"}, "password": {"cub reporter password"}}, admin},
			{"an admin's new password", "/admin/users/" + itoa(ed.ID), url.Values{"email": {ed.Email}, "name": {ed.Name}, "role": {string(ed.Role)}, "password": {"an admin's new passphrase"}}, admin},
		} {
			res := tt.c.post(tt.path, tt.form)
			if res.status != http.StatusServiceUnavailable || res.header.Get("Retry-After") == "" || !strings.Contains(res.body, "Try again in a few seconds") {
				t.Errorf("%s with the queue full: %d (Retry-After %q), want 503 at once\n%.300s", tt.name, res.status, res.header.Get("Retry-After"), res.body)
			}
		}
		for _, e := range []string{"new.editor@example.org", "cub@example.org"} {
			if _, err := st.UserByEmail(ctx, e); err == nil {
				t.Errorf("%s was made with the queue full", e)
			}
		}
		if u, _ := st.UserByID(ctx, ed.ID); u.PasswordHash != ed.PasswordHash {
			t.Error("a password was set with the queue full")
		}
		for _, turn := range turns {
			turn.Leave()
		}
		before := hasher.Stats().Hashes
		if res := f.anon(t).post(link, url.Values{"name": {"New Editor"}, "password": {"another long password"}, "confirm": {"another long password"}}); res.status != http.StatusSeeOther {
			t.Fatalf("joining with room in the queue: %d\n%.300s", res.status, res.body)
		}
		if n := hasher.Stats().Hashes - before; n != 1 {
			t.Errorf("the queue's hasher computed %d hashes for joining, want 1", n)
		}
	})
}

// TestSchedulerSweepsLoginAttempts: the newsroom's hourly chores delete
// the login attempts that no limit counts any more, whatever their key.
// Before, only a later failure under the same key pruned a key's rows, so
// guesses at made-up accounts stayed in login_failures for ever.
func TestSchedulerSweepsLoginAttempts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		old := time.Now().Add(-48 * time.Hour)
		for i := range 30 {
			if _, _, _, err := st.ReserveLogin(ctx, old, map[string]time.Time{"account:nobody" + itoa(int64(i)) + "@example.org": {}, "addr:192.0.2." + itoa(int64(i)): {}}); err != nil {
				t.Fatal(err)
			}
		}
		left := func() int {
			ids, others, _, err := st.ReserveLogin(ctx, time.Now(), map[string]time.Time{"account:nobody7@example.org": {}, "addr:192.0.2.7": {}})
			if err != nil {
				t.Fatal(err)
			}
			st.ReleaseLogin(ctx, ids, nil) // the probe's own rows
			return others["account:nobody7@example.org"] + others["addr:192.0.2.7"]
		}
		if n := left(); n != 2 {
			t.Fatalf("rows before the sweep: %d, want 2", n)
		}
		sctx, stop := contextWithCancel()
		done := make(chan struct{})
		go func() { f.adm.RunScheduler(sctx); close(done) }()
		deadline := time.Now().Add(10 * time.Second)
		for left() != 0 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		stop()
		<-done
		if n := left(); n != 0 {
			t.Errorf("two-day-old login attempts after the scheduler's sweep: %d left, want 0", n)
		}
	})
}

// TestLoginThrottleIgnoresForgedAddresses: with no trusted proxy, a
// client that writes a new X-Forwarded-For on each guess, or hops
// between addresses of its IPv6 /64, is still counted as one address.
func TestLoginThrottleIgnoresForgedAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		h := f.adm.Handler()
		// Only the address counts here: the account's own delays would
		// refuse the 6th guess from anywhere.
		f.adm.throttle.AccountFree = 1000
		guess := func(remote, xff string) int {
			r := httptest.NewRequest("POST", "/admin/login", strings.NewReader(url.Values{"email": {"editor@example.org"}, "password": {"a guess"}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("X-Forwarded-For", xff)
			r.RemoteAddr = remote
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w.Code
		}
		for i := range f.adm.throttle.PerPair {
			if code := guess("203.0.113.5:4000", "192.0.2."+itoa(int64(i))); code != http.StatusUnauthorized {
				t.Fatalf("guess %d: %d", i+1, code)
			}
		}
		if code := guess("203.0.113.5:4000", "198.51.100.1"); code != http.StatusTooManyRequests {
			t.Errorf("a guess with a fresh X-Forwarded-For and no trusted proxy: %d, want 429", code)
		}
		for i := range f.adm.throttle.PerPair {
			guess("[2001:db8:5:6::"+itoa(int64(i+1))+"]:4000", "")
		}
		if code := guess("[2001:db8:5:6:ffff::1]:4000", ""); code != http.StatusTooManyRequests {
			t.Errorf("a guess from another address of the same /64: %d, want 429", code)
		}
	})
}
