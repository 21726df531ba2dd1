package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// budgetLineForm is a budget line's fields as the page sends them.
func budgetLineForm(f *fixture, slug, assignee string, due time.Time) url.Values {
	sec, _ := f.st.SectionByPath(ctx, "news/world")
	v := url.Values{"slug_line": {slug}, "section": {itoa(sec.ID)}, "due": {due.In(time.UTC).Format(news.LocalTimeLayout)},
		"words": {"600"}, "notes": {"call the port authority"}, "status": {"planned"}, "assignee": {"0"}}
	if assignee != "" {
		v.Set("assignee", itoa(f.users[assignee].ID))
	}
	return v
}

// onlyLine returns the one budget line with a slug line.
func onlyLine(t *testing.T, st *store.Store, slug string) *news.BudgetLine {
	t.Helper()
	lines, err := st.BudgetLines(ctx, store.BudgetFilter{From: time.Now().Add(-48 * time.Hour), To: time.Now().Add(72 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if l.SlugLine == slug {
			return l
		}
	}
	t.Fatalf("no budget line %s", slug)
	return nil
}

// TestBudgetPlanning: editors plan, assign, change and delete lines
// (audited, the assignee told); writers see theirs and the unassigned,
// may take an unassigned line once, and may not plan; bad input is
// refused naming the field, and nothing is stored.
func TestBudgetPlanning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed, writer, other := f.as(t, "editor"), f.as(t, "contributor"), f.as(t, "other")
		now := time.Now().UTC()
		today := time.Date(now.Year(), now.Month(), now.Day(), 17, 0, 0, 0, time.UTC)

		res := ed.post("/admin/budget", budgetLineForm(f, "HARBOUR-STRIKE", "contributor", today))
		if res.status != http.StatusSeeOther || !strings.Contains(res.location(), "done=budget-added") {
			t.Fatalf("an editor plans a line: %d %s\n%s", res.status, res.location(), res.body)
		}
		mine := onlyLine(t, st, "HARBOUR-STRIKE")
		if mine.AssigneeID != f.users["contributor"].ID || mine.Status() != news.BudgetAssigned || mine.Words != 600 || !mine.DueAt.Equal(today) {
			t.Errorf("the line stored: %+v", mine)
		}
		if n, err := st.UnreadNotifications(ctx, f.users["contributor"].ID); err != nil || n != 1 {
			t.Errorf("the assignee's notifications: %d, %v; want 1", n, err)
		}
		ed.post("/admin/budget", budgetLineForm(f, "FERRY-TIMES", "", today.Add(-2*time.Hour)))
		ed.post("/admin/budget", budgetLineForm(f, "COUNCIL-VOTE", "other", today.Add(-time.Hour)))
		ed.post("/admin/budget", budgetLineForm(f, "TOMORROW-MARKET", "", today.Add(24*time.Hour)))

		page := ed.get("/admin/budget").body
		for _, want := range []string{"HARBOUR-STRIKE", "FERRY-TIMES", "COUNCIL-VOTE", "TOMORROW-MARKET", "Today, ", "Tomorrow, ", "<h3>World (News)</h3>", "Contributor Person", "Nobody yet", "Assigned", "Planned"} {
			if !strings.Contains(page, want) {
				t.Errorf("the editor's budget lacks %q", want)
			}
		}
		if strings.Index(page, "FERRY-TIMES") > strings.Index(page, "COUNCIL-VOTE") || strings.Index(page, "HARBOUR-STRIKE") > strings.Index(page, "TOMORROW-MARKET") {
			t.Error("the budget is not in order of due time, day by day")
		}

		// A line nobody has whose story the desk started is the desk's.
		ed.post("/admin/budget", budgetLineForm(f, "DESK-STORY", "", today.Add(-3*time.Hour)))
		desk := onlyLine(t, st, "DESK-STORY")
		if res := ed.post("/admin/budget/"+itoa(desk.ID)+"/start", nil); res.status != http.StatusSeeOther {
			t.Fatalf("the desk starts a line nobody has: %d\n%s", res.status, res.body)
		}
		if res := writer.post("/admin/budget/"+itoa(desk.ID)+"/take", nil); res.status != http.StatusNotFound {
			t.Errorf("a writer takes the desk's started line: %d, want 404", res.status)
		}

		// A writer sees theirs and the unassigned ones, not a colleague's.
		page = writer.get("/admin/budget").body
		if !strings.Contains(page, "HARBOUR-STRIKE") || !strings.Contains(page, "FERRY-TIMES") || strings.Contains(page, "COUNCIL-VOTE") || strings.Contains(page, "DESK-STORY") ||
			strings.Contains(page, "Plan a story") {
			t.Errorf("the writer's budget shows the wrong lines or the planning form:\n%s", page)
		}
		if res := writer.post("/admin/budget", budgetLineForm(f, "MY-OWN-IDEA", "", today)); res.status != http.StatusForbidden {
			t.Errorf("a writer plans a line: %d, want 403", res.status)
		}
		theirs := onlyLine(t, st, "COUNCIL-VOTE")
		if res := writer.post("/admin/budget/"+itoa(theirs.ID)+"/take", nil); res.status != http.StatusNotFound {
			t.Errorf("a writer takes a colleague's line: %d, want 404", res.status)
		}
		if res := writer.get("/admin/budget/" + itoa(mine.ID)); res.status != http.StatusForbidden {
			t.Errorf("a writer opens a line to edit it: %d, want 403", res.status)
		}

		// Taking an unassigned line: once.
		ferry := onlyLine(t, st, "FERRY-TIMES")
		if res := writer.post("/admin/budget/"+itoa(ferry.ID)+"/take", nil); res.status != http.StatusSeeOther {
			t.Fatalf("a writer takes an unassigned line: %d\n%s", res.status, res.body)
		}
		if res := writer.post("/admin/budget/"+itoa(ferry.ID)+"/take", nil); res.status != http.StatusSeeOther {
			t.Errorf("the same writer presses Take it again: %d, want it said taken", res.status)
		}
		if res := other.post("/admin/budget/"+itoa(ferry.ID)+"/take", nil); res.status != http.StatusNotFound && res.status != http.StatusConflict {
			t.Errorf("a second writer takes the same line: %d, want refused", res.status)
		}
		if got := onlyLine(t, st, "FERRY-TIMES"); got.AssigneeID != f.users["contributor"].ID || got.Status() != news.BudgetAssigned {
			t.Errorf("the taken line: %+v", got)
		}

		// Bad input: named, nothing stored.
		bad := budgetLineForm(f, "", "", today)
		bad.Set("words", "many")
		res = ed.post("/admin/budget", bad)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "words: ") || !strings.Contains(res.body, "slug_line: is empty") {
			t.Errorf("a line with no slug line and a bad length: %d\n%s", res.status, res.body)
		}
		bad = budgetLineForm(f, "LATE", "", today)
		bad.Set("status", "published")
		if res := ed.post("/admin/budget", bad); res.status != http.StatusBadRequest || !strings.Contains(res.body, "follows the story") {
			t.Errorf("a line made published by hand: %d", res.status)
		}
		if res := ed.get("/admin/budget?day=yesterday"); res.status != http.StatusBadRequest {
			t.Errorf("a day that is not a date: %d", res.status)
		}

		// Editing and deleting, audited.
		edit := budgetLineForm(f, "HARBOUR-STRIKE", "other", today.Add(time.Hour))
		edit.Set("notes", "the union speaks at six")
		if res := ed.post("/admin/budget/"+itoa(mine.ID), edit); res.status != http.StatusSeeOther {
			t.Fatalf("editing a line: %d\n%s", res.status, res.body)
		}
		if got := onlyLine(t, st, "HARBOUR-STRIKE"); got.AssigneeID != f.users["other"].ID || got.Notes != "the union speaks at six" {
			t.Errorf("the edited line: %+v", got)
		}
		if n, _ := st.UnreadNotifications(ctx, f.users["other"].ID); n != 2 {
			t.Errorf("the new assignee's notifications: %d, want 2 (two lines given to them)", n)
		}
		if res := ed.post("/admin/budget/"+itoa(mine.ID)+"/delete", nil); res.status != http.StatusOK || !strings.Contains(res.body, `value="yes"`) {
			t.Errorf("delete without confirming: %d, want the question", res.status)
		}
		if res := ed.post("/admin/budget/"+itoa(mine.ID)+"/delete", url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.status)
		}
		if _, err := st.BudgetLine(ctx, mine.ID); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("the deleted line: %v", err)
		}
		log, err := st.AuditLog(ctx, store.AuditFilter{Target: "budget line " + itoa(mine.ID)})
		if err != nil || len(log) != 3 || log[0].Action != "budget.delete" || log[1].Action != "budget.update" || log[2].Action != "budget.create" {
			t.Errorf("the audit log of the line: %+v, %v", log, err)
		}
	})
}

