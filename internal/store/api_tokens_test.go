package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestAPITokens: a token is found by its secret's hash with its creator as
// the account is now, whether active or not; it is listed, revoked once,
// and its last use is written at most once a minute.
func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ana := newUser(t, s, "ana@example.org", news.Editor)
		now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		tok := &news.APIToken{Name: "  deploy-bot ", Scopes: []news.Scope{news.ScopeWriteArticles, news.ScopePublish},
			CreatedBy: ana.ID, CreatedAt: now, ExpiresAt: now.Add(30 * 24 * time.Hour)}
		if err := s.CreateAPIToken(ctx, "hash-a", tok); err != nil {
			t.Fatal(err)
		}
		if tok.ID == 0 || tok.Name != "deploy-bot" || tok.CreatorName != ana.Name {
			t.Fatalf("CreateAPIToken: %+v", tok)
		}
		forever := &news.APIToken{Name: "wire", Scopes: []news.Scope{news.ScopeReadDrafts}, CreatedBy: ana.ID, CreatedAt: now.Add(time.Second)}
		if err := s.CreateAPIToken(ctx, "hash-b", forever); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAPIToken(ctx, "hash-a", &news.APIToken{Name: "again", Scopes: []news.Scope{news.ScopePublish}, CreatedBy: ana.ID, CreatedAt: now}); err == nil {
			t.Error("a second token under the same hash was stored")
		}
		for _, bad := range []struct {
			field string
			tok   news.APIToken
		}{
			{"name", news.APIToken{Name: " ", Scopes: []news.Scope{news.ScopePublish}}},
			{"scope", news.APIToken{Name: "x"}},
			{"scope", news.APIToken{Name: "x", Scopes: []news.Scope{"admin"}}},
			{"scope", news.APIToken{Name: "x", Scopes: []news.Scope{news.ScopePublish, news.ScopePublish}}},
			{"expires", news.APIToken{Name: "x", Scopes: []news.Scope{news.ScopePublish}, ExpiresAt: now.Add(-time.Hour)}},
			{"expires", news.APIToken{Name: "x", Scopes: []news.Scope{news.ScopePublish}, ExpiresAt: now.Add(news.MaxTokenLifetime + time.Hour)}},
		} {
			bad.tok.CreatedBy, bad.tok.CreatedAt = ana.ID, now
			err := s.CreateAPIToken(ctx, "hash-bad", &bad.tok)
			var ne *news.Error
			if news.ErrorCode(err) != news.EINVALID || !errors.As(err, &ne) || ne.Field != bad.field {
				t.Errorf("token %+v: got %v, want invalid naming %q", bad.tok, err, bad.field)
			}
		}
		if err := s.CreateAPIToken(ctx, "hash-c", &news.APIToken{Name: "x", Scopes: []news.Scope{news.ScopePublish}, CreatedBy: 9999}); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a token for no account: %v, want not found", err)
		}

		got, u, err := s.APITokenBySecret(ctx, "hash-a")
		if err != nil || got.ID != tok.ID || got.Name != "deploy-bot" || !got.Has(news.ScopePublish) || got.Has(news.ScopeReadDrafts) ||
			!got.CreatedAt.Equal(now) || !got.ExpiresAt.Equal(tok.ExpiresAt) || got.State(now) != news.TokenActive ||
			u.ID != ana.ID || u.Role != news.Editor || u.Disabled {
			t.Fatalf("APITokenBySecret: %+v, %+v, %v", got, u, err)
		}
		if got.State(tok.ExpiresAt) != news.TokenExpired {
			t.Errorf("at its expiry the token is %s", got.State(tok.ExpiresAt))
		}
		if got, _, _ := s.APITokenBySecret(ctx, "hash-b"); !got.ExpiresAt.IsZero() || got.State(now.Add(100*365*24*time.Hour)) != news.TokenActive {
			t.Errorf("a token without expiry: %+v", got)
		}
		if _, _, err := s.APITokenBySecret(ctx, "hash-x"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("an unknown hash: %v, want not found", err)
		}

		// The creator's account is read as it is now.
		ana.Role, ana.Disabled = news.Contributor, true
		if err := s.UpdateUser(ctx, ana); err != nil {
			t.Fatal(err)
		}
		if _, u, _ := s.APITokenBySecret(ctx, "hash-a"); u.Role != news.Contributor || !u.Disabled {
			t.Errorf("after the account changed: %+v", u)
		}
		if err := s.CreateAPIToken(ctx, "hash-d", &news.APIToken{Name: "x", Scopes: []news.Scope{news.ScopePublish}, CreatedBy: ana.ID}); news.ErrorCode(err) != news.EINVALID {
			t.Errorf("a token for a disabled account: %v, want refused", err)
		}

		// Last use: written once a minute at most.
		for i, c := range []struct {
			at    time.Duration
			wrote bool
		}{{0, true}, {30 * time.Second, false}, {59 * time.Second, false}, {61 * time.Second, true}} {
			wrote, err := s.TouchAPIToken(ctx, tok.ID, now.Add(c.at))
			if err != nil || wrote != c.wrote {
				t.Errorf("touch %d at +%v: wrote %v, %v; want %v", i, c.at, wrote, err, c.wrote)
			}
		}
		if got, _ := s.APIToken(ctx, tok.ID); !got.LastUsedAt.Equal(now.Add(61 * time.Second)) {
			t.Errorf("last used %v, want the last write", got.LastUsedAt)
		}

		admin := newUser(t, s, "root@example.org", news.Admin)
		if err := s.RevokeAPIToken(ctx, tok.ID, admin.ID, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeAPIToken(ctx, tok.ID, admin.ID, now.Add(2*time.Hour)); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("revoking twice: %v, want not found", err)
		}
		if got, _, _ := s.APITokenBySecret(ctx, "hash-a"); got.State(now) != news.TokenRevoked || got.RevokedBy != admin.ID ||
			!got.RevokedAt.Equal(now.Add(time.Hour)) {
			t.Errorf("after revoking: %+v", got)
		}
		list, err := s.APITokens(ctx)
		if err != nil || len(list) != 2 || list[0].ID != forever.ID || list[1].ID != tok.ID || list[1].CreatorName != "User ana@example.org" {
			t.Fatalf("APITokens: %+v, %v; want both, newest first", list, err)
		}
	})
}
