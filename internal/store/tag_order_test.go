package store_test

import (
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestTagsKeepTheWritersOrder: an article's tags are read in the order they
// were given (they came back sorted by name), and a new order is kept.
func TestTagsKeepTheWritersOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sec, err := s.EnsureSectionPath(ctx, "news")
		if err != nil {
			t.Fatal(err)
		}
		var tags []news.Tag
		for _, name := range []string{"Zebra crossings", "Harbours", "Mayors"} {
			tg, err := s.EnsureTag(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			tags = append(tags, tg)
		}
		a := &news.Article{Headline: "Order matters", Slug: "order-matters", Section: sec, Body: "Text.", BodyHTML: "<p>Text.</p>", Status: news.Draft, Tags: tags}
		if err := s.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		names := func() []string {
			got, err := s.ArticleByID(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, tg := range got.Tags {
				out = append(out, tg.Name)
			}
			return out
		}
		if got := names(); len(got) != 3 || got[0] != "Zebra crossings" || got[1] != "Harbours" || got[2] != "Mayors" {
			t.Errorf("tags read back as %q, want the order given", got)
		}
		a.Tags = []news.Tag{tags[2], tags[0]}
		if err := s.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if got := names(); len(got) != 2 || got[0] != "Mayors" || got[1] != "Zebra crossings" {
			t.Errorf("after reordering: %q", got)
		}
	})
}
