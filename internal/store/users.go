package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

const userColumns = `id, email, name, role, password_hash, disabled, created_at`

func scanUser(row interface{ Scan(...any) error }) (*news.User, error) {
	u := &news.User{}
	var disabled int
	var created int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &disabled, &created); err != nil {
		return nil, err
	}
	u.Disabled, u.CreatedAt = disabled != 0, fromDB(created)
	return u, nil
}

// CountUsers returns how many accounts exist: none means the first admin
// is still to be set up.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// CreateUser adds an account, its password already hashed, and fills in
// its ID. A second account with the same e-mail address is an ECONFLICT.
func (s *Store) CreateUser(ctx context.Context, u *news.User) error {
	u.Email = news.NormalizeEmail(u.Email)
	u.Name = news.CleanText(u.Name)
	if err := u.Validate(); err != nil {
		return err
	}
	if u.PasswordHash == "" {
		return news.Invalid("password", "is missing")
	}
	now := time.Now().UTC()
	if u.CreatedAt.IsZero() {
		u.CreatedAt = now
	}
	err := s.q.QueryRowContext(ctx, `INSERT INTO users (email, name, role, password_hash, disabled, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		u.Email, u.Name, string(u.Role), u.PasswordHash, boolInt(u.Disabled), toDB(u.CreatedAt), toDB(now)).Scan(&u.ID)
	if isUniqueViolation(err) {
		return news.Errorf(news.ECONFLICT, "an account with the address %s exists already", u.Email)
	}
	return err
}

// UserByID returns an account.
func (s *Store) UserByID(ctx context.Context, id int64) (*news.User, error) {
	u, err := scanUser(s.q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	return u, notFound(err, "no user with id %d", id)
}

// UserByEmail returns the account with an e-mail address (in any case).
func (s *Store) UserByEmail(ctx context.Context, email string) (*news.User, error) {
	u, err := scanUser(s.q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, news.NormalizeEmail(email)))
	return u, notFound(err, "no user %q", email)
}

// Users lists every account, by name.
func (s *Store) Users(ctx context.Context) ([]*news.User, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*news.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpdateUser changes an account's name, e-mail, role and whether it is
// disabled. The password is changed by SetPassword.
func (s *Store) UpdateUser(ctx context.Context, u *news.User) error {
	u.Email = news.NormalizeEmail(u.Email)
	u.Name = news.CleanText(u.Name)
	if err := u.Validate(); err != nil {
		return err
	}
	res, err := s.q.ExecContext(ctx, `UPDATE users SET email = $1, name = $2, role = $3, disabled = $4, updated_at = $5 WHERE id = $6`,
		u.Email, u.Name, string(u.Role), boolInt(u.Disabled), toDB(time.Now()), u.ID)
	if isUniqueViolation(err) {
		return news.Errorf(news.ECONFLICT, "an account with the address %s exists already", u.Email)
	}
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("no user with id %d", u.ID)
	}
	return nil
}

// SetPassword replaces an account's password hash and ends all its
// sessions, so that a stolen session dies with the old password, and its
// open one-time links and login steps: an address change a thief with a
// session asked for, a reset link, a login waiting for its code after
// the old password.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	now := time.Now()
	res, err := s.q.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, toDB(now), userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("no user with id %d", userID)
	}
	if _, err = s.q.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return err
	}
	return s.EndAccountTokens(ctx, userID, "", now)
}

// CountAdmins returns how many enabled admin accounts there are, so the last
// one is not demoted or disabled by mistake.
func (s *Store) CountAdmins(ctx context.Context) (int, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = $1 AND disabled = 0`, string(news.Admin)).Scan(&n)
	return n, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// RehashPassword stores a stronger hash of the same password, made at
// login; sessions stay.
func (s *Store) RehashPassword(ctx context.Context, userID int64, hash string) error {
	_, err := s.q.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID)
	return err
}
