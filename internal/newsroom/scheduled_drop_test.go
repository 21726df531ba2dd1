package newsroom_test

import (
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestDroppingAFailedUpdateDropsThatOne: a scheduled update the
// scheduler cannot apply is dropped by itself, not as "the oldest due"
// when the drop runs. With two instances, both fail on the same update,
// one drops it, and the other's drop came later: it used to take the next
// due update off the schedule (a good one, never applied), logged with
// the first one's reason. Played here in that order on one store.
func TestDroppingAFailedUpdateDropsThatOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		u := &news.User{Email: "eve@example.org", Name: "Eve", Role: news.Editor, PasswordHash: "x"}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		sec, err := st.EnsureSectionPath(ctx, "city")
		if err != nil {
			t.Fatal(err)
		}
		who := newsroom.Actor{User: u}
		now := time.Now().UTC().Truncate(time.Second)
		var ids []int64
		for i, h := range []string{"Tram line opens", "Library extends hours"} {
			err := st.InTx(ctx, func(tx *store.Store) error {
				e, _, err := newsroom.Save(ctx, tx, who, nil, newsroom.Edit{
					Content: news.RevisionContent{Headline: h, SectionID: sec.ID, Body: "First text."}, At: now})
				if err != nil {
					return err
				}
				if err := newsroom.MoveArticle(ctx, tx, who, e.Article.ID, newsroom.Move{To: news.Published, Action: "publish", At: now}); err != nil {
					return err
				}
				e, err = tx.Editorial(ctx, e.Article.ID)
				if err != nil {
					return err
				}
				c := news.ContentOf(e)
				c.Body = "Scheduled text."
				_, err = newsroom.ScheduleUpdate(ctx, tx, who, e, c, now.Add(time.Duration(i+1)*time.Minute), time.UTC)
				ids = append(ids, e.Article.ID)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		// The first story is saved after its update was scheduled: that
		// update can no longer be applied.
		err = st.InTx(ctx, func(tx *store.Store) error {
			e, err := tx.Editorial(ctx, ids[0])
			if err != nil {
				return err
			}
			c := news.ContentOf(e)
			c.Body = "A fix."
			_, _, err = newsroom.Save(ctx, tx, who, e, newsroom.Edit{Content: c, Base: e.Revision, At: now})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		due := now.Add(time.Hour)
		apply := func() (store.ScheduledUpdate, bool, error) {
			var u store.ScheduledUpdate
			var applied bool
			err := st.InTx(ctx, func(tx *store.Store) error {
				var err error
				u, applied, err = newsroom.ApplyDueUpdate(ctx, tx, due)
				return err
			})
			return u, applied, err
		}
		drop := func(u store.ScheduledUpdate, why error) {
			if err := st.InTx(ctx, func(tx *store.Store) error { return newsroom.DropDueUpdate(ctx, tx, u, due, why) }); err != nil {
				t.Fatal(err)
			}
		}
		// Both instances fail on the first story's update...
		ua, _, errA := apply()
		ub, _, errB := apply()
		if news.ErrorCode(errA) != news.ECONFLICT || news.ErrorCode(errB) != news.ECONFLICT || ua.ArticleID != ids[0] || ub.ArticleID != ids[0] {
			t.Fatalf("applying the first story's update: %v (%d), %v (%d)", errA, ua.ArticleID, errB, ub.ArticleID)
		}
		// ...one drops it, then the other.
		drop(ub, errB)
		drop(ua, errA)
		if _, err := st.PendingUpdate(ctx, ids[1]); err != nil {
			t.Fatalf("the second story's update was dropped with the first's: %v", err)
		}
		if _, applied, err := apply(); err != nil || !applied {
			t.Fatalf("the second story's update: applied %v, %v", applied, err)
		}
		if e, _ := st.Editorial(ctx, ids[1]); e.Article.Body != "Scheduled text." {
			t.Errorf("the second story reads %q", e.Article.Body)
		}
		log, _ := st.AuditLog(ctx, store.AuditFilter{Actions: []string{"update.failed"}})
		if len(log) != 1 || log[0].Target != newsroom.ArticleTarget(ids[0]) {
			t.Errorf("update.failed entries: %+v", log)
		}
	})
}
