package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Live coverage (migration 0029): when a story's coverage runs, and its
// updates. Every write records a change naming the story's page, in its
// own transaction, so the page cache purges it and other instances learn
// of it through the change log they follow.

// Coverage returns a story's live coverage, or ENOTFOUND when it never
// was live.
func (s *Store) Coverage(ctx context.Context, articleID int64) (news.Coverage, error) {
	c := news.Coverage{ArticleID: articleID}
	var started, ended int64
	err := s.q.QueryRowContext(ctx, `SELECT started_at, ended_at FROM live_coverage WHERE article_id = $1`, articleID).Scan(&started, &ended)
	c.Started, c.Ended = fromDB(started), fromDB(ended)
	return c, notFound(err, "article %d has no live coverage", articleID)
}

// StartCoverage makes a story live from at: a story that had ended goes
// on (its end is cleared; its first start stays).
func (s *Store) StartCoverage(ctx context.Context, articleID int64, at time.Time) error {
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.q.ExecContext(ctx, `INSERT INTO live_coverage (article_id, started_at, ended_at) VALUES ($1, $2, 0)
			ON CONFLICT (article_id) DO UPDATE SET ended_at = 0`, articleID, toDB(at)); err != nil {
			return err
		}
		return tx.recordChange(ctx, news.ArticleKey(articleID), news.KeyHome)
	})
}

// EndCoverage ends a story's live coverage at at. A story that is not
// live is ECONFLICT, one that never was ENOTFOUND.
func (s *Store) EndCoverage(ctx context.Context, articleID int64, at time.Time) error {
	return s.InTx(ctx, func(tx *Store) error {
		c, err := tx.Coverage(ctx, articleID)
		if err != nil {
			return err
		}
		if !c.Live() {
			return news.Errorf(news.ECONFLICT, "The live coverage of this story has already ended.")
		}
		if _, err := tx.q.ExecContext(ctx, `UPDATE live_coverage SET ended_at = $1 WHERE article_id = $2`, toDB(at), articleID); err != nil {
			return err
		}
		return tx.recordChange(ctx, news.ArticleKey(articleID), news.KeyHome)
	})
}

const liveUpdateColumns = `id, article_id, body, body_html, byline, COALESCE(author_id, 0), pinned, deleted, created_at, updated_at`

func scanLiveUpdate(sc interface{ Scan(...any) error }) (news.LiveUpdate, error) {
	var u news.LiveUpdate
	var pinned, deleted int
	var created, updated int64
	err := sc.Scan(&u.ID, &u.ArticleID, &u.Body, &u.BodyHTML, &u.Byline, &u.AuthorID, &pinned, &deleted, &created, &updated)
	u.Pinned, u.Deleted = pinned != 0, deleted != 0
	u.Created, u.Updated = fromDB(created), fromDB(updated)
	return u, err
}

// AddLiveUpdate appends an update to a story and fills in its ID (and its
// times, when zero). BodyHTML must be what internal/markup made of Body.
func (s *Store) AddLiveUpdate(ctx context.Context, u *news.LiveUpdate) error {
	if u.Created.IsZero() {
		u.Created = time.Now().UTC()
	}
	if u.Updated.IsZero() {
		u.Updated = u.Created
	}
	var author sql.NullInt64
	if u.AuthorID != 0 {
		author = sql.NullInt64{Int64: u.AuthorID, Valid: true}
	}
	return s.InTx(ctx, func(tx *Store) error {
		err := tx.q.QueryRowContext(ctx, `INSERT INTO live_updates (article_id, body, body_html, byline, author_id, pinned, deleted, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8) RETURNING id`,
			u.ArticleID, u.Body, u.BodyHTML, u.Byline, author, boolInt(u.Pinned), toDB(u.Created), toDB(u.Updated)).Scan(&u.ID)
		if err != nil {
			return err
		}
		return tx.recordChange(ctx, news.ArticleKey(u.ArticleID))
	})
}

// LiveUpdate returns one update, deleted or not, or ENOTFOUND.
func (s *Store) LiveUpdate(ctx context.Context, id int64) (news.LiveUpdate, error) {
	u, err := scanLiveUpdate(s.q.QueryRowContext(ctx, `SELECT `+liveUpdateColumns+` FROM live_updates WHERE id = $1`, id))
	return u, notFound(err, "no live update %d", id)
}

// LiveUpdates lists a story's updates that are not deleted as its page
// shows them: pinned ones first, then newest first.
func (s *Store) LiveUpdates(ctx context.Context, articleID int64) ([]news.LiveUpdate, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+liveUpdateColumns+` FROM live_updates
		WHERE article_id = $1 AND deleted = 0 ORDER BY pinned DESC, created_at DESC, id DESC`, articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.LiveUpdate
	for rows.Next() {
		u, err := scanLiveUpdate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// EditLiveUpdate replaces an update's text and byline. A deleted update
// is ENOTFOUND.
func (s *Store) EditLiveUpdate(ctx context.Context, id int64, body, bodyHTML, byline string, at time.Time) error {
	return s.changeLiveUpdate(ctx, id, `UPDATE live_updates SET body = $2, body_html = $3, byline = $4, updated_at = $5 WHERE id = $1`,
		id, body, bodyHTML, byline, toDB(at))
}

// PinLiveUpdate pins an update at the top of its story, or unpins it.
// Its text is unchanged, and so is its updated time.
func (s *Store) PinLiveUpdate(ctx context.Context, id int64, pinned bool) error {
	return s.changeLiveUpdate(ctx, id, `UPDATE live_updates SET pinned = $2 WHERE id = $1`, id, boolInt(pinned))
}

// DeleteLiveUpdate takes an update off its story. The row stays, marked.
func (s *Store) DeleteLiveUpdate(ctx context.Context, id int64, at time.Time) error {
	return s.changeLiveUpdate(ctx, id, `UPDATE live_updates SET deleted = 1, updated_at = $2 WHERE id = $1`, id, toDB(at))
}

// changeLiveUpdate runs one UPDATE of a live update that is not deleted,
// and records the change to its story.
func (s *Store) changeLiveUpdate(ctx context.Context, id int64, query string, args ...any) error {
	return s.InTx(ctx, func(tx *Store) error {
		u, err := tx.LiveUpdate(ctx, id)
		if err != nil {
			return err
		}
		if u.Deleted {
			return news.NotFound("live update %d was deleted", id)
		}
		if _, err := tx.q.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		return tx.recordChange(ctx, news.ArticleKey(u.ArticleID))
	})
}
