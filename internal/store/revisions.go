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

// SaveAutosave keeps what a writer's editor page sent, replacing that
// page's previous autosave (the same token) unless it is newer (a higher
// Seq: autosaves may arrive out of order). An autosave of a page whose text
// was saved since (CloseAutosave) is refused with ECONFLICT: it can only be
// the same text arriving late.
func (s *Store) SaveAutosave(ctx context.Context, a *news.Autosave) error {
	if a.Token == "" {
		return news.Invalid("draft", "an autosave needs its page's draft token")
	}
	data, err := json.Marshal(a.Content)
	if err != nil {
		return err
	}
	if a.At.IsZero() {
		a.At = time.Now().UTC()
	}
	// One statement, so a save's CloseAutosave cannot slip in between a
	// check and the write: the upsert does nothing to a closed row.
	res, err := s.q.ExecContext(ctx, `INSERT INTO autosaves (user_id, article_id, token, seq, saved_at, base, data, closed)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 0)
		ON CONFLICT (user_id, article_id, token) DO UPDATE SET seq = excluded.seq, saved_at = excluded.saved_at, base = excluded.base, data = excluded.data
		WHERE autosaves.closed = 0 AND autosaves.seq < excluded.seq`,
		a.UserID, a.ArticleID, a.Token, a.Seq, toDB(a.At), a.Base, string(data))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	var closed int
	err = s.q.QueryRowContext(ctx, `SELECT closed FROM autosaves WHERE user_id = $1 AND article_id = $2 AND token = $3`,
		a.UserID, a.ArticleID, a.Token).Scan(&closed)
	if err != nil {
		return err
	}
	if closed != 0 {
		return news.Errorf(news.ECONFLICT, "this page's text was saved already; an autosave sent before the save is not kept")
	}
	return nil // a newer autosave of the page is kept already
}

const autosaveSelect = `SELECT token, seq, saved_at, base, data FROM autosaves`

func (s *Store) scanAutosave(row *sql.Row, userID, articleID int64) (*news.Autosave, error) {
	a := &news.Autosave{UserID: userID, ArticleID: articleID}
	var at int64
	var data string
	if err := row.Scan(&a.Token, &a.Seq, &at, &a.Base, &data); err != nil {
		return nil, notFound(err, "no autosave")
	}
	a.At = fromDB(at)
	return a, json.Unmarshal([]byte(data), &a.Content)
}

// Autosave returns a writer's autosave of an article (0: of a new story)
// made by the editor page with the given draft token.
func (s *Store) Autosave(ctx context.Context, userID, articleID int64, token string) (*news.Autosave, error) {
	return s.scanAutosave(s.q.QueryRowContext(ctx, autosaveSelect+` WHERE user_id = $1 AND article_id = $2 AND token = $3 AND closed = 0`,
		userID, articleID, token), userID, articleID)
}

// LatestAutosave returns a writer's newest autosave of an article (0: of a
// new story, any of them) that no save has closed.
func (s *Store) LatestAutosave(ctx context.Context, userID, articleID int64) (*news.Autosave, error) {
	return s.scanAutosave(s.q.QueryRowContext(ctx, autosaveSelect+` WHERE user_id = $1 AND article_id = $2 AND closed = 0
		ORDER BY saved_at DESC, seq DESC LIMIT 1`, userID, articleID), userID, articleID)
}

// DeleteAutosave discards a writer's autosave of an article made by one
// editor page.
func (s *Store) DeleteAutosave(ctx context.Context, userID, articleID int64, token string) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM autosaves WHERE user_id = $1 AND article_id = $2 AND token = $3`, userID, articleID, token)
	return err
}

// closedKept is how long a closed token is remembered: far longer than an
// autosave takes to arrive.
const closedKept = 24 * time.Hour

// CloseAutosave records, in a save's transaction, that the editor page
// with the draft token had its text saved at at (as article articleID, 0
// for a new story). Its autosaves are dropped and any that arrive later
// are refused. Of an article (not a new story), the writer's autosaves from
// other pages older than the save are dropped too: the save supersedes
// them, and the page saved from had offered them back. A new story's other
// drafts are other stories, and stay.
func (s *Store) CloseAutosave(ctx context.Context, userID, articleID int64, token string, at time.Time) error {
	if token != "" {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO autosaves (user_id, article_id, token, seq, saved_at, base, data, closed)
			VALUES ($1, $2, $3, 0, $4, 0, '', 1)
			ON CONFLICT (user_id, article_id, token) DO UPDATE SET closed = 1, data = '', saved_at = excluded.saved_at`,
			userID, articleID, token, toDB(at)); err != nil {
			return err
		}
	}
	if articleID != 0 {
		if _, err := s.q.ExecContext(ctx, `DELETE FROM autosaves WHERE user_id = $1 AND article_id = $2 AND closed = 0 AND saved_at <= $3`,
			userID, articleID, toDB(at)); err != nil {
			return err
		}
	}
	_, err := s.q.ExecContext(ctx, `DELETE FROM autosaves WHERE user_id = $1 AND closed = 1 AND saved_at < $2`, userID, toDB(at.Add(-closedKept)))
	return err
}
