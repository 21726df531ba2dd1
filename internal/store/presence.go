package store

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Who is editing (migration 0027): editing_presence and edit_locks. Every
// time here is the database's clock, so instances sharing PostgreSQL
// agree on what is fresh even when their own clocks differ.

// dbNow reads the database's clock.
func (s *Store) dbNow(ctx context.Context) (int64, error) {
	var now int64
	err := s.q.QueryRowContext(ctx, `SELECT `+s.dialect.nowMicros).Scan(&now)
	return now, err
}

// holdEditing makes the presence writes of one story wait for each other
// until the transaction ends (SQLite's write transactions already do). On
// PostgreSQL two heartbeats of one story otherwise deleted each other's
// stale rows in different orders, or one deleted the row the other was
// renewing, and one of them failed with a deadlock. The lock is an
// advisory one per story (its id folded into 31 bits: two stories that
// share a key only wait for each other), so heartbeats of different
// stories never wait on each other.
func (s *Store) holdEditing(ctx context.Context, articleID int64) error {
	if s.dialect.name != "postgres" {
		return nil
	}
	_, err := s.q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(27, CAST(MOD(CAST($1 AS BIGINT), 2147483647) AS INTEGER))`, articleID)
	return err
}

// Heartbeat records that userID has article open in the editor now, and
// returns who else has it open and who holds its lock. With mayLock (the
// account may change the story) the account takes the lock when nobody
// fresh holds it, and renews it when it holds it. Entries not renewed
// within ttl are gone: they are deleted here, by whichever heartbeat
// comes next.
func (s *Store) Heartbeat(ctx context.Context, articleID, userID int64, mayLock bool, ttl time.Duration) (*news.Editing, error) {
	var out *news.Editing
	err := s.InTx(ctx, func(tx *Store) error {
		if err := tx.holdEditing(ctx, articleID); err != nil {
			return err
		}
		now, err := tx.dbNow(ctx)
		if err != nil {
			return err
		}
		cut := now - ttl.Microseconds()
		// Only this story's stale rows: heartbeats of other stories on
		// other instances never wait on these, nor these on theirs.
		if _, err := tx.q.ExecContext(ctx, `DELETE FROM editing_presence WHERE article_id = $1 AND seen_at < $2`, articleID, cut); err != nil {
			return err
		}
		if _, err := tx.q.ExecContext(ctx, `INSERT INTO editing_presence (article_id, user_id, opened_at, seen_at) VALUES ($1, $2, $3, $3)
			ON CONFLICT (article_id, user_id) DO UPDATE SET seen_at = excluded.seen_at`, articleID, userID, now); err != nil {
			return err
		}
		if _, err := tx.q.ExecContext(ctx, `DELETE FROM edit_locks WHERE article_id = $1 AND seen_at < $2`, articleID, cut); err != nil {
			return err
		}
		if mayLock {
			if _, err := tx.q.ExecContext(ctx, `INSERT INTO edit_locks (article_id, user_id, since, seen_at) VALUES ($1, $2, $3, $3)
				ON CONFLICT (article_id) DO NOTHING`, articleID, userID, now); err != nil {
				return err
			}
			if _, err := tx.q.ExecContext(ctx, `UPDATE edit_locks SET seen_at = $1 WHERE article_id = $2 AND user_id = $3`, now, articleID, userID); err != nil {
				return err
			}
		}
		out, err = tx.editing(ctx, articleID, userID, cut)
		return err
	})
	if err == nil && rand.IntN(sweepEvery) == 0 {
		s.sweepEditing(ctx)
	}
	return out, err
}

// sweepEvery is how many heartbeats, on average, one sweep of the stories
// nobody has opened for an hour comes with.
const sweepEvery = 200

// sweepEditing removes the presence and lock rows of stories nobody has
// had open for an hour: a story's own stale rows go at its next heartbeat,
// and these are the ones of stories not opened again. It is housekeeping
// after a heartbeat has answered: the rows it misses are ignored by every
// read (they are past the time to live), so a failure is left for the
// next sweep.
func (s *Store) sweepEditing(ctx context.Context) {
	now, err := s.dbNow(ctx)
	if err != nil {
		return
	}
	cut := now - time.Hour.Microseconds()
	s.q.ExecContext(ctx, `DELETE FROM editing_presence WHERE seen_at < $1`, cut)
	s.q.ExecContext(ctx, `DELETE FROM edit_locks WHERE seen_at < $1`, cut)
}

// Editing returns who has article open and who holds its lock, as
// userID's page would learn it, without recording anything.
func (s *Store) Editing(ctx context.Context, articleID, userID int64, ttl time.Duration) (*news.Editing, error) {
	now, err := s.dbNow(ctx)
	if err != nil {
		return nil, err
	}
	return s.editing(ctx, articleID, userID, now-ttl.Microseconds())
}

func (s *Store) editing(ctx context.Context, articleID, userID, cut int64) (*news.Editing, error) {
	out := &news.Editing{}
	rows, err := s.q.QueryContext(ctx, `SELECT p.user_id, u.name, p.opened_at, p.seen_at FROM editing_presence p JOIN users u ON u.id = p.user_id
		WHERE p.article_id = $1 AND p.user_id <> $2 AND p.seen_at >= $3 ORDER BY p.opened_at, p.user_id`, articleID, userID, cut)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p news.Presence
		var opened, seen int64
		if err := rows.Scan(&p.UserID, &p.Name, &opened, &seen); err != nil {
			return nil, err
		}
		p.OpenedAt, p.SeenAt = fromDB(opened), fromDB(seen)
		out.Others = append(out.Others, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	l := &news.EditLock{ArticleID: articleID}
	var since, takenAt int64
	err = s.q.QueryRowContext(ctx, `SELECT l.user_id, u.name, l.since, l.taken_from, l.taken_at FROM edit_locks l JOIN users u ON u.id = l.user_id
		WHERE l.article_id = $1 AND l.seen_at >= $2`, articleID, cut).Scan(&l.UserID, &l.Name, &since, &l.TakenFrom, &takenAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return out, nil
	case err != nil:
		return nil, err
	}
	l.Since, l.TakenAt = fromDB(since), fromDB(takenAt)
	out.Lock, out.Mine = l, l.UserID == userID
	if !out.Mine && l.TakenFrom == userID {
		out.TakenBy = l.Name
	}
	return out, nil
}

// TakeEditLock gives article's lock to userID now, whoever held it; the
// account it was taken from is told on its next heartbeat (news.Editing's
// TakenBy). It returns the lock as it was before (nil: nobody fresh held
// it), for the audit log.
func (s *Store) TakeEditLock(ctx context.Context, articleID, userID int64, ttl time.Duration) (*news.EditLock, error) {
	var before *news.EditLock
	err := s.InTx(ctx, func(tx *Store) error {
		if err := tx.holdEditing(ctx, articleID); err != nil {
			return err
		}
		now, err := tx.dbNow(ctx)
		if err != nil {
			return err
		}
		ed, err := tx.editing(ctx, articleID, userID, now-ttl.Microseconds())
		if err != nil {
			return err
		}
		before = ed.Lock
		from := int64(0)
		if before != nil && before.UserID != userID {
			from = before.UserID
		}
		if _, err := tx.q.ExecContext(ctx, `INSERT INTO editing_presence (article_id, user_id, opened_at, seen_at) VALUES ($1, $2, $3, $3)
			ON CONFLICT (article_id, user_id) DO UPDATE SET seen_at = excluded.seen_at`, articleID, userID, now); err != nil {
			return err
		}
		_, err = tx.q.ExecContext(ctx, `INSERT INTO edit_locks (article_id, user_id, since, seen_at, taken_from, taken_at) VALUES ($1, $2, $3, $3, $4, $5)
			ON CONFLICT (article_id) DO UPDATE SET user_id = excluded.user_id, since = excluded.since, seen_at = excluded.seen_at,
				taken_from = excluded.taken_from, taken_at = excluded.taken_at`,
			articleID, userID, now, from, map[bool]int64{true: now, false: 0}[from != 0])
		return err
	})
	return before, err
}

// LeaveAllEditing ends every presence and lock of userID, story by story
// (each under its story's lock, as LeaveEditing): an account that logs
// out is editing nothing, and the next editor of its stories is neither
// warned nor asked about it until its rows go stale.
func (s *Store) LeaveAllEditing(ctx context.Context, userID int64) error {
	rows, err := s.q.QueryContext(ctx, `SELECT article_id FROM editing_presence WHERE user_id = $1
		UNION SELECT article_id FROM edit_locks WHERE user_id = $1`, userID)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.LeaveEditing(ctx, id, userID); err != nil {
			return err
		}
	}
	return nil
}

// LeaveEditing records that userID closed the editor of article: their
// presence ends, and the lock with it when they hold it, so the next
// editor need not wait for it to go stale.
func (s *Store) LeaveEditing(ctx context.Context, articleID, userID int64) error {
	return s.InTx(ctx, func(tx *Store) error {
		if err := tx.holdEditing(ctx, articleID); err != nil {
			return err
		}
		if _, err := tx.q.ExecContext(ctx, `DELETE FROM editing_presence WHERE article_id = $1 AND user_id = $2`, articleID, userID); err != nil {
			return err
		}
		_, err := tx.q.ExecContext(ctx, `DELETE FROM edit_locks WHERE article_id = $1 AND user_id = $2`, articleID, userID)
		return err
	})
}
