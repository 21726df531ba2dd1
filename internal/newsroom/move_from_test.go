package newsroom_test

import (
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// A move that says where the story must be moves it only from there:
// Send back reads a story in review, and a publish committed before its
// move must not be undone by it (the story taken off the site as "sent
// back"). Without From, a move takes the story from wherever it is.
func TestMoveFromOnlyFromThere(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		u := &news.User{Email: "ed@example.org", Name: "Ed", Role: news.Editor, PasswordHash: "x"}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		sec, err := st.EnsureSectionPath(ctx, "city")
		if err != nil {
			t.Fatal(err)
		}
		who := newsroom.Actor{User: u}
		now := time.Now().UTC().Truncate(time.Second)
		var id int64
		err = st.InTx(ctx, func(tx *store.Store) error {
			e, _, err := newsroom.Save(ctx, tx, who, nil, newsroom.Edit{
				Content: news.RevisionContent{Headline: "Bridge reopens", SectionID: sec.ID, Body: "Text."}, At: now})
			if err != nil {
				return err
			}
			id = e.Article.ID
			// In review, then published by a colleague.
			if err := newsroom.MoveArticle(ctx, tx, who, id, newsroom.Move{To: news.Review, Action: "submit", At: now}); err != nil {
				return err
			}
			return newsroom.MoveArticle(ctx, tx, who, id, newsroom.Move{To: news.Published, Action: "publish", At: now})
		})
		if err != nil {
			t.Fatal(err)
		}
		err = st.InTx(ctx, func(tx *store.Store) error {
			return newsroom.MoveArticle(ctx, tx, who, id, newsroom.Move{From: news.Review, To: news.Draft, Action: "send back", At: now})
		})
		if news.ErrorCode(err) != news.ECONFLICT {
			t.Fatalf("a move from review of a published story: %v, want a conflict", err)
		}
		e, err := st.Editorial(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if e.Article.Status != news.Published {
			t.Fatalf("the story is %s, want still published", e.Article.Status)
		}
	})
}
