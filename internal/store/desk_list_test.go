package store_test

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// deskFixture is a small newsroom for the article list: stories in three
// sections (one a subsection), in three statuses, with bylines and tags,
// many sharing a headline or a time, so that ties are everywhere.
type deskFixture struct {
	all    []*news.Article
	europe news.Section // news/europe, under news
	news   news.Section
	ana    news.Author
	ferry  news.Tag
}

func newDeskFixture(t *testing.T, s *store.Store) deskFixture {
	t.Helper()
	var fx deskFixture
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	err := s.InTx(ctx, func(tx *store.Store) error {
		var err error
		if fx.news, err = tx.EnsureSectionPath(ctx, "news"); err != nil {
			return err
		}
		if fx.europe, err = tx.EnsureSectionPath(ctx, "news/europe"); err != nil {
			return err
		}
		sport, err := tx.EnsureSectionPath(ctx, "sport")
		if err != nil {
			return err
		}
		if fx.ana, err = tx.EnsureAuthor(ctx, "Ana Ruiz"); err != nil {
			return err
		}
		bo, err := tx.EnsureAuthor(ctx, "Bo Lind")
		if err != nil {
			return err
		}
		if fx.ferry, err = tx.EnsureTag(ctx, "Ferries"); err != nil {
			return err
		}
		money, err := tx.EnsureTag(ctx, "Money")
		if err != nil {
			return err
		}
		secs := []news.Section{fx.news, fx.europe, sport}
		statuses := []news.Status{news.Published, news.Draft, news.Published, news.Review}
		heads := []string{"Ferry strike", "Budget vote", "Harbour works", "Ferry strike"}
		for i := range 24 {
			a := &news.Article{Section: secs[i%3], Status: statuses[i%4],
				Headline: heads[i%4], Slug: "story-" + strconv.Itoa(i),
				Body: "Text of story " + strconv.Itoa(i), BodyHTML: "<p>Text</p>"}
			if a.Status == news.Published {
				// Pairs of stories share their publication time.
				a.PublishedAt = t0.Add(time.Duration(i/2) * 24 * time.Hour)
			}
			switch i % 3 {
			case 0:
				a.Bylines = []news.Author{fx.ana}
			case 1:
				a.Bylines = []news.Author{bo, fx.ana}
			}
			if i%2 == 0 {
				a.Tags = []news.Tag{fx.ferry}
			} else if i%5 == 0 {
				a.Tags = []news.Tag{money}
			}
			if i == 7 {
				a.Body = "The lighthouse keeper retires after forty years"
			}
			fx.all = append(fx.all, a)
		}
		return tx.InsertArticles(ctx, fx.all)
	})
	if err != nil {
		t.Fatal(err)
	}
	return fx
}

