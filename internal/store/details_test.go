package store_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestDetailsOfSeveralArticles: the bylines, tags and corrections of
// whole articles, read together in one statement, go to their own
// article, each in its order: bylines as credited, tags by name,
// corrections by time.
func TestDetailsOfSeveralArticles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		at := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
		a := newArticle(t, s, "news", "Port strike ends", at, []string{"Zoe Quist", "AFP", "Anna Berg"}, []string{"Ports", "Labour", "Zeal"})
		b := newArticle(t, s, "news/world", "Bridge reopens", at.Add(time.Hour), []string{"Anna Berg"}, nil)
		c := newArticle(t, s, "news", "Quiet day", at.Add(2*time.Hour), nil, []string{"Weather"})
		late := news.Correction{At: at.Add(48 * time.Hour), Text: "The strike lasted nine days, not ten."}
		early := news.Correction{At: at.Add(24 * time.Hour), Text: "Anna Berg's name was misspelled."}
		if err := s.AddCorrections(ctx, a.ID, []news.Correction{late}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddCorrections(ctx, a.ID, []news.Correction{early}); err != nil {
			t.Fatal(err)
		}
		list, err := s.ArticlesByIDs(ctx, store.Full, []int64{c.ID, a.ID, b.ID})
		if err != nil {
			t.Fatal(err)
		}
		type details struct {
			bylines, tags []string
			agency        []bool
			corrections   []news.Correction
		}
		want := map[int64]details{
			a.ID: {[]string{"Zoe Quist", "AFP", "Anna Berg"}, []string{"Ports", "Labour", "Zeal"}, []bool{false, true, false}, []news.Correction{early, late}},
			b.ID: {[]string{"Anna Berg"}, nil, []bool{false}, nil},
			c.ID: {nil, []string{"Weather"}, nil, nil},
		}
		if len(list) != len(want) {
			t.Fatalf("%d articles, want %d", len(list), len(want))
		}
		for _, got := range list {
			w := want[got.ID]
			var names, tags []string
			var agency []bool
			for _, by := range got.Bylines {
				names, agency = append(names, by.Name), append(agency, by.Agency)
				if by.ID == 0 || by.Slug != news.Slugify(by.Name) {
					t.Errorf("%q: byline %+v", got.Headline, by)
				}
			}
			for _, tg := range got.Tags {
				tags = append(tags, tg.Name)
				if tg.ID == 0 || tg.Slug != news.Slugify(tg.Name) {
					t.Errorf("%q: tag %+v", got.Headline, tg)
				}
			}
			if !slices.Equal(names, w.bylines) || !slices.Equal(agency, w.agency) || !slices.Equal(tags, w.tags) || !slices.Equal(got.Corrections, w.corrections) {
				t.Errorf("%q: bylines %q (agency %v), tags %q, corrections %+v; want %q (%v), %q, %+v",
					got.Headline, names, agency, tags, got.Corrections, w.bylines, w.agency, w.tags, w.corrections)
			}
		}
	})
}

// TestPageLoadingLeavesOutOnlyTheSource: an article read as a Page (what
// the public site shows) is the article read Full but for the Markdown
// source, by path and by id, on both engines: HTML, SEO texts, tags,
// bylines, corrections and photo included.
func TestPageLoadingLeavesOutOnlyTheSource(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
		a := newArticle(t, s, "news/world", "Ferry timetable changes", at, []string{"Zoe Quist", "AFP"}, []string{"Ferries"})
		if err := s.AddCorrections(ctx, a.ID, []news.Correction{{At: at.Add(time.Hour), Text: "The first ferry leaves at six."}}); err != nil {
			t.Fatal(err)
		}
		e, err := s.Editorial(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.SEOTitle, e.SEODescription = "Ferry timetable: what changes", "New departure times from Monday."
		if _, err := s.SaveEditorial(ctx, e, store.Save{Base: e.Revision}); err != nil {
			t.Fatal(err)
		}
		full, err := s.ArticleByPath(ctx, store.Full, "news/world", a.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if full.Body == "" || full.BodyHTML == "" || full.SEOTitle == "" || len(full.Corrections) != 1 || len(full.Tags) != 1 || len(full.Bylines) != 2 {
			t.Fatalf("the full article lacks what the test compares: %+v", full)
		}
		page, err := s.ArticleByPath(ctx, store.Page, "news/world", a.Slug)
		if err != nil {
			t.Fatal(err)
		}
		byID, err := s.ArticlesByIDs(ctx, store.Page, []int64{a.ID})
		if err != nil || len(byID) != 1 {
			t.Fatalf("ArticlesByIDs(Page) = %v, %v", byID, err)
		}
		want := *full
		want.Body = ""
		for name, got := range map[string]*news.Article{"by path": page, "by id": byID[0]} {
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("%s, read as a Page:\n got %+v\nwant %+v", name, *got, want)
			}
		}
	})
}
