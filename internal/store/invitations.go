package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// CreateInvitation stores a one-time link under the hash of its token.
func (s *Store) CreateInvitation(ctx context.Context, tokenHash string, inv *news.Invitation) error {
	if inv.CreatedAt.IsZero() {
		inv.CreatedAt = time.Now().UTC()
	}
	var by sql.NullInt64
	if inv.CreatedBy != 0 {
		by = sql.NullInt64{Int64: inv.CreatedBy, Valid: true}
	}
	return s.q.QueryRowContext(ctx, `INSERT INTO invitations (token_hash, email, role, setup, created_by, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		tokenHash, inv.Email, string(inv.Role), boolInt(inv.Setup), by, toDB(inv.CreatedAt), toDB(inv.ExpiresAt)).Scan(&inv.ID)
}

const invitationColumns = `id, email, role, setup, COALESCE(created_by, 0), created_at, expires_at, used_at, COALESCE(used_by, 0)`

func scanInvitation(row interface{ Scan(...any) error }) (*news.Invitation, error) {
	inv := &news.Invitation{}
	var setup int
	var created, expires, used int64
	if err := row.Scan(&inv.ID, &inv.Email, &inv.Role, &setup, &inv.CreatedBy, &created, &expires, &used, &inv.UsedBy); err != nil {
		return nil, err
	}
	inv.Setup, inv.CreatedAt, inv.ExpiresAt, inv.UsedAt = setup != 0, fromDB(created), fromDB(expires), fromDB(used)
	return inv, nil
}

// InvitationByToken returns the unused, unexpired invitation stored under a
// token hash.
func (s *Store) InvitationByToken(ctx context.Context, tokenHash string, now time.Time) (*news.Invitation, error) {
	inv, err := scanInvitation(s.q.QueryRowContext(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE token_hash = $1 AND used_at = 0 AND expires_at > $2`, tokenHash, toDB(now)))
	return inv, notFound(err, "this link is not valid: it was used already, it has expired, or it was mistyped")
}

// UseInvitation marks an invitation used by an account, once: a second use,
// even by a request racing the first, is ENOTFOUND.
func (s *Store) UseInvitation(ctx context.Context, id, userID int64, now time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE invitations SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at = 0 AND expires_at > $1`,
		toDB(now), userID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("this link is not valid: it was used already or it has expired")
	}
	return nil
}

// Invitations lists the invitations that can still be used, newest first.
func (s *Store) Invitations(ctx context.Context, now time.Time) ([]*news.Invitation, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE used_at = 0 AND expires_at > $1 AND setup = 0 ORDER BY created_at DESC, id DESC`, toDB(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*news.Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// RevokeInvitation makes an invitation unusable by ending it now.
func (s *Store) RevokeInvitation(ctx context.Context, id int64, now time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE invitations SET expires_at = $1 WHERE id = $2 AND used_at = 0`, toDB(now), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("no open invitation %d", id)
	}
	return nil
}

// ClaimSetup uses up every open setup link at once, and succeeds only if
// the link id was among them. On PostgreSQL a second setup racing the
// first waits for its row locks and then finds nothing left to claim.
func (s *Store) ClaimSetup(ctx context.Context, id int64, now time.Time) error {
	rows, err := s.q.QueryContext(ctx, `UPDATE invitations SET used_at = $1 WHERE setup = 1 AND used_at = 0 AND expires_at > $1 RETURNING id`, toDB(now))
	if err != nil {
		return err
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var got int64
		if err := rows.Scan(&got); err != nil {
			return err
		}
		found = found || got == id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !found {
		return news.NotFound("this link is not valid: it was used already or it has expired")
	}
	return nil
}
