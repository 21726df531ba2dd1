package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestTokenCommands: token create prints the secret once, which then opens
// the stored token; list shows it; revoke ends it; mistakes are refused.
func TestTokenCommands(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"NEWSDESK_DATA": t.TempDir(), "NEWSDESK_DB": dsn}
		tok := func(args ...string) (string, error) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"token"}, args...), env(vars), nil, &out, &errOut)
			return out.String(), err
		}
		var out bytes.Buffer
		if err := run(context.Background(), []string{"user", "add", "--email", "ana@example.org", "--name", "Ana", "--role", "editor", "--password-stdin"},
			env(vars), strings.NewReader("a long enough password\n"), &out, &out); err != nil {
			t.Fatal(err)
		}
		secret, err := tok("create", "--name", "deploy-bot", "--scope", "write:articles", "--scope", "publish", "--expires", "720h", "--user", "ana@example.org")
		secret = strings.TrimSpace(secret)
		if err != nil || !auth.IsAPIToken(secret) {
			t.Fatalf("token create: %q, %v", secret, err)
		}
		for _, tt := range []struct {
			name string
			args []string
			code int
			msg  string
		}{
			{"no scope", []string{"create", "--name", "x", "--user", "ana@example.org"}, 2, "--scope"},
			{"bad scope", []string{"create", "--name", "x", "--scope", "root", "--user", "ana@example.org"}, 2, "not a scope"},
			{"no account", []string{"create", "--name", "x", "--scope", "publish", "--user", "nobody@example.org"}, 1, "no account"},
			{"revoke what", []string{"revoke"}, 2, "ID"},
			{"revoke unknown", []string{"revoke", "99"}, 1, "no API token 99"},
		} {
			if _, err := tok(tt.args...); err == nil || exitCode(err) != tt.code || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("%s: %v (exit %d), want exit %d naming %q", tt.name, err, exitCode(err), tt.code, tt.msg)
			}
		}
		st, err := store.Open(context.Background(), dsnOf(vars))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		got, u, err := st.APITokenBySecret(context.Background(), auth.HashToken(secret))
		if err != nil || got.Name != "deploy-bot" || u.Email != "ana@example.org" || !got.Has(news.ScopePublish) || got.ExpiresAt.IsZero() {
			t.Fatalf("the token stored: %+v, %v", got, err)
		}
		if list, err := tok("list"); err != nil || !strings.Contains(list, "deploy-bot") || !strings.Contains(list, "write:articles,publish") || !strings.Contains(list, "active") {
			t.Errorf("token list: %q, %v", list, err)
		}
		if out, err := tok("revoke", strconv.FormatInt(got.ID, 10)); err != nil || !strings.Contains(out, "revoked") {
			t.Fatalf("token revoke: %q, %v", out, err)
		}
		if got, _, _ := st.APITokenBySecret(context.Background(), auth.HashToken(secret)); got.State(got.CreatedAt) != news.TokenRevoked {
			t.Errorf("after revoke: %+v", got)
		}
		if list, _ := tok("list"); !strings.Contains(list, "revoked") {
			t.Errorf("token list after revoke: %q", list)
		}
	})
}