// deskWalk pages through the list size stories at a time and returns
// them in order.
func deskWalk(t *testing.T, s *store.Store, f store.DeskListFilter, size int) []*news.Editorial {
	t.Helper()
	f.Limit = size
	var out []*news.Editorial
	for range 100 {
		page, err := s.DeskList(ctx, f)
		if err != nil {
			t.Fatalf("DeskList(%+v): %v", f, err)
		}
		if len(page.Articles) > size {
			t.Fatalf("a page of %d, asked for %d", len(page.Articles), size)
		}
		out = append(out, page.Articles...)
		if page.Next.IsZero() {
			return out
		}
		// The key goes through the URL and back.
		if f.After, err = store.ParseDeskKey(page.Next.String(), f.Sort); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatal("more than 100 pages")
	return nil
}

func editorialIDs(list []*news.Editorial) []int64 {
	out := make([]int64, len(list))
	for i, e := range list {
		out[i] = e.Article.ID
	}
	return out
}

// wantIDs is the ids of the fixture's stories keep keeps, in id order.
func (fx deskFixture) wantIDs(keep func(*news.Article) bool) []int64 {
	var out []int64
	for _, a := range fx.all {
		if keep(a) {
			out = append(out, a.ID)
		}
	}
	slices.Sort(out)
	return out
}

func hasAuthor(a *news.Article, id int64) bool {
	return slices.ContainsFunc(a.Bylines, func(x news.Author) bool { return x.ID == id })
}

func hasTag(a *news.Article, id int64) bool {
	return slices.ContainsFunc(a.Tags, func(x news.Tag) bool { return x.ID == id })
}

func TestDeskListFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fx := newDeskFixture(t, s)
		t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		inNews := func(a *news.Article) bool { return a.Section.ID == fx.news.ID || a.Section.ID == fx.europe.ID }
		cases := []struct {
			name string
			f    store.DeskListFilter
			keep func(*news.Article) bool
		}{
			{"all", store.DeskListFilter{}, func(*news.Article) bool { return true }},
			{"section with its subsections", store.DeskListFilter{SectionIDs: []int64{fx.news.ID, fx.europe.ID}}, inNews},
			{"subsection", store.DeskListFilter{SectionIDs: []int64{fx.europe.ID}}, func(a *news.Article) bool { return a.Section.ID == fx.europe.ID }},
			{"author", store.DeskListFilter{AuthorID: fx.ana.ID}, func(a *news.Article) bool { return hasAuthor(a, fx.ana.ID) }},
			{"tag", store.DeskListFilter{TagID: fx.ferry.ID}, func(a *news.Article) bool { return hasTag(a, fx.ferry.ID) }},
			{"status", store.DeskListFilter{Statuses: []news.Status{news.Draft, news.Review}}, func(a *news.Article) bool { return a.Status != news.Published }},
			{"published range", store.DeskListFilter{From: t0.AddDate(0, 0, 2), To: t0.AddDate(0, 0, 6)}, func(a *news.Article) bool {
				return a.Status == news.Published && !a.PublishedAt.Before(t0.AddDate(0, 0, 2)) && a.PublishedAt.Before(t0.AddDate(0, 0, 6))
			}},
			{"updated range", store.DeskListFilter{DateField: store.DateUpdated, From: time.Now().Add(-time.Hour), To: time.Now().Add(time.Hour)},
				func(*news.Article) bool { return true }},
			{"updated range, none", store.DeskListFilter{DateField: store.DateUpdated, To: t0}, func(*news.Article) bool { return false }},
			{"together", store.DeskListFilter{SectionIDs: []int64{fx.news.ID, fx.europe.ID}, AuthorID: fx.ana.ID, TagID: fx.ferry.ID,
				Statuses: []news.Status{news.Published}, From: t0, To: t0.AddDate(0, 0, 9)},
				func(a *news.Article) bool {
					return inNews(a) && hasAuthor(a, fx.ana.ID) && hasTag(a, fx.ferry.ID) && a.Status == news.Published && a.PublishedAt.Before(t0.AddDate(0, 0, 9))
				}},
			{"text", store.DeskListFilter{Text: search.Parse("ferry strike")}, func(a *news.Article) bool { return a.Headline == "Ferry strike" }},
			{"text in the body", store.DeskListFilter{Text: search.Parse("lighthouse")}, func(a *news.Article) bool { return a.Slug == "story-7" }},
			{"text and section", store.DeskListFilter{Text: search.Parse("ferry"), SectionIDs: []int64{fx.europe.ID}},
				func(a *news.Article) bool { return a.Headline == "Ferry strike" && a.Section.ID == fx.europe.ID }},
			{"text and status", store.DeskListFilter{Text: search.Parse("strike"), Statuses: []news.Status{news.Review}},
				func(a *news.Article) bool { return a.Headline == "Ferry strike" && a.Status == news.Review }},
		}
		for _, c := range cases {
			c.f.Scope = news.EveryArticle()
			got := editorialIDs(deskWalk(t, s, c.f, 5))
			slices.Sort(got)
			want := fx.wantIDs(c.keep)
			if !slices.Equal(got, want) {
				t.Errorf("%s: got %v, want %v", c.name, got, want)
			}
			if len(want) == 0 && c.name != "updated range, none" {
				t.Errorf("%s: the fixture has no story for it", c.name)
			}
		}
		// The zero scope lists nothing.
		if page, err := s.DeskList(ctx, store.DeskListFilter{}); err != nil || len(page.Articles) != 0 {
			t.Errorf("zero scope: %d stories, %v", len(page.Articles), err)
		}
	})
}

