package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// searchDay is "today" for the search tests: recency counts from it.
var searchDay = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// story is an article for the search tests.
type story struct {
	path, headline, summary, body string
	age                           time.Duration // before searchDay
	status                        news.Status   // default published
}

// saveStory saves st and returns it with its ID.
func saveStory(t *testing.T, s *store.Store, st story) *news.Article {
	t.Helper()
	if st.path == "" {
		st.path = "news/world"
	}
	if st.status == "" {
		st.status = news.Published
	}
	var a *news.Article
	err := s.InTx(ctx, func(tx *store.Store) error {
		sec, err := tx.EnsureSectionPath(ctx, st.path)
		if err != nil {
			return err
		}
		a = &news.Article{Headline: st.headline, Slug: news.Slugify(st.headline), Summary: st.summary,
			Section: sec, Status: st.status, Body: st.body, BodyHTML: "<p>" + st.body + "</p>"}
		if st.status == news.Published {
			a.PublishedAt = searchDay.Add(-st.age)
		}
		return tx.SaveArticle(ctx, a)
	})
	if err != nil {
		t.Fatalf("saving %q: %v", st.headline, err)
	}
	return a
}

// find searches and returns the headlines found, best first.
func find(t *testing.T, s *store.Store, query string, opts ...func(*store.SearchOptions)) []string {
	t.Helper()
	o := store.SearchOptions{Query: search.Parse(query), Now: searchDay, Limit: 100}
	for _, f := range opts {
		f(&o)
	}
	res, err := s.Search(ctx, o)
	if err != nil {
		t.Fatalf("Search(%q): %v", query, err)
	}
	if len(res.Hits) > res.Total {
		t.Errorf("Search(%q): %d hits but a total of %d", query, len(res.Hits), res.Total)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Article.Headline)
	}
	return out
}

// eachRanking runs check once per way the engine finds and ranks: on
// SQLite, by bm25 and as for a query with a very common word; on
// PostgreSQL, from the GIN index and from a walk over the newest stories
// first (with the GIN index after it when the walk finds too few).
func eachRanking(t *testing.T, s *store.Store, check func(t *testing.T)) {
	t.Helper()
	t.Run("ranked", check)
	if s.Engine() == "sqlite" {
		t.Run("common", func(t *testing.T) {
			defer store.RankAllWordsAsCommon()()
			check(t)
		})
	} else {
		t.Run("walk", func(t *testing.T) {
			defer store.WalkFirstAlways()()
			check(t)
		})
		// The windows of the newest stories before the GIN index: one
		// that reaches past every story, and one short enough that both
		// windows usually hold too few and the whole archive is searched.
		for _, span := range []time.Duration{100 * 365 * 24 * time.Hour, 2 * time.Hour} {
			t.Run("window-"+span.String(), func(t *testing.T) {
				defer store.WindowAlways(span)()
				check(t)
			})
		}
	}
}

func wantFound(t *testing.T, query string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("search %q found\n\t%q\nwant\n\t%q", query, got, want)
	}
}

func TestSearchRanking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// Saved first, so a lower id: only relevance can put them first.
		saveStory(t, s, story{headline: "Lighthouse keepers strike", body: "Keepers walked out on Monday.", age: 48 * time.Hour})
		saveStory(t, s, story{headline: "Ferry timetable changes", body: "The ferry passes the old lighthouse twice a day.", age: 48 * time.Hour})
		saveStory(t, s, story{headline: "Port news", summary: "A lighthouse for the north pier.", body: "Work starts in spring.", age: 48 * time.Hour})
		// Equal text: the more recent story first, though saved first.
		saveStory(t, s, story{path: "news/europe", headline: "Glacier report one", body: "The glacier retreated by forty metres.", age: 24 * time.Hour})
		saveStory(t, s, story{path: "news/europe", headline: "Glacier report two", body: "The glacier retreated by forty metres.", age: 3 * 365 * 24 * time.Hour})
		// A fresh story that only mentions the word, and an old one about it.
		saveStory(t, s, story{headline: "Inspectors visit the river", body: "The inspectors walked past the old dam.", age: 24 * time.Hour})
		saveStory(t, s, story{headline: "Old dam to be demolished", body: "Work on the dam begins in spring.", age: 2 * 365 * 24 * time.Hour})
		eachRanking(t, s, func(t *testing.T) {
			wantFound(t, "lighthouse", find(t, s, "lighthouse"),
				[]string{"Lighthouse keepers strike", "Port news", "Ferry timetable changes"})
			wantFound(t, "retreated", find(t, s, "retreated"), []string{"Glacier report one", "Glacier report two"})
			wantFound(t, "dam", find(t, s, "dam"), []string{"Old dam to be demolished", "Inspectors visit the river"})
		})
	})
}

func TestSearchLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		saveStory(t, s, story{headline: "Border deal", body: "Both governments are recognizing the new border."})
		saveStory(t, s, story{headline: "Velmora’s café culture", body: "Queues outside every café in the old town."})
		saveStory(t, s, story{headline: "Cafe owners protest", body: "Owners of the cafe chain marched."})
		saveStory(t, s, story{headline: "Grain corridor reopens", body: "Ships used the grain corridor again on Monday."})
		saveStory(t, s, story{headline: "Corridor of power", body: "The grain price rose in the corridor of the exchange."})
		saveStory(t, s, story{headline: "Mail service", body: "Complaints by e-mail rose sharply."})
		tests := []struct {
			query string
			want  []string
		}{
			{"recognize", []string{"Border deal"}},
			{"recognized", []string{"Border deal"}},
			{"RECOGNIZES", []string{"Border deal"}},
			{"cafe", []string{"Cafe owners protest", "Velmora’s café culture"}},
			{"café", []string{"Cafe owners protest", "Velmora’s café culture"}},
			{"cafés", []string{"Cafe owners protest", "Velmora’s café culture"}},
			{`"grain corridor"`, []string{"Grain corridor reopens"}},
			{`“grain corridor”`, []string{"Grain corridor reopens"}},
			{`grain corridor`, []string{"Corridor of power", "Grain corridor reopens"}},
			{`"corridor grain"`, nil},
			{`e-mail`, []string{"Mail service"}},
			{`velmora's`, []string{"Velmora’s café culture"}},
			{`recognize "grain corridor"`, nil},
		}
		eachRanking(t, s, func(t *testing.T) {
			for _, tt := range tests {
				got := find(t, s, tt.query)
				slices.Sort(got)
				wantFound(t, tt.query, got, tt.want)
			}
		})
	})
}

func TestSearchFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		day := 24 * time.Hour
		saveStory(t, s, story{path: "news", headline: "Flood warning for the delta", age: 1 * day})
		saveStory(t, s, story{path: "news/asia", headline: "Flood defences fail", age: 40 * day})
		saveStory(t, s, story{path: "news/asia/sundh", headline: "Flood victims return", age: 400 * day})
		saveStory(t, s, story{path: "business", headline: "Flood insurance costs", age: 2 * day})
		// Before 1970: PostgreSQL's index holds a day computed by a
		// division that truncates toward zero (migration 0028).
		saveStory(t, s, story{path: "culture", headline: "Flood of 1965",
			age: searchDay.Sub(time.Date(1965, 3, 10, 12, 0, 0, 0, time.UTC))})
		secs, err := s.Sections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tree := news.NewTree(secs)
		idOf := func(path string) int64 {
			for _, sec := range secs {
				if sec.Path == path {
					return sec.ID
				}
			}
			t.Fatalf("no section %s", path)
			return 0
		}
		inSection := func(path string) func(*store.SearchOptions) {
			return func(o *store.SearchOptions) { o.SectionIDs = tree.SubtreeIDs(idOf(path)) }
		}
		between := func(since, before time.Time) func(*store.SearchOptions) {
			return func(o *store.SearchOptions) { o.Since, o.Before = since, before }
		}
		tests := []struct {
			name string
			opt  func(*store.SearchOptions)
			want []string
		}{
			{"a section and its subsections", inSection("news/asia"), []string{"Flood defences fail", "Flood victims return"}},
			{"a top section", inSection("news"), []string{"Flood defences fail", "Flood victims return", "Flood warning for the delta"}},
			{"a leaf section", inSection("news/asia/sundh"), []string{"Flood victims return"}},
			{"since", between(searchDay.Add(-3*day), time.Time{}), []string{"Flood insurance costs", "Flood warning for the delta"}},
			{"before", between(time.Time{}, searchDay.Add(-300*day)), []string{"Flood of 1965", "Flood victims return"}},
			{"before, within a day before 1970", between(time.Time{}, time.Date(1965, 3, 10, 13, 0, 0, 0, time.UTC)), []string{"Flood of 1965"}},
			{"since and before, within a day before 1970", between(time.Date(1965, 3, 10, 11, 0, 0, 0, time.UTC), time.Date(1965, 3, 10, 12, 0, 0, 1000, time.UTC)), []string{"Flood of 1965"}},
			{"since, within a day", between(searchDay.Add(-2*day+time.Hour), time.Time{}), []string{"Flood warning for the delta"}},
			{"between", between(searchDay.Add(-41*day), searchDay.Add(-1*day)), []string{"Flood defences fail", "Flood insurance costs"}},
			{"the bounds: since inclusive, before exclusive", between(searchDay.Add(-2*day), searchDay.Add(-1*day)), []string{"Flood insurance costs"}},
			{"section and dates", func(o *store.SearchOptions) {
				inSection("news")(o)
				between(searchDay.Add(-100*day), time.Time{})(o)
			}, []string{"Flood defences fail", "Flood warning for the delta"}},
		}
		eachRanking(t, s, func(t *testing.T) {
			for _, tt := range tests {
				got := find(t, s, "flood", tt.opt)
				slices.Sort(got)
				wantFound(t, "flood ("+tt.name+")", got, tt.want)
			}
		})
	})
}

