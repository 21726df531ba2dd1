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

func TestLoginAttempts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Now()
		for i := range 3 {
			if _, _, _, err := s.ReserveLogin(ctx, now.Add(time.Duration(-i)*10*time.Minute), map[string]time.Time{"account:a": {}}); err != nil {
				t.Fatal(err)
			}
		}
		ids, others, latest, err := s.ReserveLogin(ctx, now, map[string]time.Time{
			"account:a": now.Add(-15 * time.Minute), "addr:x": now.Add(-15 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != 2 || others["account:a"] != 2 || others["addr:x"] != 0 || !latest["account:a"].Equal(now.Truncate(time.Microsecond)) {
			t.Errorf("reserve: ids %v, others %v, latest %v; want 2 rows, a:2 (the latest now) x:0 (not counting its own)", ids, others, latest)
		}
		// Released rows are not counted; cleared keys lose every row.
		if err := s.ReleaseLogin(ctx, ids[:1], nil); err != nil {
			t.Fatal(err)
		}
		_, others, _, _ = s.ReserveLogin(ctx, now, map[string]time.Time{"account:a": {}, "addr:x": {}})
		if others["account:a"]+others["addr:x"] != 4 {
			t.Errorf("after releasing one of two rows: %v, want 4 others in all", others)
		}
		if err := s.PruneLogins(ctx, []string{"account:a"}, now.Add(-5*time.Minute)); err != nil {
			t.Fatal(err)
		}
		_, others, _, _ = s.ReserveLogin(ctx, now, map[string]time.Time{"account:a": {}})
		if others["account:a"] < 2 || others["account:a"] > 3 {
			t.Errorf("after pruning the two old rows: %v", others)
		}
		s.ReleaseLogin(ctx, nil, []string{"account:a", "addr:x"})
		_, others, _, _ = s.ReserveLogin(ctx, now, map[string]time.Time{"account:a": {}, "addr:x": {}})
		if len(others) != 0 {
			t.Errorf("after clearing: %v", others)
		}
		err = s.InTx(ctx, func(tx *store.Store) error {
			_, _, _, err := tx.ReserveLogin(ctx, now, map[string]time.Time{"k": {}})
			return err
		})
		if err == nil {
			t.Error("ReserveLogin in a transaction: no error")
		}
	})
}

// TestLoginThrottleRaceAcrossInstances: two throttles (two instances) on
// one database, 100 concurrent wrong passwords for one account from one
// address: at most 5 password checks in all, because each attempt's row is
// written before the others are counted.
func TestLoginThrottleRaceAcrossInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ths := []*auth.Throttle{auth.NewThrottle(s), auth.NewThrottle(s)}
		var checks atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				res, _, err := ths[i%2].Reserve(ctx, auth.Login{Account: "ana@example.org", Address: "192.0.2.1"})
				if err != nil {
					t.Error(err)
				}
				if res == nil {
					return
				}
				checks.Add(1)
				time.Sleep(5 * time.Millisecond) // the password check
				if err := res.Fail(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if n := checks.Load(); n < 1 || n > 5 {
			t.Errorf("100 attempts on two instances: %d password checks, want 1 to 5", n)
		}
	})
}

func TestKnownLogins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := &news.User{Email: "ana@example.org", Name: "Ana", Role: news.Editor, PasswordHash: "x"}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		if err := s.RememberLogin(ctx, u.ID, []string{"device:d1", "addr:192.0.2.1"}, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.RememberLogin(ctx, u.ID, []string{"addr:192.0.2.1"}, t0.Add(time.Hour)); err != nil {
			t.Fatal(err) // seen again: updated, not duplicated
		}
		got, err := s.KnownLogins(ctx, u.ID, []string{"device:d1", "addr:192.0.2.1", "addr:192.0.2.2"}, t0.Add(-time.Minute))
		if err != nil || len(got) != 2 || !got["device:d1"] || !got["addr:192.0.2.1"] {
			t.Errorf("known: %v %v, want d1 and 192.0.2.1", got, err)
		}
		if got, _ := s.KnownLogins(ctx, u.ID, []string{"device:d1", "addr:192.0.2.1"}, t0.Add(time.Minute)); len(got) != 1 || !got["addr:192.0.2.1"] {
			t.Errorf("known since after d1 was last seen: %v, want only the address", got)
		}
		if got, _ := s.KnownLogins(ctx, 0, []string{"device:d1"}, t0.Add(-time.Minute)); len(got) != 0 {
			t.Errorf("no account: %v", got)
		}
		// Only the most recent places are kept.
		for i := range store.MaxKnownLogins + 5 {
			s.RememberLogin(ctx, u.ID, []string{"addr:10.0.0." + itoaT(i)}, t0.Add(2*time.Hour+time.Duration(i)*time.Minute))
		}
		all := []string{"device:d1", "addr:192.0.2.1"}
		for i := range store.MaxKnownLogins + 5 {
			all = append(all, "addr:10.0.0."+itoaT(i))
		}
		got, _ = s.KnownLogins(ctx, u.ID, all, t0.Add(-time.Hour))
		if len(got) != store.MaxKnownLogins || got["device:d1"] || !got["addr:10.0.0."+itoaT(store.MaxKnownLogins+4)] {
			t.Errorf("after %d more places: %d known (d1 %v), want the newest %d", store.MaxKnownLogins+5, len(got), got["device:d1"], store.MaxKnownLogins)
		}
	})
}

func itoaT(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }
