package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestStoryAndSectionCannotShareAnAddress: an article and a subsection
// of one section cannot have the same slug (/news/world the story and
// /news/world/ the section), whichever comes second and however it
// comes: a new or moved or renamed article, a new section (the
// newsroom's form, an import's EnsureSectionPath, the generator's bulk
// insert) or a renamed or moved one. The refusal names the clash and
// changes nothing. A pair already in the database is left alone: the
// store opens, and both can still be edited where they are.
func TestStoryAndSectionCannotShareAnAddress(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		at := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
		refused := func(what string, err error, want ...string) {
			t.Helper()
			var ne *news.Error
			if news.ErrorCode(err) != news.ECONFLICT || !errors.As(err, &ne) || ne.Field != "slug" {
				t.Errorf("%s: %v, want a conflict on the slug", what, err)
				return
			}
			for _, w := range want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: %q does not name %q", what, err, w)
				}
			}
		}
		save := func(a *news.Article) error {
			return s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a) })
		}
		world, err := s.EnsureSectionPath(ctx, "news/world")
		if err != nil {
			t.Fatal(err)
		}
		top, _ := s.SectionByPath(ctx, "news")

		// A story at a subsection's address.
		story := &news.Article{Headline: "The world this week", Slug: "world", Section: top, Status: news.Draft,
			Body: "Body.", BodyHTML: "<p>Body.</p>"}
		refused("a new story at /news/world", save(story), "/news/world/", "“World”", "/news/world ")
		if _, err := s.ArticleByPath(ctx, store.Full, "news", "world"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("the refused story was saved: %v", err)
		}
		story.ID = 0
		sport := newArticle(t, s, "sport", "World", at, nil, nil) // sport/world: no subsection there
		moved := *sport
		moved.Section = top
		refused("a story moved into /news/ at /news/world", save(&moved), "/news/world/")
		renamed := newArticle(t, s, "news", "The world this week", at, nil, nil)
		renamed.Slug = "world"
		refused("a story renamed to /news/world", save(renamed), "/news/world/")
		if a, err := s.ArticleByID(ctx, sport.ID); err != nil || a.URL() != "/sport/world" {
			t.Errorf("after the refused move: %v %v, want the story still at /sport/world", a, err)
		}

		// A section at a story's address.
		newArticle(t, s, "news", "Europe talks", at, nil, nil)
		refused("a new subsection at /news/europe-talks/", s.CreateSection(ctx, &news.Section{ParentID: top.ID, Slug: "europe-talks", Name: "Europe Talks"}),
			"/news/europe-talks/", "/news/europe-talks ")
		_, err = s.EnsureSectionPath(ctx, "news/europe-talks/summit")
		refused("an import's section path through /news/europe-talks/", err, "/news/europe-talks")
		renamedSec := world
		renamedSec.Slug = "europe-talks"
		refused("a subsection renamed to /news/europe-talks/", s.EditSection(ctx, &renamedSec), "/news/europe-talks")
		other, err := s.EnsureSectionPath(ctx, "sport/europe-talks")
		if err != nil {
			t.Fatalf("a section of the name elsewhere: %v", err)
		}
		other.ParentID = top.ID
		refused("a section moved under /news/ at /news/europe-talks/", s.EditSection(ctx, &other), "/news/europe-talks")
		for _, path := range []string{"news/world", "sport/europe-talks"} {
			if _, err := s.SectionByPath(ctx, path); err != nil {
				t.Errorf("after the refusals, %s: %v", path, err)
			}
		}
		if _, err := s.SectionByPath(ctx, "news/europe-talks"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a refused section was made: %v", err)
		}

		// The generator's bulk insert keeps the rule too.
		bulk := &news.Article{Headline: "World", Slug: "world", Section: top, Status: news.Draft, Body: "Body.", BodyHTML: "<p>Body.</p>"}
		err = s.InTx(ctx, func(tx *store.Store) error { return tx.InsertArticles(ctx, []*news.Article{bulk}) })
		refused("a bulk insert at /news/world", err, "/news/world/")

		// A pair from before the rule: written by hand, as an older version
		// could. The store opens, and either can be edited where it is.
		raw := storetest.RawDB(t, dsn)
		if _, err := raw.ExecContext(ctx, `UPDATE articles SET slug = 'world' WHERE id = $1`, renamed.ID); err != nil {
			t.Fatal(err)
		}
		again, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatalf("opening a database with a story and a section at one address: %v", err)
		}
		again.Close()
		old, err := s.ArticleByID(ctx, renamed.ID)
		if err != nil {
			t.Fatal(err)
		}
		old.Headline = "The world this week, corrected"
		if err := save(old); err != nil {
			t.Errorf("editing a story that shared its address before the rule: %v", err)
		}
		world.Description = "Everything beyond our borders."
		if err := s.EditSection(ctx, &world); err != nil {
			t.Errorf("editing a section that shared its address before the rule: %v", err)
		}
	})
}
