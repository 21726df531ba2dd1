package store

import "context"

// DeleteArticleRow deletes an article's row as any future code path might
// (the newsroom's delete comes later), so tests can check that the search
// index follows a delete made without the store's help.
func (s *Store) DeleteArticleRow(ctx context.Context, id int64) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM articles WHERE id = $1`, id)
	return err
}
