package admin

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestContributorSeesNoOtherDrafts opens every page of the newsroom (read
// from the route table, so a new page cannot be left out), and sends every
// form, as a contributor, while other people's drafts, filed and scheduled
// stories (embargoed ones) exist and use the same photo as the
// contributor's own draft. Their headlines, summaries and bodies hold
// marker words; none may appear in any answer, HTML or JSON, whatever the
// ids and queries tried. This is the newsroom's visibility rule
// (auth.ArticleScope) checked on every surface that can name an article.
func TestContributorSeesNoOtherDrafts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		targets := f.routeTargets(t) // the contributor's own draft, a photo, ...
		photo := targets.photo
		inBody := "\n\n![A photo](/media/" + photo.Hash[:2] + "/" + photo.Hash + "-640.jpg)\n"

		// The contributor's own draft uses the photo: the page listing the
		// photo's uses must still list it, or the test below proves
		// nothing.
		own := targets.article
		own.Article.Photo = &news.Photo{Media: photo, Alt: "Alt words"}
		own.Article.Body += inBody
		f.save(t, "contributor", own)

		// Each story's marker word, and the phrases that would show it
		// leaked (the word alone may be echoed back from a query).
		markers := map[string]string{} // marker word: whose story
		var words []string
		leaks := func(w string) []string {
			return []string{w + " headline", w + "-headline", w + "summary", w + "body", w + " autosave"}
		}
		story := func(who, marker string, status news.Status) *news.Editorial {
			markers[strings.ToLower(marker)] = who + "'s " + string(status)
			words = append(words, strings.ToLower(marker))
			e := f.draft(t, who, marker+" headline")
			e.Article.Summary = "Summary " + marker + "summary."
			e.Article.Body = "Body " + marker + "body." + inBody
			e.Article.Photo = &news.Photo{Media: photo, Alt: "Alt words"}
			f.save(t, who, e)
			if status != news.Draft {
				m := store.Move{From: news.Draft, To: status, At: time.Now()}
				if status == news.Scheduled {
					m.PublishAt = time.Now().Add(72 * time.Hour) // an embargo
				}
				if err := st.InTx(ctx, func(tx *store.Store) error { return tx.MoveArticle(ctx, e.Article.ID, m) }); err != nil {
					t.Fatal(err)
				}
			}
			return e
		}
		others := []*news.Editorial{
			story("other", "Zebrafinch", news.Draft),
			story("other", "Quokkaleaf", news.Review),
			story("editor", "Narwhaltide", news.Scheduled),
			story("editor", "Axolotlgate", news.Draft),
			story("other", "Pangolinrun", news.Scheduled),
		}
		// Another contributor's autosaved text, never saved.
		markers["okapimoss"] = "other's autosave"
		words = append(words, "okapimoss")
		if err := st.SaveAutosave(ctx, &news.Autosave{UserID: f.users["other"].ID, Token: "okapi-page", At: time.Now(),
			Content: news.RevisionContent{Headline: "Okapimoss autosave", Body: "Okapimossbody"}}); err != nil {
			t.Fatal(err)
		}

		// The articles each route with an {id} is tried on: the
		// contributor's own, and each of the others.
		ids := []int64{own.Article.ID}
		for _, e := range others {
			ids = append(ids, e.Article.ID)
		}
		queries := []string{""}
		for _, w := range append(words, "headline", "body", "summary") {
			queries = append(queries, "?q="+url.QueryEscape(w))
		}
		for _, s := range news.Statuses {
			queries = append(queries, "?status="+string(s), "?status="+string(s)+"&q=headline")
		}

		check := func(what string, res response) {
			t.Helper()
			// As text: a search's <mark> must not split a headline.
			low := strings.ToLower(html.UnescapeString(tags.ReplaceAllString(res.body, "")))
			for w, whose := range markers {
				for _, leak := range leaks(w) {
					if i := strings.Index(low, leak); i >= 0 {
						t.Errorf("%s (status %d) names %s story (%q): ...%s...", what, res.status, whose, leak, low[max(i-200, 0):min(i+100, len(low))])
					}
				}
			}
			if res.status >= 500 {
				t.Errorf("%s: status %d", what, res.status)
			}
		}

		h := f.adm.Handler()
		pages := 0
		for _, rt := range f.adm.routes() {
			method, pattern, ok := strings.Cut(rt.pattern, " ")
			if !ok {
				method, pattern = "GET", rt.pattern+"nothing-here"
			}
			tryIDs := []int64{0}
			if strings.Contains(pattern, "/articles/{id}") {
				tryIDs = ids
			}
			for _, id := range tryIDs {
				p := targets.path(t, method+" "+pattern)
				if id != 0 {
					p = strings.Replace(strings.Replace(pattern, "{id}", itoa(id), 1), "{n}", "1", 1)
				}
				if strings.HasSuffix(p, "/diff") {
					p += "?from=1"
				}
				if method == http.MethodGet {
					qs := []string{""}
					if p == "/admin/search" || p == "/admin/articles" || p == "/admin/" || p == "/admin/media" {
						qs = queries
					}
					// What the contributor may not open is refused, not shown
					// in part.
					mayOpen := rt.action == public || rt.action == signedIn || auth.Can(news.Contributor, rt.action)
					mayOpen = mayOpen && (id == 0 || id == own.Article.ID)
					for _, q := range qs {
						res := f.as(t, "contributor").get(p + q)
						check(method+" "+p+q, res)
						if !mayOpen && res.status != http.StatusForbidden && res.status != http.StatusNotFound {
							t.Errorf("GET %s as a contributor: status %d, want 403 or 404", p+q, res.status)
						}
						if res.status == http.StatusOK {
							pages++
						}
					}
					continue
				}
				// A form as the contributor's browser or script would send
				// it, on their own and on others' articles; each try has its
				// own session, so a logout cannot end the rest.
				forms := []url.Values{{}, {"headline": {"x"}, "body": {"y"}, "q": {"zebrafinch"}}}
				for _, form := range forms {
					for _, accept := range []string{"", "application/json"} {
						c := f.as(t, "contributor")
						body := form.Encode()
						res := c.direct(h, method, p, "application/x-www-form-urlencoded", []byte(body), int64(len(body)), accept)
						check(method+" "+p+" ("+body+", "+accept+")", res)
					}
				}
			}
		}
		if pages < 40 {
			t.Errorf("only %d pages answered 200: the test is not seeing the newsroom", pages)
		}

		// The pages that list articles work for the contributor: their own
		// draft is there, so the absence of the others' means something.
		c := f.as(t, "contributor")
		for _, p := range []string{"/admin/media/" + itoa(photo.ID), "/admin/", "/admin/articles", "/admin/search?q=own+draft"} {
			if res := c.get(p); res.status != http.StatusOK || !strings.Contains(html.UnescapeString(tags.ReplaceAllString(res.body, "")), "The contributor's own draft") {
				t.Errorf("%s: %d, and the contributor's own draft is not listed", p, res.status)
			}
		}
		// An editor sees every use of the photo.
		res := f.as(t, "editor").get("/admin/media/" + itoa(photo.ID))
		for w := range markers {
			if w != "okapimoss" && !strings.Contains(strings.ToLower(res.body), w+" headline") {
				t.Errorf("the editor's photo page does not list the story %q", w)
			}
		}
	})
}

// tags matches an HTML tag, to read a page as text.
var tags = regexp.MustCompile(`<[^>]*>`)

// save stores an edited article as user who, in the store.
func (f *fixture) save(t testing.TB, who string, e *news.Editorial) {
	t.Helper()
	err := f.st.InTx(ctx, func(tx *store.Store) error {
		_, err := tx.SaveEditorial(ctx, e, store.Save{UserID: f.users[who].ID, Base: e.Revision})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
