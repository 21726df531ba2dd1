package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Notes on stories (migration 0025): the newsroom's own words about a
// story, never published. No query outside the newsroom's reads this
// table: the public site, the API, the feeds and the export read articles
// only.

// AddNote appends a note to an article and fills in its ID and time.
func (s *Store) AddNote(ctx context.Context, n *news.Note) error {
	if n.At.IsZero() {
		n.At = time.Now().UTC()
	}
	if n.Kind == "" {
		n.Kind = news.PlainNote
	}
	var user sql.NullInt64
	if n.UserID != 0 {
		user = sql.NullInt64{Int64: n.UserID, Valid: true}
	}
	err := s.q.QueryRowContext(ctx, `INSERT INTO article_notes (article_id, user_id, kind, text, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, n.ArticleID, user, string(n.Kind), n.Text, toDB(n.At)).Scan(&n.ID)
	return err
}

// Notes lists an article's notes, oldest first (the newest last, as a
// conversation reads).
func (s *Store) Notes(ctx context.Context, articleID int64) ([]news.Note, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT n.id, n.article_id, COALESCE(n.user_id, 0), COALESCE(u.name, ''), n.kind, n.text, n.created_at
		FROM article_notes n LEFT JOIN users u ON u.id = n.user_id WHERE n.article_id = $1 ORDER BY n.id`, articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Note
	for rows.Next() {
		var n news.Note
		var at int64
		if err := rows.Scan(&n.ID, &n.ArticleID, &n.UserID, &n.UserName, &n.Kind, &n.Text, &at); err != nil {
			return nil, err
		}
		n.At = fromDB(at)
		out = append(out, n)
	}
	return out, rows.Err()
}

// LastNote returns an article's newest note of a kind, or ENOTFOUND.
func (s *Store) LastNote(ctx context.Context, articleID int64, kind news.NoteKind) (news.Note, error) {
	var n news.Note
	var at int64
	err := s.q.QueryRowContext(ctx, `SELECT n.id, n.article_id, COALESCE(n.user_id, 0), COALESCE(u.name, ''), n.kind, n.text, n.created_at
		FROM article_notes n LEFT JOIN users u ON u.id = n.user_id WHERE n.article_id = $1 AND n.kind = $2 ORDER BY n.id DESC LIMIT 1`,
		articleID, string(kind)).Scan(&n.ID, &n.ArticleID, &n.UserID, &n.UserName, &n.Kind, &n.Text, &at)
	n.At = fromDB(at)
	return n, notFound(err, "article %d has no note of kind %q", articleID, kind)
}
