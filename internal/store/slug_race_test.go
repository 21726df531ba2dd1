package store_test

import (
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestStoryAndSectionRaceForOneSlug: a story and a subsection saved at
// once with one slug under one section, each in its own transaction, the
// first still open when the second checks: the second is refused once
// the first commits, both ways round, so the pair the rule forbids is
// never made. On PostgreSQL (read committed) each check saw nothing of
// the other's uncommitted row, and both were saved; SQLite's writers take
// turns, so there the second simply comes after. The test waits for the
// second to finish or to wait on a lock, never for a time.
func TestStoryAndSectionRaceForOneSlug(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		raw := storetest.RawDB(t, dsn)
		top, err := s.EnsureSectionPath(ctx, "news")
		if err != nil {
			t.Fatal(err)
		}
		story := func(slug string) func(tx *store.Store) error {
			return func(tx *store.Store) error {
				return tx.SaveArticle(ctx, &news.Article{Headline: "A story", Slug: slug, Section: top, Status: news.Draft,
					Body: "Body.", BodyHTML: "<p>Body.</p>"})
			}
		}
		section := func(slug string) func(tx *store.Store) error {
			return func(tx *store.Store) error {
				return tx.CreateSection(ctx, &news.Section{ParentID: top.ID, Slug: slug, Name: "A section"})
			}
		}
		// second runs while first's transaction is open; first commits
		// once second has finished or waits on a lock.
		race := func(first, second func(tx *store.Store) error) (error, error) {
			written, commit := make(chan struct{}), make(chan struct{})
			firstDone := make(chan error, 1)
			go func() {
				firstDone <- s.InTx(ctx, func(tx *store.Store) error {
					if err := first(tx); err != nil {
						close(written)
						return err
					}
					close(written)
					<-commit
					return nil
				})
			}()
			<-written
			secondDone := make(chan error, 1)
			go func() { secondDone <- s.InTx(ctx, second) }()
			var secondErr error
			finished := false
			if s.Engine() == "postgres" {
				for !finished {
					select {
					case secondErr = <-secondDone:
						finished = true
						continue
					default:
					}
					var waiting int
					if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity
						WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
						t.Fatal(err)
					}
					if waiting > 0 {
						break
					}
				}
			}
			close(commit)
			firstErr := <-firstDone
			if !finished {
				secondErr = <-secondDone
			}
			return firstErr, secondErr
		}

		for _, tt := range []struct {
			name          string
			first, second func(tx *store.Store) error
		}{
			{"a story, then a subsection", story("asia"), section("asia")},
			{"a subsection, then a story", section("europe"), story("europe")},
		} {
			firstErr, secondErr := race(tt.first, tt.second)
			if firstErr != nil {
				t.Fatalf("%s: the first: %v", tt.name, firstErr)
			}
			if news.ErrorCode(secondErr) != news.ECONFLICT {
				t.Errorf("%s, raced: the second got %v, want a conflict on the slug", tt.name, secondErr)
			}
		}
		var pairs int
		if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles a JOIN sections c ON c.parent_id = a.section_id AND c.slug = a.slug`).Scan(&pairs); err != nil {
			t.Fatal(err)
		}
		if pairs != 0 {
			t.Errorf("%d story and subsection pairs at one address after the races, want none", pairs)
		}
	})
}
