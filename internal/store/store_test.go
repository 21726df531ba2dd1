package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

var ctx = context.Background()

// newArticle saves a published article in section path with the given
// headline, bylines and tags, published at t.
func newArticle(t *testing.T, s *store.Store, path, headline string, at time.Time, authors, tags []string) *news.Article {
	t.Helper()
	var a *news.Article
	err := s.InTx(ctx, func(tx *store.Store) error {
		sec, err := tx.EnsureSectionPath(ctx, path)
		if err != nil {
			return err
		}
		a = &news.Article{Headline: headline, Slug: news.Slugify(headline), Section: sec, Status: news.Published,
			PublishedAt: at, Body: "Body of " + headline, BodyHTML: "<p>Body of " + headline + "</p>"}
		for _, n := range authors {
			au, err := tx.EnsureAuthor(ctx, n)
			if err != nil {
				return err
			}
			a.Bylines = append(a.Bylines, au)
		}
		for _, n := range tags {
			tg, err := tx.EnsureTag(ctx, n)
			if err != nil {
				return err
			}
			a.Tags = append(a.Tags, tg)
		}
		return tx.SaveArticle(ctx, a)
	})
	if err != nil {
		t.Fatalf("saving %q: %v", headline, err)
	}
	return a
}

func TestMigrationsAreIdempotent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		for i := range 2 {
			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatalf("open #%d: %v", i+1, err)
			}
			s.Close()
		}
	})
}

func TestSectionTree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sec, err := s.EnsureSectionPath(ctx, "news/middle-east")
		if err != nil {
			t.Fatal(err)
		}
		if sec.Path != "news/middle-east" || sec.Name != "Middle East" || sec.ParentID == 0 {
			t.Errorf("got %+v, want path news/middle-east named Middle East with a parent", sec)
		}
		if _, err := s.EnsureSectionPath(ctx, "news/europe"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.EnsureSectionPath(ctx, "business"); err != nil {
			t.Fatal(err)
		}
		again, err := s.EnsureSectionPath(ctx, "news/middle-east")
		if err != nil || again.ID != sec.ID {
			t.Errorf("ensuring an existing path: got %+v, %v; want the same section %d", again, err, sec.ID)
		}
		all, err := s.Sections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, x := range all {
			paths = append(paths, x.Path)
		}
		want := "[news news/middle-east news/europe business]"
		if fmt.Sprint(paths) != want {
			t.Errorf("sections in order: got %v, want %s", paths, want)
		}
		for _, bad := range []string{"News/World", "news//x", "../etc", "a b"} {
			if _, err := s.EnsureSectionPath(ctx, bad); news.ErrorCode(err) != news.EINVALID {
				t.Errorf("EnsureSectionPath(%q): got %v, want an invalid-input error", bad, err)
			}
		}
		if _, err := s.SectionByPath(ctx, "nowhere"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("SectionByPath(nowhere): got %v, want not found", err)
		}
	})
}

func TestSaveAndLoadArticle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		at := time.Date(2026, 11, 20, 8, 15, 0, 0, time.UTC)
		a := newArticle(t, s, "news/world", "Ferry service resumes", at, []string{"Mara Lindqvist", "AFP"}, []string{"Transport", "Harbours"})
		got, err := s.ArticleByPath(ctx, store.Full, "news/world", "ferry-service-resumes")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || got.Headline != "Ferry service resumes" || !got.PublishedAt.Equal(at) || got.BodyHTML == "" {
			t.Errorf("got %+v", got)
		}
		if len(got.Bylines) != 2 || got.Bylines[0].Name != "Mara Lindqvist" || got.Bylines[1].Name != "AFP" || !got.Bylines[1].Agency || got.Bylines[0].Agency {
			t.Errorf("bylines: got %+v, want Mara Lindqvist then AFP (an agency)", got.Bylines)
		}
		if len(got.Tags) != 2 || got.Tags[0].Slug != "transport" || got.Tags[1].Slug != "harbours" {
			t.Errorf("tags: got %+v, want Transport and Harbours, in the order given", got.Tags)
		}

		// Reordering bylines and dropping a tag replaces them.
		got.Bylines = []news.Author{got.Bylines[1], got.Bylines[0]}
		got.Tags = got.Tags[1:]
		if err := s.SaveArticle(ctx, got); err != nil {
			t.Fatal(err)
		}
		again, _ := s.ArticleByID(ctx, a.ID)
		if again.Bylines[0].Name != "AFP" || len(again.Tags) != 1 {
			t.Errorf("after update: bylines %+v tags %+v", again.Bylines, again.Tags)
		}

		// A second article at the same address is a conflict.
		dup := *again
		dup.ID = 0
		if err := s.SaveArticle(ctx, &dup); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("duplicate address: got %v, want conflict", err)
		}
		// An invalid article is refused whole.
		bad := *again
		bad.Headline = " "
		if err := s.SaveArticle(ctx, &bad); news.ErrorCode(err) != news.EINVALID {
			t.Errorf("empty headline: got %v, want invalid", err)
		}
		if _, err := s.ArticleByPath(ctx, store.Full, "news/world", "nothing-here"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("missing article: got %v, want not found", err)
		}
	})
}

func TestCorrectionsAreAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := newArticle(t, s, "news", "Budget vote delayed", time.Now().Add(-time.Hour), []string{"Jon Avery"}, nil)
		c1 := news.Correction{At: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC), Text: "An earlier version misstated the date of the vote."}
		c2 := news.Correction{At: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC), Text: "The minister's name was misspelled."}
		if err := s.AddCorrections(ctx, a.ID, []news.Correction{c1}); err != nil {
			t.Fatal(err)
		}
		// A re-import carries the old correction again, with a new one.
		if err := s.AddCorrections(ctx, a.ID, []news.Correction{c1, c2}); err != nil {
			t.Fatal(err)
		}
		// A list without the old ones does not remove them.
		if err := s.AddCorrections(ctx, a.ID, nil); err != nil {
			t.Fatal(err)
		}
		got, _ := s.ArticleByID(ctx, a.ID)
		if len(got.Corrections) != 2 || got.Corrections[0] != c1 || got.Corrections[1] != c2 {
			t.Errorf("got %+v, want [c1 c2]", got.Corrections)
		}
	})
}

func TestPublishedArticlesPagination(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		for i := range 25 {
			path := "news/world"
			if i%2 == 0 {
				path = "news/europe"
			}
			// Two articles share each publication time, so the id breaks ties.
			newArticle(t, s, path, fmt.Sprintf("Story number %d", i), base.Add(time.Duration(i/2)*time.Hour),
				[]string{"Mara Lindqvist"}, []string{fmt.Sprintf("Tag %d", i%3)})
		}
		// A draft never lists.
		draft := newArticle(t, s, "news/world", "Unfinished draft", base.Add(100*time.Hour), nil, nil)
		draft.Status = news.Draft
		if err := s.SaveArticle(ctx, draft); err != nil {
			t.Fatal(err)
		}

		var seen []int64
		cur := store.Cursor{}
		for page := 0; ; page++ {
			list, err := s.PublishedArticles(ctx, store.ArticleFilter{After: cur, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) == 0 {
				break
			}
			for _, a := range list {
				seen = append(seen, a.ID)
				if a.Status != news.Published {
					t.Errorf("listed a %s article", a.Status)
				}
			}
			last := list[len(list)-1]
			cur = store.Cursor{Time: last.PublishedAt, ID: last.ID}
			if page > 5 {
				t.Fatal("pagination does not end")
			}
		}
		if len(seen) != 25 {
			t.Fatalf("paged through %d articles, want 25", len(seen))
		}
		dup := map[int64]bool{}
		for _, id := range seen {
			if dup[id] {
				t.Errorf("article %d listed twice", id)
			}
			dup[id] = true
		}

		europe, _ := s.SectionByPath(ctx, "news/europe")
		list, err := s.PublishedArticles(ctx, store.ArticleFilter{SectionIDs: []int64{europe.ID}, Limit: 100})
		if err != nil || len(list) != 13 {
			t.Errorf("europe: got %d articles (%v), want 13", len(list), err)
		}
		tag, _ := s.TagBySlug(ctx, "tag-0")
		list, _ = s.PublishedArticles(ctx, store.ArticleFilter{TagID: tag.ID, Limit: 100})
		if len(list) != 9 {
			t.Errorf("tag-0: got %d articles, want 9", len(list))
		}
		au, _ := s.AuthorBySlug(ctx, "mara-lindqvist")
		list, _ = s.PublishedArticles(ctx, store.ArticleFilter{AuthorID: au.ID, Limit: 100, ExcludeIDs: seen[:5]})
		if len(list) != 20 {
			t.Errorf("author minus 5 excluded: got %d articles, want 20", len(list))
		}
		if len(list) > 0 && len(list[0].Bylines) != 1 {
			t.Errorf("cards carry bylines: got %+v", list[0].Bylines)
		}
	})
}

func TestChangeLogMovesOnEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		before, err := s.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		newArticle(t, s, "sport", "Late winner", time.Now(), nil, nil)
		after, _ := s.LastChange(ctx)
		if after <= before {
			t.Errorf("change log: got %d after a save, want more than %d", after, before)
		}
		// A failed transaction leaves no trace in the log.
		_ = s.InTx(ctx, func(tx *store.Store) error {
			if _, err := tx.EnsureSectionPath(ctx, "culture"); err != nil {
				return err
			}
			return fmt.Errorf("abandon")
		})
		end, _ := s.LastChange(ctx)
		if end != after {
			t.Errorf("a rolled-back write moved the change log from %d to %d", after, end)
		}
		if _, err := s.SectionByPath(ctx, "culture"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a rolled-back section exists: %v", err)
		}
	})
}

func TestSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := s.SetSetting(ctx, "site.name", "Meridian 24"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSetting(ctx, "site.name", "Meridian 24 World"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Settings(ctx)
		if err != nil || len(got) != 1 || got["site.name"] != "Meridian 24 World" {
			t.Errorf("got %v, %v", got, err)
		}
	})
}
