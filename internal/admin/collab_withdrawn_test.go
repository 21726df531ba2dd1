package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// A story taken off the site, by hand or at its unpublish time, drops the
// update scheduled while it was published: published again (with the
// text that made it fit to go back out), it must not have the withdrawn
// update put over that text by the scheduler.
func TestScheduledUpdateOfAWithdrawnStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		now := time.Now().UTC().Truncate(time.Second)
		f.adm.now = func() time.Time { return now }
		c := f.as(t, "editor")
		for _, how := range []string{"by hand", "at its unpublish time"} {
			e := f.draft(t, "editor", "Polls close tonight "+how)
			path := "/admin/articles/" + itoa(e.Article.ID)
			f.adm.now = func() time.Time { return now }
			if res := c.post(path+"/publish", url.Values{}); res.status != http.StatusSeeOther {
				t.Fatalf("publish: %d", res.status)
			}
			e, _ = st.Editorial(ctx, e.Article.ID)
			published := e.Article.Body
			form := editorForm(e)
			form.Set("body", "The harbour party wins.")
			form.Set("update_at", now.Add(2*time.Hour).Format("2006-01-02T15:04"))
			if res := c.post(path+"/schedule-update", form); res.status != http.StatusSeeOther {
				t.Fatalf("schedule update: %d %s", res.status, between(res.body, "<main", "</main>"))
			}
			if how == "by hand" {
				if res := c.post(path+"/unpublish", url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
					t.Fatalf("unpublish: %d", res.status)
				}
			} else {
				if res := c.post(path+"/unpublish-at", url.Values{"unpublish_at": {now.Add(time.Hour).Format("2006-01-02T15:04")}}); res.status != http.StatusSeeOther {
					t.Fatalf("schedule unpublish: %d %s", res.status, res.body)
				}
				f.adm.now = func() time.Time { return now.Add(90 * time.Minute) }
				f.adm.runDue(ctx)
			}
			if cur, _ := st.Editorial(ctx, e.Article.ID); cur.Article.Status != news.Draft {
				t.Fatalf("%s: not withdrawn: %s", how, cur.Article.Status)
			}
			if _, err := st.PendingUpdate(ctx, e.Article.ID); news.ErrorCode(err) != news.ENOTFOUND {
				t.Errorf("%s: the withdrawn story still has its update scheduled (%v)", how, err)
			}
			// Back out (on the clock the session was opened on), then
			// the update's time passes.
			f.adm.now = func() time.Time { return now }
			if res := c.post(path+"/publish", url.Values{}); res.status != http.StatusSeeOther {
				t.Fatalf("%s: publish again: %d", how, res.status)
			}
			f.adm.now = func() time.Time { return now.Add(3 * time.Hour) }
			f.adm.runDue(ctx)
			cur, _ := st.Editorial(ctx, e.Article.ID)
			if cur.Article.Body != published || strings.Contains(cur.Article.Body, "harbour") {
				t.Errorf("%s: the update scheduled before it was withdrawn replaced the text: %q", how, cur.Article.Body)
			}
		}
	})
}

// An update scheduled from the published text at one revision is not put
// over a save made since (a fix to the published story): like any save
// from a base that is no longer the story's, it is refused, and the audit
// log says why.
func TestScheduledUpdateAfterAManualSave(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		now := time.Now().UTC().Truncate(time.Second)
		f.adm.now = func() time.Time { return now }
		c := f.as(t, "editor")
		e := f.draft(t, "editor", "Bridge reopens")
		path := "/admin/articles/" + itoa(e.Article.ID)
		if res := c.post(path+"/publish", url.Values{}); res.status != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.status)
		}
		e, _ = st.Editorial(ctx, e.Article.ID)
		form := editorForm(e)
		form.Set("body", "The bridge reopens on Monday, the mayor said.")
		form.Set("update_at", now.Add(time.Hour).Format("2006-01-02T15:04"))
		if res := c.post(path+"/schedule-update", form); res.status != http.StatusSeeOther {
			t.Fatalf("schedule update: %d %s", res.status, between(res.body, "<main", "</main>"))
		}
		// A fix to the published text, saved from the story as it is.
		e, _ = st.Editorial(ctx, e.Article.ID)
		fix := editorForm(e)
		fix.Set("body", "The bridge reopens on Tuesday, the council said.")
		if res := c.post(path, fix); res.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", res.status, between(res.body, "<main", "</main>"))
		}
		f.adm.now = func() time.Time { return now.Add(90 * time.Minute) }
		f.adm.runDue(ctx)
		cur, _ := st.Editorial(ctx, e.Article.ID)
		if cur.Article.Body != "The bridge reopens on Tuesday, the council said." {
			t.Errorf("the update scheduled before the fix replaced it: %q", cur.Article.Body)
		}
		if _, err := st.PendingUpdate(ctx, e.Article.ID); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("the refused update is still pending (%v)", err)
		}
		log, _ := st.AuditLog(ctx, store.AuditFilter{Target: "article " + itoa(e.Article.ID), Actions: []string{"update.failed"}})
		if len(log) != 1 || !strings.Contains(log[0].Detail, "saved since") {
			t.Errorf("audit: %+v", log)
		}
	})
}

