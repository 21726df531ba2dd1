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
)

// TestNotesMentionsAndSendBack: a writer files a story; the editor leaves a
// note mentioning the writer (@Contributor, the first name of "Contributor
// Person") and someone unknown (@nobody, left as text), then sends it back
// with a note. The writer's bell counts two, the notifications page lists
// the mention and the sending back, the story is their draft again with
// the note beside the editor, and the audit log has it. A send back
// without a note is refused and changes nothing. Notes are not on the
// public page.
func TestNotesMentionsAndSendBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "Harbour strike enters its second week")
		path := "/admin/articles/" + itoa(e.Article.ID)
		writer, editor := f.as(t, "contributor"), f.as(t, "editor")
		if res := writer.post(path+"/submit", url.Values{}); res.status != http.StatusSeeOther {
			t.Fatalf("submit: %d %s", res.status, res.body)
		}
		res := editor.post(path+"/notes", url.Values{"note": {"@Contributor can you check the quote?\n@nobody knows."}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("note: %d %s", res.status, res.body)
		}
		page := editor.get(path).body
		if !strings.Contains(page, `<strong class="mention">@Contributor</strong> can you check the quote?`) || !strings.Contains(page, "@nobody knows.") ||
			strings.Contains(page, `<strong class="mention">@nobody`) {
			t.Errorf("the note beside the editor, with its mention marked and the unknown name as text:\n%s", between(page, `id="notes"`, "</section>"))
		}
		if own := writer.get(path).body; strings.Contains(own, `id="schedule-more"`) {
			t.Error("a contributor is shown the embargo and schedule panel, with nothing in it")
		}
		if !strings.Contains(between(page, `id="notes"`, "</section>"), "Editor Person") {
			t.Error("the note does not name its writer")
		}
		// A contributor cannot send back; an editor must say why.
		if res := writer.post(path+"/send-back", url.Values{"note": {"x"}}); res.status != http.StatusForbidden {
			t.Errorf("a contributor sending back: %d", res.status)
		}
		if res := editor.post(path+"/send-back", url.Values{"note": {"  "}}); res.status != http.StatusBadRequest || !strings.Contains(res.body, "say why") {
			t.Errorf("send back without a note: %d\n%s", res.status, res.body)
		}
		if cur, _ := st.Editorial(ctx, e.Article.ID); cur.Article.Status != news.Review {
			t.Fatalf("after a refused send back the story is %s", cur.Article.Status)
		}
		if res := editor.post(path+"/send-back", url.Values{"note": {"The second source is missing."}}); res.status != http.StatusSeeOther {
			t.Fatalf("send back: %d %s", res.status, res.body)
		}
		cur, _ := st.Editorial(ctx, e.Article.ID)
		if cur.Article.Status != news.Draft {
			t.Errorf("sent back: status %s, want draft", cur.Article.Status)
		}
		mine := writer.get(path).body
		notes := between(mine, `id="notes"`, "</section>")
		if !strings.Contains(notes, `<p class="sent-back" role="status"><strong>Sent back</strong>`) || !strings.Contains(notes, "The second source is missing.") {
			t.Errorf("the writer's editor does not show the sending back:\n%s", notes)
		}
		if i, j := strings.Index(notes, "check the quote"), strings.Index(notes, "second source"); i < 0 || j < i {
			t.Errorf("notes are not oldest first, newest last:\n%s", notes)
		}
		if !strings.Contains(mine, `<span class="count">2<`) {
			t.Errorf("the writer's bell does not count 2 unread:\n%s", between(mine, `<header`, "</header>"))
		}
		list := writer.get("/admin/notifications").body
		if !strings.Contains(list, "Editor Person mentioned you in a note on “Harbour strike enters its second week”") ||
			!strings.Contains(list, "Editor Person sent “Harbour strike enters its second week” back to you: The second source is missing.") {
			t.Errorf("notifications page:\n%s", between(list, "<main", "</main>"))
		}
		// The editor is told nothing of their own notes.
		if n, _ := st.UnreadNotifications(ctx, f.users["editor"].ID); n != 0 {
			t.Errorf("the editor has %d notifications of their own notes", n)
		}
		// The other writer may neither read nor write notes on it.
		if res := f.as(t, "other").post(path+"/notes", url.Values{"note": {"hi"}}); res.status != http.StatusForbidden {
			t.Errorf("another writer's note: %d", res.status)
		}
		if res := writer.post("/admin/notifications/read", url.Values{}); res.status != http.StatusSeeOther {
			t.Fatalf("mark read: %d", res.status)
		}
		if n, _ := st.UnreadNotifications(ctx, f.users["contributor"].ID); n != 0 {
			t.Errorf("after marking all read: %d unread", n)
		}
		// Filed again, it is no longer marked sent back; its notes stay.
		if res := writer.post(path+"/submit", url.Values{}); res.status != http.StatusSeeOther {
			t.Fatalf("submit again: %d", res.status)
		}
		if again := writer.get(path).body; strings.Contains(again, `class="sent-back"`) || !strings.Contains(again, "The second source is missing.") {
			t.Errorf("after filing it again:\n%s", between(again, `id="notes"`, "</section>"))
		}
		// Returned to draft without a note, it is not marked sent back by
		// the old note.
		if res := editor.post(path+"/unpublish", url.Values{}); res.status != http.StatusSeeOther {
			t.Fatalf("return to draft: %d", res.status)
		}
		if again := writer.get(path).body; strings.Contains(again, `class="sent-back"`) {
			t.Errorf("returned to draft later, still marked sent back:\n%s", between(again, `id="notes"`, "</section>"))
		}
		log, _ := st.AuditLog(ctx, store.AuditFilter{Actions: []string{"send back"}})
		if len(log) != 1 || log[0].UserName != "Editor Person" {
			t.Errorf("audit of the send back: %+v", log)
		}
		// Published, the story's page carries no note.
		if err := st.MoveArticle(ctx, e.Article.ID, store.Move{From: news.Draft, To: news.Published, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		pub := f.anon(t).get(cur.Article.URL())
		if pub.status != http.StatusOK || strings.Contains(pub.body, "second source") || strings.Contains(pub.body, "check the quote") {
			t.Errorf("public page %d shows a note", pub.status)
		}
	})
}

