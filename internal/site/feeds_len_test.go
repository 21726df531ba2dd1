package site_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestFeedLengths: the site's own feeds hold its newest 50 articles; a
// section's, tag's or author's feeds hold their newest 20, in every format.
func TestFeedLengths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ts := newTestSite(t, s)
		// Enough stories that both limits bite: the sample newsroom has
		// some 50 in all and 18 under News.
		err := s.InTx(ctx, func(tx *store.Store) error {
			sec, err := tx.EnsureSectionPath(ctx, "news")
			if err != nil {
				return err
			}
			for i := range 10 {
				h := fmt.Sprintf("Harbour report number %d", i+1)
				a := &news.Article{Headline: h, Slug: news.Slugify(h), Section: sec, Status: news.Published,
					PublishedAt: time.Date(2026, 11, 20, i, 0, 0, 0, time.UTC), Body: "Text.", BodyHTML: "<p>Text.</p>"}
				if err := tx.SaveArticle(ctx, a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		counts, err := s.CountArticles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[news.Published] <= 50 {
			t.Fatalf("%d published: the test wants more than 50", counts[news.Published])
		}
		for _, c := range []struct {
			base string
			want int
		}{{"/", 50}, {"/news/", 20}} {
			for _, f := range []struct{ name, item string }{{"rss.xml", "<item>"}, {"atom.xml", "<entry>"}, {"feed.json", `"id": "tag:`}} {
				status, _, body := ts.get(t, c.base+f.name)
				if status != 200 {
					t.Fatalf("%s%s: status %d", c.base, f.name, status)
				}
				if got := strings.Count(body, f.item); got != c.want {
					t.Errorf("%s%s: %d items, want %d", c.base, f.name, got, c.want)
				}
			}
		}
	})
}
