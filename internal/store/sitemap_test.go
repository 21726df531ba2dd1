package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestSitemapPieces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		var want []int64
		for i := range 25 {
			a := newArticle(t, s, "news/europe", fmt.Sprintf("Story number %d", i), t0.Add(time.Duration(i)*time.Hour), nil, []string{"Rivers"})
			want = append(want, a.ID)
		}
		// A draft is in no piece.
		err := s.InTx(ctx, func(tx *store.Store) error {
			sec, _ := tx.SectionByPath(ctx, "news/europe")
			return tx.SaveArticle(ctx, &news.Article{Headline: "Unfinished", Slug: "unfinished", Section: sec, Status: news.Draft})
		})
		if err != nil {
			t.Fatal(err)
		}
		// A correction to story 3 moves its piece's lastmod.
		corrAt := t0.Add(100 * time.Hour)
		if err := s.AddCorrections(ctx, want[3], []news.Correction{{At: corrAt, Text: "A fix."}}); err != nil {
			t.Fatal(err)
		}

		pieces, err := s.SitemapPieces(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		wantMods := []time.Time{corrAt, t0.Add(19 * time.Hour), t0.Add(24 * time.Hour)}
		if len(pieces) != len(wantMods) {
			t.Fatalf("got %d pieces, want %d", len(pieces), len(wantMods))
		}
		for i := range pieces {
			if !pieces[i].Equal(wantMods[i]) {
				t.Errorf("piece %d lastmod: got %v, want %v", i, pieces[i], wantMods[i])
			}
		}

		var got []int64
		for p := range 4 {
			n := 0
			err := s.EachSitemapArticle(ctx, 10, p, func(a *store.SitemapArticle) error {
				n++
				got = append(got, a.ID)
				if a.URL() != "/news/europe/"+news.Slugify(a.Headline) {
					t.Errorf("article %d: URL %q", a.ID, a.URL())
				}
				if a.ID == want[3] && !a.LastMod.Equal(corrAt) {
					t.Errorf("corrected article: LastMod %v, want %v", a.LastMod, corrAt)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if wantN := []int{10, 10, 5, 0}[p]; n != wantN {
				t.Errorf("piece %d: %d articles, want %d", p, n, wantN)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("pieces in order: got %v, want %v", got, want)
		}
	})
}

func TestEachRecentArticle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
		for _, h := range []int{-72, -49, -48, -47, -1, 0, 2} {
			newArticle(t, s, "news", fmt.Sprintf("At %d hours", h), now.Add(time.Duration(h)*time.Hour), nil, nil)
		}
		var got []string
		err := s.EachRecentArticle(ctx, now.Add(-48*time.Hour), now, 10, func(a *store.SitemapArticle) error {
			got = append(got, a.Headline)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := "At 0 hours|At -1 hours|At -47 hours|At -48 hours"
		if strings.Join(got, "|") != want {
			t.Errorf("got %q, want %q", strings.Join(got, "|"), want)
		}
		got = nil
		s.EachRecentArticle(ctx, now.Add(-48*time.Hour), now, 2, func(a *store.SitemapArticle) error {
			got = append(got, a.Headline)
			return nil
		})
		if len(got) != 2 {
			t.Errorf("limit 2: got %d", len(got))
		}
	})
}

func TestListedPagesAndFullReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		a1 := newArticle(t, s, "news", "First", t0, []string{"Ilse Fontaine"}, []string{"Rivers", "Dams"})
		a2 := newArticle(t, s, "sport", "Second", t0.Add(time.Hour), []string{"AFP"}, []string{"Rivers"})
		before, err := s.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// A tag and an author only on a draft have no page.
		draft := &news.Article{Headline: "Draft", Slug: "draft", Status: news.Draft}
		err = s.InTx(ctx, func(tx *store.Store) error {
			sec, _ := tx.SectionByPath(ctx, "news")
			tg, _ := tx.EnsureTag(ctx, "Secret")
			au, _ := tx.EnsureAuthor(ctx, "Nobody Yet")
			draft.Section, draft.Tags, draft.Bylines = sec, []news.Tag{tg}, []news.Author{au}
			return tx.SaveArticle(ctx, draft)
		})
		if err != nil {
			t.Fatal(err)
		}
		var tags, authors []string
		s.EachListedTag(ctx, func(p store.ListedPage) error {
			tags = append(tags, p.Slug+"@"+p.LastMod.Format("15"))
			return nil
		})
		s.EachListedAuthor(ctx, func(p store.ListedPage) error {
			authors = append(authors, p.Slug)
			return nil
		})
		if got, want := strings.Join(tags, ","), "rivers@09,dams@08"; got != want {
			t.Errorf("tags: got %s, want %s", got, want)
		}
		if got, want := strings.Join(authors, ","), "afp,ilse-fontaine"; got != want {
			t.Errorf("authors: got %s, want %s", got, want)
		}
		mods, err := s.SectionLastMods(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(mods) != 2 || !mods[a1.Section.ID].Equal(t0) || !mods[a2.Section.ID].Equal(t0.Add(time.Hour)) {
			t.Errorf("section lastmods: %v", mods)
		}

		list, err := s.ArticlesByIDs(ctx, store.Full, []int64{a2.ID, 9999, a1.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != a2.ID || list[1].ID != a1.ID {
			t.Fatalf("ArticlesByIDs: got %d articles in the wrong order", len(list))
		}
		if list[1].BodyHTML != "<p>Body of First</p>" || len(list[1].Tags) != 2 || len(list[1].Bylines) != 1 {
			t.Errorf("ArticlesByIDs does not read whole articles: %+v", list[1])
		}

		changes, err := s.ChangesSince(ctx, before, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) == 0 || !slices.Contains(changes[len(changes)-1].Keys, news.ArticleKey(draft.ID)) {
			t.Errorf("ChangesSince: got %+v, want the draft's save last", changes)
		}
	})
}
