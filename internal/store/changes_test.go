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

// lastChangeKeys runs write and returns the keys of the one change it
// recorded.
func lastChangeKeys(t *testing.T, s *store.Store, write func() error) []string {
	t.Helper()
	before, err := s.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := write(); err != nil {
		t.Fatal(err)
	}
	changes, err := s.ChangesSince(ctx, before, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 {
		t.Fatalf("got %d changes, want 1: %+v", len(changes), changes)
	}
	return changes[0].Keys
}

// TestChangeKeys: each kind of change names the surrogate keys of every
// page it alters, before and after.
func TestChangeKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		a := newArticle(t, s, "news/europe", "Dam opens", t0, []string{"Ilse Fontaine"}, []string{"Rivers"})
		newArticle(t, s, "sport/football", "Cup final", t0, []string{"AFP"}, []string{"Finals"})
		sec := func(path string) news.Section {
			t.Helper()
			x, err := s.SectionByPath(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		news_, europe, sport, football := sec("news"), sec("news/europe"), sec("sport"), sec("sport/football")
		rivers, _ := s.TagBySlug(ctx, "rivers")
		finals, _ := s.TagBySlug(ctx, "finals")
		ilse, _ := s.AuthorBySlug(ctx, "ilse-fontaine")
		afp, _ := s.AuthorBySlug(ctx, "afp")

		tests := []struct {
			name     string
			write    func() error
			want     []string // among the keys
			dontWant []string
		}{
			{
				name: "an article moved to another section, retagged and rebylined",
				write: func() error {
					return s.InTx(ctx, func(tx *store.Store) error {
						b, err := tx.ArticleByID(ctx, a.ID)
						if err != nil {
							return err
						}
						b.Section, b.Tags, b.Bylines = football, []news.Tag{finals}, []news.Author{afp}
						return tx.SaveArticle(ctx, b)
					})
				},
				want: []string{news.ArticleKey(a.ID),
					news.SectionKey(europe.ID), news.SectionKey(news_.ID), // where it was
					news.SectionKey(football.ID), news.SectionKey(sport.ID), // where it is
					news.TagKey(rivers.ID), news.TagKey(finals.ID),
					news.AuthorKey(ilse.ID), news.AuthorKey(afp.ID),
					news.KeyHome, news.KeySitemap, news.KeyMissing},
				dontWant: []string{news.KeySite},
			},
			{
				name: "a correction",
				write: func() error {
					return s.AddCorrections(ctx, a.ID, []news.Correction{{At: t0.Add(time.Hour), Text: "The dam is on the Vessa."}})
				},
				want:     []string{news.ArticleKey(a.ID), news.SectionKey(football.ID), news.SectionKey(sport.ID), news.TagKey(finals.ID), news.KeyHome},
				dontWant: []string{news.SectionKey(europe.ID), news.KeySite},
			},
			{
				name: "unpublished",
				write: func() error {
					return s.MoveArticle(ctx, a.ID, store.Move{From: news.Published, To: news.Draft, At: t0.Add(2 * time.Hour)})
				},
				want: []string{news.ArticleKey(a.ID), news.SectionKey(football.ID), news.KeyHome, news.KeyMissing},
			},
			{
				name: "a draft saved: no public page shows it",
				write: func() error {
					return s.InTx(ctx, func(tx *store.Store) error {
						b, err := tx.ArticleByID(ctx, a.ID)
						if err != nil {
							return err
						}
						b.Headline = "Dam opens at last"
						return tx.SaveArticle(ctx, b)
					})
				},
				want:     []string{news.ArticleKey(a.ID)},
				dontWant: []string{news.KeyHome, news.SectionKey(football.ID), news.TagKey(finals.ID), news.KeySite},
			},
			{
				name:  "top stories reordered",
				write: func() error { return s.SetTopStories(ctx, nil) },
				want:  []string{news.KeyHome}, dontWant: []string{news.KeySite, news.KeyLayout},
			},
			{
				name:  "a tag renamed",
				write: func() error { return s.RenameTag(ctx, rivers.ID, "Rivers and lakes") },
				want:  []string{news.TagKey(rivers.ID), news.KeyLists}, dontWant: []string{news.KeySite},
			},
			{
				name: "an author renamed",
				write: func() error {
					ilse.Name = "Ilse Fontaine-Roth"
					return s.UpdateAuthor(ctx, ilse)
				},
				want: []string{news.AuthorKey(ilse.ID), news.KeyLists}, dontWant: []string{news.KeySite},
			},
			{
				name: "a section renamed: its subtree's feeds and every page's navigation",
				write: func() error {
					x := sport
					x.Name = "Sports"
					return s.UpdateSection(ctx, x)
				},
				want:     []string{news.SectionKey(sport.ID), news.SectionKey(football.ID), news.KeyLayout},
				dontWant: []string{news.SectionKey(news_.ID), news.KeySite},
			},
			{
				name:  "sections reordered",
				write: func() error { return s.MoveSectionBy(ctx, sport.ID, -1) },
				want:  []string{news.KeyLayout}, dontWant: []string{news.KeySite},
			},
			{
				name: "a section moved: every address under it",
				write: func() error {
					x := football
					x.ParentID = news_.ID
					return s.EditSection(ctx, &x)
				},
				want: []string{news.KeySite},
			},
			{
				name:  "a setting",
				write: func() error { return s.SetSetting(ctx, "site.name", "Meridian 24") },
				want:  []string{news.KeySite},
			},
		}
		for _, tt := range tests {
			got := lastChangeKeys(t, s, tt.write)
			for _, k := range tt.want {
				if !slices.Contains(got, k) {
					t.Errorf("%s: keys %q lack %q", tt.name, strings.Join(got, " "), k)
				}
			}
			for _, k := range tt.dontWant {
				if slices.Contains(got, k) {
					t.Errorf("%s: keys %q hold %q", tt.name, strings.Join(got, " "), k)
				}
			}
		}
	})
}

