package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// SettingsAt returns every stored setting, by key, and when each was last
// stored: what Settings and SettingsChanged say, in one query. The public
// site reads the settings again after every change it learns of, and
// two queries there were a tenth of a cold article page.
func (s *Store) SettingsAt(ctx context.Context) (map[string]string, map[string]time.Time, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT key, value, updated_at FROM settings`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	values, times := map[string]string{}, map[string]time.Time{}
	for rows.Next() {
		var k, v string
		var at int64
		if err := rows.Scan(&k, &v, &at); err != nil {
			return nil, nil, err
		}
		values[k] = v
		if at != 0 {
			times[k] = fromDB(at)
		}
	}
	return values, times, rows.Err()
}

// Setting returns one stored setting, and "" when it was never stored. The
// newsroom reads the time zone so on every page it renders: one small
// query keeps every instance in the zone another one set.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}
