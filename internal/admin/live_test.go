package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestLiveDesk runs a live story from the newsroom over HTTP: an editor
// starts the coverage, posts, corrects, pins, unpins and deletes updates
// and ends it; the public page follows each step; a text the rules refuse
// comes back in the form; a contributor who may not change the published
// story is refused every change, and every change is in the audit log.
func TestLiveDesk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.story(t, "contributor", "Storm reaches the coast", "news/world", nil, nil, true)
		desk := "/admin/articles/" + itoa(e.Article.ID) + "/live"
		editor, writer := f.as(t, "editor"), f.as(t, "contributor")

		// The editor's page of a published story links to its desk.
		if res := editor.get("/admin/articles/" + itoa(e.Article.ID)); !strings.Contains(res.body, `href="`+desk+`"`) {
			t.Errorf("the editor does not link to the live desk (status %d)", res.status)
		}
		if res := editor.post(desk, url.Values{"body": {"Too early."}}); res.status != http.StatusConflict {
			t.Errorf("an update before the coverage started: status %d, want 409", res.status)
		}
		if res := editor.post(desk+"/start", nil); res.status != http.StatusSeeOther || res.location() != desk+"?done=live-started" {
			t.Fatalf("start: status %d, location %q", res.status, res.location())
		}
		res := editor.get(desk)
		if res.status != http.StatusOK || !strings.Contains(res.body, `<textarea id="live-body" name="body"`) || !strings.Contains(res.body, "data-ctrl-enter") {
			t.Fatalf("desk of a live story: status %d, no form to post\n%s", res.status, res.body)
		}

		post := func(body, byline string, pinned bool) int64 {
			t.Helper()
			form := url.Values{"body": {body}, "byline": {byline}}
			if pinned {
				form.Set("pinned", "1")
			}
			res := editor.post(desk, form)
			if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), desk+"?done=live-posted#update-") {
				t.Fatalf("post %q: status %d, location %q\n%s", body, res.status, res.location(), res.body)
			}
			id, _ := strconv.ParseInt(strings.TrimPrefix(res.location(), desk+"?done=live-posted#update-"), 10, 64)
			return id
		}
		first := post("Winds of **120 km/h** measured at the pier.", "Ana Lind", false)
		second := post("Ferries are cancelled.", "", false)

		public := func() string {
			t.Helper()
			res := f.public(t, e.Article.URL())
			if res.status != http.StatusOK {
				t.Fatalf("public page: status %d", res.status)
			}
			return res.body
		}
		page := public()
		if !strings.Contains(page, `<strong>120 km/h</strong>`) || !strings.Contains(page, "Ana Lind") ||
			strings.Index(page, `id="update-`+itoa(second)+`"`) > strings.Index(page, `id="update-`+itoa(first)+`"`) {
			t.Errorf("public page after two updates: want both, newest first\n%s", page)
		}

		// A refused text comes back in the form, with the reason.
		res = editor.post(desk, url.Values{"body": {"   "}, "byline": {"Kept Byline"}})
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "write the update") || !strings.Contains(res.body, `value="Kept Byline"`) {
			t.Errorf("an empty update: status %d, want 400 with the reason and the byline kept\n%s", res.status, res.body)
		}

		// Correct, pin, unpin.
		upd := desk + "/" + itoa(first)
		if res := editor.post(upd, url.Values{"body": {"Winds of **130 km/h** measured at the pier."}, "byline": {"Ana Lind"}}); res.status != http.StatusSeeOther {
			t.Fatalf("correct: status %d\n%s", res.status, res.body)
		}
		if res := editor.post(upd+"/pin", url.Values{"pinned": {"1"}}); res.status != http.StatusSeeOther {
			t.Fatalf("pin: status %d", res.status)
		}
		page = public()
		if !strings.Contains(page, "130 km/h") || strings.Contains(page, "120 km/h") ||
			!strings.Contains(page, `class="live-update pinned" id="update-`+itoa(first)+`"`) ||
			strings.Index(page, `id="update-`+itoa(first)+`"`) > strings.Index(page, `id="update-`+itoa(second)+`"`) {
			t.Errorf("public page after the correction and the pin: want the corrected text, pinned first\n%s", page)
		}
		if res := editor.post(upd+"/pin", url.Values{"pinned": {"0"}}); res.status != http.StatusSeeOther {
			t.Fatalf("unpin: status %d", res.status)
		}
		if u, _ := st.LiveUpdate(ctx, first); u.Pinned {
			t.Error("unpin left the update pinned")
		}

		// A contributor may not change a published story, so not its
		// coverage either; the desk shows no forms to them.
		for _, try := range []struct {
			path string
			form url.Values
		}{
			{desk, url.Values{"body": {"Mine."}}},
			{upd, url.Values{"body": {"Mine."}}},
			{upd + "/pin", url.Values{"pinned": {"1"}}},
			{upd + "/delete", nil},
			{desk + "/end", nil},
		} {
			if res := writer.post(try.path, try.form); res.status != http.StatusForbidden {
				t.Errorf("contributor posting to %s: status %d, want 403", try.path, res.status)
			}
		}
		if res := writer.get(desk); res.status != http.StatusOK || strings.Contains(res.body, `name="body"`) {
			t.Errorf("contributor's view of the desk: status %d; forms shown: %v", res.status, strings.Contains(res.body, `name="body"`))
		}
		if res := f.as(t, "other").get(desk); res.status != http.StatusForbidden {
			t.Errorf("another contributor opening the desk: status %d, want 403", res.status)
		}
		// An update of another story is not this story's.
		other := f.story(t, "contributor", "Another story", "news/world", nil, nil, true)
		if res := editor.post("/admin/articles/"+itoa(other.Article.ID)+"/live/"+itoa(first)+"/delete", nil); res.status != http.StatusNotFound {
			t.Errorf("deleting an update through another story: status %d, want 404", res.status)
		}

		if res := editor.post(desk+"/"+itoa(second)+"/delete", nil); res.status != http.StatusSeeOther {
			t.Fatalf("delete: status %d", res.status)
		}
		if page := public(); strings.Contains(page, `id="update-`+itoa(second)+`"`) {
			t.Error("a deleted update is still on the public page")
		}
		if res := editor.post(desk+"/end", nil); res.status != http.StatusSeeOther {
			t.Fatalf("end: status %d", res.status)
		}
		if page := public(); !strings.Contains(page, "Live coverage ended") || !strings.Contains(page, `id="update-`+itoa(first)+`"`) {
			t.Error("the ended story's page does not say so, or lost its updates")
		}

		log, err := st.AuditLog(ctx, store.AuditFilter{Target: newsroom.ArticleTarget(e.Article.ID)})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, x := range log {
			if strings.HasPrefix(x.Action, "live.") {
				actions = append(actions, x.Action)
				if x.UserID != f.users["editor"].ID {
					t.Errorf("audit %s by user %d, want the editor", x.Action, x.UserID)
				}
			}
		}
		want := "live.end live.delete live.unpin live.pin live.edit live.post live.post live.start"
		if got := strings.Join(actions, " "); got != want {
			t.Errorf("audit log: got %q, want %q", got, want)
		}
		if !strings.Contains(log[1].Detail, "Ferries are cancelled.") {
			t.Errorf("the deletion's audit entry does not keep the text: %q", log[1].Detail)
		}
	})
}