// TestChangeKeysBound: a bulk import past the bound records "site"; a
// small one names exactly the lists its articles join.
func TestChangeKeysBound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		sec, err := s.EnsureSectionPath(ctx, "news")
		if err != nil {
			t.Fatal(err)
		}
		var list []*news.Article
		for i := range 300 {
			h := fmt.Sprintf("Bulk story %d", i)
			list = append(list, &news.Article{Headline: h, Slug: news.Slugify(h), Section: sec, Status: news.Published, PublishedAt: t0})
		}
		got := lastChangeKeys(t, s, func() error {
			return s.InTx(ctx, func(tx *store.Store) error { return tx.InsertArticles(ctx, list) })
		})
		if !slices.Equal(got, []string{news.KeySite}) {
			t.Errorf("a bulk import of 300: got keys %q, want just site", got)
		}
		few := []*news.Article{{Headline: "One more", Slug: "one-more", Section: sec, Status: news.Published, PublishedAt: t0}}
		got = lastChangeKeys(t, s, func() error {
			return s.InTx(ctx, func(tx *store.Store) error { return tx.InsertArticles(ctx, few) })
		})
		if want := []string{news.ArticleKey(few[0].ID), news.SectionKey(sec.ID), news.KeyHome, news.KeySitemap, news.KeyMissing}; !slices.Equal(got, want) {
			t.Errorf("a bulk import of 1: got keys %q, want %q", got, want)
		}
	})
}

// TestChangePositionSeesLateCommits: on PostgreSQL a change can commit
// after one with a higher id. The newest id alone does not move then; the
// Position does.
func TestChangePositionSeesLateCommits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for range 3 {
			if err := s.SetSettings(ctx, map[string]string{news.SettingName: "Meridian " + fmt.Sprint(time.Now().UnixNano())}); err != nil {
				t.Fatal(err)
			}
		}
		last, err := s.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The change below the newest was still in flight.
		if err := s.ChangeRows(ctx, `DELETE FROM changes WHERE id = $1`, last-1); err != nil {
			t.Fatal(err)
		}
		before, err := s.ChangePosition(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if before.ID != last {
			t.Fatalf("position %+v, want the newest id %d", before, last)
		}
		// Now it commits.
		if err := s.ChangeRows(ctx, `INSERT INTO changes (id, at, what) VALUES ($1, $2, 'home')`, last-1, time.Now().UnixMicro()); err != nil {
			t.Fatal(err)
		}
		after, err := s.ChangePosition(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after.ID != last || after == before {
			t.Errorf("after a late commit: position %+v, before %+v: want the same id and a move", after, before)
		}
	})
}
