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

// TestWriteCORS: a script on any site may write with a token: the
// preflight allows the write methods and the headers a write sends, and a
// write's answer, a refusal too, may be read from any origin, its ETag
// with it, without credentials (a token is a header, not a cookie).
func TestWriteCORS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		e := f.story(news.Editor, "Cross-origin", news.Draft)
		id := itoa(int(e.Article.ID))
		for _, c := range []struct{ method, path string }{
			{"POST", "/api/v1/articles"},
			{"PATCH", "/api/v1/articles/" + id},
			{"PUT", "/api/v1/articles/" + id},
			{"POST", "/api/v1/articles/" + id + "/publish"},
			{"POST", "/api/v1/media"},
		} {
			rp := f.send(wcall{method: "OPTIONS", path: c.path, header: []string{"Origin", "https://app.example.com",
				"Access-Control-Request-Method", c.method, "Access-Control-Request-Headers", "authorization,if-match,content-type"}})
			h := rp.header
			if rp.status != 204 || h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("preflight of %s %s: %d %v", c.method, c.path, rp.status, h)
			}
			if !hasToken(h.Get("Access-Control-Allow-Methods"), c.method) {
				t.Errorf("preflight of %s %s allows methods %q", c.method, c.path, h.Get("Access-Control-Allow-Methods"))
			}
			for _, name := range []string{"Authorization", "If-Match", "Content-Type"} {
				if !hasToken(h.Get("Access-Control-Allow-Headers"), name) {
					t.Errorf("preflight of %s %s allows headers %q, not %s", c.method, c.path, h.Get("Access-Control-Allow-Headers"), name)
				}
			}
		}

		secret, _ := f.token(news.Editor, "browser-app", time.Time{}, news.ScopeWriteArticles)
		origin := []string{"Origin", "https://app.example.com"}
		created := f.do(wcall{method: "POST", path: "/api/v1/articles", token: secret, header: origin,
			body: `{"headline":"Written from a browser","section":"news/europe"}`})
		patched := f.do(wcall{method: "PATCH", path: "/api/v1/articles/" + id, token: secret, body: `{"summary":"Short."}`,
			header: append(ifMatch(e), origin...)})
		refused := f.do(wcall{method: "POST", path: "/api/v1/articles", header: origin, body: `{"headline":"No token"}`})
		for name, c := range map[string]struct {
			rp     reply
			status int
		}{"a create": {created, 201}, "a change": {patched, 200}, "a write without a token": {refused, 401}} {
			h := c.rp.header
			if c.rp.status != c.status {
				t.Errorf("%s: %d, want %d: %s", name, c.rp.status, c.status, c.rp.body)
			}
			if h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Credentials") != "" || !hasToken(h.Get("Access-Control-Expose-Headers"), "ETag") {
				t.Errorf("%s: CORS headers %v", name, h)
			}
		}
		if created.header.Get("ETag") == "" || patched.header.Get("ETag") == "" {
			t.Errorf("a write's answer has no ETag to expose: %v", created.header)
		}
	})
}

// TestMethodNotAllowed: a method an address does not take is 405 with the
// methods it does take, read from the route table; an address with no
// route is 404.
func TestMethodNotAllowed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		for _, c := range []struct{ method, path, allow string }{
			{"DELETE", "/api/v1/articles/7", "GET, HEAD, PUT, PATCH"},
			{"DELETE", "/api/v1/articles", "GET, HEAD, POST"},
			{"GET", "/api/v1/articles/7/publish", "POST"},
			{"PUT", "/api/v1/media", "POST"},
			{"POST", "/api/v1/sections", "GET, HEAD"},
		} {
			rp := f.send(wcall{method: c.method, path: c.path})
			if rp.status != 405 || rp.header.Get("Allow") != c.allow || errorOf(t, rp).Error.Code != "method_not_allowed" {
				t.Errorf("%s %s: %d, Allow %q; want 405, Allow %q", c.method, c.path, rp.status, rp.header.Get("Allow"), c.allow)
			}
		}
		if rp := f.send(wcall{method: "DELETE", path: "/api/v1/nothing"}); rp.status != 404 || rp.header.Get("Allow") != "" {
			t.Errorf("DELETE of an address with no route: %d, Allow %q", rp.status, rp.header.Get("Allow"))
		}
	})
}

// hasToken reports whether a comma-separated header value lists name, in
// any case.
func hasToken(list, name string) bool {
	for _, x := range strings.Split(list, ",") {
		if strings.EqualFold(strings.TrimSpace(x), name) {
			return true
		}
	}
	return false
}
