package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestEmbargoHoldsInTheStore: a story under embargo is refused by every
// way the store publishes (a move to published, a schedule before the
// embargo, a save that makes it published, an import's scheduled time)
// and the scheduler leaves it scheduled until the embargo ends, even when
// its scheduled time came first (an embargo set after scheduling... is
// refused, so the time is set straight into the table here).
func TestEmbargoHoldsInTheStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := newUser(t, s, "ed@example.org", news.Editor)
		e := newDraft(t, s, u, "news/world", "Central bank decision", "Text.")
		id := e.Article.ID
		now := time.Now().UTC().Truncate(time.Microsecond)
		until := now.Add(2 * time.Hour)
		if before, err := s.SetEmbargo(ctx, id, until); err != nil || !before.IsZero() {
			t.Fatalf("SetEmbargo: %v, %v", before, err)
		}
		got, err := s.Editorial(ctx, id)
		if err != nil || !got.Embargo.Equal(until) {
			t.Fatalf("Editorial's embargo: %v, %v; want %v", got.Embargo, err, until)
		}
		embargoed := func(what string, err error) {
			t.Helper()
			if news.ErrorCode(err) != news.ECONFLICT || !strings.Contains(news.ErrorMessage(err), "under embargo until") {
				t.Errorf("%s under embargo: got %v, want refused naming the embargo", what, err)
			}
		}
		embargoed("publish now", s.MoveArticle(ctx, id, store.Move{From: news.Draft, To: news.Published, At: now}))
		embargoed("schedule before the embargo", s.MoveArticle(ctx, id, store.Move{From: news.Draft, To: news.Scheduled, At: now, PublishAt: until.Add(-time.Minute)}))
		a, _ := s.ArticleByID(ctx, id)
		a.Status, a.PublishedAt = news.Published, now
		embargoed("a save that publishes it", s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a) }))
		if cur, _ := s.ArticleByID(ctx, id); cur.Status != news.Draft {
			t.Fatalf("after the refusals the story is %s", cur.Status)
		}
		// At the embargo's time or later, a schedule is taken.
		if err := s.MoveArticle(ctx, id, store.Move{From: news.Draft, To: news.Scheduled, At: now, PublishAt: until}); err != nil {
			t.Fatalf("scheduling for the embargo's time: %v", err)
		}
		// Moving the embargo past the scheduled time is refused.
		if _, err := s.SetEmbargo(ctx, id, until.Add(time.Hour)); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("an embargo past the scheduled time: %v, want refused", err)
		}
		if ids, err := s.PublishDue(ctx, until.Add(-time.Second)); err != nil || len(ids) != 0 {
			t.Errorf("before the embargo the scheduler published %v, %v", ids, err)
		}
		if ids, err := s.PublishDue(ctx, until); err != nil || len(ids) != 1 {
			t.Errorf("at the embargo the scheduler published %v, %v; want it", ids, err)
		}
		// A published story cannot be put under embargo.
		if _, err := s.SetEmbargo(ctx, id, until.Add(time.Hour)); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("embargo on a published story: %v, want refused", err)
		}
	})
}

// TestSchedulerWaitsForTheEmbargo: a story scheduled before its embargo (as
// an older version or a hand-made row could leave it) is not published by
// the scheduler until the embargo ends.
func TestSchedulerWaitsForTheEmbargo(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		u := newUser(t, s, "ed@example.org", news.Editor)
		e := newDraft(t, s, u, "news/world", "Quarterly figures", "Text.")
		now := time.Now().UTC().Truncate(time.Microsecond)
		if err := s.MoveArticle(ctx, e.Article.ID, store.Move{From: news.Draft, To: news.Scheduled, At: now, PublishAt: now.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		db := storetest.RawDB(t, dsn)
		until := now.Add(time.Hour)
		if _, err := db.ExecContext(ctx, `INSERT INTO article_schedule (article_id, embargo_until) VALUES ($1, $2)`, e.Article.ID, until.UnixMicro()); err != nil {
			t.Fatal(err)
		}
		if ids, err := s.PublishDue(ctx, now.Add(30*time.Minute)); err != nil || len(ids) != 0 {
			t.Errorf("scheduled time passed, embargo not: published %v, %v", ids, err)
		}
		if ids, err := s.PublishDue(ctx, until); err != nil || len(ids) != 1 {
			t.Errorf("at the embargo: published %v, %v", ids, err)
		}
	})
}