// With mail configured, a writer whose story an editor publishes in bulk
// from the article list is told by email as when it is published from
// the editor (docs/working-together.md: each notification is also an
// email). The outbox holds it, written with the move.
func TestBulkPublishTellsTheWriterByEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c, err := mail.ParseSMTP("smtp://127.0.0.1:2525", "", "Newsroom <news@example.org>")
		if err != nil {
			t.Fatal(err)
		}
		f.adm.cfg.Mail = mail.NewSMTP(c)
		e := f.draft(t, "contributor", "Ferry timetable changes")
		res := f.as(t, "editor").post("/admin/articles/bulk", url.Values{"action": {"publish"}, "confirm": {"yes"}, "id": {itoa(e.Article.ID)}})
		if res.status != http.StatusOK && res.status != http.StatusSeeOther {
			t.Fatalf("bulk publish: %d %s", res.status, between(res.body, "<main", "</main>"))
		}
		if s := statusOfStory(t, st, e.Article.ID); s != news.Published {
			t.Fatalf("the story is %s", s)
		}
		if n, _ := st.UnreadNotifications(ctx, f.users["contributor"].ID); n != 1 {
			t.Errorf("in the newsroom: %d unread, want 1", n)
		}
		list, err := st.MailOutbox(ctx, store.MailPending, 10)
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, m := range list {
			found = found || strings.Contains(m.Subject, "Published: Ferry timetable changes")
		}
		if !found {
			t.Errorf("no email for the story published in bulk; the outbox holds %+v", list)
		}
	})
}

// An update scheduled from an editor whose text is older than the story
// (a colleague saved it after the editor opened it) is refused, as a
// save from that base would be kept as a conflict, not applied: else the
// colleague's save would be undone when the update falls due.
func TestScheduledUpdateFromAnOldBase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		now := time.Now().UTC().Truncate(time.Second)
		f.adm.now = func() time.Time { return now }
		c := f.as(t, "editor")
		e := f.draft(t, "editor", "Council votes on budget")
		path := "/admin/articles/" + itoa(e.Article.ID)
		if res := c.post(path+"/publish", url.Values{}); res.status != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.status)
		}
		opened, _ := st.Editorial(ctx, e.Article.ID)
		// A colleague fixes the published story meanwhile.
		fix := editorForm(opened)
		fix.Set("body", "The council votes on Thursday.")
		if res := f.as(t, "admin").post(path, fix); res.status != http.StatusSeeOther {
			t.Fatalf("the colleague's save: %d %s", res.status, between(res.body, "<main", "</main>"))
		}
		// The editor schedules an update from the text they opened.
		form := editorForm(opened)
		form.Set("summary", "A new summary.")
		form.Set("update_at", now.Add(time.Hour).Format("2006-01-02T15:04"))
		res := c.post(path+"/schedule-update", form)
		if res.status != http.StatusConflict {
			t.Errorf("scheduling an update from an old revision: %d, want 409\n%s", res.status, between(res.body, "<main", "</main>"))
		}
		if _, err := st.PendingUpdate(ctx, e.Article.ID); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("an update from an old revision was scheduled (%v)", err)
		}
	})
}
