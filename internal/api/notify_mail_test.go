package api_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestAPIPublishAndCorrectionEmailTheWriter: with mail configured
// (Writes.Notify.Mail, as serve sets it with --smtp), a story published
// and then corrected through the API tells its writer by email too, as
// the newsroom does (docs/working-together.md): the outbox holds both,
// written with the change.
func TestAPIPublishAndCorrectionEmailTheWriter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		base, _ := url.Parse("https://news.example.org")
		f.srv.Close()
		f.srv = httptest.NewServer(api.New(api.Config{BaseURL: base, Writes: api.Writes{
			Notify: newsroom.Notifier{Mail: true, BaseURL: base.String(), SiteName: "The Wire"}}}, s, nil).Handler())
		t.Cleanup(f.srv.Close)
		secret, _ := f.token(news.Editor, "wire-desk", time.Time{}, news.ScopeReadDrafts, news.ScopeWriteArticles, news.ScopePublish)
		e := f.story(news.Contributor, "Harbour dredging starts", news.Review)
		p := "/api/v1/articles/" + itoa(int(e.Article.ID))
		if rp := f.send(wcall{method: "POST", path: p + "/publish", token: secret}); rp.status != 200 {
			t.Fatalf("publish: %d %s", rp.status, rp.body)
		}
		if rp := f.send(wcall{method: "POST", path: p + "/corrections", token: secret, body: `{"text":"The dredging starts on Monday, not Sunday."}`}); rp.status/100 != 2 {
			t.Fatalf("correction: %d %s", rp.status, rp.body)
		}
		list, err := s.MailOutbox(ctx, store.MailPending, 10)
		if err != nil {
			t.Fatal(err)
		}
		var subjects []string
		for _, m := range list {
			if len(m.To) == 1 && m.To[0] == f.users[news.Contributor].Email {
				subjects = append(subjects, m.Subject)
			}
		}
		joined := strings.Join(subjects, "\n")
		if !strings.Contains(joined, "The Wire: Published: Harbour dredging starts") || !strings.Contains(joined, "The Wire: Correction: Harbour dredging starts") {
			t.Errorf("emails to the writer:\n%s", joined)
		}
	})
}