// TestStartStoryFromBudget: an editor starts a writer's line: the story
// has the slug line as headline, the line's section, the writer's byline,
// and is the writer's; the line follows it through review and
// publication; it cannot be started twice; a colleague cannot start it.
func TestStartStoryFromBudget(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed, writer, other := f.as(t, "editor"), f.as(t, "contributor"), f.as(t, "other")
		due := time.Now().UTC().Add(3 * time.Hour)
		ed.post("/admin/budget", budgetLineForm(f, "Harbour strike ends", "contributor", due))
		l := onlyLine(t, st, "Harbour strike ends")
		path := "/admin/budget/" + itoa(l.ID) + "/start"

		if res := other.post(path, nil); res.status != http.StatusNotFound {
			t.Errorf("a colleague starts the writer's line: %d, want 404", res.status)
		}
		res := ed.post(path, nil)
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/admin/articles/") {
			t.Fatalf("Start story: %d %s\n%s", res.status, res.location(), res.body)
		}
		l = onlyLine(t, st, "Harbour strike ends")
		if l.ArticleID == 0 || l.Status() != news.BudgetWriting {
			t.Fatalf("the line after Start story: %+v", l)
		}
		e, err := st.Editorial(ctx, l.ArticleID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Article.Headline != "Harbour strike ends" || e.Article.Section.ID != l.SectionID || e.CreatedBy != f.users["contributor"].ID ||
			len(e.Article.Bylines) != 1 || e.Article.Bylines[0].Name != "Contributor Person" || e.Article.Status != news.Draft {
			t.Errorf("the story started: %+v by %d", e.Article, e.CreatedBy)
		}
		if res := ed.post(path, nil); res.status != http.StatusBadRequest || !strings.Contains(res.body, "started already") {
			t.Errorf("starting it twice: %d", res.status)
		}
		log, _ := st.AuditLog(ctx, store.AuditFilter{Target: "budget line " + itoa(l.ID)})
		if len(log) == 0 || log[0].Action != "budget.start" {
			t.Errorf("the audit log: %+v", log)
		}

		// The writer has their story, and the line follows it.
		art := "/admin/articles/" + itoa(e.Article.ID)
		if res := writer.get(art); res.status != http.StatusOK {
			t.Fatalf("the writer opens the story started for them: %d", res.status)
		}
		form := editorForm(e)
		form.Set("body", "The strike at the harbour ended at noon.")
		if res := writer.post(art+"/submit", form); res.status != http.StatusSeeOther {
			t.Fatalf("submit: %d\n%s", res.status, res.body)
		}
		if got := onlyLine(t, st, "Harbour strike ends"); got.Status() != news.BudgetInReview {
			t.Errorf("after submitting: %s", got.Status())
		}
		if !strings.Contains(writer.get("/admin/budget").body, "In review") {
			t.Error("the budget does not show the story in review")
		}
		e, _ = st.Editorial(ctx, e.Article.ID)
		if res := ed.post(art+"/publish", editorForm(e)); res.status != http.StatusSeeOther {
			t.Fatalf("publish: %d\n%s", res.status, res.body)
		}
		if got := onlyLine(t, st, "Harbour strike ends"); got.Status() != news.BudgetPublished {
			t.Errorf("after publishing: %s", got.Status())
		}

		// A writer starting an unassigned line takes it and owns the story.
		ed.post("/admin/budget", budgetLineForm(f, "Ferry times change", "", due))
		open := onlyLine(t, st, "Ferry times change")
		if res := other.post("/admin/budget/"+itoa(open.ID)+"/start", nil); res.status != http.StatusSeeOther {
			t.Fatalf("a writer starts an unassigned line: %d\n%s", res.status, res.body)
		}
		open = onlyLine(t, st, "Ferry times change")
		if e, err := st.Editorial(ctx, open.ArticleID); err != nil || open.AssigneeID != f.users["other"].ID || e.CreatedBy != f.users["other"].ID {
			t.Errorf("the line and story a writer started: %+v, %v", open, err)
		}
	})
}

