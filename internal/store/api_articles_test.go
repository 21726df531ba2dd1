package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// walk pages through APIArticles two at a time, by keyset, and returns the
// ids in the order they came; between the first and second page it calls
// between, if set.
func walk(t *testing.T, s *store.Store, f store.APIFilter, between func()) []int64 {
	t.Helper()
	f.Limit = 2
	var got []int64
	for page := 0; page < 20; page++ {
		list, err := s.APIArticles(ctx, f)
		if err != nil {
			t.Fatalf("APIArticles(%+v): %v", f, err)
		}
		for _, a := range list {
			if a.Status != news.Published {
				t.Errorf("article %d is %s, in a public list", a.ID, a.Status)
			}
			got = append(got, a.ID)
		}
		if len(list) < f.Limit {
			break
		}
		last := list[len(list)-1]
		f.After = store.Cursor{Time: last.PublishedAt, ID: last.ID}
		if f.Order == store.ByModified {
			f.After.Time = last.ModifiedAt
		}
		if page == 0 && between != nil {
			between()
		}
	}
	return got
}

func ids(list ...*news.Article) []int64 {
	var out []int64
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

func TestAPIArticles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		a1 := newArticle(t, s, "news/europe", "Ferry strike ends", t0, []string{"Ana Ruiz"}, []string{"Ferries"})
		a2 := newArticle(t, s, "news", "Budget passes", t0.Add(time.Hour), []string{"Bo Lind"}, []string{"Money"})
		a3 := newArticle(t, s, "news/europe", "Ferries return", t0.Add(2*time.Hour), []string{"Ana Ruiz", "Bo Lind"}, []string{"Ferries", "Money"})
		a4 := newArticle(t, s, "sport", "Cup final", t0.Add(3*time.Hour), []string{"Bo Lind"}, nil)
		// Two stories at the same second: the id breaks the tie.
		a5 := newArticle(t, s, "sport", "Cup parade", t0.Add(3*time.Hour), nil, []string{"Ferries"})
		draft := &news.Article{Headline: "Secret ferry plan", Slug: "secret-ferry-plan", Section: a1.Section, Status: news.Draft,
			Body: "d", BodyHTML: "<p>d</p>", Tags: a1.Tags, Bylines: a1.Bylines}
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, draft) }); err != nil {
			t.Fatal(err)
		}
		europe, news_ := a1.Section.ID, a2.Section.ID

		tests := []struct {
			name string
			f    store.APIFilter
			want []int64
		}{
			{"everything", store.APIFilter{}, ids(a5, a4, a3, a2, a1)},
			{"a section and its subsections", store.APIFilter{SectionIDs: []int64{news_, europe}}, ids(a3, a2, a1)},
			{"a section alone", store.APIFilter{SectionIDs: []int64{news_}}, ids(a2)},
			{"a tag", store.APIFilter{TagID: a1.Tags[0].ID}, ids(a5, a3, a1)},
			{"an author", store.APIFilter{AuthorID: a2.Bylines[0].ID}, ids(a4, a3, a2)},
			{"a tag and an author", store.APIFilter{TagID: a1.Tags[0].ID, AuthorID: a2.Bylines[0].ID}, ids(a3)},
			{"a tag in a section", store.APIFilter{TagID: a1.Tags[0].ID, SectionIDs: []int64{europe}}, ids(a3, a1)},
			{"published since", store.APIFilter{PublishedSince: t0.Add(2 * time.Hour)}, ids(a5, a4, a3)},
			{"published before", store.APIFilter{PublishedBefore: t0.Add(2 * time.Hour)}, ids(a2, a1)},
			{"a tag published since", store.APIFilter{TagID: a1.Tags[0].ID, PublishedSince: t0.Add(time.Minute)}, ids(a5, a3)},
			{"an author by modification", store.APIFilter{AuthorID: a1.Bylines[0].ID, Order: store.ByModified}, ids(a3, a1)},
			{"by modification", store.APIFilter{Order: store.ByModified}, ids(a5, a4, a3, a2, a1)},
			{"none", store.APIFilter{PublishedSince: t0.Add(time.Hour * 10)}, nil},
		}
		for _, tt := range tests {
			if got := walk(t, s, tt.f, nil); !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}

		// A whole article: Markdown, HTML, tags, corrections.
		if err := s.AddCorrections(ctx, a1.ID, []news.Correction{{At: t0.Add(time.Hour), Text: "The strike lasted two days."}}); err != nil {
			t.Fatal(err)
		}
		list, err := s.APIArticles(ctx, store.APIFilter{TagID: a1.Tags[0].ID, PublishedBefore: t0.Add(time.Minute)})
		if err != nil || len(list) != 1 {
			t.Fatalf("a1 alone: %v, %v", list, err)
		}
		if a := list[0]; a.Body == "" || a.BodyHTML == "" || len(a.Tags) != 1 || len(a.Bylines) != 1 || len(a.Corrections) != 1 {
			t.Errorf("a1 read as %+v: want its body, HTML, tag, byline and correction", a)
		}

		// A story published while an app pages through the list does not
		// shift the pages after the first: it is newer than the cursor.
		got := walk(t, s, store.APIFilter{}, func() {
			newArticle(t, s, "news", "Late news", t0.Add(5*time.Hour), nil, nil)
		})
		if want := ids(a5, a4, a3, a2, a1); !slices.Equal(got, want) {
			t.Errorf("paging while a story is published: %v, want %v", got, want)
		}

		// An edit moves a story to the front of the list by modification,
		// and updated since finds it alone.
		time.Sleep(2 * time.Millisecond)
		mark := time.Now().UTC()
		a2.Summary = "Edited."
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a2) }); err != nil {
			t.Fatal(err)
		}
		got = walk(t, s, store.APIFilter{Order: store.ByModified, SectionIDs: []int64{news_, europe}}, nil)
		if len(got) != 4 || got[0] != a2.ID {
			t.Errorf("by modification after editing a2: %v, want a2 first of 4", got)
		}
		if got := walk(t, s, store.APIFilter{ModifiedSince: mark}, nil); !slices.Equal(got, ids(a2)) {
			t.Errorf("modified since the edit: %v, want a2 alone", got)
		}
		// So does a correction, which changes nothing else of the story.
		time.Sleep(2 * time.Millisecond)
		mark = time.Now().UTC()
		if err := s.AddCorrections(ctx, a3.ID, []news.Correction{{At: t0, Text: "Bo Lind's name was misspelled."}}); err != nil {
			t.Fatal(err)
		}
		if got := walk(t, s, store.APIFilter{Order: store.ByModified}, nil); len(got) == 0 || got[0] != a3.ID {
			t.Errorf("by modification after correcting a3: %v, want a3 first", got)
		}
		if got := walk(t, s, store.APIFilter{ModifiedSince: mark}, nil); !slices.Equal(got, ids(a3)) {
			t.Errorf("modified since the correction: %v, want a3 alone", got)
		}

		// Tags and authors with published articles; the draft's are not
		// counted, and a tag only a draft carries is not listed.
		secret, err := s.EnsureTag(ctx, "Secret merger")
		if err != nil {
			t.Fatal(err)
		}
		draft.Tags = append(draft.Tags, secret)
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, draft) }); err != nil {
			t.Fatal(err)
		}
		tags, err := s.PublishedTags(ctx)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, tg := range tags {
			counts[tg.Name] = tg.Articles
		}
		if len(counts) != 2 || counts["Ferries"] != 3 || counts["Money"] != 2 {
			t.Errorf("published tags: %v, want Ferries 3 and Money 2", counts)
		}
		authors, err := s.PublishedAuthors(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(authors) != 2 || authors[0].Name != "Ana Ruiz" || authors[0].Articles != 2 || authors[1].Articles != 3 {
			t.Errorf("published authors: %+v", authors)
		}
	})
}
