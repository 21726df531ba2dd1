package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Preview links (migration 0014): a draft shown to someone without an
// account. The token itself is never stored; callers pass its hash
// (auth.HashToken), so finding a link is an index lookup on a hash, and
// nothing about the token leaks through how long a comparison takes.

// CreatePreviewLink stores a new link to an article under the hash of its
// token and fills in its ID.
func (s *Store) CreatePreviewLink(ctx context.Context, tokenHash string, l *news.PreviewLink) error {
	if l.CreatedAt.IsZero() {
		l.CreatedAt = time.Now().UTC()
	}
	var by sql.NullInt64
	if l.CreatedBy != 0 {
		by = sql.NullInt64{Int64: l.CreatedBy, Valid: true}
	}
	return s.q.QueryRowContext(ctx, `INSERT INTO preview_links (token_hash, article_id, note, created_by, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		tokenHash, l.ArticleID, l.Note, by, toDB(l.CreatedAt), toDB(l.ExpiresAt)).Scan(&l.ID)
}

const previewLinkColumns = `p.id, p.article_id, p.note, COALESCE(p.created_by, 0), COALESCE(u.name, ''), p.created_at, p.expires_at,
	p.revoked_at, COALESCE(p.revoked_by, 0), p.uses, p.last_used_at`

const previewLinkFrom = ` FROM preview_links p LEFT JOIN users u ON u.id = p.created_by`

func scanPreviewLink(row interface{ Scan(...any) error }) (*news.PreviewLink, error) {
	l := &news.PreviewLink{}
	var created, expires, revoked, used int64
	if err := row.Scan(&l.ID, &l.ArticleID, &l.Note, &l.CreatedBy, &l.CreatorName, &created, &expires,
		&revoked, &l.RevokedBy, &l.Uses, &used); err != nil {
		return nil, err
	}
	l.CreatedAt, l.ExpiresAt, l.RevokedAt, l.LastUsedAt = fromDB(created), fromDB(expires), fromDB(revoked), fromDB(used)
	return l, nil
}

// PreviewLinkByToken returns the link stored under a token's hash, whether
// it is still open or not (the caller says "expired" or "revoked" rather
// than "not found"; see news.PreviewLink.State).
func (s *Store) PreviewLinkByToken(ctx context.Context, tokenHash string) (*news.PreviewLink, error) {
	l, err := scanPreviewLink(s.q.QueryRowContext(ctx, `SELECT `+previewLinkColumns+previewLinkFrom+` WHERE p.token_hash = $1`, tokenHash))
	return l, notFound(err, "there is no such preview link: check that the whole address was copied")
}

// PreviewLinks lists an article's links, newest first, open or not.
func (s *Store) PreviewLinks(ctx context.Context, articleID int64) ([]*news.PreviewLink, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+previewLinkColumns+previewLinkFrom+`
		WHERE p.article_id = $1 ORDER BY p.created_at DESC, p.id DESC`, articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*news.PreviewLink
	for rows.Next() {
		l, err := scanPreviewLink(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// UsePreviewLink counts one opening of a link, at now. Only the count and
// the time are kept: nothing about who opened it.
func (s *Store) UsePreviewLink(ctx context.Context, id int64, now time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE preview_links SET uses = uses + 1, last_used_at = $1 WHERE id = $2`, toDB(now), id)
	return err
}

// RevokePreviewLink ends an article's link now, once: a link that is not
// the article's, or is revoked already, is ENOTFOUND. An expired link can
// still be revoked, so the list shows who ended it.
func (s *Store) RevokePreviewLink(ctx context.Context, articleID, id, userID int64, now time.Time) error {
	var by sql.NullInt64
	if userID != 0 {
		by = sql.NullInt64{Int64: userID, Valid: true}
	}
	res, err := s.q.ExecContext(ctx, `UPDATE preview_links SET revoked_at = $1, revoked_by = $2
		WHERE id = $3 AND article_id = $4 AND revoked_at = 0`, toDB(now), by, id, articleID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("no preview link %d of article %d that is not revoked already", id, articleID)
	}
	return nil
}
