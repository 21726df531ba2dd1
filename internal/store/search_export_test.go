package store

import "context"

// DeleteArticleRow deletes an article's row as any future code path might
// (the newsroom's delete comes later), so tests can check that the search
// index follows a delete made without the store's help.
func (s *Store) DeleteArticleRow(ctx context.Context, id int64) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM articles WHERE id = $1`, id)
	return err
}

// RankAllWordsAsCommon makes SQLite rank every query as one with a common
// word (by where it matches, not bm25) until the returned function is
// called, so tests can check both ways of ranking on small archives.
func RankAllWordsAsCommon() (restore func()) {
	old := commonWord
	commonWord = -1
	return func() {
		commonWord = old
		commonWords.Clear()
	}
}
