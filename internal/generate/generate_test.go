package generate_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/generate"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

var ctx = context.Background()

var until = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

func openMedia(t *testing.T) *media.Store {
	t.Helper()
	ms, err := media.OpenStore(filepath.Join(t.TempDir(), "media"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	return ms
}

func TestGenerate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const n = 300
		rep, err := generate.Generate(ctx, s, openMedia(t), generate.Options{Articles: n, Seed: 3, Until: until})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Articles != n || rep.Sections < 20 || rep.Authors < 80 || rep.Tags < 50 {
			t.Errorf("report %+v: want %d articles, 20+ sections, 80+ authors, 50+ tags", rep, n)
		}
		counts, err := s.CountArticles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[news.Published]+counts[news.Draft] != n || counts[news.Draft] != rep.Drafts {
			t.Errorf("the database has %v, want %d articles of which %d drafts", counts, n, rep.Drafts)
		}
		list, err := s.PublishedArticles(ctx, store.ArticleFilter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		sections, agencies, staff := map[string]bool{}, 0, 0
		oldest, newest := list[0].PublishedAt, list[0].PublishedAt
		for _, a := range list {
			sections[a.Section.Path] = true
			if a.Photo == nil || a.Photo.Media.ID == 0 || a.Photo.Alt == "" || a.Photo.Caption == "" {
				t.Errorf("%s has no lead photo with alt text and caption", a.URL())
			}
			if len(a.Bylines) == 0 {
				t.Errorf("%s has no byline", a.URL())
			}
			for _, b := range a.Bylines {
				if b.Agency {
					agencies++
				} else {
					staff++
				}
			}
			oldest, newest = minTime(oldest, a.PublishedAt), maxTime(newest, a.PublishedAt)
		}
		subsections := 0
		for p := range sections {
			if strings.Contains(p, "/") {
				subsections++
			}
		}
		if len(sections) < 12 || subsections < 10 {
			t.Errorf("200 stories are in %d sections (%d subsections), want them spread", len(sections), subsections)
		}
		if agencies == 0 || staff == 0 {
			t.Errorf("bylines: %d agency, %d staff; want both", agencies, staff)
		}
		if newest.Sub(oldest) < 365*24*time.Hour {
			t.Errorf("200 newest stories span %v, want over a year (10 years for %d)", newest.Sub(oldest), n)
		}
		if newest.After(until.Add(24*time.Hour)) || newest.Before(until.Add(-30*24*time.Hour)) {
			t.Errorf("the newest story is from %v, want the days before %v", newest, until)
		}
		full, err := s.ArticleByID(ctx, list[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Tags) < 2 {
			t.Errorf("%s has tags %v, want two or more", full.URL(), full.Tags)
		}

		// The archive is searchable, stems and all.
		res, err := s.Search(ctx, store.SearchOptions{Query: search.Parse("approving"), Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total == 0 {
			t.Errorf(`no story has a form of "approve"`)
		}

		// A database with articles is refused.
		_, err = generate.Generate(ctx, s, openMedia(t), generate.Options{Articles: 1, Seed: 3})
		if news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("a second run: %v, want ECONFLICT", err)
		}
	})
}

func TestGenerateIsDeterministic(t *testing.T) {
	read := func(seed uint64) []*news.Article {
		t.Helper()
		s, err := store.Open(ctx, filepath.Join(t.TempDir(), "n.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := generate.Generate(ctx, s, openMedia(t), generate.Options{Articles: 50, Seed: seed, Until: until}); err != nil {
			t.Fatal(err)
		}
		var out []*news.Article
		for id := int64(1); id <= 50; id++ {
			a, err := s.ArticleByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, a)
		}
		return out
	}
	one, two, other := read(9), read(9), read(10)
	same := func(a, b *news.Article) bool {
		return a.Headline == b.Headline && a.Slug == b.Slug && a.Summary == b.Summary && a.Body == b.Body &&
			a.BodyHTML == b.BodyHTML && a.Section.Path == b.Section.Path && a.PublishedAt.Equal(b.PublishedAt) &&
			a.Status == b.Status && len(a.Bylines) == len(b.Bylines) && len(a.Tags) == len(b.Tags) &&
			a.Photo.Caption == b.Photo.Caption
	}
	differ := 0
	for i := range one {
		if !same(one[i], two[i]) {
			t.Errorf("seed 9, article %d: two runs differ:\n\t%q\n\t%q", i+1, one[i].Headline, two[i].Headline)
		}
		if !same(one[i], other[i]) {
			differ++
		}
	}
	if differ < 45 {
		t.Errorf("seeds 9 and 10 differ in %d of 50 articles, want nearly all", differ)
	}
}

func TestGenerateOptions(t *testing.T) {
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = generate.Generate(ctx, s, openMedia(t), generate.Options{Articles: 0})
	var ne *news.Error
	if !errors.As(err, &ne) || ne.Code != news.EINVALID {
		t.Errorf("0 articles: %v, want EINVALID", err)
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// TestGenerateNoFutureStories: an archive made today, by default or with
// today as --until, has its newest story at most now: a story "published"
// later today would stay on top of everything a newsroom publishes now
// (the load script's publish-to-visible check never saw its story).
func TestGenerateNoFutureStories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		today := time.Now().UTC().Truncate(24 * time.Hour)
		if _, err := generate.Generate(ctx, s, openMedia(t), generate.Options{Articles: 1500, Seed: 5, Until: today, Years: 1}); err != nil {
			t.Fatal(err)
		}
		list, err := s.PublishedArticles(ctx, store.ArticleFilter{Limit: 1})
		if err != nil || len(list) == 0 {
			t.Fatalf("no article: %v", err)
		}
		if newest := list[0].PublishedAt; newest.After(time.Now()) {
			t.Errorf("the newest story is published at %s, after now", newest)
		} else if time.Since(newest) > 48*time.Hour {
			t.Errorf("the newest story is published at %s: 1,500 stories in a year end nearer now", newest)
		}
	})
}
