package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The purposes of account tokens: one-time links sent by email, and the
// step between a login's password and its two-factor code.
const (
	TokenReset = "reset" // a forgotten password
	TokenEmail = "email" // confirming a new address
	TokenLogin = "login" // a password was right; the code is still due
)

// AccountToken is one-time proof, held by whoever has the token, that
// lets its user do one thing once.
type AccountToken struct {
	ID        int64
	UserID    int64
	Purpose   string
	NewEmail  string // for TokenEmail
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateAccountToken stores a token under its hash and ends the unused
// tokens of the same user and purpose made before it: only the newest
// link works.
func (s *Store) CreateAccountToken(ctx context.Context, tokenHash string, t *AccountToken) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at = 0`,
		toDB(t.CreatedAt), t.UserID, t.Purpose); err != nil {
		return err
	}
	return s.q.QueryRowContext(ctx, `INSERT INTO account_tokens (token_hash, user_id, purpose, new_email, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		tokenHash, t.UserID, t.Purpose, t.NewEmail, toDB(t.CreatedAt), toDB(t.ExpiresAt)).Scan(&t.ID)
}

// AccountTokenByHash returns the unused, unexpired token of purpose stored
// under a hash; ENOTFOUND otherwise, whichever the reason.
func (s *Store) AccountTokenByHash(ctx context.Context, tokenHash, purpose string, now time.Time) (*AccountToken, error) {
	t := &AccountToken{Purpose: purpose}
	var created, expires int64
	err := s.q.QueryRowContext(ctx, `SELECT id, user_id, new_email, created_at, expires_at FROM account_tokens
		WHERE token_hash = $1 AND purpose = $2 AND used_at = 0 AND expires_at > $3`, tokenHash, purpose, toDB(now)).
		Scan(&t.ID, &t.UserID, &t.NewEmail, &created, &expires)
	if err != nil {
		return nil, notFound(err, "this link is not valid: it may have been used, replaced by a newer one, or have expired")
	}
	t.CreatedAt, t.ExpiresAt = fromDB(created), fromDB(expires)
	return t, nil
}

// UseAccountToken marks a token used. Of two requests racing with one
// token, one uses it and the other gets ENOTFOUND: call it in the
// transaction of what the token allows, so that happens once.
func (s *Store) UseAccountToken(ctx context.Context, id int64, now time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE account_tokens SET used_at = $1 WHERE id = $2 AND used_at = 0 AND expires_at > $1`, toDB(now), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return news.NotFound("this link is not valid: it may have been used, replaced by a newer one, or have expired")
	}
	return nil
}

// EndAccountTokens ends a user's unused tokens of purpose (all purposes
// for ""): a new password ends the reset links sent before it.
func (s *Store) EndAccountTokens(ctx context.Context, userID int64, purpose string, now time.Time) error {
	if purpose == "" {
		_, err := s.q.ExecContext(ctx, `UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND used_at = 0`, toDB(now), userID)
		return err
	}
	_, err := s.q.ExecContext(ctx, `UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at = 0`, toDB(now), userID, purpose)
	return err
}

// PruneAccountTokens deletes the tokens that ended before before.
func (s *Store) PruneAccountTokens(ctx context.Context, before time.Time) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM account_tokens WHERE expires_at < $1 OR (used_at > 0 AND used_at < $1)`, toDB(before))
	return err
}

// SetUserEmail changes an account's address; ECONFLICT when another
// account has it.
func (s *Store) SetUserEmail(ctx context.Context, userID int64, email string) error {
	email = news.NormalizeEmail(email)
	res, err := s.q.ExecContext(ctx, `UPDATE users SET email = $1, updated_at = $2 WHERE id = $3`, email, toDB(time.Now()), userID)
	if isUniqueViolation(err) {
		return news.Errorf(news.ECONFLICT, "an account with the address %s exists already", email)
	}
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("no user with id %d", userID)
	}
	return nil
}
