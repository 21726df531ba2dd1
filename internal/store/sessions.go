package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// CreateSession stores a new session under the hash of its token.
func (s *Store) CreateSession(ctx context.Context, tokenHash string, sess *news.Session) error {
	now := time.Now().UTC()
	if sess.CreatedAt.IsZero() {
		sess.CreatedAt = now
	}
	sess.LastSeen = sess.CreatedAt
	return s.q.QueryRowContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, address, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		tokenHash, sess.UserID, toDB(sess.CreatedAt), toDB(sess.LastSeen), toDB(sess.ExpiresAt), sess.Address, sess.UserAgent).Scan(&sess.ID)
}

// SessionUser returns the session stored under a token hash and its
// account, if the session has not expired, has been used within idle, and
// the account is not disabled. Anything else is ENOTFOUND: the caller
// treats every failure alike, as "not signed in".
func (s *Store) SessionUser(ctx context.Context, tokenHash string, now time.Time, idle time.Duration) (*news.User, *news.Session, error) {
	sess := &news.Session{}
	var created, seen, expires int64
	u := &news.User{}
	var disabled int
	var uCreated int64
	err := s.q.QueryRowContext(ctx, `SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.address, s.user_agent,
		u.id, u.email, u.name, u.role, u.password_hash, u.disabled, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.disabled = 0`,
		tokenHash, toDB(now), toDB(now.Add(-idle))).Scan(&sess.ID, &sess.UserID, &created, &seen, &expires, &sess.Address, &sess.UserAgent,
		&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &disabled, &uCreated)
	if err != nil {
		return nil, nil, notFound(err, "no session")
	}
	sess.CreatedAt, sess.LastSeen, sess.ExpiresAt = fromDB(created), fromDB(seen), fromDB(expires)
	u.Disabled, u.CreatedAt = disabled != 0, fromDB(uCreated)
	return u, sess, nil
}

// TouchSession records that a session was used at now.
func (s *Store) TouchSession(ctx context.Context, id int64, now time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, toDB(now), id)
	return err
}

// Sessions lists an account's sessions, newest first.
func (s *Store) Sessions(ctx context.Context, userID int64) ([]news.Session, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, user_id, created_at, last_seen_at, expires_at, address, user_agent
		FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC, id DESC`, userID, toDB(time.Now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Session
	for rows.Next() {
		var x news.Session
		var created, seen, expires int64
		if err := rows.Scan(&x.ID, &x.UserID, &created, &seen, &expires, &x.Address, &x.UserAgent); err != nil {
			return nil, err
		}
		x.CreatedAt, x.LastSeen, x.ExpiresAt = fromDB(created), fromDB(seen), fromDB(expires)
		out = append(out, x)
	}
	return out, rows.Err()
}

// DeleteSession ends one session of an account; ending a session that is
// not the account's is ENOTFOUND.
func (s *Store) DeleteSession(ctx context.Context, userID, id int64) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1 AND user_id = $2`, id, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("no session %d", id)
	}
	return nil
}

// DeleteSessionByToken ends the session stored under a token hash: logout.
func (s *Store) DeleteSessionByToken(ctx context.Context, tokenHash string) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// DeleteUserSessions ends every session of an account.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	return err
}

// DeleteExpiredSessions removes sessions past their end, and returns how
// many.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	res, err := s.q.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2`, toDB(now), toDB(now.Add(-idle)))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
