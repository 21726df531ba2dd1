package store

import (
	"context"
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
