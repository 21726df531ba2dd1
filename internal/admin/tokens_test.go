package admin

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

var tokenSecretRE = regexp.MustCompile(`id="token-secret" value="(nd_[A-Za-z0-9_-]+)"`)

// TestAPITokensInTheNewsroom: an admin makes a token with a name, scopes
// and an expiry, sees its secret once, finds it listed without the
// secret, and revokes it after a confirmation; refused forms store
// nothing; each change is in the audit log; editors see no link to the
// page and cannot open it.
func TestAPITokensInTheNewsroom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		adm := f.as(t, "admin")
		docs := map[string][]byte{}

		page := adm.get("/admin/tokens")
		if page.status != 200 || !strings.Contains(page.body, `<a href="/admin/tokens" aria-current="page">API tokens</a>`) {
			t.Fatalf("the tokens page: %d\n%.600s", page.status, page.body)
		}
		docs["no tokens"] = []byte(page.body)
		for _, s := range news.Scopes {
			if !strings.Contains(page.body, `name="scope" value="`+string(s)+`"`) {
				t.Errorf("the form has no checkbox for %s", s)
			}
		}
		if res := f.as(t, "editor").get("/admin/users"); strings.Contains(res.body, `href="/admin/tokens"`) {
			t.Error("an editor's navigation links to the tokens")
		}

		tomorrow := time.Now().In(f.adm.loc()).AddDate(0, 0, 1).Format(time.DateOnly)
		for _, c := range []struct {
			name  string
			form  url.Values
			field string
		}{
			{"no name", url.Values{"scope": {"publish"}}, "name"},
			{"no scope", url.Values{"name": {"deploy-bot"}}, "scope"},
			{"an unknown scope", url.Values{"name": {"deploy-bot"}, "scope": {"delete:everything"}}, "scope"},
			{"an expiry passed", url.Values{"name": {"deploy-bot"}, "scope": {"publish"}, "expires": {"2001-01-01"}}, "expires"},
			{"an expiry too far", url.Values{"name": {"deploy-bot"}, "scope": {"publish"}, "expires": {"2999-01-01"}}, "expires"},
			{"not a date", url.Values{"name": {"deploy-bot"}, "scope": {"publish"}, "expires": {"next week"}}, "expires"},
		} {
			res := adm.post("/admin/tokens", c.form)
			if res.status != http.StatusBadRequest || !strings.Contains(res.body, `data-field="`+c.field+`"`) {
				t.Errorf("%s: %d, want 400 naming %s\n%.600s", c.name, res.status, c.field, res.body)
			}
			if c.name == "an expiry passed" {
				docs["a refused form"] = []byte(res.body)
				if !strings.Contains(res.body, `value="deploy-bot"`) || !strings.Contains(res.body, `value="publish" checked`) {
					t.Errorf("a refused form lost what was sent:\n%s", res.body)
				}
			}
		}
		if list, _ := st.APITokens(ctx); len(list) != 0 {
			t.Fatalf("refused forms stored %d tokens", len(list))
		}

		res := adm.post("/admin/tokens", url.Values{"name": {"deploy-bot"}, "scope": {"write:articles", "publish"}, "expires": {tomorrow}})
		m := tokenSecretRE.FindStringSubmatch(res.body)
		if res.status != http.StatusCreated || m == nil {
			t.Fatalf("making a token: %d\n%.1500s", res.status, res.body)
		}
		docs["a token just made"] = []byte(res.body)
		secret := m[1]
		tok, u, err := st.APITokenBySecret(ctx, auth.HashToken(secret))
		if err != nil {
			t.Fatalf("the secret shown is not the token's: %v", err)
		}
		if u.ID != f.users["admin"].ID || tok.Name != "deploy-bot" || scopeNames(tok.Scopes) != "write:articles publish" {
			t.Errorf("stored: %+v acting for %s", tok, u.Email)
		}
		day, _ := time.ParseInLocation(time.DateOnly, tomorrow, f.adm.loc())
		if !tok.ExpiresAt.Equal(day.AddDate(0, 0, 1)) {
			t.Errorf("a token to %s expires at %v, want the end of that day", tomorrow, tok.ExpiresAt)
		}

		page = adm.get("/admin/tokens")
		docs["one token"] = []byte(page.body)
		if strings.Contains(page.body, secret) {
			t.Error("the list shows the secret again")
		}
		for _, want := range []string{"deploy-bot", "write:articles, publish", "Admin Person", "Active", "never"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the list lacks %q", want)
			}
		}

		// A form from another site is refused, and changes nothing.
		revoke := "/admin/tokens/" + itoa(tok.ID) + "/revoke"
		cross := f.as(t, "admin")
		cross.header.Set("Origin", "https://evil.example.com")
		cross.header.Set("Sec-Fetch-Site", "cross-site")
		if res := cross.post(revoke, url.Values{"confirm": {"yes"}}); res.status != http.StatusForbidden {
			t.Errorf("a cross-site revoke: %d, want 403", res.status)
		}
		ask := adm.post(revoke, nil)
		if ask.status != 200 || !strings.Contains(ask.body, `name="confirm" value="yes"`) || !strings.Contains(ask.body, "deploy-bot") {
			t.Fatalf("revoking asks first: %d\n%.600s", ask.status, ask.body)
		}
		docs["revoke, asked"] = []byte(ask.body)
		if got, _ := st.APIToken(ctx, tok.ID); !got.RevokedAt.IsZero() {
			t.Fatal("revoked before it was confirmed")
		}
		if res := adm.post(revoke, url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
			t.Fatalf("revoking: %d\n%.400s", res.status, res.body)
		}
		got, _ := st.APIToken(ctx, tok.ID)
		if got.State(time.Now()) != news.TokenRevoked || got.RevokedBy != f.users["admin"].ID {
			t.Errorf("after revoking: %+v", got)
		}
		page = adm.get("/admin/tokens?done=token-revoked")
		docs["a token revoked"] = []byte(page.body)
		if !strings.Contains(page.body, "Revoked by Admin Person") || strings.Contains(page.body, `action="`+revoke+`"`) {
			t.Errorf("the list after revoking:\n%s", page.body)
		}
		if res := adm.post(revoke, url.Values{"confirm": {"yes"}}); res.status != http.StatusNotFound {
			t.Errorf("revoking twice: %d, want 404", res.status)
		}

		entries, _ := st.AuditLog(ctx, store.AuditFilter{Target: "token " + itoa(tok.ID)})
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action+" by "+e.UserName+": "+e.Detail)
		}
		if got := strings.Join(actions, "; "); !strings.Contains(got, "token.revoke by Admin Person: deploy-bot") ||
			!strings.Contains(got, "token.create by Admin Person: deploy-bot: write:articles publish, until ") {
			t.Errorf("audit: %q, want the making and the revoking", got)
		}
		testkit.ValidateHTMLBatch(t, docs)
	})
}
