package store

import (
	"context"
	"time"
)

// recordChange appends to the change log. Every write that alters what the
// public sees calls it in the same transaction, so a reader of the log never
// learns of a change before it is committed.
func (s *Store) recordChange(ctx context.Context, what string) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO changes (at, what) VALUES ($1, $2)`, toDB(time.Now()), what)
	return err
}

// LastChange returns the id of the newest change: when it moves, something
// public changed (through this process or any other on the same database).
func (s *Store) LastChange(ctx context.Context) (int64, error) {
	var id int64
	err := s.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM changes`).Scan(&id)
	return id, err
}
