package store_test

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// BenchmarkHeartbeat is what one editor page's heartbeat costs the
// database: 60 editors on 20 stories (three to a story, one holding the
// lock), each op one heartbeat with its answer, round robin. A newsroom
// with N editors open sends N / news.PresenceHeartbeat of them a second
// (docs/performance.md, "Who is editing").
func BenchmarkHeartbeat(b *testing.B) {
	engines := []struct {
		name string
		dsn  func(b *testing.B) string
	}{
		{"sqlite", func(b *testing.B) string { return filepath.Join(b.TempDir(), "newsdesk.db") }},
		{"postgres", func(b *testing.B) string { return testkit.FreshPostgres(b) }},
	}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			s, err := store.Open(ctx, e.dsn(b))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			var users []int64
			for i := range 60 {
				u := &news.User{Email: "ed" + strconv.Itoa(i) + "@example.org", Name: "Editor " + strconv.Itoa(i), Role: news.Editor, PasswordHash: "x"}
				if err := s.CreateUser(ctx, u); err != nil {
					b.Fatal(err)
				}
				users = append(users, u.ID)
			}
			var articles []int64
			for i := range 20 {
				a := newArticleB(b, s, "Story "+strconv.Itoa(i))
				articles = append(articles, a)
			}
			i := 0
			for b.Loop() {
				u := users[i%len(users)]
				if _, err := s.Heartbeat(ctx, articles[i%len(users)%len(articles)], u, true, news.PresenceTTL); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func newArticleB(b *testing.B, s *store.Store, headline string) int64 {
	b.Helper()
	var id int64
	err := s.InTx(ctx, func(tx *store.Store) error {
		sec, err := tx.EnsureSectionPath(ctx, "news")
		if err != nil {
			return err
		}
		a := &news.Article{Headline: headline, Slug: news.Slugify(headline), Section: sec, Status: news.Published,
			PublishedAt: time.Now(), Body: "Body", BodyHTML: "<p>Body</p>"}
		if err := tx.SaveArticle(ctx, a); err != nil {
			return err
		}
		id = a.ID
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return id
}
