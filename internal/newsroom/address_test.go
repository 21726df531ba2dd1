package newsroom_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

var ctx = context.Background()

// TestTakenAddressSaysNoMoreThanTheWriterMaySee: a contributor who saves
// a story at the address of another writer's draft is refused without
// learning the path, the headline, the status or that it is a story at
// all (the slug oracle); the draft's own writer and an editor, who may
// see it, are told which story it is; a published story's address is
// public, and named to anyone. Nothing is saved by a refusal.
func TestTakenAddressSaysNoMoreThanTheWriterMaySee(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		users := map[string]*news.User{}
		for _, x := range []struct {
			key  string
			role news.Role
		}{{"ana", news.Contributor}, {"ben", news.Contributor}, {"eve", news.Editor}} {
			u := &news.User{Email: x.key + "@example.org", Name: x.key, Role: x.role, PasswordHash: "x"}
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			users[x.key] = u
		}
		sec, err := st.EnsureSectionPath(ctx, "business")
		if err != nil {
			t.Fatal(err)
		}
		save := func(who string, headline, slug string) error {
			return st.InTx(ctx, func(tx *store.Store) error {
				_, _, err := newsroom.Save(ctx, tx, newsroom.Actor{User: users[who]}, nil, newsroom.Edit{
					Content: news.RevisionContent{Headline: headline, Slug: slug, SectionID: sec.ID, Body: "Text."}, At: time.Now()})
				return err
			})
		}
		const secret = "Chief executive resigns over audit"
		if err := save("ana", secret, "ceo-resigns"); err != nil {
			t.Fatal(err)
		}

		err = save("ben", "Guessing", "ceo-resigns")
		if news.ErrorCode(err) != news.ECONFLICT || err.(*news.Error).Field != "slug" {
			t.Fatalf("another contributor at the draft's address: %v, want a conflict on the slug", err)
		}
		for _, leak := range []string{"/business/ceo-resigns", "ceo-resigns", "Chief executive", "draft", "story", "article", "ana"} {
			if strings.Contains(strings.ToLower(err.Error()), strings.ToLower(leak)) {
				t.Errorf("the refusal %q tells the contributor %q", err, leak)
			}
		}
		for _, who := range []string{"ana", "eve"} {
			err := save(who, "Another take", "ceo-resigns")
			if news.ErrorCode(err) != news.ECONFLICT || !strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "/business/ceo-resigns") {
				t.Errorf("%s (who may see the draft) at its address: %v, want it named", who, err)
			}
		}
		if n, err := st.CountArticles(ctx); err != nil || n[news.Draft] != 1 || len(n) != 1 {
			t.Errorf("stories after the refusals: %v %v, want the one draft", n, err)
		}

		// Published, the address is public: named to anyone.
		var id int64
		if a, err := st.ArticleByPath(ctx, store.Cards, "business", "ceo-resigns"); err != nil {
			t.Fatal(err)
		} else {
			id = a.ID
		}
		err = st.InTx(ctx, func(tx *store.Store) error {
			return newsroom.MoveArticle(ctx, tx, newsroom.Actor{User: users["eve"]}, id, newsroom.Move{To: news.Published, Action: "publish", At: time.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := save("ben", "Guessing", "ceo-resigns"); news.ErrorCode(err) != news.ECONFLICT || !strings.Contains(err.Error(), secret) {
			t.Errorf("a contributor at a published story's address: %v, want it named", err)
		}
	})
}
