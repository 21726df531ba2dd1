package admin

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestNewStorySubmitsInOneStep: a new story's page has "Submit for review",
// and pressing it saves and submits the story at once (it had to be saved
// first, then submitted from the page the save led to).
func TestNewStorySubmitsInOneStep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := f.as(t, "contributor")
		page := c.get("/admin/articles/new").body
		button := regexp.MustCompile(`<button type="submit"[^>]*>Submit for review</button>`).FindString(page)
		if button == "" {
			t.Fatal("a new story's page has no Submit for review button")
		}
		sec, _ := st.SectionByPath(ctx, "news/world")
		form := url.Values{"headline": {"Dunes move inland"}, "body": {"The wind did it."}, "section": {itoa(sec.ID)}, "draft": {draftOf(t, page)}}
		// The button's own name and value, as a browser sends them.
		if m := regexp.MustCompile(`name="(\w+)" value="(\w+)"`).FindStringSubmatch(button); m != nil {
			form.Set(m[1], m[2])
		}
		res := c.post("/admin/articles", form)
		if res.status != http.StatusSeeOther || !strings.HasSuffix(res.location(), "?done=submitted") {
			t.Fatalf("saving and submitting a new story: %d to %q", res.status, res.location())
		}
		list, err := st.DeskArticles(ctx, store.DeskFilter{Scope: news.EveryArticle(), Limit: 10})
		if err != nil || len(list) != 1 || list[0].Article.Status != news.Review || list[0].Article.Headline != "Dunes move inland" {
			t.Fatalf("after one press: %d articles, %v", len(list), err)
		}
	})
}

// TestNewStoryBylineIsTheWriter: a new story's bylines start with the
// writer's author profile, when they have one (the person under their
// account's name, not an agency).
func TestNewStoryBylineIsTheWriter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		if _, err := st.EnsureAuthor(ctx, "Contributor Person"); err != nil {
			t.Fatal(err)
		}
		bylines := func(who string) string {
			m := regexp.MustCompile(`(?s)<textarea id="bylines"[^>]*>(.*?)</textarea>`).FindStringSubmatch(f.as(t, who).get("/admin/articles/new").body)
			if m == nil {
				t.Fatal("no bylines field")
			}
			return strings.TrimSpace(m[1])
		}
		if got := bylines("contributor"); got != "Contributor Person" {
			t.Errorf("a writer with an author profile: bylines %q, want Contributor Person", got)
		}
		if got := bylines("editor"); got != "" {
			t.Errorf("a writer without an author profile: bylines %q, want none", got)
		}
	})
}
