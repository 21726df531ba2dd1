package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestLoginLogout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := f.anon(t)
		res := c.get("/admin/")
		if res.status != http.StatusSeeOther || res.location() != "/admin/login?next=%2Fadmin%2F" {
			t.Fatalf("/admin/ without a session: %d to %q, want 303 to the login page", res.status, res.location())
		}
		if res := c.get("/admin/login"); res.status != 200 || !strings.Contains(res.body, `name="email"`) || !strings.Contains(res.body, `name="password"`) {
			t.Fatalf("login page: %d", res.status)
		}
		wrong := c.post("/admin/login", url.Values{"email": {"editor@example.org"}, "password": {"not the password at all"}})
		unknown := c.post("/admin/login", url.Values{"email": {"nobody@example.org"}, "password": {"not the password at all"}})
		for name, r := range map[string]response{"wrong password": wrong, "unknown account": unknown} {
			if r.status != http.StatusUnauthorized || !strings.Contains(r.body, badLogin) {
				t.Errorf("%s: %d, want 401 with %q", name, r.status, badLogin)
			}
		}
		if strings.ReplaceAll(wrong.body, "editor@example.org", "") != strings.ReplaceAll(unknown.body, "nobody@example.org", "") {
			t.Error("the pages for a wrong password and an unknown account differ beyond the address typed")
		}
		if c.cookie != nil {
			t.Fatal("a failed login set a session cookie")
		}
		ok := c.post("/admin/login", url.Values{"email": {"Editor@Example.org"}, "password": {password}, "next": {"/admin/articles"}})
		if ok.status != http.StatusSeeOther || ok.location() != "/admin/articles" {
			t.Fatalf("good login: %d to %q", ok.status, ok.location())
		}
		setCookie := ok.header.Get("Set-Cookie")
		for _, want := range []string{cookiePlain + "=", "HttpOnly", "SameSite=Lax", "Path=/admin/"} {
			if !strings.Contains(setCookie, want) {
				t.Errorf("cookie %q lacks %s", setCookie, want)
			}
		}
		if strings.Contains(setCookie, "Secure") {
			t.Errorf("cookie over plain HTTP is Secure: %q", setCookie)
		}
		if res := c.get("/admin/"); res.status != 200 || !strings.Contains(res.body, "Editor Person") {
			t.Fatalf("desk after login: %d", res.status)
		}
		// The session is listed, then ended by logging out: the old cookie
		// no longer works, even replayed.
		if list, _ := st.Sessions(ctx, f.users["editor"].ID); len(list) != 1 {
			t.Errorf("sessions after login: %d, want 1", len(list))
		}
		old := *c.cookie
		if res := c.post("/admin/logout", nil); res.status != http.StatusSeeOther {
			t.Fatalf("logout: %d", res.status)
		}
		c.cookie = &old
		if res := c.get("/admin/"); res.status != http.StatusSeeOther {
			t.Errorf("the cookie after logout: %d, want a redirect to the login", res.status)
		}
		if list, _ := st.Sessions(ctx, f.users["editor"].ID); len(list) != 0 {
			t.Errorf("sessions after logout: %d, want 0", len(list))
		}
		// An open redirect is not offered.
		res = f.anon(t).post("/admin/login", url.Values{"email": {"editor@example.org"}, "password": {password}, "next": {"//evil.example/admin/"}})
		if res.location() != "/admin/" {
			t.Errorf("next=//evil.example: redirected to %q", res.location())
		}
	})
}

