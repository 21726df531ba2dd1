package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// API tokens (migration 0019). As for sessions and preview links, the
// secret is never stored: callers pass its hash (auth.HashToken), so
// finding a token is an index lookup on the hash and nothing about the
// secret leaks through how long a comparison takes.

// TokenTouchEvery is how stale a token's last use may be before a request
// writes it again: a busy tool costs one UPDATE a minute, not one per call.
const TokenTouchEvery = time.Minute

// CreateAPIToken stores a new token under the hash of its secret, after
// checking its fields, and fills in its ID. Its creator must be an account
// that is not disabled.
func (s *Store) CreateAPIToken(ctx context.Context, tokenHash string, t *news.APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now().UTC()
	}
	t.Name = news.CleanText(t.Name)
	if err := t.Validate(); err != nil {
		return err
	}
	var disabled int
	err := s.q.QueryRowContext(ctx, `SELECT name, disabled FROM users WHERE id = $1`, t.CreatedBy).Scan(&t.CreatorName, &disabled)
	if err != nil {
		return notFound(err, "there is no account %d to act for", t.CreatedBy)
	}
	if disabled != 0 {
		return news.Invalid("user", "the account %q is disabled: a token cannot act for it", t.CreatorName)
	}
	return s.q.QueryRowContext(ctx, `INSERT INTO api_tokens (token_hash, name, scopes, created_by, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		tokenHash, t.Name, joinScopes(t.Scopes), t.CreatedBy, toDB(t.CreatedAt), toDB(t.ExpiresAt)).Scan(&t.ID)
}

func joinScopes(ss []news.Scope) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, " ")
}

func splitScopes(s string) []news.Scope {
	var out []news.Scope
	for _, f := range strings.Fields(s) {
		out = append(out, news.Scope(f))
	}
	return out
}

const apiTokenColumns = `t.id, t.name, t.scopes, t.created_by, u.name, t.created_at, t.expires_at,
	t.revoked_at, COALESCE(t.revoked_by, 0), t.last_used_at`

const apiTokenFrom = ` FROM api_tokens t JOIN users u ON u.id = t.created_by`

func scanAPIToken(row interface{ Scan(...any) error }, extra ...any) (*news.APIToken, error) {
	t := &news.APIToken{}
	var scopes string
	var created, expires, revoked, used int64
	dest := append([]any{&t.ID, &t.Name, &scopes, &t.CreatedBy, &t.CreatorName, &created, &expires,
		&revoked, &t.RevokedBy, &used}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	t.Scopes = splitScopes(scopes)
	t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt = fromDB(created), fromDB(expires), fromDB(revoked), fromDB(used)
	return t, nil
}

// APITokenBySecret returns the token stored under a secret's hash and the
// account it acts for, as they are now: a token revoked, a role changed or
// an account disabled on another instance a moment ago is seen so here. It
// returns the token whether active or not (the caller says why it refuses
// one: see news.APIToken.State); an account that is disabled is returned
// with Disabled set, and its token must be refused too.
func (s *Store) APITokenBySecret(ctx context.Context, tokenHash string) (*news.APIToken, *news.User, error) {
	u := &news.User{}
	var disabled int
	var uCreated int64
	t, err := scanAPIToken(s.q.QueryRowContext(ctx, `SELECT `+apiTokenColumns+`, u.id, u.email, u.name, u.role, u.disabled, u.created_at`+
		apiTokenFrom+` WHERE t.token_hash = $1`, tokenHash),
		&u.ID, &u.Email, &u.Name, &u.Role, &disabled, &uCreated)
	if err != nil {
		return nil, nil, notFound(err, "there is no such API token")
	}
	u.Disabled, u.CreatedAt = disabled != 0, fromDB(uCreated)
	return t, u, nil
}

// APIToken returns one token by its ID, active or not.
func (s *Store) APIToken(ctx context.Context, id int64) (*news.APIToken, error) {
	t, err := scanAPIToken(s.q.QueryRowContext(ctx, `SELECT `+apiTokenColumns+apiTokenFrom+` WHERE t.id = $1`, id))
	return t, notFound(err, "there is no API token %d", id)
}

// APITokens lists every token, newest first, active or not, so the list
// shows who revoked what.
func (s *Store) APITokens(ctx context.Context) ([]*news.APIToken, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+apiTokenColumns+apiTokenFrom+` ORDER BY t.created_at DESC, t.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*news.APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken ends a token now, once: a token that does not exist or is
// revoked already is ENOTFOUND. userID is who revoked it (0 for the
// command line).
func (s *Store) RevokeAPIToken(ctx context.Context, id, userID int64, now time.Time) error {
	var by sql.NullInt64
	if userID != 0 {
		by = sql.NullInt64{Int64: userID, Valid: true}
	}
	res, err := s.q.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at = 0`,
		toDB(now), by, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("no API token %d that is not revoked already", id)
	}
	return nil
}

// TouchAPIToken records that a token was used at now, unless its last use
// already recorded is less than TokenTouchEvery old: the condition is in the
// UPDATE, so many instances answering one tool write it once a minute
// between them. It reports whether it wrote.
func (s *Store) TouchAPIToken(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND last_used_at <= $3`,
		toDB(now), id, toDB(now.Add(-TokenTouchEvery)))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
