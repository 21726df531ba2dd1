package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestAPIRefusesToBreakAnEmbargo: with a token that may publish, a story
// under embargo is refused by the publish call and by a schedule before
// the embargo (409, naming the embargo's time), and stays in review; a
// schedule at the embargo's time is taken.
func TestAPIRefusesToBreakAnEmbargo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		secret, _ := f.token(news.Editor, "wire-desk", time.Time{}, news.ScopeReadDrafts, news.ScopeWriteArticles, news.ScopePublish)
		e := f.story(news.Contributor, "Trade figures", news.Review)
		until := time.Now().UTC().Add(2 * time.Hour).Truncate(time.Second)
		if _, err := s.SetEmbargo(ctx, e.Article.ID, until); err != nil {
			t.Fatal(err)
		}
		p := "/api/v1/articles/" + itoa(int(e.Article.ID))
		for _, c := range []wcall{
			{method: "POST", path: p + "/publish"},
			{method: "POST", path: p + "/schedule", body: `{"publish_at":"` + until.Add(-time.Minute).Format(time.RFC3339) + `"}`},
		} {
			c.token = secret
			rp := f.send(c)
			if rp.status != 409 || !strings.Contains(string(rp.body), "under embargo until "+until.Format("2 Jan 2006 15:04 MST")) {
				t.Errorf("%s: %d %s, want 409 naming the embargo", c.path, rp.status, rp.body)
			}
		}
		if cur, _ := s.Editorial(ctx, e.Article.ID); cur.Article.Status != news.Review {
			t.Fatalf("after the refusals the story is %s", cur.Article.Status)
		}
		rp := f.send(wcall{method: "POST", path: p + "/schedule", token: secret, body: `{"publish_at":"` + until.Format(time.RFC3339) + `"}`})
		if rp.status != 200 {
			t.Errorf("schedule at the embargo: %d %s", rp.status, rp.body)
		}
	})
}
