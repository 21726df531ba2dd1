package api_test

import (
	"net/http"
	"testing"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestCacheKeepsTokensOut: anonymous reads are served from the shared page
// cache, but a request with a token neither reads an answer from it nor
// leaves one there: what read:drafts shows its holder never reaches anyone
// else, and the holder is not given the public answer (not found).
func TestCacheKeepsTokensOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv, arts := readSite(t, s)
		ed := &news.User{Email: "ed@example.org", Name: "Ed", Role: news.Editor, PasswordHash: "x"}
		if err := s.CreateUser(ctx, ed); err != nil {
			t.Fatal(err)
		}
		secret, hash := auth.NewAPIToken()
		if err := s.CreateAPIToken(ctx, hash, &news.APIToken{Name: "desk app", Scopes: []news.Scope{news.ScopeReadDrafts}, CreatedBy: ed.ID}); err != nil {
			t.Fatal(err)
		}
		bearer := "Bearer " + secret
		draft := "/api/v1/articles/" + itoa(int(arts["secret"].ID))
		lookup := "/api/v1/lookup?path=" + arts["secret"].URL()

		// The token reads the draft first: the next anonymous reader is
		// not given it.
		for _, p := range []string{draft, lookup} {
			if rp := get(t, srv, p, "Authorization", bearer); rp.status != 200 || rp.header.Get("Cache-Control") != "private, no-store" {
				t.Errorf("GET %s with read:drafts: %d %q, want 200, private", p, rp.status, rp.header.Get("Cache-Control"))
			}
			if rp := get(t, srv, p); rp.status != 404 {
				t.Errorf("GET %s without a token after one with: %d, want 404", p, rp.status)
			}
			// The anonymous 404 is kept now; the token still reads the
			// draft.
			if rp := get(t, srv, p, "Authorization", bearer); rp.status != 200 {
				t.Errorf("GET %s with read:drafts after one without: %d, want 200", p, rp.status)
			}
		}

		// A token that is not valid is refused even where the anonymous
		// answer is cached.
		pub := "/api/v1/articles/" + itoa(int(arts["strike"].ID))
		get(t, srv, pub)
		req, _ := http.NewRequest("GET", srv.URL+pub, nil)
		req.Header.Set("Authorization", "Bearer nd_not-a-token")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 401 {
			t.Errorf("GET %s with an unknown token: %d, want 401", pub, res.StatusCode)
		}
	})
}

// TestCacheKeysStayApart: a path that holds the characters the cache's
// keys are built with ('?', '|', escaped in the request) cannot leave its
// answer (a 404) under the key of another, and parameters the handler
// ignores do not make entries of their own answers.
func TestCacheKeysStayApart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv, arts := readSite(t, s)
		p := "/api/v1/articles/" + itoa(int(arts["strike"].ID))
		for _, bad := range []string{p + "%7Cninjs", p + "%3Fformat=ninjs"} {
			if rp := get(t, srv, bad); rp.status != 404 {
				t.Errorf("GET %s: %d, want 404", bad, rp.status)
			}
		}
		if rp := get(t, srv, p, "Accept", "application/ninjs+json"); rp.status != 200 {
			t.Errorf("GET %s as ninjs after the odd paths: %d, want 200", p, rp.status)
		}
		if rp := get(t, srv, p+"?format=ninjs"); rp.status != 200 {
			t.Errorf("GET %s?format=ninjs after the odd paths: %d, want 200", p, rp.status)
		}
		// An escaped '/' makes a path the routes do not know, however it
		// reads unescaped: its 404 is not the answer of the path it spells.
		for _, c := range []struct{ bad, good string }{
			{"/api/v1%2Fsections", "/api/v1/sections"},
			{"/api/v1/articles%2F" + itoa(int(arts["strike"].ID)), p},
			{"/api/v1/articles%2F" + itoa(int(arts["strike"].ID)) + "?format=ninjs", p + "?format=ninjs"},
		} {
			// Not through get: the description has no 404 for the path
			// the bad one spells.
			res, err := http.Get(srv.URL + c.bad)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 404 {
				t.Errorf("GET %s: %d, want 404", c.bad, res.StatusCode)
			}
			if rp := get(t, srv, c.good); rp.status != 200 {
				t.Errorf("GET %s after GET %s: %d, want 200", c.good, c.bad, rp.status)
			}
		}
		// The same list with and without a parameter no handler reads;
		// a parameter that selects: another answer.
		all := get(t, srv, "/api/v1/articles")
		if rp := get(t, srv, "/api/v1/articles?utm_source=x"); string(rp.body) != string(all.body) {
			t.Errorf("an unknown parameter changed the list")
		}
		if rp := get(t, srv, "/api/v1/articles?section=sport"); string(rp.body) == string(all.body) {
			t.Errorf("section=sport answered the whole list")
		}
	})
}
