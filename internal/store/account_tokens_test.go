package store_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func newAccount(t *testing.T, s *store.Store, email string) *news.User {
	t.Helper()
	u := &news.User{Email: email, Name: "Someone", Role: news.Editor, PasswordHash: "x"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return u
}

// TestAccountTokens: a link works once, until it expires, and only while
// no newer link of its purpose was made; racing uses, one wins.
func TestAccountTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := newAccount(t, s, "ana@example.org")
		now := time.Now()
		mk := func(purpose string, at time.Time) (string, *store.AccountToken) {
			token, hash := auth.NewToken()
			tok := &store.AccountToken{UserID: u.ID, Purpose: purpose, CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
			if err := s.CreateAccountToken(ctx, hash, tok); err != nil {
				t.Fatal(err)
			}
			return token, tok
		}
		first, _ := mk(store.TokenReset, now)
		emailTok, _ := mk(store.TokenEmail, now)
		second, tok2 := mk(store.TokenReset, now.Add(time.Second))
		if _, err := s.AccountTokenByHash(ctx, auth.HashToken(first), store.TokenReset, now.Add(2*time.Second)); news.ErrorCode(err) != news.ENOTFOUND {
			t.Fatalf("the older link after a newer one: %v", err)
		}
		if _, err := s.AccountTokenByHash(ctx, auth.HashToken(emailTok), store.TokenEmail, now.Add(2*time.Second)); err != nil {
			t.Fatalf("a link of another purpose ended by the newer one: %v", err)
		}
		if _, err := s.AccountTokenByHash(ctx, auth.HashToken(second), store.TokenEmail, now); news.ErrorCode(err) != news.ENOTFOUND {
			t.Fatalf("a reset link taken as an e-mail link: %v", err)
		}
		if _, err := s.AccountTokenByHash(ctx, auth.HashToken(second), store.TokenReset, now.Add(time.Hour+2*time.Second)); news.ErrorCode(err) != news.ENOTFOUND {
			t.Fatalf("an expired link: %v", err)
		}
		got, err := s.AccountTokenByHash(ctx, auth.HashToken(second), store.TokenReset, now.Add(2*time.Second))
		if err != nil || got.ID != tok2.ID || got.UserID != u.ID {
			t.Fatalf("the newest link: %+v, %v", got, err)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if s.InTx(ctx, func(tx *store.Store) error { return tx.UseAccountToken(ctx, got.ID, now.Add(3*time.Second)) }) == nil {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d uses of one link succeeded, want 1", wins.Load())
		}
		if _, err := s.AccountTokenByHash(ctx, auth.HashToken(second), store.TokenReset, now.Add(4*time.Second)); news.ErrorCode(err) != news.ENOTFOUND {
			t.Fatalf("a used link: %v", err)
		}
		if err := s.EndAccountTokens(ctx, u.ID, "", now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AccountTokenByHash(ctx, auth.HashToken(emailTok), store.TokenEmail, now.Add(time.Second)); news.ErrorCode(err) != news.ENOTFOUND {
			t.Fatalf("a link after EndAccountTokens: %v", err)
		}
		newAccount(t, s, "ben@example.org")
		if err := s.SetUserEmail(ctx, u.ID, "BEN@example.org"); news.ErrorCode(err) != news.ECONFLICT {
			t.Fatalf("taking another account's address: %v", err)
		}
		if err := s.SetUserEmail(ctx, u.ID, "Ana.New@example.org"); err != nil {
			t.Fatal(err)
		}
		if got, err := s.UserByID(ctx, u.ID); err != nil || got.Email != "ana.new@example.org" {
			t.Fatalf("after SetUserEmail: %+v %v", got, err)
		}
	})
}

// TestTwoFactorState: enrolment, a step accepted once, recovery codes
// once each, turning off.
func TestTwoFactorState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := newAccount(t, s, "cy@example.org")
		if err := s.StartTOTP(ctx, u.ID, "SECRETONE"); err != nil {
			t.Fatal(err)
		}
		if err := s.StartTOTP(ctx, u.ID, "SECRETTWO"); err != nil {
			t.Fatal(err)
		}
		_, hashes := auth.NewRecoveryCodes()
		if err := s.ConfirmTOTP(ctx, u.ID, "SECRETONE", 100, hashes); news.ErrorCode(err) != news.ECONFLICT {
			t.Fatalf("confirming a secret replaced meanwhile: %v", err)
		}
		codes, hashes := auth.NewRecoveryCodes()
		if err := s.ConfirmTOTP(ctx, u.ID, "SECRETTWO", 100, hashes); err != nil {
			t.Fatal(err)
		}
		tf, err := s.TwoFactorOf(ctx, u.ID)
		if err != nil || !tf.On || tf.Secret != "SECRETTWO" || tf.LastStep != 100 || tf.RecoveryLeft != auth.RecoveryCodes {
			t.Fatalf("after confirming: %+v %v", tf, err)
		}
		if err := s.StartTOTP(ctx, u.ID, "OTHER"); news.ErrorCode(err) != news.ECONFLICT {
			t.Fatalf("a new secret over one in use: %v", err)
		}
		for _, tc := range []struct {
			step int64
			ok   bool
		}{{100, false}, {99, false}, {101, true}, {101, false}, {103, true}} {
			if ok, err := s.UseTOTPStep(ctx, u.ID, tc.step); err != nil || ok != tc.ok {
				t.Errorf("UseTOTPStep(%d) = %v, %v; want %v", tc.step, ok, err, tc.ok)
			}
		}
		now := time.Now()
		if ok, _ := s.UseRecoveryCode(ctx, u.ID, auth.RecoveryHash(codes[3]), now); !ok {
			t.Fatal("a recovery code refused")
		}
		if ok, _ := s.UseRecoveryCode(ctx, u.ID, auth.RecoveryHash(codes[3]), now); ok {
			t.Fatal("a recovery code taken twice")
		}
		if ok, _ := s.UseRecoveryCode(ctx, u.ID, auth.RecoveryHash("aaaaa-aaaaa"), now); ok {
			t.Fatal("a made-up recovery code taken")
		}
		if tf, _ := s.TwoFactorOf(ctx, u.ID); tf.RecoveryLeft != auth.RecoveryCodes-1 {
			t.Fatalf("%d recovery codes left", tf.RecoveryLeft)
		}
		if err := s.TurnOffTOTP(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if tf, _ := s.TwoFactorOf(ctx, u.ID); tf.On || tf.Secret != "" || tf.RecoveryLeft != 0 {
			t.Fatalf("after turning off: %+v", tf)
		}
		if ok, _ := s.UseTOTPStep(ctx, u.ID, 200); ok {
			t.Fatal("a step accepted with two-factor off")
		}
	})
}

