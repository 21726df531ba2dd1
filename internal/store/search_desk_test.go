package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// deskFind runs the newsroom's search and returns the headlines found.
func deskFind(t *testing.T, s *store.Store, o store.DeskSearchOptions) []string {
	t.Helper()
	o.Now = searchDay
	res, err := s.SearchDesk(ctx, o)
	if err != nil {
		t.Fatalf("SearchDesk(%v): %v", o.Query, err)
	}
	if len(res.Hits) > res.Total {
		t.Errorf("SearchDesk: %d hits but a total of %d", len(res.Hits), res.Total)
	}
	var out []string
	for _, e := range res.Hits {
		if e.Article.Body == "" {
			t.Errorf("SearchDesk: %q came without its body", e.Article.Headline)
		}
		out = append(out, e.Article.Headline)
	}
	slices.Sort(out)
	return out
}

func TestSearchDesk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ana := newUser(t, s, "ana@example.org", news.Contributor)
		ben := newUser(t, s, "ben@example.org", news.Contributor)
		newDraft(t, s, ana, "news", "Quarry expansion plans", "The quarry will double in size.")
		newDraft(t, s, ben, "news", "Quarry workers strike", "Workers at the quarry walked out.")
		saveStory(t, s, story{headline: "Quarry reopens", body: "The old quarry is open again."})
		sched := saveStory(t, s, story{headline: "Quarry museum opening", body: "A museum at the quarry.", status: news.Draft})
		if err := s.InTx(ctx, func(tx *store.Store) error {
			return tx.MoveArticle(ctx, sched.ID, store.Move{From: news.Draft, To: news.Scheduled, At: searchDay, PublishAt: searchDay.Add(72 * time.Hour)})
		}); err != nil {
			t.Fatalf("scheduling: %v", err)
		}
		q := search.Parse("quarries")
		every := news.EveryArticle()
		tests := []struct {
			name string
			o    store.DeskSearchOptions
			want []string
		}{
			{"everyone's, any status", store.DeskSearchOptions{Scope: every, Query: q},
				[]string{"Quarry expansion plans", "Quarry museum opening", "Quarry reopens", "Quarry workers strike"}},
			{"one writer's", store.DeskSearchOptions{Scope: every, Query: q, CreatedBy: ana.ID}, []string{"Quarry expansion plans"}},
			{"drafts", store.DeskSearchOptions{Scope: every, Query: q, Statuses: []news.Status{news.Draft}},
				[]string{"Quarry expansion plans", "Quarry workers strike"}},
			{"scheduled or published", store.DeskSearchOptions{Scope: every, Query: q, Statuses: []news.Status{news.Scheduled, news.Published}},
				[]string{"Quarry museum opening", "Quarry reopens"}},
			{"a writer's published: none", store.DeskSearchOptions{Scope: every, Query: q, CreatedBy: ben.ID, Statuses: []news.Status{news.Published}}, nil},
			{"words in the body", store.DeskSearchOptions{Scope: every, Query: search.Parse("walked out")}, []string{"Quarry workers strike"}},
			{"a phrase", store.DeskSearchOptions{Scope: every, Query: search.Parse(`"double in size"`)}, []string{"Quarry expansion plans"}},
			{"ana's scope", store.DeskSearchOptions{Scope: news.WriterArticles(ana.ID), Query: q}, []string{"Quarry expansion plans"}},
			{"ana's scope, ben's articles: none", store.DeskSearchOptions{Scope: news.WriterArticles(ana.ID), CreatedBy: ben.ID, Query: q}, nil},
			{"no scope: none", store.DeskSearchOptions{Query: q}, nil},
			{"nothing asked", store.DeskSearchOptions{Scope: every, Query: search.Parse("  ")}, nil},
		}
		eachRanking(t, s, func(t *testing.T) {
			for _, tt := range tests {
				wantFound(t, "desk: "+tt.name, deskFind(t, s, tt.o), tt.want)
			}
			// The public search still finds only what is published.
			wantFound(t, "public quarry", find(t, s, "quarry"), []string{"Quarry reopens"})
		})

		// Hostile input fails nowhere and finds nothing the words would not.
		for _, in := range []string{`"`, `NEAR(quarry`, `quarry*`, `{body}:quarry`, `'; DROP TABLE articles; --`,
			"\xff\xfe", "quarry\x00", strings.Repeat("(", 5000), strings.Repeat("a ", 6000)} {
			res, err := s.SearchDesk(ctx, store.DeskSearchOptions{Scope: news.WriterArticles(ana.ID), Query: search.Parse(in)})
			if err != nil {
				t.Errorf("SearchDesk(%.30q): %v", in, err)
			}
			for _, e := range res.Hits {
				if e.CreatedBy != ana.ID {
					t.Errorf("SearchDesk(%.30q) for ana found %q, by user %d", in, e.Article.Headline, e.CreatedBy)
				}
			}
		}
	})
}
