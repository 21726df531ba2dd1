package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Settings returns every stored setting, by key. Keys absent from the map
// take the defaults their users define.
func (s *Store) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SetSetting stores one setting, replacing its old value, and records a
// change so every instance picks it up.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	// One transaction (or the caller's): the setting, the change and the
	// webhook it announces are stored together.
	return s.InTx(ctx, func(tx *Store) error {
		// An alternate address's change is announced to webhooks: the
		// value before, to tell a change from the same value stored again.
		old, err := tx.settingBefore(ctx, key)
		if err != nil {
			return err
		}
		_, err = tx.q.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			key, value, toDB(time.Now()))
		if err != nil {
			return err
		}
		// Settings (the name, the language, the logo...) are on every page
		// and feed.
		if err := tx.recordChange(ctx, news.KeySite); err != nil {
			return err
		}
		return tx.queueAddressesEvent(ctx, key, old, value)
	})
}
