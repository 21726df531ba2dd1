package store_test

import (
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSweepLogins: a sweep deletes, per key prefix, the attempts older than
// that prefix's time, under any key with the prefix (tried again or not),
// and nothing else: not a key that merely looks alike, not a newer row.
func TestSweepLogins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		old, recent := now.Add(-2*time.Hour), now.Add(-time.Minute)
		for _, at := range []time.Time{old, recent} {
			for _, k := range []string{"pair:a b", "addr:x", "account:a", "account:%_", "accountant:a", "ACCOUNT:a"} {
				if _, _, _, err := s.ReserveLogin(ctx, at, map[string]time.Time{k: {}}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// The pairs' and addresses' old rows go; the accounts' stay (a
		// longer window); keys with neither prefix are not touched.
		err := s.SweepLogins(ctx, map[string]time.Time{"pair:": now.Add(-time.Hour), "addr:": now.Add(-time.Hour), "account:": now.Add(-24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		count := func(k string) int {
			_, others, _, err := s.ReserveLogin(ctx, now, map[string]time.Time{k: {}})
			if err != nil {
				t.Fatal(err)
			}
			// Not counted by the next count: this probe's own row.
			return others[k]
		}
		want := map[string]int{"pair:a b": 1, "addr:x": 1, "account:a": 2, "account:%_": 2, "accountant:a": 2, "ACCOUNT:a": 2}
		for k, n := range want {
			if got := count(k); got != n {
				t.Errorf("after the first sweep, %q holds %d rows, want %d", k, got, n)
			}
		}
		// Now the accounts' old rows too; the probes (made now) stay.
		if err := s.SweepLogins(ctx, map[string]time.Time{"account:": now.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		want = map[string]int{"pair:a b": 2, "addr:x": 2, "account:a": 2, "account:%_": 2, "accountant:a": 3, "ACCOUNT:a": 3}
		for k, n := range want {
			if got := count(k); got != n {
				t.Errorf("after the second sweep, %q holds %d rows, want %d", k, got, n)
			}
		}
	})
}

// TestForgetLogins: an account's known places are forgotten, but for those
// kept; another account's are not touched.
func TestForgetLogins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		var users []*news.User
		for _, e := range []string{"ana@example.org", "ben@example.org"} {
			u := &news.User{Email: e, Name: "X", Role: news.Editor, PasswordHash: "x"}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			users = append(users, u)
		}
		t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		keys := []string{"device:d1", "device:d2", "addr:192.0.2.1"}
		for _, u := range users {
			if err := s.RememberLogin(ctx, u.ID, keys, t0); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.ForgetLogins(ctx, users[0].ID, []string{"device:d2"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.KnownLogins(ctx, users[0].ID, keys, t0.Add(-time.Hour)); len(got) != 1 || !got["device:d2"] {
			t.Errorf("after forgetting all but d2: %v", got)
		}
		if got, _ := s.KnownLogins(ctx, users[1].ID, keys, t0.Add(-time.Hour)); len(got) != 3 {
			t.Errorf("the other account's places: %v, want all 3", got)
		}
		if err := s.ForgetLogins(ctx, users[0].ID, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.KnownLogins(ctx, users[0].ID, keys, t0.Add(-time.Hour)); len(got) != 0 {
			t.Errorf("after forgetting all: %v", got)
		}
	})
}
