package ingest_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestImportNeverBreaksAnEmbargo: a story the newsroom holds under embargo
// is not published by an import of a file at its address, dated in the
// past (published at once) or before the embargo (scheduled before it);
// each import is refused naming the embargo, and the story stays a draft.
// Dated at the embargo, the import schedules it for then.
func TestImportNeverBreaksAnEmbargo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
		e.im.Now = func() time.Time { return now }
		sec, err := s.EnsureSectionPath(ctx, "news")
		if err != nil {
			t.Fatal(err)
		}
		ed := &news.Editorial{Article: &news.Article{Headline: "Rate decision", Slug: "rate-decision", Section: sec, Body: "Held.", BodyHTML: "<p>Held.</p>", Status: news.Draft}}
		if err := s.InTx(ctx, func(tx *store.Store) error { _, err := tx.SaveEditorial(ctx, ed, store.Save{}); return err }); err != nil {
			t.Fatal(err)
		}
		until := now.Add(3 * time.Hour)
		if _, err := s.SetEmbargo(ctx, ed.Article.ID, until); err != nil {
			t.Fatal(err)
		}
		file := func(date time.Time) fstest.MapFS {
			return fstest.MapFS{"a.md": {Data: []byte("---\ntitle: \"Rate decision\"\nslug: rate-decision\ndate: " + date.Format(time.RFC3339) + "\nsection: news\n---\nRates are cut.\n")}}
		}
		for _, date := range []time.Time{now.Add(-time.Hour), until.Add(-time.Minute)} {
			r := e.im.Import(ctx, file(date), "a.md")
			if r.Err == nil || !strings.Contains(r.Err.Error(), "under embargo until 8 Dec 2026 12:00 UTC") {
				t.Errorf("import dated %v: %v, want refused naming the embargo", date, r.Err)
			}
			if a, _ := s.ArticleByID(ctx, ed.Article.ID); a.Status != news.Draft || a.Body != "Held." {
				t.Fatalf("after the refused import the story is %s: %q", a.Status, a.Body)
			}
		}
		r := e.im.Import(ctx, file(until), "a.md")
		if r.Err != nil || r.Status != news.Scheduled || !r.PublishAt.Equal(until) {
			t.Errorf("import dated at the embargo: %+v", r)
		}
	})
}