// deskValue is the sort column's value of e, as the list orders by it.
func deskValue(e *news.Editorial, c store.DeskSort) (string, int64) {
	a := e.Article
	switch c {
	case store.SortHeadline:
		return a.Headline, 0
	case store.SortSection:
		return a.Section.Path, 0
	case store.SortStatus:
		return string(a.Status), 0
	case store.SortAuthor:
		if len(a.Bylines) == 0 {
			return "", 0
		}
		return a.Bylines[0].Name, 0
	case store.SortPublished:
		if a.PublishedAt.IsZero() {
			return "", 0
		}
		return "", a.PublishedAt.UnixMicro()
	}
	return "", a.ModifiedAt.UnixMicro()
}

func TestDeskListSortsAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fx := newDeskFixture(t, s)
		every := fx.wantIDs(func(*news.Article) bool { return true })
		// By author, a few stories are sorted in one statement and many
		// by a walk of the authors: both ways, in the same order.
		for _, walk := range []bool{false, true} {
			if walk {
				defer store.SetAuthorSortSet(0)()
			}
			for _, c := range store.DeskSorts {
				for _, desc := range []bool{false, true} {
					name := fmt.Sprintf("%s desc=%v walk=%v", c, desc, walk)
					for _, size := range []int{1, 3, 7} {
						list := deskWalk(t, s, store.DeskListFilter{Scope: news.EveryArticle(), Sort: c, Desc: desc}, size)
						got := editorialIDs(list)
						sorted := slices.Clone(got)
						slices.Sort(sorted)
						if !slices.Equal(sorted, every) {
							t.Errorf("%s, pages of %d: got %v, want each of %v once", name, size, got, every)
							continue
						}
						for i := 1; i < len(list); i++ {
							ps, pn := deskValue(list[i-1], c)
							s, n := deskValue(list[i], c)
							o := cmp.Or(cmp.Compare(ps, s), cmp.Compare(pn, n), cmp.Compare(list[i-1].Article.ID, list[i].Article.ID))
							if desc {
								o = -o
							}
							if c == store.SortAuthor && (ps == "") != (s == "") {
								// Stories without a byline come last, either way.
								o = map[bool]int{true: 1, false: -1}[ps == ""]
							}
							if o >= 0 {
								t.Errorf("%s, pages of %d: story %d (%q %d) before story %d (%q %d)", name, size,
									list[i-1].Article.ID, ps, pn, list[i].Article.ID, s, n)
							}
						}
					}
				}
			}
		}
	})
}

func TestDeskListRefusesABadPlace(t *testing.T) {
	for _, c := range []struct {
		s    string
		sort store.DeskSort
	}{{"", store.SortUpdated}, {"12", store.SortHeadline}, {"x:abc", store.SortHeadline}, {"0:abc", store.SortHeadline},
		{"12:yesterday", store.SortUpdated}, {"12:1.5", store.SortPublished}} {
		_, err := store.ParseDeskKey(c.s, c.sort)
		var e *news.Error
		if !errors.As(err, &e) || e.Code != news.EINVALID || e.Field != "after" {
			t.Errorf("ParseDeskKey(%q, %s): got %v, want an error naming after", c.s, c.sort, err)
		}
	}
	k, err := store.ParseDeskKey("12:a:b", store.SortHeadline)
	if err != nil || k.ID != 12 || k.Value != "a:b" {
		t.Errorf("ParseDeskKey(12:a:b) = %+v, %v", k, err)
	}
}

// TestDeskListByAuthorTakesFewStatements: sorting a writer's few stories by
// author takes a statement or two, not one for each author of the site.
func TestDeskListByAuthorTakesFewStatements(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, err := store.OpenWith(ctx, dsn, store.Options{CountQueries: true})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		fx := newDeskFixture(t, st)
		for i := range 300 {
			if _, err := st.EnsureAuthor(ctx, fmt.Sprintf("Author %03d", i)); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range []store.DeskListFilter{
			{Scope: news.WriterArticles(999999), Sort: store.SortAuthor},
			{Scope: news.EveryArticle(), TagID: fx.ferry.ID, Sort: store.SortAuthor, Desc: true},
		} {
			before := st.Queries()
			if _, err := st.DeskList(ctx, f); err != nil {
				t.Fatal(err)
			}
			if n := st.Queries() - before; n > 10 {
				t.Errorf("%+v: %d statements for a page sorted by author, want a few (a page itself takes five or six)", f, n)
			}
		}
	})
}