// TestPublishedAndCorrectedNotify: the writer is told when an editor
// publishes their story, when the scheduler does, and of a correction.
func TestPublishedAndCorrectedNotify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		editor := f.as(t, "editor")
		e := f.draft(t, "contributor", "Bridge reopens")
		path := "/admin/articles/" + itoa(e.Article.ID)
		if res := editor.post(path+"/publish", url.Values{}); res.status != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", res.status, res.body)
		}
		if res := editor.post(path+"/corrections", url.Values{"correction": {"The bridge is in Ostend."}}); res.status != http.StatusSeeOther {
			t.Fatalf("correction: %d %s", res.status, res.body)
		}
		later := f.draft(t, "contributor", "Ferry timetable")
		if err := st.MoveArticle(ctx, later.Article.ID, store.Move{From: news.Draft, To: news.Scheduled, At: time.Now(), PublishAt: time.Now().Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		f.adm.now = func() time.Time { return time.Now().Add(time.Hour) }
		f.adm.runDue(ctx)
		list, _ := st.Notifications(ctx, f.users["contributor"].ID, 0)
		var kinds []string
		for _, n := range list {
			kinds = append(kinds, string(n.Kind))
		}
		if strings.Join(kinds, ",") != "published,correction,published" {
			t.Errorf("the writer's notifications, newest first: %v", kinds)
		}
	})
}

