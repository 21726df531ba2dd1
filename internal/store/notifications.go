package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The newsroom's notifications (migration 0025): what concerns one
// account. The newsroom service writes them in the transaction of the
// change they tell of (newsroom.Notify), with the email, if any.

// AddNotification stores a notification for n.UserID and fills in its ID
// and time.
func (s *Store) AddNotification(ctx context.Context, n *news.Notification) error {
	if n.UserID == 0 {
		return news.Invalid("user", "a notification needs the account it is for")
	}
	if n.At.IsZero() {
		n.At = time.Now().UTC()
	}
	var art sql.NullInt64
	if n.ArticleID != 0 {
		art = sql.NullInt64{Int64: n.ArticleID, Valid: true}
	}
	return s.q.QueryRowContext(ctx, `INSERT INTO notifications (user_id, kind, article_id, text, created_at, read_at)
		VALUES ($1, $2, $3, $4, $5, 0) RETURNING id`, n.UserID, string(n.Kind), art, n.Text, toDB(n.At)).Scan(&n.ID)
}

// Notifications lists an account's notifications, newest first, at most
// limit (default 50, at most 200), with each story's headline.
func (s *Store) Notifications(ctx context.Context, userID int64, limit int) ([]news.Notification, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.q.QueryContext(ctx, `SELECT n.id, n.user_id, n.kind, COALESCE(n.article_id, 0), COALESCE(a.headline, ''), n.text, n.created_at, n.read_at
		FROM notifications n LEFT JOIN articles a ON a.id = n.article_id WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2`,
		userID, min(limit, 200))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Notification
	for rows.Next() {
		var n news.Notification
		var at, read int64
		if err := rows.Scan(&n.ID, &n.UserID, &n.Kind, &n.ArticleID, &n.Headline, &n.Text, &at, &read); err != nil {
			return nil, err
		}
		n.At = fromDB(at)
		if read != 0 {
			n.ReadAt = fromDB(read)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadNotifications counts an account's unread notifications.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at = 0`, userID).Scan(&n)
	return n, err
}

// MarkNotificationsRead marks an account's notifications read: the one
// with id, or all of them when id is 0. Another account's are never
// touched.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID, id int64, at time.Time) error {
	q, args := `UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at = 0`, []any{toDB(at), userID}
	if id != 0 {
		q += ` AND id = $3`
		args = append(args, id)
	}
	_, err := s.q.ExecContext(ctx, q, args...)
	return err
}
