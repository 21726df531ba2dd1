package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

func TestCopyToPostgres(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		src, err := store.Open(ctx, filepath.Join(t.TempDir(), "src.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		var last *news.Article
		for i, path := range []string{"news/world", "news/europe", "business/markets", "news/world"} {
			last = newArticle(t, src, path, "Story "+string(rune('A'+i)), base.Add(time.Duration(i)*time.Hour), []string{"Mara Lindqvist", "AFP"}, []string{"Trade"})
		}
		if err := src.AddCorrections(ctx, last.ID, []news.Correction{{At: base, Text: "Fixed a name."}}); err != nil {
			t.Fatal(err)
		}
		if err := src.SetSetting(ctx, "site.name", "Meridian 24"); err != nil {
			t.Fatal(err)
		}

		dsn := testkit.FreshPostgres(t)
		dst, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer dst.Close()
		var seen []string
		rep, err := src.CopyTo(ctx, dst, func(table string, n int64) { seen = append(seen, table) })
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]store.TableCount{}
		for _, tc := range rep.Tables {
			byName[tc.Name] = tc
		}
		for table, want := range map[string]int64{"articles": 4, "sections": 5, "authors": 2, "corrections": 1, "article_authors": 8, "settings": 1} {
			if got := byName[table]; got.Target != want || got.Source != want {
				t.Errorf("%s: got %+v, want %d on both sides", table, got, want)
			}
		}
		// Parents come before the tables that reference them.
		pos := map[string]int{}
		for i, s := range seen {
			pos[s] = i
		}
		if pos["sections"] > pos["articles"] || pos["articles"] > pos["corrections"] {
			t.Errorf("copy order %v: sections, then articles, then corrections", seen)
		}
		got, err := dst.ArticleByID(ctx, last.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Headline != last.Headline || got.URL() != last.URL() || len(got.Bylines) != 2 || len(got.Corrections) != 1 {
			t.Errorf("copied article: %+v", got)
		}
		// New rows get new ids: the sequences moved past the copied ones.
		newArticle(t, dst, "news/world", "After the move", base.Add(10*time.Hour), []string{"New Reporter"}, nil)

		// A non-empty target is refused, and nothing is added to it.
		before, _ := dst.CountArticles(ctx)
		if _, err := src.CopyTo(ctx, dst, nil); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("copy into a non-empty database: got %v, want a conflict", err)
		}
		after, _ := dst.CountArticles(ctx)
		if after[news.Published] != before[news.Published] {
			t.Errorf("a refused copy changed the target: %v -> %v", before, after)
		}
	})
}
