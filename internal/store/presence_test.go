package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestEditingPresence: two stores on one database (two instances) see
// each other's editors after one heartbeat; the first editor holds the
// lock, a reader never does; an entry past its time is gone and its lock
// with it; a take-over is told to the one it was taken from; leaving
// frees the lock at once.
func TestEditingPresence(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		one, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer one.Close()
		two, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer two.Close()
		ana := newUser(t, one, "ana@example.org", news.Contributor)
		ed := newUser(t, one, "ed@example.org", news.Editor)
		rita := newUser(t, one, "rita@example.org", news.Contributor)
		a := newArticle(t, one, "news", "Harbour strike", time.Now(), nil, nil)
		ttl := news.PresenceTTL

		got, err := one.Heartbeat(ctx, a.ID, ana.ID, true, ttl)
		if err != nil || len(got.Others) != 0 || got.Lock == nil || !got.Mine || got.Lock.Name != ana.Name {
			t.Fatalf("the first editor: %+v, %v; want alone, holding the lock", got, err)
		}
		since := got.Lock.Since
		got, err = two.Heartbeat(ctx, a.ID, ed.ID, true, ttl)
		if err != nil || len(got.Others) != 1 || got.Others[0].Name != ana.Name || got.Mine || got.Lock.UserID != ana.ID || !got.Lock.Since.Equal(since) {
			t.Fatalf("the second, on the other instance: %+v, %v; want Ana seen, holding the lock since %v", got, err, since)
		}
		// A reader (who may not change it) is seen, and takes no lock.
		if got, err := one.Heartbeat(ctx, a.ID, rita.ID, false, ttl); err != nil || got.Mine || len(got.Others) != 2 {
			t.Fatalf("a reader: %+v, %v", got, err)
		}
		got, err = one.Heartbeat(ctx, a.ID, ana.ID, true, ttl)
		if err != nil || !got.Mine || len(got.Others) != 2 || got.Others[0].UserID != ed.ID {
			t.Fatalf("Ana's next heartbeat: %+v, %v; want Ed and Rita seen, the lock hers", got, err)
		}

		// Ana goes quiet past the time to live: she is gone, and the next
		// heartbeat gives Ed the lock.
		raw := storetest.RawDB(t, dsn)
		age := ttl.Microseconds() + 1_000_000
		if _, err := raw.Exec(`UPDATE editing_presence SET seen_at = seen_at - $1 WHERE user_id = $2`, age, ana.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(`UPDATE edit_locks SET seen_at = seen_at - $1 WHERE user_id = $2`, age, ana.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := two.Editing(ctx, a.ID, ed.ID, ttl); err != nil || got.Lock != nil || len(got.Others) != 1 {
			t.Fatalf("after Ana went quiet: %+v, %v; want only Rita, no lock", got, err)
		}
		got, err = two.Heartbeat(ctx, a.ID, ed.ID, true, ttl)
		if err != nil || !got.Mine {
			t.Fatalf("Ed after Ana's lock went stale: %+v, %v", got, err)
		}

		// Ana comes back: Ed holds it. Ana takes it over (say she is an
		// editor too); Ed is told on his next heartbeat.
		if got, _ := one.Heartbeat(ctx, a.ID, ana.ID, true, ttl); got.Mine || got.Lock.UserID != ed.ID || got.TakenBy != "" {
			t.Fatalf("Ana back: %+v", got)
		}
		before, err := one.TakeEditLock(ctx, a.ID, ana.ID, ttl)
		if err != nil || before == nil || before.UserID != ed.ID {
			t.Fatalf("TakeEditLock: %+v, %v; want it taken from Ed", before, err)
		}
		got, err = two.Heartbeat(ctx, a.ID, ed.ID, true, ttl)
		if err != nil || got.Mine || got.TakenBy != ana.Name || got.Lock.UserID != ana.ID {
			t.Fatalf("Ed after the take-over: %+v, %v; want told Ana took it", got, err)
		}
		if got, _ := one.Heartbeat(ctx, a.ID, ana.ID, true, ttl); !got.Mine || got.TakenBy != "" {
			t.Fatalf("Ana after taking it: %+v", got)
		}

		// Leaving frees the lock at once: Ed gets it on his next beat.
		if err := one.LeaveEditing(ctx, a.ID, ana.ID); err != nil {
			t.Fatal(err)
		}
		got, err = two.Heartbeat(ctx, a.ID, ed.ID, true, ttl)
		if err != nil || !got.Mine || len(got.Others) != 1 || got.Others[0].UserID != rita.ID {
			t.Fatalf("Ed after Ana left: %+v, %v; want the lock his, only Rita beside him", got, err)
		}
	})
}

// TestEditingSweep: a story's stale rows go at its next heartbeat; the
// rows of stories nobody opens again go with the sweep, once an hour old,
// and not before.
func TestEditingSweep(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		s, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ana := newUser(t, s, "ana@example.org", news.Editor)
		a := newArticle(t, s, "news", "Harbour strike", time.Now(), nil, nil)
		b := newArticle(t, s, "news", "Ferry times", time.Now(), nil, nil)
		for _, id := range []int64{a.ID, b.ID} {
			if _, err := s.Heartbeat(ctx, id, ana.ID, true, news.PresenceTTL); err != nil {
				t.Fatal(err)
			}
		}
		raw := storetest.RawDB(t, dsn)
		count := func() (n int) {
			t.Helper()
			var p, l int
			if err := raw.QueryRow(`SELECT (SELECT COUNT(*) FROM editing_presence), (SELECT COUNT(*) FROM edit_locks)`).Scan(&p, &l); err != nil {
				t.Fatal(err)
			}
			return p*10 + l
		}
		age := func(by time.Duration, id int64) {
			t.Helper()
			for _, table := range []string{"editing_presence", "edit_locks"} {
				if _, err := raw.Exec(`UPDATE `+table+` SET seen_at = seen_at - $1 WHERE article_id = $2`, by.Microseconds(), id); err != nil {
					t.Fatal(err)
				}
			}
		}
		age(time.Minute, b.ID)
		s.SweepEditing(ctx)
		if n := count(); n != 22 {
			t.Fatalf("after sweeping rows a minute old: %d presence and %d lock rows, want both stories' kept", n/10, n%10)
		}
		age(time.Hour, b.ID)
		s.SweepEditing(ctx)
		if n := count(); n != 11 {
			t.Fatalf("after sweeping rows an hour old: %d presence and %d lock rows, want only the fresh story's", n/10, n%10)
		}
	})
}
