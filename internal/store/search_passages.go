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
// for the whole of it (at 100,000 articles it takes tens of seconds, once).
func (s *Store) fillPassages(ctx context.Context) error {
	const batch = 500
	last := int64(0)
	for {
		type row struct {
			id   int64
			body string
		}
		var list []row
		rows, err := s.q.QueryContext(ctx, `SELECT id, body FROM articles
			WHERE body_passages IS NULL AND id > $1 ORDER BY id LIMIT $2`, last, batch)
		if err != nil {
			return fmt.Errorf("store: passages: %w", err)
		}
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.body); err != nil {
				rows.Close()
				return fmt.Errorf("store: passages: %w", err)
			}
			list = append(list, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: passages: %w", err)
		}
		if len(list) == 0 {
			return nil
		}
		err = s.InTx(ctx, func(tx *Store) error {
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
		last = list[len(list)-1].id
	}
}
