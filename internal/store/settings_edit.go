package store

import (
	"context"
	"time"
)

// SetSettings stores several settings in one transaction: a form that
// changes three of them changes all three or none.
func (s *Store) SetSettings(ctx context.Context, values map[string]string) error {
	return s.InTx(ctx, func(tx *Store) error {
		for k, v := range values {
			if err := tx.SetSetting(ctx, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// SettingsChanged returns when any of the given settings was last stored,
// and the zero time when none of them ever was.
func (s *Store) SettingsChanged(ctx context.Context, keys ...string) (time.Time, error) {
	if len(keys) == 0 {
		return time.Time{}, nil
	}
	query := `SELECT COALESCE(MAX(updated_at), 0) FROM settings WHERE key IN (`
	args := make([]any, len(keys))
	for i, k := range keys {
		if i > 0 {
			query += ", "
		}
		query += "$" + itoa64(int64(i+1))
		args[i] = k
	}
	var at int64
	if err := s.q.QueryRowContext(ctx, query+`)`, args...).Scan(&at); err != nil {
		return time.Time{}, err
	}
	if at == 0 {
		return time.Time{}, nil
	}
	return fromDB(at), nil
}