func TestSearchPagination(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// 25 stories, many with equal scores (same text, same day): the
		// order must still be total.
		for i := range 25 {
			saveStory(t, s, story{headline: fmt.Sprintf("Harbour report %02d", i), body: "The harbour was busy.",
				age: time.Duration(i%3) * 24 * time.Hour})
		}
		eachRanking(t, s, func(t *testing.T) {
			q := search.Parse("harbour")
			all, err := s.Search(ctx, store.SearchOptions{Query: q, Now: searchDay, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if all.Total != 25 || len(all.Hits) != 25 || all.More {
				t.Fatalf("one page of 100: %d hits, total %d (more: %v); want 25", len(all.Hits), all.Total, all.More)
			}
			var paged []int64
			for page := range 4 {
				res, err := s.Search(ctx, store.SearchOptions{Query: q, Now: searchDay, Offset: page * 10, Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != 25 {
					t.Errorf("page %d: total %d, want 25", page+1, res.Total)
				}
				again, err := s.Search(ctx, store.SearchOptions{Query: q, Now: searchDay.Add(5 * time.Hour), Offset: page * 10, Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(hitIDs(res), hitIDs(again)) {
					t.Errorf("page %d differs when asked again later the same day: %v, then %v", page+1, hitIDs(res), hitIDs(again))
				}
				paged = append(paged, hitIDs(res)...)
			}
			if !slices.Equal(paged, hitIDs(all)) {
				t.Errorf("pages of 10 give\n\t%v\nbut one page of 100 gives\n\t%v", paged, hitIDs(all))
			}
		})
	})
}

func hitIDs(r store.SearchResult) []int64 {
	var out []int64
	for _, h := range r.Hits {
		out = append(out, h.Article.ID)
	}
	return out
}

func TestSearchDraftsAndChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		pub := saveStory(t, s, story{headline: "Volcano erupts", body: "Ash fell on the villages."})
		draft := saveStory(t, s, story{headline: "Volcano draft", body: "Ash and lava, unchecked.", status: news.Draft})
		wantFound(t, "volcano", find(t, s, "volcano"), []string{"Volcano erupts"})
		got := find(t, s, "volcano", func(o *store.SearchOptions) { o.IncludeDrafts = true })
		slices.Sort(got)
		wantFound(t, "volcano (drafts too)", got, []string{"Volcano draft", "Volcano erupts"})

		// An edit: the old words are gone from the index, the new ones in.
		pub.Headline, pub.Body = "Eruption ends", "Quiet returned to the villages."
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, pub) }); err != nil {
			t.Fatal(err)
		}
		wantFound(t, "volcano after the edit", find(t, s, "volcano"), nil)
		wantFound(t, "eruption after the edit", find(t, s, "eruption"), []string{"Eruption ends"})
		wantFound(t, "ash after the edit", find(t, s, "ash"), nil)

		// Publishing the draft makes it public; unpublishing hides it.
		draft.Status, draft.PublishedAt = news.Published, searchDay
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, draft) }); err != nil {
			t.Fatal(err)
		}
		wantFound(t, "lava once published", find(t, s, "lava"), []string{"Volcano draft"})
		draft.Status = news.Draft
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, draft) }); err != nil {
			t.Fatal(err)
		}
		wantFound(t, "lava once unpublished", find(t, s, "lava"), nil)

		// A delete, by any path, leaves nothing behind in the index.
		if err := s.DeleteArticleRow(ctx, pub.ID); err != nil {
			t.Fatal(err)
		}
		wantFound(t, "eruption after the delete", find(t, s, "eruption"), nil)
		got = find(t, s, "villages quiet", func(o *store.SearchOptions) { o.IncludeDrafts = true })
		wantFound(t, "villages after the delete (drafts too)", got, nil)
	})
}