// TestBudgetAndPresencePagesAreValidHTML: the budget as an editor and as
// a writer sees it, a line open for editing, a refused form, and the
// editor page telling a second editor who holds the story.
func TestBudgetAndPresencePagesAreValidHTML(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed, writer := f.as(t, "editor"), f.as(t, "contributor")
		due := time.Now().UTC().Add(time.Hour)
		ed.post("/admin/budget", budgetLineForm(f, "HARBOUR-STRIKE", "contributor", due))
		ed.post("/admin/budget", budgetLineForm(f, "FERRY-TIMES", "", due))
		l := onlyLine(t, st, "HARBOUR-STRIKE")
		ed.post("/admin/budget/"+itoa(l.ID)+"/start", nil)
		l = onlyLine(t, st, "HARBOUR-STRIKE")
		art := "/admin/articles/" + itoa(l.ArticleID)
		writer.get(art)
		bad := budgetLineForm(f, "", "", due)
		bad.Set("due", "tomorrow")
		docs := map[string][]byte{
			"budget (editor)":   []byte(ed.get("/admin/budget").body),
			"budget (writer)":   []byte(writer.get("/admin/budget").body),
			"budget line":       []byte(ed.get("/admin/budget/" + itoa(l.ID)).body),
			"budget refused":    []byte(ed.post("/admin/budget", bad).body),
			"editor, held":      []byte(ed.get(art).body),
			"editor, the other": []byte(writer.get(art).body),
		}
		if !strings.Contains(string(docs["editor, held"]), `<span id="presence-holder">Contributor Person</span> is editing this story since`) {
			t.Errorf("the editor's page does not say who holds the story:\n%s", docs["editor, held"])
		}
		testkit.ValidateHTMLBatch(t, docs)
	})
}
