package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Embargoes, scheduled unpublish and scheduled updates (migration 0025).
//
// The embargo is kept here, where every way of publishing passes: the
// newsroom's and the API's moves (MoveArticle), the scheduler
// (PublishDue), imports (SaveArticle, SaveImport). Each refuses, or for
// the scheduler waits, while now is before embargo_until; the surfaces
// only say it in their own words first.

// embargoVersion is the migration that added embargoes.
const embargoVersion = 25

// embargoUntil reads an article's embargo time (zero for none) and status.
func (s *Store) embargoUntil(ctx context.Context, id int64) (time.Time, news.Status, error) {
	if s.embargoless {
		return time.Time{}, "", nil
	}
	var until int64
	var st string
	err := s.q.QueryRowContext(ctx, `SELECT COALESCE((SELECT x.embargo_until FROM article_schedule x WHERE x.article_id = a.id), 0), a.status
		FROM articles a WHERE a.id = $1`, id).Scan(&until, &st)
	if err != nil {
		return time.Time{}, "", notFound(err, "no article with id %d", id)
	}
	if until == 0 {
		return time.Time{}, news.Status(st), nil
	}
	return fromDB(until), news.Status(st), nil
}

// checkEmbargo refuses to let article id out at t while it is under
// embargo.
func (s *Store) checkEmbargo(ctx context.Context, id int64, t time.Time) error {
	until, _, err := s.embargoUntil(ctx, id)
	if err != nil {
		return err
	}
	if news.Embargoed(until, t) {
		return news.EmbargoError(until, time.UTC)
	}
	return nil
}

// SetEmbargo puts an article under embargo until the given time, moves
// the embargo, or lifts it (zero time), and returns the embargo it had.
// A published story cannot be put under embargo (it is out already), and
// a scheduled one only until its time at the latest: reschedule it first.
func (s *Store) SetEmbargo(ctx context.Context, id int64, until time.Time) (time.Time, error) {
	before, st, err := s.embargoUntil(ctx, id)
	if err != nil {
		return time.Time{}, err
	}
	if until.IsZero() {
		_, err := s.q.ExecContext(ctx, `UPDATE article_schedule SET embargo_until = 0 WHERE article_id = $1`, id)
		return before, err
	}
	if st == news.Published {
		return before, &news.Error{Code: news.ECONFLICT, Field: "embargo", Message: "this story is published already: an embargo cannot hold it back now (unpublish it first)"}
	}
	// The status and the scheduled time are checked by a no-op UPDATE of
	// the article's row, which is also the lock: a publication that
	// slipped in since the read above is seen here (the embargo is
	// refused), and one that comes after waits for this transaction and
	// then finds the embargo (store.MoveArticle).
	res, err := s.q.ExecContext(ctx, `UPDATE articles SET modified_at = modified_at WHERE id = $1 AND status <> $2
		AND (status <> $3 OR publish_at >= $4)`, id, string(news.Published), string(news.Scheduled), toDB(until))
	if err != nil {
		return before, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return before, &news.Error{Code: news.ECONFLICT, Field: "embargo",
			Message: "this story is scheduled to go out before the embargo would end, or was published meanwhile: reschedule it for the embargo's time or later first"}
	}
	_, err = s.q.ExecContext(ctx, `INSERT INTO article_schedule (article_id, embargo_until) VALUES ($1, $2)
		ON CONFLICT (article_id) DO UPDATE SET embargo_until = excluded.embargo_until`, id, toDB(until))
	return before, err
}

// SetUnpublishAt sets when a published article leaves the site by itself
// (zero: never).
func (s *Store) SetUnpublishAt(ctx context.Context, id int64, at time.Time) error {
	if at.IsZero() {
		_, err := s.q.ExecContext(ctx, `UPDATE article_schedule SET unpublish_at = 0 WHERE article_id = $1`, id)
		return err
	}
	// The no-op UPDATE checks the status and locks the row, as in
	// SetEmbargo.
	res, err := s.q.ExecContext(ctx, `UPDATE articles SET modified_at = modified_at WHERE id = $1 AND status = $2`, id, string(news.Published))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &news.Error{Code: news.ECONFLICT, Field: "unpublish_at", Message: "only a published story can be scheduled to leave the site"}
	}
	_, err = s.q.ExecContext(ctx, `INSERT INTO article_schedule (article_id, unpublish_at) VALUES ($1, $2)
		ON CONFLICT (article_id) DO UPDATE SET unpublish_at = excluded.unpublish_at`, id, toDB(at))
	return err
}

