package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestTagAndAuthorListsFollowEveryWrite: tag and author lists are read
// through listed_at (migration 0007), which every write that changes an
// article's status, publication time, tags or bylines keeps in step. After
// each kind of write, both lists must hold exactly the published articles
// with that tag or byline, newest first, page by page.
func TestTagAndAuthorListsFollowEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		a1 := newArticle(t, s, "news", "First river story", t0, []string{"Ana Ruiz"}, []string{"Rivers"})
		a2 := newArticle(t, s, "news", "Second river story", t0.Add(time.Hour), []string{"Ana Ruiz", "Bo Lind"}, []string{"Rivers", "Dams"})
		a3 := newArticle(t, s, "sport", "Third river story", t0.Add(2*time.Hour), []string{"Bo Lind"}, []string{"Rivers"})
		tag := a1.Tags[0]
		ana := a1.Bylines[0]

		check := func(step string, wantTag, wantAna []*news.Article) {
			t.Helper()
			for _, c := range []struct {
				name string
				f    store.ArticleFilter
				want []*news.Article
			}{
				{"tag", store.ArticleFilter{TagID: tag.ID}, wantTag},
				{"author", store.ArticleFilter{AuthorID: ana.ID}, wantAna},
			} {
				// Pages of one, so the keyset on listed_at is used too.
				var got []int64
				f := c.f
				f.Limit = 1
				for range 10 {
					page, err := s.PublishedArticles(ctx, f)
					if err != nil {
						t.Fatalf("%s: %s list: %v", step, c.name, err)
					}
					if len(page) == 0 {
						break
					}
					got = append(got, page[0].ID)
					f.After = store.Cursor{Time: page[0].PublishedAt, ID: page[0].ID}
				}
				var want []int64
				for _, a := range c.want {
					want = append(want, a.ID)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: %s list = %v, want %v", step, c.name, got, want)
				}
			}
		}
		check("saved", []*news.Article{a3, a2, a1}, []*news.Article{a2, a1})

		// Unpublished, then published again.
		if err := s.MoveArticle(ctx, a2.ID, store.Move{From: news.Published, To: news.Draft, At: t0.Add(3 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		check("a2 unpublished", []*news.Article{a3, a1}, []*news.Article{a1})
		if err := s.MoveArticle(ctx, a2.ID, store.Move{From: news.Draft, To: news.Published, At: t0.Add(4 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		check("a2 published again", []*news.Article{a3, a2, a1}, []*news.Article{a2, a1})

		// A draft, never published, then published from the desk.
		a4 := &news.Article{Headline: "Fourth river story", Slug: "fourth-river-story", Section: a1.Section, Status: news.Draft,
			Body: "d", BodyHTML: "<p>d</p>", Bylines: []news.Author{ana}, Tags: []news.Tag{tag}}
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a4) }); err != nil {
			t.Fatal(err)
		}
		check("a4 saved as a draft", []*news.Article{a3, a2, a1}, []*news.Article{a2, a1})
		if err := s.MoveArticle(ctx, a4.ID, store.Move{From: news.Draft, To: news.Published, At: t0.Add(90 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
		check("a4 published", []*news.Article{a3, a4, a2, a1}, []*news.Article{a4, a2, a1})
		if err := s.MoveArticle(ctx, a4.ID, store.Move{From: news.Published, To: news.Draft, At: t0.Add(100 * time.Minute)}); err != nil {
			t.Fatal(err)
		}

		// A new draft, scheduled, then published when due (so its
		// publication time is set then).
		a5 := &news.Article{Headline: "Fifth river story", Slug: "fifth-river-story", Section: a1.Section, Status: news.Draft,
			Body: "d", BodyHTML: "<p>d</p>", Bylines: []news.Author{ana}, Tags: []news.Tag{tag}}
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a5) }); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveArticle(ctx, a5.ID, store.Move{From: news.Draft, To: news.Scheduled, At: t0.Add(5 * time.Hour), PublishAt: t0.Add(6 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		check("a5 scheduled", []*news.Article{a3, a2, a1}, []*news.Article{a2, a1})
		if _, err := s.PublishDue(ctx, t0.Add(7*time.Hour)); err != nil {
			t.Fatal(err)
		}
		check("a5 published when due", []*news.Article{a5, a3, a2, a1}, []*news.Article{a5, a2, a1})
		if err := s.MoveArticle(ctx, a5.ID, store.Move{From: news.Published, To: news.Draft, At: t0.Add(8 * time.Hour)}); err != nil {
			t.Fatal(err)
		}

		// Saved with a new publication time (now the newest), without the
		// tag, and with Ana's byline added.
		a3.PublishedAt = t0.Add(10 * time.Hour)
		a3.Tags = a2.Tags[1:] // Dams only
		a3.Bylines = append(a3.Bylines, ana)
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a3) }); err != nil {
			t.Fatal(err)
		}
		check("a3 edited", []*news.Article{a2, a1}, []*news.Article{a3, a2, a1})
		a2.PublishedAt = t0.Add(11 * time.Hour)
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a2) }); err != nil {
			t.Fatal(err)
		}
		check("a2 moved to the top", []*news.Article{a2, a1}, []*news.Article{a2, a3, a1})

		// Inserted in bulk: one published, one draft.
		pub := &news.Article{Headline: "Bulk river story", Slug: "bulk-river-story", Section: a1.Section, Status: news.Published,
			PublishedAt: t0.Add(12 * time.Hour), Body: "b", BodyHTML: "<p>b</p>", Bylines: []news.Author{ana}, Tags: []news.Tag{tag}}
		draft := &news.Article{Headline: "Bulk draft", Slug: "bulk-draft", Section: a1.Section, Status: news.Draft,
			Body: "d", BodyHTML: "<p>d</p>", Bylines: []news.Author{ana}, Tags: []news.Tag{tag}}
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.InsertArticles(ctx, []*news.Article{pub, draft}) }); err != nil {
			t.Fatal(err)
		}
		check("bulk insert", []*news.Article{pub, a2, a1}, []*news.Article{pub, a2, a3, a1})
	})
}
