package api_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestChangeRacingPublication: a change made with write:articles alone,
// checked against a story in review, must not land on the story if an
// editor publishes it while the change waits for the article's row: the
// token would have changed a public story without the publish scope. On
// PostgreSQL (read committed) the API's first read does not wait for the
// publishing transaction, the save does; SQLite serialises writers, so the
// race cannot happen there.
func TestChangeRacingPublication(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		if !store.IsPostgres(dsn) {
			t.Skip("SQLite serialises writers: no transaction reads a status another is changing")
		}
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		f := newWriteFixture(t, s, api.Limits{})
		e := f.story(news.Editor, "Waiting for the desk", news.Review)
		writer, _ := f.token(news.Editor, "writer-only", time.Time{}, news.ScopeWriteArticles)

		// An editor's publication, holding the article's row until the
		// change below is waiting for it.
		raw := storetest.RawDB(t, dsn)
		pub, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer pub.Rollback()
		if _, err := pub.ExecContext(ctx, `UPDATE articles SET status = 'published', published_at = $1 WHERE id = $2`,
			time.Now().UnixMicro(), e.Article.ID); err != nil {
			t.Fatal(err)
		}

		type answer struct {
			status int
			body   string
			err    error
		}
		done := make(chan answer, 1)
		go func() {
			req, _ := http.NewRequestWithContext(context.Background(), "PATCH", f.srv.URL+"/api/v1/articles/"+itoa(int(e.Article.ID)),
				strings.NewReader(`{"summary":"Changed by a tool that may not publish."}`))
			req.Header.Set("Authorization", "Bearer "+writer)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("If-Match", ifMatch(e)[1])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				done <- answer{err: err}
				return
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			done <- answer{status: res.StatusCode, body: string(b)}
		}()

		// Wait until the change waits for the row (a session of this test's
		// own database waiting for a lock), then publish.
		deadline := time.Now().Add(20 * time.Second)
		for {
			var n int
			if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
				WHERE wait_event_type = 'Lock' AND datname = current_database()`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				break
			}
			select {
			case a := <-done:
				t.Fatalf("the change did not wait for the publication's row: %d %s %v", a.status, a.body, a.err)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatal("the change never waited for the article's row")
			}
			time.Sleep(5 * time.Millisecond)
		}
		if err := pub.Commit(); err != nil {
			t.Fatal(err)
		}
		a := <-done
		if a.err != nil {
			t.Fatal(a.err)
		}
		if a.status != http.StatusConflict {
			t.Errorf("a write:articles token changing a story published meanwhile: %d %s, want 409", a.status, a.body)
		}
		got, err := s.Editorial(ctx, e.Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Article.Status != news.Published || got.Article.Summary != e.Article.Summary || got.Revision != e.Revision {
			t.Errorf("after the refused change: %s, revision %d (was %d), summary %q (was %q)",
				got.Article.Status, got.Revision, e.Revision, got.Article.Summary, e.Article.Summary)
		}
	})
}

// TestIfMatchRacingASave: a correction or a workflow step sent with
// If-Match at the current revision must not land if a save of another
// revision commits while it waits for the article's row: the correction
// was written against words that have changed, the publication approved a
// text that is no longer the one published. On PostgreSQL the step's first
// read does not wait for the saving transaction, its write does; SQLite
// serialises writers, so the race cannot happen there.
func TestIfMatchRacingASave(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		if !store.IsPostgres(dsn) {
			t.Skip("SQLite serialises writers: no transaction reads a revision another is changing")
		}
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		f := newWriteFixture(t, s, api.Limits{})
		editor, _ := f.token(news.Editor, "racing-editor", time.Time{}, news.ScopeWriteArticles, news.ScopePublish)
		raw := storetest.RawDB(t, dsn)
		for _, tt := range []struct {
			what, path, body string
			status           news.Status
		}{
			{"a correction", "/corrections", `{"text":"The pier is in the north."}`, news.Published},
			{"a publication", "/publish", ``, news.Review},
		} {
			e := f.story(news.Editor, "Pier reopens "+tt.path, tt.status)
			before, _ := s.Editorial(ctx, e.Article.ID)
			// Another writer's save, holding the article's row until the
			// step below is waiting for it.
			save, err := raw.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := save.ExecContext(ctx, `UPDATE articles SET revision = revision + 1, summary = 'Reworded meanwhile.' WHERE id = $1`,
				e.Article.ID); err != nil {
				t.Fatal(err)
			}
			type answer struct {
				status int
				body   string
				err    error
			}
			done := make(chan answer, 1)
			go func() {
				req, _ := http.NewRequestWithContext(context.Background(), "POST", f.srv.URL+"/api/v1/articles/"+itoa(int(e.Article.ID))+tt.path,
					strings.NewReader(tt.body))
				req.Header.Set("Authorization", "Bearer "+editor)
				if tt.body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				req.Header.Set("If-Match", ifMatch(e)[1])
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					done <- answer{err: err}
					return
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				done <- answer{status: res.StatusCode, body: string(b)}
			}()
			deadline := time.Now().Add(20 * time.Second)
			for waiting := false; !waiting; {
				var n int
				if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
					WHERE wait_event_type = 'Lock' AND datname = current_database()`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				waiting = n > 0
				select {
				case a := <-done:
					save.Rollback()
					t.Fatalf("%s did not wait for the save's row: %d %s %v", tt.what, a.status, a.body, a.err)
				default:
				}
				if time.Now().After(deadline) {
					save.Rollback()
					t.Fatalf("%s never waited for the article's row", tt.what)
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := save.Commit(); err != nil {
				t.Fatal(err)
			}
			a := <-done
			if a.err != nil {
				t.Fatal(a.err)
			}
			if a.status != http.StatusPreconditionFailed {
				t.Errorf("%s at a revision a save left meanwhile: %d %s, want 412", tt.what, a.status, a.body)
			}
			got, err := s.Editorial(ctx, e.Article.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Article.Status != before.Article.Status || len(got.Article.Corrections) != len(before.Article.Corrections) {
				t.Errorf("after %s refused: %s with %d corrections, was %s with %d", tt.what,
					got.Article.Status, len(got.Article.Corrections), before.Article.Status, len(before.Article.Corrections))
			}
		}
	})
}
