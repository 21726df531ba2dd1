package admin

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func statusOfStory(t *testing.T, st *store.Store, id int64) news.Status {
	t.Helper()
	e, err := st.Editorial(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return e.Article.Status
}

// auditCount counts the audit entries with action on target.
func auditCount(t *testing.T, st *store.Store, action, target string) int {
	t.Helper()
	list, err := st.AuditLog(ctx, store.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range list {
		if e.Action == action && (target == "" || e.Target == target) {
			n++
		}
	}
	return n
}

func TestBulkPublishAsksThenReportsEachStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		a := f.story(t, "contributor", "First draft", "news/world", nil, nil, false)
		b := f.story(t, "other", "Second draft", "news/world", nil, nil, false)
		c := f.story(t, "other", "Already out", "news/world", nil, nil, true)
		ids := []string{itoa(a.Article.ID), itoa(b.Article.ID), itoa(c.Article.ID), "999999"}
		form := url.Values{"action": {"publish"}, "id": ids, "back": {"/admin/articles?sort=headline"}}
		editor := f.as(t, "editor")

		// First the question, naming the stories; nothing changes.
		res := editor.post("/admin/articles/bulk", form)
		if res.status != 200 || !strings.Contains(res.body, `name="confirm" value="yes"`) || !strings.Contains(res.body, "First draft") {
			t.Fatalf("bulk publish, unconfirmed: %d\n%s", res.status, res.body)
		}
		if s := statusOfStory(t, st, a.Article.ID); s != news.Draft {
			t.Fatalf("published before the confirmation: %s", s)
		}

		// A contributor's bulk publish is refused story by story, even
		// their own.
		form.Set("confirm", "yes")
		res = f.as(t, "contributor").post("/admin/articles/bulk", form)
		if res.status != 200 || !strings.Contains(res.body, "0 stories done, 4 refused") {
			t.Errorf("contributor's bulk publish: %d\n%s", res.status, res.body)
		}
		if s := statusOfStory(t, st, a.Article.ID); s != news.Draft {
			t.Errorf("a contributor published their draft in bulk: %s", s)
		}
		// Another writer's drafts are not named to them.
		if strings.Contains(res.body, "Second draft") {
			t.Errorf("a contributor's refusals name another's draft:\n%s", res.body)
		}

		res = editor.post("/admin/articles/bulk", form)
		if res.status != 200 || !strings.Contains(res.body, "2 stories done, 2 refused") {
			t.Fatalf("editor's bulk publish: %d\n%s", res.status, res.body)
		}
		for _, want := range []string{"Already out: it is published already", "story 999999: no such story", `href="/admin/articles?sort=headline"`} {
			if !strings.Contains(res.body, want) {
				t.Errorf("editor's bulk publish: no %q in\n%s", want, res.body)
			}
		}
		for _, e := range []*news.Editorial{a, b} {
			if s := statusOfStory(t, st, e.Article.ID); s != news.Published {
				t.Errorf("story %d is %s after the bulk publish", e.Article.ID, s)
			}
			if n := auditCount(t, st, "publish", "article "+itoa(e.Article.ID)); n != 1 {
				t.Errorf("story %d: %d publish entries in the audit log, want 1", e.Article.ID, n)
			}
		}
		if n := auditCount(t, st, "bulk.publish", "articles"); n != 2 {
			t.Errorf("%d bulk.publish entries, want 2 (the contributor's and the editor's)", n)
		}

		// Unpublish, all on this page: the page's ids, not the boxes.
		form = url.Values{"action": {"unpublish"}, "all": {"page"}, "page_id": {itoa(a.Article.ID), itoa(c.Article.ID)}, "confirm": {"yes"}}
		res = editor.post("/admin/articles/bulk", form)
		if res.status != 200 || !strings.Contains(res.body, "2 stories done, 0 refused") {
			t.Fatalf("bulk unpublish: %d\n%s", res.status, res.body)
		}
		if s := statusOfStory(t, st, c.Article.ID); s != news.Draft {
			t.Errorf("unpublished story is %s", s)
		}
		if s := statusOfStory(t, st, b.Article.ID); s != news.Published {
			t.Errorf("a story not on the page was unpublished: %s", s)
		}
		if n := auditCount(t, st, "unpublish", "article "+itoa(c.Article.ID)); n != 1 {
			t.Errorf("%d unpublish entries for story %d, want 1", n, c.Article.ID)
		}
	})
}

