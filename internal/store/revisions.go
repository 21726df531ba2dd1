package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// addRevision appends a revision with the article's next number and fills
// in its ID and Number. Conflict revisions take numbers too, so every text
// anyone saved can be named, shown and restored.
func (s *Store) addRevision(ctx context.Context, r *news.Revision) error {
	data, err := json.Marshal(r.Content)
	if err != nil {
		return err
	}
	if r.At.IsZero() {
		r.At = time.Now().UTC()
	}
	if err := s.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM revisions WHERE article_id = $1`, r.ArticleID).Scan(&r.Number); err != nil {
		return err
	}
	var user sql.NullInt64
	if r.UserID != 0 {
		user = sql.NullInt64{Int64: r.UserID, Valid: true}
	}
	err = s.q.QueryRowContext(ctx, `INSERT INTO revisions (article_id, number, user_id, created_at, kind, base, note, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		r.ArticleID, r.Number, user, toDB(r.At), string(r.Kind), r.Base, r.Note, string(data)).Scan(&r.ID)
	if isUniqueViolation(err) {
		return news.Errorf(news.ECONFLICT, "someone saved this article at the same moment; save again")
	}
	return err
}

const revisionSelect = `SELECT r.id, r.article_id, r.number, COALESCE(r.user_id, 0), COALESCE(u.name, ''), r.created_at, r.kind, r.base, r.note`

func scanRevision(row interface{ Scan(...any) error }, withData bool) (*news.Revision, error) {
	r := &news.Revision{}
	var at int64
	var data string
	dest := []any{&r.ID, &r.ArticleID, &r.Number, &r.UserID, &r.UserName, &at, &r.Kind, &r.Base, &r.Note}
	if withData {
		dest = append(dest, &data)
	}
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	r.At = fromDB(at)
	if withData {
		if err := json.Unmarshal([]byte(data), &r.Content); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Revisions lists an article's revisions, newest first, without their text.
func (s *Store) Revisions(ctx context.Context, articleID int64) ([]*news.Revision, error) {
	rows, err := s.q.QueryContext(ctx, revisionSelect+` FROM revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.article_id = $1 ORDER BY r.number DESC`, articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*news.Revision
	for rows.Next() {
		r, err := scanRevision(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Revision returns one revision of an article, with its text.
func (s *Store) Revision(ctx context.Context, articleID int64, number int) (*news.Revision, error) {
	r, err := scanRevision(s.q.QueryRowContext(ctx, revisionSelect+`, r.data FROM revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.article_id = $1 AND r.number = $2`, articleID, number), true)
	return r, notFound(err, "article %d has no revision %d", articleID, number)
}

// SaveAutosave keeps what a writer's editor sent, replacing their previous
// autosave of the same article.
func (s *Store) SaveAutosave(ctx context.Context, a *news.Autosave) error {
	data, err := json.Marshal(a.Content)
	if err != nil {
		return err
	}
	if a.At.IsZero() {
		a.At = time.Now().UTC()
	}
	_, err = s.q.ExecContext(ctx, `INSERT INTO autosaves (user_id, article_id, saved_at, base, data) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id, article_id) DO UPDATE SET saved_at = excluded.saved_at, base = excluded.base, data = excluded.data`,
		a.UserID, a.ArticleID, toDB(a.At), a.Base, string(data))
	return err
}

// Autosave returns a writer's autosave of an article (0: of a new story).
func (s *Store) Autosave(ctx context.Context, userID, articleID int64) (*news.Autosave, error) {
	a := &news.Autosave{UserID: userID, ArticleID: articleID}
	var at int64
	var data string
	err := s.q.QueryRowContext(ctx, `SELECT saved_at, base, data FROM autosaves WHERE user_id = $1 AND article_id = $2`,
		userID, articleID).Scan(&at, &a.Base, &data)
	if err != nil {
		return nil, notFound(err, "no autosave")
	}
	a.At = fromDB(at)
	return a, json.Unmarshal([]byte(data), &a.Content)
}

// DeleteAutosave discards a writer's autosave of an article.
func (s *Store) DeleteAutosave(ctx context.Context, userID, articleID int64) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM autosaves WHERE user_id = $1 AND article_id = $2`, userID, articleID)
	return err
}
