package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// A save that publishes a story (an import) while another instance is
// setting its embargo is refused, as a move is
// (TestEmbargoSetWhilePublishing): the embargo is looked at again after
// the save's UPDATE, which waited for the row SetEmbargo locked.
func TestEmbargoSetWhileAnImportPublishes(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		var inst [2]*store.Store
		for i := range inst {
			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			inst[i] = s
		}
		u := newUser(t, inst[0], "ed@example.org", news.Editor)
		e := newDraft(t, inst[0], u, "news/world", "Merger announced", "Text.")
		now := time.Now().UTC()
		set := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- inst[0].InTx(ctx, func(tx *store.Store) error {
				if _, err := tx.SetEmbargo(ctx, e.Article.ID, now.Add(time.Hour)); err != nil {
					return err
				}
				close(set)
				// Held open while the other instance saves.
				time.Sleep(300 * time.Millisecond)
				return nil
			})
		}()
		<-set
		err := inst[1].InTx(ctx, func(tx *store.Store) error {
			a, err := tx.ArticleByID(ctx, e.Article.ID)
			if err != nil {
				return err
			}
			a.Status, a.PublishedAt = news.Published, now
			return tx.SaveArticle(ctx, a)
		})
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if news.ErrorCode(err) != news.ECONFLICT || !strings.Contains(news.ErrorMessage(err), "under embargo") {
			t.Errorf("publishing by a save while the embargo was being set: %v, want refused", err)
		}
		if a, _ := inst[0].ArticleByID(ctx, e.Article.ID); a.Status != news.Draft {
			t.Errorf("the story is %s", a.Status)
		}
	})
}
