package store_test

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// hostileBody is a story that looks ordinary but hides, in a photo's alt
// text, Markdown that took goldmark time growing with the square of its
// length (issue 14): 27-54 s of CPU per search that matched it, when
// snippets parsed bodies.
func hostileBody() string {
	return "The ferry resumed its crossings on Monday after the storm. " +
		"![" + strings.Repeat("*a_", 60000) + "](/media/ferry.jpg)\n\n" +
		"Passengers said the crossing was calm."
}

// TestSearchHitsCarryPassages: a result has its body's passages, as saved
// by SaveArticle and InsertArticles, not its body.
func TestSearchHitsCarryPassages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		saved := saveStory(t, s, story{headline: "Ferry crossings resume", body: hostileBody()})
		err = s.InTx(ctx, func(tx *store.Store) error {
			sec, err := tx.EnsureSectionPath(ctx, "news/world")
			if err != nil {
				return err
			}
			return tx.InsertArticles(ctx, []*news.Article{{Headline: "Ferry timetable", Slug: "ferry-timetable",
				Section: sec, Status: news.Published, PublishedAt: searchDay, Body: "The *ferry* leaves at [nine](/t).",
				BodyHTML: "<p>x</p>"}})
		})
		if err != nil {
			t.Fatal(err)
		}
		// Stored, not made when a search reads them.
		var missing int
		if err := storetest.RawDB(t, dsn).QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE body_passages IS NULL`).Scan(&missing); err != nil {
			t.Fatal(err)
		}
		if missing != 0 {
			t.Errorf("%d articles saved without passages", missing)
		}
		res, err := s.Search(ctx, store.SearchOptions{Query: search.Parse("ferry"), Now: searchDay})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			saved.Headline:    "The ferry resumed its crossings on Monday after the storm.\nPassengers said the crossing was calm.",
			"Ferry timetable": "The ferry leaves at nine.",
		}
		if len(res.Hits) != len(want) {
			t.Fatalf("%d hits, want %d", len(res.Hits), len(want))
		}
		for _, h := range res.Hits {
			if h.Passages != want[h.Article.Headline] {
				t.Errorf("%q: passages %q, want %q", h.Article.Headline, h.Passages, want[h.Article.Headline])
			}
			if h.Article.Body != "" {
				t.Errorf("%q: the hit carries the body (%d bytes): a snippet needs only the passages", h.Article.Headline, len(h.Article.Body))
			}
		}
	})
}

// TestPassagesFilledOnUpgrade: articles saved before the passages were
// stored (NULL, as migration 0011 leaves them) get them when the store
// next opens, and a search meanwhile makes them from the body.
func TestPassagesFilledOnUpgrade(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for i, b := range []string{"Storm over the *harbour*.", "The harbour reopened.\n\nBoats left at dawn."} {
			ids = append(ids, saveStory(t, s, story{headline: []string{"Harbour storm", "Harbour reopens"}[i], body: b}).ID)
		}
		raw := storetest.RawDB(t, dsn)
		if _, err := raw.ExecContext(ctx, `UPDATE articles SET body_passages = NULL`); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"Harbour storm": "Storm over the harbour.", "Harbour reopens": "The harbour reopened.\nBoats left at dawn."}
		check := func(when string) {
			t.Helper()
			res, err := s.Search(ctx, store.SearchOptions{Query: search.Parse("harbour"), Now: searchDay})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				if h.Passages != want[h.Article.Headline] {
					t.Errorf("%s: %q: passages %q, want %q", when, h.Article.Headline, h.Passages, want[h.Article.Headline])
				}
			}
		}
		check("before the upgrade")
		s.Close()

		if s, err = store.Open(ctx, dsn); err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var missing int
		if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE body_passages IS NULL`).Scan(&missing); err != nil {
			t.Fatal(err)
		}
		if missing != 0 {
			t.Errorf("%d of %d articles without passages after the store opened again", missing, len(ids))
		}
		check("after the upgrade")
	})
}