func TestSecureCookieBehindHTTPSProxy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		// The test server is on 127.0.0.1, not a trusted proxy: its
		// X-Forwarded-Proto is ignored.
		c := f.anon(t)
		c.header.Set("X-Forwarded-Proto", "https")
		res := c.post("/admin/login", url.Values{"email": {"editor@example.org"}, "password": {password}})
		if sc := res.header.Get("Set-Cookie"); strings.Contains(sc, "Secure") || strings.Contains(sc, "__Host-") {
			t.Errorf("an untrusted X-Forwarded-Proto made the cookie %q", sc)
		}
		// A request through a trusted proxy that terminated TLS.
		r, _ := http.NewRequest("GET", "/admin/", nil)
		r.RemoteAddr = "10.1.2.3:4000"
		r.Header.Set("X-Forwarded-Proto", "https")
		ck := f.adm.cookie(r, "token", 60)
		if ck.Name != cookieSecure || !ck.Secure || ck.Path != "/" || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Domain != "" {
			t.Errorf("cookie over HTTPS: %+v, want __Host-, Secure, Path=/, HttpOnly, Lax, no Domain", ck)
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := f.anon(t)
		for i := range 5 {
			res := c.post("/admin/login", url.Values{"email": {"editor@example.org"}, "password": {"guess number " + itoa(int64(i))}})
			if res.status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d, want 401", i+1, res.status)
			}
		}
		res := c.post("/admin/login", url.Values{"email": {"editor@example.org"}, "password": {password}})
		if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
			t.Errorf("6th attempt, even with the right password: %d, want 429 with Retry-After", res.status)
		}
		if !strings.Contains(f.logs.String(), "login throttled") {
			t.Errorf("no log line for the throttled login:\n%s", f.logs.String())
		}
		// A second instance on the same database refuses too, for the same
		// address: failures are kept in the database, not only in memory.
		other, err := New(Config{}, st, f.ms, nil)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := http.NewRequest("POST", "/admin/login", strings.NewReader(url.Values{"email": {"editor@example.org"}, "password": {password}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = "127.0.0.1:1234"
		w := newRecorder()
		other.Handler().ServeHTTP(w, r)
		if w.Code != http.StatusTooManyRequests {
			t.Errorf("the other instance: %d, want 429", w.Code)
		}
		// Other accounts from another address are not affected.
		if res := f.anon(t).post("/admin/login", url.Values{"email": {"admin@example.org"}, "password": {password}}); res.status != http.StatusSeeOther {
			t.Errorf("another account: %d, want a login", res.status)
		}
	})
}

func TestCrossOriginPostRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "editor", "A story to publish")
		for name, h := range map[string][2]string{
			"Sec-Fetch-Site": {"Sec-Fetch-Site", "cross-site"},
			"Origin":         {"Origin", "https://attacker.example"},
		} {
			c := f.as(t, "editor")
			c.header.Set(h[0], h[1])
			res := c.post("/admin/articles/"+itoa(e.Article.ID)+"/publish", nil)
			if res.status != http.StatusForbidden {
				t.Errorf("cross-origin POST (%s): %d, want 403", name, res.status)
			}
			lres := f.anon(t)
			lres.header.Set(h[0], h[1])
			if r := lres.post("/admin/login", url.Values{"email": {"editor@example.org"}, "password": {password}}); r.status != http.StatusForbidden {
				t.Errorf("cross-origin login (%s): %d, want 403", name, r.status)
			}
		}
		got, _ := st.Editorial(ctx, e.Article.ID)
		if got.Article.Status != news.Draft {
			t.Errorf("after refused posts the article is %s", got.Article.Status)
		}
		// The same request from the newsroom's own page goes through.
		c := f.as(t, "editor")
		c.header.Set("Sec-Fetch-Site", "same-origin")
		if res := c.post("/admin/articles/"+itoa(e.Article.ID)+"/publish", nil); res.status != http.StatusSeeOther {
			t.Errorf("same-origin POST: %d, want 303", res.status)
		}
	})
}

func TestSetupLinkMakesFirstAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ms := newFixtureMedia(t)
		adm, err := New(Config{}, st, ms, nil)
		if err != nil {
			t.Fatal(err)
		}
		link, err := adm.SetupLink(ctx)
		if err != nil || !strings.HasPrefix(link, "/admin/setup/") {
			t.Fatalf("SetupLink on an empty database: %q, %v", link, err)
		}
		srv := newServer(t, adm.Handler())
		c := &client{t: t, base: srv, header: http.Header{}, hc: noRedirects()}
		if res := c.get(link); res.status != 200 || !strings.Contains(res.body, "first admin") {
			t.Fatalf("setup page: %d", res.status)
		}
		form := url.Values{"email": {"chief@example.org"}, "name": {"Chief Editor"}, "password": {"a long enough password"}, "confirm": {"a long enough password"}}
		bad := url.Values{"email": {"chief@example.org"}, "name": {"Chief Editor"}, "password": {"short"}, "confirm": {"short"}}
		if res := c.post(link, bad); res.status != http.StatusBadRequest || !strings.Contains(res.body, "at least 12") {
			t.Errorf("a short password: %d", res.status)
		}
		res := c.post(link, form)
		if res.status != http.StatusSeeOther || c.cookie == nil {
			t.Fatalf("setup: %d, cookie %v", res.status, c.cookie)
		}
		u, err := st.UserByEmail(ctx, "chief@example.org")
		if err != nil || u.Role != news.Admin {
			t.Fatalf("the first account: %+v, %v", u, err)
		}
		if res := c.get("/admin/users"); res.status != 200 {
			t.Errorf("the new admin on the users page: %d", res.status)
		}
		again := &client{t: t, base: srv, header: http.Header{}, hc: noRedirects()}
		form.Set("email", "second@example.org")
		if res := again.post(link, form); res.status != http.StatusNotFound {
			t.Errorf("the setup link used again: %d, want 404", res.status)
		}
		if link, err := adm.SetupLink(ctx); link != "" || err != nil {
			t.Errorf("SetupLink with an account: %q, %v; want none", link, err)
		}
	})
}