func TestBulkMoveAndTag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		mine := f.story(t, "contributor", "Mine to move", "news/world", nil, []string{"Ferries"}, false)
		theirs := f.story(t, "other", "Theirs to move", "news/world", nil, nil, false)
		live := f.story(t, "other", "Live story", "news/world", nil, nil, true)
		// A story at the address the live story would take.
		f.storyAt(t, "editor", "Live story", live.Article.Slug, "sport", nil, nil, false)
		if _, err := st.EnsureSectionPath(ctx, "sport"); err != nil {
			t.Fatal(err)
		}

		// A contributor moves their own draft; another's is refused.
		res := f.as(t, "contributor").post("/admin/articles/bulk", url.Values{"action": {"section"}, "section": {"sport"},
			"id": {itoa(mine.Article.ID), itoa(theirs.Article.ID)}})
		if res.status != 200 || !strings.Contains(res.body, "1 story done, 1 refused") {
			t.Fatalf("contributor's move: %d\n%s", res.status, res.body)
		}
		if e, _ := st.Editorial(ctx, mine.Article.ID); e.Article.Section.Path != "sport" {
			t.Errorf("the contributor's draft is in %s", e.Article.Section.Path)
		}
		if e, _ := st.Editorial(ctx, theirs.Article.ID); e.Article.Section.Path != "news/world" {
			t.Errorf("another's draft moved to %s", e.Article.Section.Path)
		}
		if n := auditCount(t, st, "move", "article "+itoa(mine.Article.ID)); n != 1 {
			t.Errorf("%d move entries, want 1", n)
		}

		// The editor: the live story's address in sport is taken, so it is
		// refused by the same rule as in its editor; the other moves.
		res = f.as(t, "editor").post("/admin/articles/bulk", url.Values{"action": {"section"}, "section": {"sport"},
			"id": {itoa(theirs.Article.ID), itoa(live.Article.ID)}})
		if res.status != 200 || !strings.Contains(res.body, "1 story done, 1 refused") || !strings.Contains(res.body, "/sport/"+live.Article.Slug+" is taken") {
			t.Fatalf("editor's move: %d\n%s", res.status, res.body)
		}
		if e, _ := st.Editorial(ctx, live.Article.ID); e.Article.Section.Path != "news/world" {
			t.Errorf("the refused story moved to %s", e.Article.Section.Path)
		}

		// Add a tag: one has it already.
		res = f.as(t, "editor").post("/admin/articles/bulk", url.Values{"action": {"tag"}, "tag": {"Ferries"},
			"id": {itoa(mine.Article.ID), itoa(live.Article.ID)}})
		if res.status != 200 || !strings.Contains(res.body, "1 story done, 1 refused") || !strings.Contains(res.body, "has the tag Ferries already") {
			t.Fatalf("bulk tag: %d\n%s", res.status, res.body)
		}
		e, _ := st.ArticleByID(ctx, live.Article.ID)
		if len(e.Tags) != 1 || e.Tags[0].Name != "Ferries" {
			t.Errorf("live story's tags: %+v", e.Tags)
		}
		if n := auditCount(t, st, "tag", "article "+itoa(live.Article.ID)); n != 1 {
			t.Errorf("%d tag entries, want 1", n)
		}
		if n := auditCount(t, st, "bulk.tag", "articles"); n != 1 {
			t.Errorf("%d bulk.tag entries, want 1", n)
		}

		// Bad forms are named and change nothing.
		for _, c := range []struct {
			form url.Values
			says string
		}{
			{url.Values{"action": {"delete"}, "id": {itoa(mine.Article.ID)}}, "action: &#34;delete&#34; is not a bulk action"},
			{url.Values{"action": {"tag"}, "tag": {"x"}}, "id: select the stories"},
			{url.Values{"action": {"tag"}, "id": {"seven"}, "tag": {"x"}}, "id: &#34;seven&#34; is not a story"},
			{url.Values{"action": {"section"}, "id": {itoa(mine.Article.ID)}, "section": {"nowhere"}}, "section: there is no section"},
			{url.Values{"action": {"tag"}, "id": {itoa(mine.Article.ID)}, "tag": {"  "}}, "tag: write the tag"},
		} {
			res := f.as(t, "editor").post("/admin/articles/bulk", c.form)
			if res.status != 400 || !strings.Contains(res.body, c.says) {
				t.Errorf("%v: %d, want 400 saying %q\n%s", c.form, res.status, c.says, res.body)
			}
		}
	})
}

// TestBulkPublishKeepsTheEmbargo: the article list marks a story under
// embargo, as the desk does, and a bulk publish leaves it as it is and says
// why, while the others are published.
func TestBulkPublishKeepsTheEmbargo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		held := f.story(t, "editor", "Held figures", "news/world", nil, nil, false)
		free := f.story(t, "editor", "Free figures", "news/world", nil, nil, false)
		until := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
		if _, err := st.SetEmbargo(ctx, held.Article.ID, until); err != nil {
			t.Fatal(err)
		}
		editor := f.as(t, "editor")
		list := editor.get("/admin/articles")
		if !strings.Contains(list.body, `Embargoed until <time datetime="`+until.Format(time.RFC3339)+`">`) {
			t.Errorf("the article list does not mark the embargoed story:\n%s", between(list.body, "<tbody>", "</tbody>"))
		}
		res := editor.post("/admin/articles/bulk", url.Values{"action": {"publish"}, "confirm": {"yes"},
			"id": {itoa(held.Article.ID), itoa(free.Article.ID)}})
		if res.status != 200 || !strings.Contains(res.body, "1 story done, 1 refused") || !strings.Contains(res.body, "Held figures: ") || !strings.Contains(res.body, "embargo") {
			t.Fatalf("bulk publish with an embargoed story: %d\n%s", res.status, res.body)
		}
		if s := statusOfStory(t, st, held.Article.ID); s == news.Published {
			t.Errorf("the embargoed story was published in bulk")
		}
		if s := statusOfStory(t, st, free.Article.ID); s != news.Published {
			t.Errorf("the story without embargo is %s", s)
		}
	})
}