// TestEmbargoRefusedInTheNewsroom: an editor sets an embargo; publishing
// now and scheduling before it are refused with its time in the site's
// zone; the desk says "Embargoed until"; scheduling at its time works;
// setting, changing and lifting are in the audit log.
func TestEmbargoRefusedInTheNewsroom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		berlin, err := time.LoadLocation("Europe/Berlin")
		if err != nil {
			t.Fatal(err)
		}
		f.adm.cfg.Location = berlin
		// Times relative to now: sessions are checked against the real clock.
		now := time.Now().In(berlin).Truncate(time.Minute)
		local := func(d time.Duration) string { return now.Add(d).Format("2006-01-02T15:04") }
		named := func(d time.Duration) string { return now.Add(d).Format("2 Jan 2006 15:04 MST") }
		e := f.draft(t, "editor", "Budget figures")
		path := "/admin/articles/" + itoa(e.Article.ID)
		c := f.as(t, "editor")
		if res := f.as(t, "contributor").post(path+"/embargo", url.Values{"embargo": {local(5 * time.Hour)}}); res.status != http.StatusForbidden {
			t.Errorf("a contributor setting an embargo: %d", res.status)
		}
		if res := c.post(path+"/embargo", url.Values{"embargo": {local(5 * time.Hour)}}); res.status != http.StatusSeeOther {
			t.Fatalf("set embargo: %d %s", res.status, res.body)
		}
		for _, try := range []struct {
			what, path string
			form       url.Values
		}{
			{"publish now", path + "/publish", url.Values{}},
			{"publish from the editor", path + "/publish", editorForm(e)},
			{"schedule before", path + "/schedule", withField(editorForm(e), "publish_at", local(5*time.Hour-time.Minute))},
		} {
			res := c.post(try.path, try.form)
			if res.status != http.StatusConflict || !strings.Contains(res.body, "under embargo until "+named(5*time.Hour)) {
				t.Errorf("%s: %d, want 409 naming the embargo in CET\n%s", try.what, res.status, between(res.body, "<main", "</main>"))
			}
		}
		if cur, _ := st.Editorial(ctx, e.Article.ID); cur.Article.Status != news.Draft {
			t.Fatalf("after the refusals: %s", cur.Article.Status)
		}
		desk := c.get("/admin/").body
		if !strings.Contains(desk, `<strong class="embargoed">Embargoed until <time datetime="`+now.Add(5*time.Hour).UTC().Format(time.RFC3339)+`">`+now.Add(5*time.Hour).Format("2 Jan 2006, 15:04")+`</time></strong>`) {
			t.Errorf("the desk does not say the story is embargoed:\n%s", between(desk, "<main", "</main>"))
		}
		if res := c.post(path+"/embargo", url.Values{"embargo": {local(6 * time.Hour)}}); res.status != http.StatusSeeOther {
			t.Fatalf("change embargo: %d %s", res.status, res.body)
		}
		if res := c.post(path+"/schedule", withField(editorForm(e), "publish_at", local(6*time.Hour))); res.status != http.StatusSeeOther {
			t.Fatalf("schedule at the embargo: %d %s", res.status, between(res.body, "<main", "</main>"))
		}
		if res := c.post(path+"/unpublish", url.Values{}); res.status != http.StatusSeeOther {
			t.Fatalf("unschedule: %d", res.status)
		}
		if res := c.post(path+"/embargo", url.Values{"lift": {"1"}}); res.status != http.StatusSeeOther {
			t.Fatalf("lift: %d %s", res.status, res.body)
		}
		if res := c.post(path+"/publish", url.Values{}); res.status != http.StatusSeeOther {
			t.Errorf("publish after the embargo was lifted: %d %s", res.status, res.body)
		}
		log, _ := st.AuditLog(ctx, store.AuditFilter{Target: "article " + itoa(e.Article.ID)})
		var got []string
		for _, l := range log {
			if strings.HasPrefix(l.Action, "embargo.") {
				got = append(got, l.Action+": "+l.Detail)
			}
		}
		want := []string{"embargo.lift: lifted (was until " + named(6*time.Hour) + ")", "embargo.change: until " + named(6*time.Hour) + " (was " + named(5*time.Hour) + ")", "embargo.set: until " + named(5*time.Hour)}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("audit log:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// TestScheduledUnpublishAndUpdate: on a published story an editor
// schedules an update (the published text stays until then) and an
// unpublish; the scheduler applies the update at its time, as a
// substantive update, and takes the story down at its time.
func TestScheduledUnpublishAndUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		now := time.Now().UTC().Truncate(time.Second)
		f.adm.now = func() time.Time { return now }
		e := f.draft(t, "editor", "Polls close tonight")
		path := "/admin/articles/" + itoa(e.Article.ID)
		c := f.as(t, "editor")
		if res := c.post(path+"/publish", url.Values{}); res.status != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.status)
		}
		e, _ = st.Editorial(ctx, e.Article.ID)
		form := editorForm(e)
		form.Set("body", "The harbour party wins.")
		form.Set("update_at", now.Add(time.Hour).Format("2006-01-02T15:04"))
		if res := c.post(path+"/schedule-update", form); res.status != http.StatusSeeOther {
			t.Fatalf("schedule update: %d %s", res.status, between(res.body, "<main", "</main>"))
		}
		if res := c.post(path+"/unpublish-at", url.Values{"unpublish_at": {now.Add(3 * time.Hour).Format("2006-01-02T15:04")}}); res.status != http.StatusSeeOther {
			t.Fatalf("schedule unpublish: %d %s", res.status, res.body)
		}
		pub := f.anon(t).get(e.Article.URL())
		if strings.Contains(pub.body, "harbour party") {
			t.Fatal("the update is public before its time")
		}
		if page := c.get(path).body; !strings.Contains(page, "replaces the published text at") || !strings.Contains(page, "Leaves the site by itself at") {
			t.Errorf("the editor does not show what is scheduled:\n%s", between(page, `id="schedule-more"`, "</section>"))
		}
		f.adm.now = func() time.Time { return now.Add(90 * time.Minute) }
		f.adm.runDue(ctx)
		cur, _ := st.Editorial(ctx, e.Article.ID)
		if cur.Article.Body != "The harbour party wins." || cur.Article.Status != news.Published || cur.Article.UpdatedAt.IsZero() {
			t.Errorf("after the update's time: %s %q updated %v", cur.Article.Status, cur.Article.Body, cur.Article.UpdatedAt)
		}
		if pub := f.anon(t).get(e.Article.URL()); !strings.Contains(pub.body, "harbour party") {
			t.Errorf("the public page does not have the update: %d", pub.status)
		}
		f.adm.now = func() time.Time { return now.Add(4 * time.Hour) }
		f.adm.runDue(ctx)
		if cur, _ := st.Editorial(ctx, e.Article.ID); cur.Article.Status != news.Draft {
			t.Errorf("after the unpublish time: %s", cur.Article.Status)
		}
		log, _ := st.AuditLog(ctx, store.AuditFilter{Target: "article " + itoa(e.Article.ID), Actions: []string{"update", "unpublish"}})
		if len(log) != 2 || log[0].Detail != "scheduled" || !strings.HasPrefix(log[1].Detail, "scheduled update") {
			t.Errorf("audit: %+v", log)
		}
	})
}

func withField(v url.Values, k, val string) url.Values {
	v.Set(k, val)
	return v
}

// between is s from the first from to the next to after it.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return s
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j]
}
