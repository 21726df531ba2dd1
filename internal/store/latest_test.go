package store_test

import (
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestLatestIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		byName := map[string]*news.Article{}
		// Six in news (two subsections), two in sport; a draft in sport.
		for i, x := range []struct{ path, name string }{
			{"news/world", "w1"}, {"news/europe", "e1"}, {"news/world", "w2"}, {"sport", "s1"},
			{"news/europe", "e2"}, {"news/world", "w3"}, {"sport", "s2"}, {"news", "n1"},
		} {
			byName[x.name] = newArticle(t, s, x.path, x.name, t0.Add(time.Duration(i)*time.Hour), []string{"Desk"}, nil)
		}
		draft := byName["s2"]
		draft.Status = news.Draft
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, draft) }); err != nil {
			t.Fatal(err)
		}
		sec := func(path string) int64 {
			t.Helper()
			x, err := s.SectionByPath(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			return x.ID
		}
		top, world, europe, sport := sec("news"), sec("news/world"), sec("news/europe"), sec("sport")
		names := func(list []*news.Article) []string {
			out := []string{}
			for _, a := range list {
				out = append(out, a.Headline)
			}
			return out
		}
		tests := []struct {
			name    string
			groups  [][]int64
			exclude []string
			limit   int
			want    [][]string
		}{
			{"newest first, at most limit each", [][]int64{{top, world, europe}, {sport}}, nil, 3,
				[][]string{{"n1", "w3", "e2"}, {"s1"}}},
			{"excluded ones left out", [][]int64{{top, world, europe}, {sport}}, []string{"n1", "e2", "s1"}, 3,
				[][]string{{"w3", "w2", "e1"}, {}}},
			{"an empty group, and overlapping groups", [][]int64{{}, {world}, {world, europe}}, nil, 2,
				[][]string{{}, {"w3", "w2"}, {"w3", "e2"}}},
			{"no limit", [][]int64{{world}}, nil, 0, [][]string{{}}},
		}
		for _, tt := range tests {
			var ex []int64
			for _, n := range tt.exclude {
				ex = append(ex, byName[n].ID)
			}
			got, err := s.LatestIn(ctx, tt.groups, ex, tt.limit)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%s: got %d groups, want %d", tt.name, len(got), len(tt.want))
			}
			for i := range got {
				if g, w := names(got[i]), tt.want[i]; !equal(g, w) {
					t.Errorf("%s: group %d: got %v, want %v", tt.name, i, g, w)
				}
				for _, a := range got[i] {
					if len(a.Bylines) != 1 || a.Section.ID == 0 {
						t.Errorf("%s: %s read without its byline or section: %+v", tt.name, a.Headline, a)
					}
				}
			}
		}
	})
}

// TestTopStoriesPublishedInOrder: the top stories come in the editors'
// order, and one that is not published (any more) is left out.
func TestTopStoriesPublishedInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		a := newArticle(t, s, "news", "Alpha", t0, nil, nil)
		b := newArticle(t, s, "news", "Bravo", t0.Add(time.Hour), nil, nil)
		c := newArticle(t, s, "news", "Charlie", t0.Add(2*time.Hour), nil, nil)
		if err := s.SetTopStories(ctx, []int64{c.ID, a.ID, b.ID}); err != nil {
			t.Fatal(err)
		}
		a.Status = news.Draft
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a) }); err != nil {
			t.Fatal(err)
		}
		list, err := s.TopStories(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, x := range list {
			got = append(got, x.Headline)
		}
		if want := []string{"Charlie", "Bravo"}; !equal(got, want) {
			t.Errorf("top stories: got %v, want %v", got, want)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
