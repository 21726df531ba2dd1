package admin

import (
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

func TestDeskSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		mine := f.draft(t, "contributor", "Quarry expansion plans")
		f.draft(t, "other", "Quarry workers strike")
		editor, contributor, other := f.as(t, "editor"), f.as(t, "contributor"), f.as(t, "other")
		search := func(q string) string { return "/admin/search?q=" + url.QueryEscape(q) }

		tests := []struct {
			name    string
			c       *client
			path    string
			want    []string // in the page
			notWant []string
		}{
			{"an editor finds every draft", editor, search("quarries"),
				[]string{"<mark>Quarry</mark> expansion plans", "<mark>Quarry</mark> workers strike", "2 articles", "/admin/articles/" + itoa(mine.Article.ID)}, nil},
			{"by words of the body", editor, search("text expansion"), []string{"/admin/articles/" + itoa(mine.Article.ID), "1 article"}, []string{"workers strike"}},
			{"an editor, only theirs", editor, search("quarry") + "&mine=1", []string{"No article matches"}, []string{"expansion plans"}},
			{"an editor, by status", editor, search("quarry") + "&status=published", []string{"No article matches"}, []string{"expansion plans"}},
			{"a contributor finds their own draft", contributor, search("quarry"), []string{"<mark>Quarry</mark> expansion plans"}, []string{"workers strike"}},
			{"and not another's", other, search("expansion"), []string{"No article matches"}, []string{"expansion plans"}},
			{"another's, with mine unset", other, search("quarry"), []string{"workers strike"}, []string{"expansion plans"}},
			{"no words", editor, search("the of"), []string{"holds no words", "left out"}, []string{"expansion plans"}},
			{"nothing asked", editor, "/admin/search", []string{`name="q"`}, []string{"No article matches"}},
		}
		for _, tt := range tests {
			res := tt.c.get(tt.path)
			if res.status != 200 {
				t.Errorf("%s: GET %s: %d, want 200", tt.name, tt.path, res.status)
				continue
			}
			for _, w := range tt.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("%s: GET %s: no %q in the page", tt.name, tt.path, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(res.body, w) {
					t.Errorf("%s: GET %s: %q in the page", tt.name, tt.path, w)
				}
			}
		}

		// The public search does not find drafts.
		if res := f.anon(t).get("/search?q=quarry"); res.status != 200 || strings.Contains(res.body, "expansion plans") {
			t.Errorf("public /search?q=quarry: %d, finds the draft: %v", res.status, strings.Contains(res.body, "expansion plans"))
		}
		// Not signed in: the login page, not the results.
		if res := f.anon(t).get(search("quarry")); res.status != 303 && res.status != 302 {
			t.Errorf("search, not signed in: %d, want a redirect to the login", res.status)
		}

		// Filters that mean nothing are a 400; no input is a 500.
		for _, p := range []string{"&status=gone", "&page=x", "&page=0"} {
			if res := editor.get(search("quarry") + p); res.status != 400 {
				t.Errorf("search with %s: %d, want 400", p, res.status)
			}
		}
		for _, in := range []string{`"`, `"""quarry`, `NEAR(quarry plans, 2)`, `quarry*`, `{body}:quarry`, `quarry & !plans | x`,
			`'; DROP TABLE articles; --`, "\xff\xfe\xfd", "quarry\x00plans", strings.Repeat("quarry ", 1200),
			strings.Repeat(`"(`, 2500), strings.Repeat("a", 10000), "%_%", `\`} {
			for _, c := range []*client{editor, contributor} {
				res := c.get(search(in))
				if res.status != 200 {
					t.Errorf("search %.30q: %d, want 200", in, res.status)
				}
				if c == contributor && strings.Contains(res.body, "workers strike") {
					t.Errorf("search %.30q: a contributor found another's draft", in)
				}
			}
		}

		if st.Engine() == "sqlite" {
			testkit.ValidateHTMLBatch(t, map[string][]byte{
				"search results":   []byte(editor.get(search(`quarry "expansion plans"`)).body),
				"search, no match": []byte(contributor.get(search("zebra")).body),
				"search, empty":    []byte(contributor.get("/admin/search").body),
			})
		}
	})
}
