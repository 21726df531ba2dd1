package admin

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestTimeZoneSetting: an admin sets the site's time zone in the settings;
// the page shows its offset now; a name that is no zone is refused naming
// the field, and the stored zone stays; an editor may not change it. The
// public article page, cached in UTC, shows its Published line in the new
// zone right after the change.
func TestTimeZoneSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.adm.now = func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
		e := f.draft(t, "editor", "Night trains return")
		form := editorForm(e)
		form.Set("body", "The sleeper leaves at ten.")
		if res := f.as(t, "editor").post("/admin/articles/"+itoa(e.Article.ID)+"/publish", form); res.status != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.status)
		}
		cur, _ := st.Editorial(ctx, e.Article.ID)
		public := cur.Article.URL()
		attr := `<time datetime="2026-03-01T12:00:00Z">`
		if p := f.public(t, public); !strings.Contains(p.body, "Published "+attr+"1 March 2026, 12:00 UTC</time>") {
			t.Fatalf("before the setting, the Published line is not in UTC:\n%s", p.body)
		}

		adm := f.as(t, "admin")
		if res := adm.post("/admin/settings", url.Values{"time_zone": {" Europe/Paris "}}); res.status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%.400s", res.status, res.body)
		}
		if v, _ := st.Setting(ctx, news.SettingTimeZone); v != "Europe/Paris" {
			t.Errorf("stored time zone %q, want Europe/Paris", v)
		}
		page := adm.get("/admin/settings")
		if !strings.Contains(page.body, `id="time_zone" name="time_zone" value="Europe/Paris" list="time_zones"`) ||
			!strings.Contains(page.body, "Now Europe/Paris: UTC&#43;01:00, 13:00 now.") || !strings.Contains(page.body, `<option value="America/New_York">`) {
			t.Errorf("the settings page does not show the zone, its offset and suggestions:\n%s", page.body)
		}
		// The public page was cached in UTC: the change refreshes it.
		if p := f.public(t, public); !strings.Contains(p.body, "Published "+attr+"1 March 2026, 13:00 CET</time>") {
			t.Errorf("after the setting, the Published line is not in Europe/Paris:\n%s", p.body)
		}

		res := adm.post("/admin/settings", url.Values{"time_zone": {"Europe/Pariss"}})
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, `data-field="time_zone"`) || !strings.Contains(res.body, "not a time zone name") {
			t.Errorf("a zone that does not exist: %d, want 400 naming time_zone\n%.600s", res.status, res.body)
		}
		if res := f.as(t, "editor").post("/admin/settings", url.Values{"time_zone": {"Asia/Tokyo"}}); res.status != http.StatusForbidden {
			t.Errorf("an editor set the time zone: %d", res.status)
		}
		if v, _ := st.Setting(ctx, news.SettingTimeZone); v != "Europe/Paris" {
			t.Errorf("after refused changes the zone is %q, want Europe/Paris kept", v)
		}
	})
}

// TestScheduleInTheSiteZone: with the site in Europe/Paris (set by another
// instance: straight in the store), a time typed in the schedule field is
// that wall clock in Paris, stored as the right instant, and shown back the
// same in the field, the editor's line and the newsroom's list.
func TestScheduleInTheSiteZone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.adm.now = func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
		if err := st.SetSetting(ctx, news.SettingTimeZone, "Europe/Paris"); err != nil {
			t.Fatal(err)
		}
		e := f.draft(t, "editor", "Summer timetable")
		path := "/admin/articles/" + itoa(e.Article.ID)
		c := f.as(t, "editor")
		form := editorForm(e)
		form.Set("publish_at", "2026-07-01T09:00")
		if res := c.post(path+"/schedule", form); res.status != http.StatusSeeOther {
			t.Fatalf("schedule: %d\n%.400s", res.status, res.body)
		}
		cur, _ := st.Editorial(ctx, e.Article.ID)
		if want := time.Date(2026, 7, 1, 7, 0, 0, 0, time.UTC); !cur.PublishAt.Equal(want) {
			t.Errorf("09:00 in Paris in July stored as %v, want %v", cur.PublishAt.UTC(), want)
		}
		ed := c.get(path)
		input := regexp.MustCompile(`<input type="datetime-local" id="publish_at"[^>]*>`).FindString(ed.body)
		if !strings.Contains(input, `value="2026-07-01T09:00"`) {
			t.Errorf("the schedule field shows %s, want the time typed", input)
		}
		if !strings.Contains(ed.body, "the site's time zone, Europe/Paris") || !strings.Contains(ed.body, "due <time datetime=\"2026-07-01T07:00:00Z\">1 Jul 2026, 09:00</time>") {
			t.Errorf("the editor does not show the zone and the due time in it:\n%s", ed.body)
		}
		list := c.get("/admin/articles")
		if !strings.Contains(list.body, "due <time datetime=\"2026-07-01T07:00:00Z\">1 Jul 2026, 09:00</time>") {
			t.Errorf("the newsroom's list does not show the due time in Paris:\n%s", list.body)
		}
	})
}
