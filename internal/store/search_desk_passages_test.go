package store_test

import (
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSearchDeskPassages: the newsroom's search hands back each hit's
// stored passages, for a snippet that parses no Markdown (the newsroom's
// search parsed every hit's body, hostile ones included), and makes them
// from the body for an article whose passages are not stored yet.
func TestSearchDeskPassages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stored := saveStory(t, s, story{headline: "Ferry crossings resume", body: hostileBody()})
		unfilled := saveStory(t, s, story{headline: "Ferry timetable", body: "The *ferry* leaves at [nine](/t)."})
		raw := storetest.RawDB(t, dsn)
		// Marked, to tell the stored passages from ones made again.
		if _, err := raw.ExecContext(ctx, `UPDATE articles SET body_passages = 'stored ferry passages' WHERE id = $1`, stored.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.ExecContext(ctx, `UPDATE articles SET body_passages = NULL WHERE id = $1`, unfilled.ID); err != nil {
			t.Fatal(err)
		}
		res, err := s.SearchDesk(ctx, store.DeskSearchOptions{Query: search.Parse("ferry"), Scope: news.EveryArticle(), Now: searchDay})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 2 {
			t.Fatalf("%d hits, want 2", len(res.Hits))
		}
		want := map[int64]string{stored.ID: "stored ferry passages", unfilled.ID: "The ferry leaves at nine."}
		for id, w := range want {
			if got, ok := res.Passages[id]; !ok || got != w {
				t.Errorf("article %d: passages %q (%v), want %q", id, got, ok, w)
			}
		}
	})
}
