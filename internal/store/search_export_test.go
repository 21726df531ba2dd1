package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/search"
)

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

// WalkFirstAlways makes PostgreSQL try the walk over the newest stories
// first for every query until the returned function is called, so tests
// check the walk and the GIN index on small archives, whose words are never
// common enough for the walk to be chosen.
func WalkFirstAlways() (restore func()) {
	pgWalkAlways = true
	return func() { pgWalkAlways = false }
}

// WalkFirst reports whether PostgreSQL would walk the newest stories first
// for a query, from the words' frequencies in pg_stats.
func (s *Store) WalkFirst(ctx context.Context, q search.Query) (bool, error) {
	pgStats.Delete(s.db) // read the statistics afresh
	pl, err := s.pgPlan(ctx, q)
	return pl.walk, err
}

// WindowFirst reports whether PostgreSQL would try a window of the newest
// stories before the GIN index over the whole archive for a query, from
// the words' frequencies in pg_stats and the rate of publication.
func (s *Store) WindowFirst(ctx context.Context, q search.Query) (bool, error) {
	pgStats.Delete(s.db) // read the statistics afresh
	pl, err := s.pgPlan(ctx, q)
	return pl.span > 0, err
}

// WindowAlways makes PostgreSQL try a window of span (then one
// pgWindowWiden times as long) before the GIN index over the whole archive
// for every query until the returned function is called, so tests check
// each way on small archives.
func WindowAlways(span time.Duration) (restore func()) {
	pgWindowAlways = span
	return func() { pgWindowAlways = 0 }
}

// ChangeRows runs a statement on the change log as another writer's
// transaction would leave it, so tests can make a change commit after a
// newer one.
func (s *Store) ChangeRows(ctx context.Context, query string, args ...any) error {
	_, err := s.q.ExecContext(ctx, query, args...)
	return err
}
