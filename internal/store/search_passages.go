package store

import (
	"context"
	"fmt"

	"github.com/newsdesk/newsdesk/internal/search"
)

// passagesVersion is the migration that adds articles.body_passages.
const passagesVersion = 11

// fillPassages stores the passages (search.Passages) of the articles that
// have none: those saved before migration 0011, or, while instances of an
// older version run beside this one, by them. A few hundred articles a
// transaction, so that a large archive does not hold one transaction open
// for the whole of it (at 100,000 articles it takes tens of seconds, once),
// and an interrupted fill goes on where it stopped at the next start.
//
// On PostgreSQL, instances starting together share the work: each claims
// its batch (FOR UPDATE SKIP LOCKED) in the transaction that fills it, and
// passes over the rows another holds (each filled one batch after another,
// and both made every article's passages, the second waiting on the
// first's locks). SQLite has one writer at a time; there the batch is read
// before its write transaction, which a read upgraded to a write would
// make fail when another process writes first.
func (s *Store) fillPassages(ctx context.Context) error {
	const batch = 500
	type row struct {
		id   int64
		body string
	}
	read := func(q querier, last int64) ([]row, error) {
		query := `SELECT id, body FROM articles
			WHERE body_passages IS NULL AND id > $1 ORDER BY id LIMIT $2`
		if s.dialect.name == "postgres" {
			query += ` FOR UPDATE SKIP LOCKED`
		}
		rows, err := q.QueryContext(ctx, query, last, batch)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var list []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.body); err != nil {
				return nil, err
			}
			list = append(list, r)
		}
		return list, rows.Err()
	}
	claim := s.dialect.name == "postgres"
	last := int64(0)
	for {
		var list []row
		var err error
		if !claim {
			if list, err = read(s.q, last); err != nil {
				return fmt.Errorf("store: passages: %w", err)
			}
			if len(list) == 0 {
				return nil
			}
		}
		err = s.InTx(ctx, func(tx *Store) error {
			if claim {
				if list, err = read(tx.q, last); err != nil {
					return err
				}
			}
			for _, r := range list {
				if _, err := tx.q.ExecContext(ctx, `UPDATE articles SET body_passages = $1
					WHERE id = $2 AND body_passages IS NULL`, search.Passages(r.body), r.id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: passages: %w", err)
		}
		if len(list) == 0 {
			return nil
		}
		last = list[len(list)-1].id
	}
}
