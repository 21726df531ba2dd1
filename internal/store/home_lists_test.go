package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestHomeListsIsLatestAndLatestIn: HomeLists gives what the home page
// asked for in separate queries before: the newest n not pinned
// (PublishedArticles with ExcludeIDs), and each group's newest that are
// neither pinned nor among the first skip of those (LatestIn) — with and
// without pinned and skipped stories, with more wanted than there are, an
// empty group, overlapping groups, and no limit.
func TestHomeListsIsLatestAndLatestIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		paths := []string{"news/world", "news/europe", "sport", "news", "culture", "news/world", "sport", "culture/film"}
		var all []*news.Article
		for i := range 24 {
			// Two at the same time, so the id decides their order.
			at := t0.Add(time.Duration(i/2*2) * time.Hour)
			all = append(all, newArticle(t, s, paths[i%len(paths)], fmt.Sprintf("Story %02d", i), at, []string{"Desk"}, nil))
		}
		draft := all[23] // the newest, and not public
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
		newsGroup := []int64{sec("news"), sec("news/world"), sec("news/europe")}
		sport, culture := []int64{sec("sport")}, []int64{sec("culture"), sec("culture/film")}
		ids := func(list []*news.Article) []string {
			out := []string{}
			for _, a := range list {
				out = append(out, a.Headline)
			}
			return out
		}
		tests := []struct {
			name   string
			pinned []*news.Article
			skip   int
			n      int
			groups [][]int64
			limit  int
		}{
			{"nothing pinned, the newest five left out of the blocks", nil, 5, 15, [][]int64{newsGroup, sport, culture}, 4},
			{"nothing pinned or skipped", nil, 0, 15, [][]int64{newsGroup, sport, culture}, 4},
			{"pinned, old and new", []*news.Article{all[2], all[20], all[9]}, 0, 10, [][]int64{newsGroup, sport, culture}, 4},
			{"pinned and skipped", []*news.Article{all[2], all[20]}, 3, 10, [][]int64{newsGroup, sport, culture}, 4},
			{"more wanted than there are", nil, 5, 40, [][]int64{newsGroup, sport}, 4},
			{"more skipped than wanted", nil, 9, 4, [][]int64{newsGroup, sport}, 4},
			{"an empty group and overlapping ones", []*news.Article{all[21]}, 2, 5, [][]int64{{}, newsGroup, {sec("news/world")}}, 3},
			{"no limit", nil, 0, 3, [][]int64{newsGroup}, 0},
			{"no groups", []*news.Article{all[22]}, 1, 6, nil, 4},
		}
		inBlocks := 0
		for _, tt := range tests {
			var pinned []int64
			for _, a := range tt.pinned {
				pinned = append(pinned, a.ID)
			}
			wantLatest, err := s.PublishedArticles(ctx, store.ArticleFilter{ExcludeIDs: pinned, Limit: tt.n})
			if err != nil {
				t.Fatal(err)
			}
			shown := append([]int64(nil), pinned...)
			for _, a := range wantLatest[:min(tt.skip, len(wantLatest))] {
				shown = append(shown, a.ID)
			}
			wantBlocks, err := s.LatestIn(ctx, tt.groups, shown, tt.limit)
			if err != nil {
				t.Fatal(err)
			}

			latest, blocks, err := s.HomeLists(ctx, pinned, tt.skip, tt.n, tt.groups, tt.limit)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if g, w := ids(latest), ids(wantLatest); !equal(g, w) {
				t.Errorf("%s: latest: got %v, want %v", tt.name, g, w)
			}
			if len(blocks) != len(tt.groups) {
				t.Fatalf("%s: %d blocks, want %d", tt.name, len(blocks), len(tt.groups))
			}
			for i := range blocks {
				if g, w := ids(blocks[i]), ids(wantBlocks[i]); !equal(g, w) {
					t.Errorf("%s: block %d: got %v, want %v", tt.name, i, g, w)
				}
				inBlocks += len(blocks[i])
			}
			read := latest
			for _, b := range blocks {
				read = append(read[:len(read):len(read)], b...)
			}
			for _, a := range read {
				if len(a.Bylines) != 1 || a.Section.ID == 0 || a.Status != news.Published {
					t.Errorf("%s: %s read without its byline or section, or not published: %+v", tt.name, a.Headline, a)
				}
			}
		}
		if inBlocks < 10 {
			t.Errorf("%d articles in all the blocks: the cases test too little", inBlocks)
		}
	})
}