func TestInvitation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := f.as(t, "admin")
		res := admin.post("/admin/invitations", url.Values{"role": {"editor"}, "email": {"new.editor@example.org"}})
		i := strings.Index(res.body, "http://news.example.org/admin/invite/")
		if res.status != 200 || i < 0 {
			t.Fatalf("invitation: %d, link not shown", res.status)
		}
		link := res.body[i+len("http://news.example.org") : i+strings.IndexByte(res.body[i:], '"')]
		c := f.anon(t)
		if res := c.get(link); res.status != 200 || !strings.Contains(res.body, "new.editor@example.org") {
			t.Fatalf("invitation page: %d", res.status)
		}
		form := url.Values{"name": {"New Editor"}, "email": {"someone.else@example.org"}, "password": {"another long password"}, "confirm": {"another long password"}}
		if res := c.post(link, form); res.status != http.StatusSeeOther {
			t.Fatalf("accepting: %d\n%s", res.status, res.body)
		}
		u, err := st.UserByEmail(ctx, "new.editor@example.org")
		if err != nil || u.Role != news.Editor {
			t.Errorf("the invited account: %+v, %v (the invitation's address wins over the form's)", u, err)
		}
		if res := f.anon(t).post(link, form); res.status != http.StatusNotFound {
			t.Errorf("the link used twice: %d, want 404", res.status)
		}
		audit, _ := st.AuditLog(ctx, store.AuditFilter{Actions: []string{"invite", "user.create"}})
		if len(audit) != 2 {
			t.Errorf("audit entries for invite and user.create: %d, want 2", len(audit))
		}
	})
}

func TestUserAdminAndPasswordChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := f.as(t, "admin")
		res := admin.post("/admin/users", url.Values{"email": {"cub@example.org"}, "name": {"Cub Reporter"}, "role": {"contributor"}, "password": {"cub reporter password"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("creating a user: %d\n%s", res.status, res.body)
		}
		cub, _ := st.UserByEmail(ctx, "cub@example.org")
		cubClient := f.anon(t)
		cubClient.post("/admin/login", url.Values{"email": {"cub@example.org"}, "password": {"cub reporter password"}})
		// Promotion is audited; disabling ends the sessions at once.
		form := url.Values{"email": {cub.Email}, "name": {cub.Name}, "role": {"editor"}}
		if res := admin.post("/admin/users/"+itoa(cub.ID), form); res.status != http.StatusSeeOther {
			t.Fatalf("promoting: %d", res.status)
		}
		form.Set("disabled", "1")
		admin.post("/admin/users/"+itoa(cub.ID), form)
		if res := cubClient.get("/admin/"); res.status != http.StatusSeeOther {
			t.Errorf("a disabled user's session: %d, want to be sent to the login", res.status)
		}
		got, _ := st.AuditLog(ctx, store.AuditFilter{Target: "user " + itoa(cub.ID)})
		var actions []string
		for _, e := range got {
			actions = append(actions, e.Action+":"+e.Detail)
		}
		joined := strings.Join(actions, " | ")
		for _, want := range []string{"role:contributor → editor", "user.disable", "user.create"} {
			if !strings.Contains(joined, want) {
				t.Errorf("audit %q lacks %q", joined, want)
			}
		}
		// The last admin cannot demote themselves.
		me := f.users["admin"]
		res = admin.post("/admin/users/"+itoa(me.ID), url.Values{"email": {me.Email}, "name": {me.Name}, "role": {"editor"}})
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "last admin") {
			t.Errorf("demoting the last admin: %d", res.status)
		}

		// A password change ends the other sessions and keeps this one.
		ed1 := f.as(t, "editor")
		ed2 := f.as(t, "editor")
		res = ed1.post("/admin/account/password", url.Values{"current": {password}, "password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("password change: %d\n%s", res.status, res.body)
		}
		if res := ed1.get("/admin/account"); res.status != 200 {
			t.Errorf("this browser after the change: %d, want still signed in", res.status)
		}
		if res := ed2.get("/admin/account"); res.status != http.StatusSeeOther {
			t.Errorf("another browser after the change: %d, want signed out", res.status)
		}
		if res := ed1.post("/admin/account/password", url.Values{"current": {"wrong"}, "password": {"x long password x"}, "confirm": {"x long password x"}}); res.status != http.StatusBadRequest {
			t.Errorf("a wrong current password: %d, want 400", res.status)
		}
	})
}