// UnpublishDue takes every published article whose unpublish time has
// come back to draft, and returns their ids. As in PublishDue, the UPDATE
// claims the rows, so with several instances each article is taken down
// by one; then runs in the transaction for each (nil: nothing more).
func (s *Store) UnpublishDue(ctx context.Context, now time.Time, then func(tx *Store, id int64) error) ([]int64, error) {
	var ids []int64
	err := s.InTx(ctx, func(tx *Store) error {
		ids = nil // a retried transaction starts over
		var err error
		// The status in the WHERE is the claim: of two instances, the
		// second's UPDATE waits for the first's row and then finds it a
		// draft.
		ids, err = column[int64](ctx, tx, `UPDATE articles SET status = $1, modified_at = $2
			WHERE status = $3 AND id IN (SELECT article_id FROM article_schedule WHERE unpublish_at > 0 AND unpublish_at <= $2) RETURNING id`,
			string(news.Draft), toDB(now), string(news.Published))
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			in, args := inList(1, ids)
			if _, err := tx.q.ExecContext(ctx, `UPDATE article_schedule SET unpublish_at = 0 WHERE article_id IN (`+in+`)`, args...); err != nil {
				return err
			}
			// As when unpublished by hand (MoveArticle): an update
			// scheduled for the published text is dropped with it.
			if _, err := tx.q.ExecContext(ctx, `DELETE FROM scheduled_updates WHERE article_id IN (`+in+`)`, args...); err != nil {
				return err
			}
		}
		if err := tx.relist(ctx, ids...); err != nil {
			return err
		}
		for _, id := range ids {
			if err := tx.Audit(ctx, &news.AuditEntry{At: now, Action: "unpublish", Target: "article " + itoa64(id), Detail: "scheduled"}); err != nil {
				return err
			}
			after, err := tx.articleRefsOf(ctx, id)
			if err != nil {
				return err
			}
			before := after
			before.public = true
			if err := tx.recordArticleChange(ctx, before, after); err != nil {
				return err
			}
			if then != nil {
				if err := then(tx, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return ids, err
}

// ScheduledUpdate is a saved revision that replaces an article's text at
// a time.
type ScheduledUpdate struct {
	ArticleID int64
	Revision  int
	At        time.Time
	UserID    int64
	// Base is the story's revision the update was written from (read by
	// ClaimDueUpdate): a story saved since has moved on from it.
	Base int
}

// ScheduleUpdate keeps content as a revision of article id that is not
// applied now (kind news.ScheduledRevision) and has it replace the
// article's text at at, in place of any update scheduled before.
func (s *Store) ScheduleUpdate(ctx context.Context, id int64, c news.RevisionContent, userID int64, at time.Time, loc *time.Location) (*news.Revision, error) {
	if loc == nil {
		loc = time.UTC
	}
	var cur int
	if err := s.q.QueryRowContext(ctx, `SELECT revision FROM articles WHERE id = $1`, id).Scan(&cur); err != nil {
		return nil, notFound(err, "no article with id %d", id)
	}
	rev := &news.Revision{ArticleID: id, UserID: userID, Kind: news.ScheduledRevision, Base: cur, Content: c,
		Note: "scheduled to replace the published text at " + at.In(loc).Format("2 Jan 2006 15:04 MST")}
	if err := s.addRevision(ctx, rev); err != nil {
		return nil, err
	}
	var user sql.NullInt64
	if userID != 0 {
		user = sql.NullInt64{Int64: userID, Valid: true}
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO scheduled_updates (article_id, revision, due_at, user_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (article_id) DO UPDATE SET revision = excluded.revision, due_at = excluded.due_at, user_id = excluded.user_id`,
		id, rev.Number, toDB(at), user)
	return rev, err
}

// PendingUpdate returns the update scheduled for an article, or ENOTFOUND.
func (s *Store) PendingUpdate(ctx context.Context, id int64) (ScheduledUpdate, error) {
	u := ScheduledUpdate{ArticleID: id}
	var at int64
	var user sql.NullInt64
	err := s.q.QueryRowContext(ctx, `SELECT revision, due_at, user_id FROM scheduled_updates WHERE article_id = $1`, id).Scan(&u.Revision, &at, &user)
	if err != nil {
		return u, notFound(err, "no update is scheduled for article %d", id)
	}
	u.At, u.UserID = fromDB(at), user.Int64
	return u, nil
}

// CancelUpdate drops the update scheduled for an article; it reports
// whether there was one. Its revision stays in the history.
func (s *Store) CancelUpdate(ctx context.Context, id int64) (bool, error) {
	res, err := s.q.ExecContext(ctx, `DELETE FROM scheduled_updates WHERE article_id = $1`, id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// DropUpdate takes article id's scheduled update off the schedule if it
// is still revision rev (a newer one scheduled since stays), and reports
// whether it did. Its revision stays in the history.
func (s *Store) DropUpdate(ctx context.Context, id int64, rev int) (bool, error) {
	res, err := s.q.ExecContext(ctx, `DELETE FROM scheduled_updates WHERE article_id = $1 AND revision = $2`, id, rev)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// ClaimDueUpdate takes one scheduled update whose time has come off the
// schedule, in the caller's transaction, and returns it with its
// revision's content; ENOTFOUND when none is due. The DELETE is the claim:
// on PostgreSQL a second instance's waits for the first's transaction and
// then finds the row gone, so each update is applied once; if the caller's
// transaction fails, the update is back on the schedule.
func (s *Store) ClaimDueUpdate(ctx context.Context, now time.Time) (ScheduledUpdate, news.RevisionContent, error) {
	var u ScheduledUpdate
	var c news.RevisionContent
	var at int64
	var user sql.NullInt64
	err := s.q.QueryRowContext(ctx, `DELETE FROM scheduled_updates WHERE article_id = (
		SELECT article_id FROM scheduled_updates WHERE due_at <= $1 ORDER BY due_at, article_id LIMIT 1)
		AND due_at <= $1 RETURNING article_id, revision, due_at, user_id`, toDB(now)).Scan(&u.ArticleID, &u.Revision, &at, &user)
	if err != nil {
		return u, c, notFound(err, "no scheduled update is due")
	}
	u.At, u.UserID = fromDB(at), user.Int64
	var data string
	if err := s.q.QueryRowContext(ctx, `SELECT data, base FROM revisions WHERE article_id = $1 AND number = $2`, u.ArticleID, u.Revision).Scan(&data, &u.Base); err != nil {
		return u, c, notFound(err, "article %d has no revision %d", u.ArticleID, u.Revision)
	}
	return u, c, json.Unmarshal([]byte(data), &c)
}
