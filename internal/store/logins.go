package store

import (
	"context"
	"time"
)

// RecordLoginFailure notes a failed login under a throttle key, and drops
// that key's failures older than a day so the table stays small.
func (s *Store) RecordLoginFailure(ctx context.Context, key string, at time.Time) error {
	if _, err := s.q.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES ($1, $2)`, key, toDB(at)); err != nil {
		return err
	}
	_, err := s.q.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1 AND at < $2`, key, toDB(at.Add(-24*time.Hour)))
	return err
}

// CountLoginFailures counts each key's failures since a time.
func (s *Store) CountLoginFailures(ctx context.Context, keys []string, since time.Time) (map[string]int, error) {
	out := map[string]int{}
	if len(keys) == 0 {
		return out, nil
	}
	in, args := inList(2, keys)
	rows, err := s.q.QueryContext(ctx, `SELECT key, COUNT(*) FROM login_failures WHERE at > $1 AND key IN (`+in+`) GROUP BY key`,
		append([]any{toDB(since)}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// ClearLoginFailures forgets a key's failures.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
	return err
}
