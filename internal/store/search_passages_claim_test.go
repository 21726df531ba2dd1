package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestPassagesFillSharedOnPostgres: an instance filling passages at start
// passes over the articles another instance is filling (rows it holds
// locked) and fills the rest, instead of waiting on them to make their
// passages a second time. The other instance is a transaction holding the
// oldest article's row.
func TestPassagesFillSharedOnPostgres(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		if t.Name() != "TestPassagesFillSharedOnPostgres/postgres" {
			t.Skip("SQLite has one writer at a time: nothing to share")
		}
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		held := saveStory(t, s, story{headline: "Harbour storm", body: "Storm over the *harbour*."})
		other := saveStory(t, s, story{headline: "Harbour reopens", body: "The harbour reopened."})
		s.Close()
		raw := storetest.RawDB(t, dsn)
		if _, err := raw.ExecContext(ctx, `UPDATE articles SET body_passages = NULL`); err != nil {
			t.Fatal(err)
		}
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `SELECT id FROM articles WHERE id = $1 FOR UPDATE`, held.ID); err != nil {
			t.Fatal(err)
		}

		octx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		s, err = store.Open(octx, dsn)
		if err != nil {
			t.Fatalf("open while another instance fills an article: %v", err)
		}
		defer s.Close()
		for id, want := range map[int64]bool{held.ID: false, other.ID: true} {
			var filled bool
			if err := raw.QueryRowContext(ctx, `SELECT body_passages IS NOT NULL FROM articles WHERE id = $1`, id).Scan(&filled); err != nil {
				t.Fatal(err)
			}
			if filled != want {
				t.Errorf("article %d: passages filled %v, want %v", id, filled, want)
			}
		}
	})
}