// TestPruneAccountTokens: links that ended (used or expired) before the
// time given are deleted; open ones stay.
func TestPruneAccountTokens(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		u := newAccount(t, s, "dee@example.org")
		old := time.Now().Add(-48 * time.Hour)
		mk := func(purpose string, at time.Time, life time.Duration) string {
			token, hash := auth.NewToken()
			if err := s.CreateAccountToken(ctx, hash, &store.AccountToken{UserID: u.ID, Purpose: purpose, CreatedAt: at, ExpiresAt: at.Add(life)}); err != nil {
				t.Fatal(err)
			}
			return token
		}
		mk(store.TokenLogin, old, time.Minute)              // expired two days ago
		mk(store.TokenEmail, old, 72*time.Hour)             // ended by the next one, two days ago
		mk(store.TokenEmail, old, 72*time.Hour)             // open
		open := mk(store.TokenReset, time.Now(), time.Hour) // open
		if err := s.PruneAccountTokens(ctx, time.Now().Add(-24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AccountTokenByHash(ctx, auth.HashToken(open), store.TokenReset, time.Now()); err != nil {
			t.Fatalf("an open link was pruned: %v", err)
		}
		var n int
		if err := storetest.RawDB(t, dsn).QueryRow(`SELECT COUNT(*) FROM account_tokens`).Scan(&n); err != nil || n != 2 {
			t.Fatalf("%d links left (%v), want the 2 open ones", n, err)
		}
	})
}