// TestScheduledUnpublishAndUpdateRunOnce: two instances on one database
// race for a due unpublish and a due update: each is done once.
func TestScheduledUnpublishAndUpdateRunOnce(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		var inst [2]*store.Store
		for i := range inst {
			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			inst[i] = s
		}
		s := inst[0]
		u := newUser(t, s, "ed@example.org", news.Editor)
		now := time.Now().UTC().Truncate(time.Microsecond)
		down := newDraft(t, s, u, "news/world", "Road closed for the race", "Text.")
		up := newDraft(t, s, u, "news/world", "Election night", "Polls close at ten.")
		for _, e := range []*news.Editorial{down, up} {
			if err := s.MoveArticle(ctx, e.Article.ID, store.Move{From: news.Draft, To: news.Published, At: now}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetUnpublishAt(ctx, down.Article.ID, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUnpublishAt(ctx, e0(t, s, u).Article.ID, now.Add(time.Hour)); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("unpublish time on a draft: %v, want refused", err)
		}
		c := news.ContentOf(up)
		c.Body = "The results: the harbour party wins."
		rev, err := s.ScheduleUpdate(ctx, up.Article.ID, c, u.ID, now.Add(time.Hour), nil)
		if err != nil || rev.Kind != news.ScheduledRevision {
			t.Fatalf("ScheduleUpdate: %+v, %v", rev, err)
		}
		if a, _ := s.ArticleByID(ctx, up.Article.ID); a.Body != "Polls close at ten." {
			t.Errorf("a scheduled update changed the text before its time: %q", a.Body)
		}
		if ids, err := s.UnpublishDue(ctx, now.Add(time.Minute), nil); err != nil || len(ids) != 0 {
			t.Errorf("before its time: unpublished %v, %v", ids, err)
		}
		later := now.Add(2 * time.Hour)
		var mu sync.Mutex
		var downs []int64
		var claims []store.ScheduledUpdate
		var wg sync.WaitGroup
		for i := range 4 {
			st := inst[i%2]
			wg.Go(func() {
				ids, err := st.UnpublishDue(ctx, later, nil)
				if err != nil {
					t.Error(err)
				}
				err = st.InTx(context.Background(), func(tx *store.Store) error {
					u, got, err := tx.ClaimDueUpdate(ctx, later)
					if news.ErrorCode(err) == news.ENOTFOUND {
						return nil
					}
					if err != nil {
						return err
					}
					if got.Body != c.Body {
						t.Errorf("claimed update's body %q, want %q", got.Body, c.Body)
					}
					mu.Lock()
					claims = append(claims, u)
					mu.Unlock()
					return nil
				})
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				downs = append(downs, ids...)
				mu.Unlock()
			})
		}
		wg.Wait()
		if len(downs) != 1 || downs[0] != down.Article.ID {
			t.Errorf("racing schedulers unpublished %v, want [%d] once", downs, down.Article.ID)
		}
		if len(claims) != 1 || claims[0].ArticleID != up.Article.ID || claims[0].Revision != rev.Number {
			t.Errorf("racing schedulers claimed the update %+v, want once", claims)
		}
		if a, _ := s.ArticleByID(ctx, down.Article.ID); a.Status != news.Draft {
			t.Errorf("after its unpublish time the story is %s", a.Status)
		}
		if _, err := s.PendingUpdate(ctx, up.Article.ID); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("the claimed update is still pending: %v", err)
		}
	})
}

// e0 is one more draft.
func e0(t *testing.T, s *store.Store, u *news.User) *news.Editorial {
	return newDraft(t, s, u, "news/world", "A draft", "Text.")
}

// TestNotesAndNotifications: notes read back oldest first with their
// writer; notifications count unread per account and are marked read by
// their own account only.
func TestNotesAndNotifications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ana := newUser(t, s, "ana@example.org", news.Editor)
		bo := newUser(t, s, "bo@example.org", news.Contributor)
		e := newDraft(t, s, bo, "news/world", "Harbour strike", "Text.")
		t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		for i, text := range []string{"First", "Second"} {
			n := &news.Note{ArticleID: e.Article.ID, UserID: ana.ID, Text: text, At: t0.Add(time.Duration(i) * time.Minute)}
			if err := s.AddNote(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		notes, err := s.Notes(ctx, e.Article.ID)
		if err != nil || len(notes) != 2 || notes[0].Text != "First" || notes[1].UserName != ana.Name || notes[1].Kind != news.PlainNote {
			t.Fatalf("Notes: %+v, %v", notes, err)
		}
		for range 2 {
			if err := s.AddNotification(ctx, &news.Notification{UserID: bo.ID, Kind: news.NotifyMention, ArticleID: e.Article.ID, Text: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.UnreadNotifications(ctx, bo.ID); err != nil || n != 2 {
			t.Errorf("unread: %d, %v", n, err)
		}
		list, _ := s.Notifications(ctx, bo.ID, 0)
		if len(list) != 2 || list[0].Headline != "Harbour strike" {
			t.Fatalf("Notifications: %+v", list)
		}
		if err := s.MarkNotificationsRead(ctx, ana.ID, list[0].ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.UnreadNotifications(ctx, bo.ID); n != 2 {
			t.Errorf("another account marked bo's notification read: %d unread", n)
		}
		if err := s.MarkNotificationsRead(ctx, bo.ID, list[0].ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.UnreadNotifications(ctx, bo.ID); n != 1 {
			t.Errorf("after marking one read: %d unread", n)
		}
		if err := s.MarkNotificationsRead(ctx, bo.ID, 0, time.Now()); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.UnreadNotifications(ctx, bo.ID); n != 0 {
			t.Errorf("after marking all read: %d unread", n)
		}
	})
}

// TestEmbargoSetWhilePublishing: an embargo set in a transaction that a
// publication of the story waits for (another instance's, on the same
// database) holds once it commits: the publication is refused, not made
// from what it read before.
func TestEmbargoSetWhilePublishing(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		var inst [2]*store.Store
		for i := range inst {
			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			inst[i] = s
		}
		u := newUser(t, inst[0], "ed@example.org", news.Editor)
		e := newDraft(t, inst[0], u, "news/world", "Merger announced", "Text.")
		now := time.Now().UTC()
		set := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- inst[0].InTx(ctx, func(tx *store.Store) error {
				if _, err := tx.SetEmbargo(ctx, e.Article.ID, now.Add(time.Hour)); err != nil {
					return err
				}
				close(set)
				// Held open while the other instance tries to publish.
				time.Sleep(300 * time.Millisecond)
				return nil
			})
		}()
		<-set
		err := inst[1].MoveArticle(ctx, e.Article.ID, store.Move{From: news.Draft, To: news.Published, At: now})
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if news.ErrorCode(err) != news.ECONFLICT || !strings.Contains(news.ErrorMessage(err), "under embargo") {
			t.Errorf("publishing while the embargo was being set: %v, want refused", err)
		}
		if a, _ := inst[0].ArticleByID(ctx, e.Article.ID); a.Status != news.Draft {
			t.Errorf("the story is %s", a.Status)
		}
	})
}