// TestSearchHostileInput runs queries written to break a search engine's
// parser. None may fail or find something the plain words would not.
func TestSearchHostileInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		saveStory(t, s, story{headline: "Senate passes budget", body: "The vote near midnight ended the deadlock."})
		inputs := []string{
			"", " ", `"`, `"""`, `""""`, `'`, `\`, `\"`, `*`, `**`, `^`, `:`, `&`, `|`, `!`, `(`, `)`, `()`, `-`, `+`,
			`NEAR`, `NEAR(`, `NEAR(senate budget, 2)`, `senate NEAR budget`, `senate AND`, `OR budget`, `NOT senate`,
			`senate*`, `*senate`, `^senate`, `headline:senate`, `{headline}:senate`, `- senate`, `senate -budget`,
			`senate & budget`, `senate | budget`, `!senate`, `senate:*`, `senate <-> budget`, `senate <2> budget`,
			`'senate' & !'budget'`, `senate'`, `"senate`, `senate"`, `"senate" "`, `(senate OR budget) AND NOT (x)`,
			"senate\x00budget", "\x00", "\xff\xfe\xfd", "sen\xffate", "senate\u202ebudget", "\u200b", "🙂 senate 🙂",
			`%`, `_`, `%senate%`, `'; DROP TABLE articles; --`, `$1`, `?`, `:1`, `@p`, `E'\x'`,
			strings.Repeat("senate ", 2000), strings.Repeat("a", 10000), strings.Repeat(`"`, 10000),
			strings.Repeat("(", 5000), strings.Repeat("x ", 5000), strings.Repeat("NEAR(", 2000),
			strings.Repeat("é", 5000), strings.Repeat("\u0301", 3000),
		}
		eachRanking(t, s, func(t *testing.T) {
			for _, in := range inputs {
				start := time.Now()
				res, err := s.Search(ctx, store.SearchOptions{Query: search.Parse(in), Now: searchDay})
				if err != nil {
					t.Errorf("Search(%.40q): %v", in, err)
					continue
				}
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("Search(%.40q) took %v", in, d)
				}
				for _, h := range res.Hits {
					if h.Article.Headline != "Senate passes budget" {
						t.Errorf("Search(%.40q) found %q", in, h.Article.Headline)
					}
				}
			}
		})
		// The store does not rely on the parser alone: a word that somehow
		// held quotes or operators is still only text.
		weird := search.Query{Parts: []search.Part{
			{Words: []string{`senate" OR "budget`}, Text: `senate" OR "budget`},
			{Words: []string{"a", `b") & !('c`}, Text: `b") & !('c`},
		}}
		if _, err := s.Search(ctx, store.SearchOptions{Query: weird, Now: searchDay}); err != nil {
			t.Errorf("a query of odd words: %v", err)
		}
	})
}

func TestSearchCandidatesLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		n := store.SearchCandidates + 5
		err := s.InTx(ctx, func(tx *store.Store) error {
			sec, err := tx.EnsureSectionPath(ctx, "news")
			if err != nil {
				return err
			}
			var list []*news.Article
			for i := range n {
				h := fmt.Sprintf("Parliament sits, day %d", i)
				list = append(list, &news.Article{Headline: h, Slug: news.Slugify(h), Section: sec, Status: news.Published,
					PublishedAt: searchDay.Add(time.Duration(i-n) * time.Hour), Body: "Parliament sat again."})
			}
			list = append(list, &news.Article{Headline: "Rare comet seen", Slug: "rare-comet-seen", Section: sec,
				Status: news.Published, PublishedAt: searchDay.Add(-time.Hour), Body: "The comet passed."})
			return tx.InsertArticles(ctx, list)
		})
		if err != nil {
			t.Fatal(err)
		}
		newest200 := func(t *testing.T) {
			res, err := s.Search(ctx, store.SearchOptions{Query: search.Parse("parliament"), Now: searchDay})
			if err != nil {
				t.Fatal(err)
			}
			if !res.More || res.Total != store.SearchCandidates {
				t.Errorf("a word in %d stories: total %d, more %v; want %d and more", n, res.Total, res.More, store.SearchCandidates)
			}
			// Only the newest were ranked: the oldest five are not among them.
			last, err := s.Search(ctx, store.SearchOptions{Query: search.Parse("parliament"), Now: searchDay,
				Offset: store.SearchCandidates - 10, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(last.Hits) != 10 {
				t.Errorf("the last page has %d hits, want 10", len(last.Hits))
			}
			for _, h := range last.Hits {
				var day int
				fmt.Sscanf(h.Article.Headline, "Parliament sits, day %d", &day)
				if day < 5 {
					t.Errorf("%q is among the ranked, but it is one of the five oldest", h.Article.Headline)
				}
			}
			past, err := s.Search(ctx, store.SearchOptions{Query: search.Parse("parliament"), Now: searchDay, Offset: 5000})
			if err != nil || len(past.Hits) != 0 || past.Total != store.SearchCandidates {
				t.Errorf("past the last page: %d hits, total %d, err %v; want none of %d", len(past.Hits), past.Total, err, store.SearchCandidates)
			}
			comet := find(t, s, "comet")
			wantFound(t, "comet", comet, []string{"Rare comet seen"})
		}
		eachRanking(t, s, newest200)
		if s.Engine() == "postgres" {
			// The stories are an hour apart: a first window of 300 hours
			// holds 200 of them; one of 100 does not, and the second,
			// eight times as long, does; one of 10 hours and its second
			// of 80 do not, and the whole archive is searched.
			for _, span := range []time.Duration{300 * time.Hour, 100 * time.Hour, 10 * time.Hour} {
				t.Run("window-"+span.String(), func(t *testing.T) {
					defer store.WindowAlways(span)()
					newest200(t)
				})
			}
		}
		if s.Engine() != "postgres" {
			return
		}
		// PostgreSQL walks the newest stories first only for words common
		// enough, by the statistics ANALYZE gathers.
		if err := s.OptimizeSearch(ctx); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			query string
			walk  bool
		}{{"parliament", true}, {"parliament sat", true}, {"comet", false}, {"parliament comet", false}, {`"rare comet"`, false}} {
			walk, err := s.WalkFirst(ctx, search.Parse(tt.query))
			if err != nil || walk != tt.walk {
				t.Errorf("walk first for %q: %v, %v; want %v", tt.query, walk, err, tt.walk)
			}
		}
	})
}

// TestSearchVectorBound: on PostgreSQL a story's search vector holds its
// headline, its summary and the first 64 KiB of its body (migration
// 0022): a word early in a long body finds it, a word past the bound does
// not. SQLite indexes the whole body.
func TestSearchVectorBound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		filler := strings.Repeat("the harbour pilots waited for the tide. ", 70<<10/40)
		saveStory(t, s, story{headline: "A long report", body: "zanzibarite " + filler + " quetzalcoatlite"})
		if got := find(t, s, "zanzibarite"); !slices.Equal(got, []string{"A long report"}) {
			t.Errorf("a word at the start of the body: found %q", got)
		}
		got := find(t, s, "quetzalcoatlite")
		switch s.Engine() {
		case "postgres":
			if len(got) != 0 {
				t.Errorf("a word past the body's first 64 KiB: found %q, want nothing on PostgreSQL", got)
			}
		default:
			if !slices.Equal(got, []string{"A long report"}) {
				t.Errorf("a word past 64 KiB on SQLite: found %q, want the story", got)
			}
		}
	})
}
