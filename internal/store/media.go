package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// SaveMedia records a stored file, once per content hash: saving the same
// hash again returns the existing record. m.Framing is not stored (see
// SetPhotoFraming).
func (s *Store) SaveMedia(ctx context.Context, m *news.Media) error {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now().UTC()
	}
	err := s.q.QueryRowContext(ctx, `SELECT id FROM media WHERE hash = $1`, m.Hash).Scan(&m.ID)
	if err == nil {
		return nil
	}
	if err = notFound(err, ""); news.ErrorCode(err) != news.ENOTFOUND {
		return err
	}
	// A new record is framed from the centre: its framing is an editor's
	// to set (SetPhotoFraming), never the file's.
	return s.q.QueryRowContext(ctx, `INSERT INTO media (hash, type, size, width, height, name, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		m.Hash, m.Type, m.Size, m.Width, m.Height, m.Name, toDB(m.CreatedAt)).Scan(&m.ID)
}
