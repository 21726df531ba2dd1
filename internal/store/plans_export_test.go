package store

import (
	"context"
)

// The queries of the lists, for the plan tests of package store_test
// (plans_postgres_test.go), which read the plans of the statements the
// store runs.

// PublishedQuery is what PublishedArticles adds to the article query.
func PublishedQuery(f ArticleFilter) (string, []any) { return publishedWhere(f) }

// APIQuery is what APIArticles adds to the article query.
func APIQuery(f APIFilter) (string, []any) { return apiWhere(f) }

// ExplainArticles returns PostgreSQL's plan of the article query with
// where, one line a row, with sequential scans off: a test database is too
// small for the planner to prefer an index to reading the table, and the
// plan tests ask which index, searched how.
func (s *Store) ExplainArticles(ctx context.Context, where string, args ...any) ([]string, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
		return nil, err
	}
	// The connection goes back to the pool: leave it as it was.
	defer conn.ExecContext(context.WithoutCancel(ctx), `RESET enable_seqscan`)
	rows, err := conn.QueryContext(ctx, "EXPLAIN "+articleSelect+articleFrom+" "+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		plan = append(plan, line)
	}
	return plan, rows.Err()
}
