package store_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSearchWindowsDifferential checks PostgreSQL's windows of the newest
// stories (migration 0028) against the newest SearchCandidates matches
// worked out here, over a generated archive of a few thousand stories and
// random queries: stories before 1970 (negative days, divided toward zero:
// the days on either side of 1970-01-01 are one in the index), far in the
// future, many at one time on a day's edge, drafts; queries of one to three
// words and phrases, with and without date ranges (bounds before 1970
// too, and on a day's edge) and sections. Each query is run with the
// windows off (the GIN index over the whole archive, as before 0028), with
// forced windows of many lengths, and with the walk first: every way must
// give the same results in the same order, and their set must be the
// newest matches.
func TestSearchWindowsDifferential(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if s.Engine() != "postgres" {
			t.Skip("the windows are PostgreSQL's")
		}
		rng := rand.New(rand.NewPCG(7, 23))
		vocab := []string{"harbor", "falcon", "copper", "glacier", "lantern", "meadow", "orchid", "quarry"}
		paths := []string{"news", "sport", "culture"}
		day := 24 * time.Hour
		edge := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) // many stories at this very time
		epoch := time.Unix(0, 0).UTC()
		when := func() time.Time {
			switch r := rng.IntN(100); {
			case r < 55: // the recent past, to the second
				return searchDay.Add(-time.Duration(rng.Int64N(int64(400 * day))).Truncate(time.Second))
			case r < 65:
				return edge
			case r < 70:
				return edge.Add(-time.Microsecond)
			case r < 80: // either side of 1970-01-01: day 0 twice over
				return epoch.Add(time.Duration(rng.Int64N(int64(4*day))) - 2*day).Truncate(time.Second)
			case r < 88: // before 1970
				return time.Date(1900+rng.IntN(70), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, time.UTC)
			case r < 95: // the future
				return searchDay.Add(time.Duration(rng.Int64N(int64(3000 * day))))
			default:
				return time.Date(2099, 12, 31, 23, 59, 59, 0, time.UTC)
			}
		}
		type gen struct {
			words   []string
			pub     time.Time
			section string
			status  news.Status
		}
		const n = 3000
		var stories []gen
		err := s.InTx(ctx, func(tx *store.Store) error {
			secs := map[string]news.Section{}
			for _, p := range paths {
				sec, err := tx.EnsureSectionPath(ctx, p)
				if err != nil {
					return err
				}
				secs[p] = sec
			}
			var list []*news.Article
			for i := range n {
				g := gen{pub: when(), section: paths[rng.IntN(len(paths))], status: news.Published}
				for range 2 + rng.IntN(4) {
					g.words = append(g.words, vocab[rng.IntN(len(vocab))])
				}
				if rng.IntN(20) == 0 {
					g.status = news.Draft
				}
				stories = append(stories, g)
				h := fmt.Sprintf("Story %d", i)
				a := &news.Article{Headline: h, Slug: news.Slugify(h), Section: secs[g.section], Status: g.status,
					Body: strings.Join(g.words, " ") + "."}
				if g.status == news.Published {
					a.PublishedAt = g.pub
				}
				list = append(list, a)
			}
			return tx.InsertArticles(ctx, list)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.OptimizeSearch(ctx); err != nil {
			t.Fatal(err)
		}
		// Articles are inserted in order, so story i has the i-th id.
		res, err := s.Search(ctx, store.SearchOptions{Query: search.Parse("story"), Now: searchDay, Limit: 1})
		if err != nil || len(res.Hits) == 0 {
			t.Fatalf("no story found: %v", err)
		}
		first := res.Hits[0].Article.ID - int64(indexOfStory(res.Hits[0].Article.Headline))

		type query struct {
			text           string
			since, before  time.Time
			section        string
			words, phrases [][]string
		}
		bound := func() time.Time {
			switch rng.IntN(5) {
			case 0:
				return edge
			case 1:
				return epoch.Add(time.Duration(rng.Int64N(int64(4*day))) - 2*day)
			case 2:
				return time.Date(1900+rng.IntN(70), 6, 1, 12, 30, 0, 0, time.UTC)
			default:
				return searchDay.Add(-time.Duration(rng.Int64N(int64(800*day))) + 200*day)
			}
		}
		var queries []query
		for range 120 {
			var q query
			var parts []string
			for range 1 + rng.IntN(2) {
				w := vocab[rng.IntN(len(vocab))]
				parts = append(parts, w)
				q.words = append(q.words, []string{w})
			}
			if rng.IntN(3) == 0 {
				a, b := vocab[rng.IntN(len(vocab))], vocab[rng.IntN(len(vocab))]
				parts = append(parts, `"`+a+" "+b+`"`)
				q.phrases = append(q.phrases, []string{a, b})
			}
			q.text = strings.Join(parts, " ")
			if rng.IntN(3) == 0 {
				q.since = bound()
			}
			if rng.IntN(3) == 0 {
				q.before = bound()
			}
			if rng.IntN(4) == 0 {
				q.section = paths[rng.IntN(len(paths))]
			}
			queries = append(queries, q)
		}
		secs, err := s.Sections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sectionID := func(path string) int64 {
			for _, sec := range secs {
				if sec.Path == path {
					return sec.ID
				}
			}
			t.Fatalf("no section %s", path)
			return 0
		}
		matches := func(g gen, q query) bool {
			if g.status != news.Published || (q.section != "" && g.section != q.section) ||
				(!q.since.IsZero() && g.pub.Before(q.since)) || (!q.before.IsZero() && !g.pub.Before(q.before)) {
				return false
			}
			for _, w := range q.words {
				if !slices.Contains(g.words, w[0]) {
					return false
				}
			}
			for _, p := range q.phrases {
				found := false
				for i := 0; i+1 < len(g.words); i++ {
					if g.words[i] == p[0] && g.words[i+1] == p[1] {
						found = true
					}
				}
				if !found {
					return false
				}
			}
			return true
		}
		run := func(t *testing.T, q query) []int64 {
			t.Helper()
			o := store.SearchOptions{Query: search.Parse(q.text), Now: searchDay, Limit: 100, Since: q.since, Before: q.before}
			if q.section != "" {
				o.SectionIDs = []int64{sectionID(q.section)}
			}
			var out []int64
			for {
				o.Offset = len(out)
				res, err := s.Search(ctx, o)
				if err != nil {
					t.Fatalf("%+v: %v", q, err)
				}
				for _, h := range res.Hits {
					out = append(out, h.Article.ID)
				}
				if len(res.Hits) < o.Limit {
					return out
				}
			}
		}
		ways := []struct {
			name string
			set  func() func()
		}{
			{"gin", func() func() { return func() {} }},
			{"walk", store.WalkFirstAlways},
		}
		for _, span := range []time.Duration{time.Microsecond, time.Hour, 20 * time.Hour, 3 * day, 40 * day, 3 * 365 * day, 60 * 365 * day, 200 * 365 * day} {
			ways = append(ways, struct {
				name string
				set  func() func()
			}{"window-" + span.String(), func() func() { return store.WindowAlways(span) }})
		}
		for qi, q := range queries {
			// The newest matches, newest first (ties: the higher id).
			var want []int64
			for i, g := range stories {
				if matches(g, q) {
					want = append(want, first+int64(i))
				}
			}
			slices.SortFunc(want, func(a, b int64) int {
				pa, pb := stories[a-first].pub, stories[b-first].pub
				if c := pb.Compare(pa); c != 0 {
					return c
				}
				return int(b - a)
			})
			want = want[:min(len(want), store.SearchCandidates)]
			slices.Sort(want)
			var base []int64
			for _, w := range ways {
				restore := w.set()
				got := run(t, q)
				restore()
				if w.name == "gin" {
					base = got
					set := slices.Clone(got)
					slices.Sort(set)
					if !slices.Equal(set, want) {
						t.Errorf("query %d %+v (%s): %d results, not the newest %d matches", qi, q, w.name, len(got), len(want))
					}
					continue
				}
				if !slices.Equal(got, base) {
					t.Errorf("query %d %+v: %s gives %d results %v, the whole archive %d %v", qi, q, w.name, len(got), head(got), len(base), head(base))
				}
			}
		}
	})
}

func indexOfStory(headline string) int {
	var i int
	fmt.Sscanf(headline, "Story %d", &i)
	return i
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 8)] }
