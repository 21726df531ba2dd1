package admin

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestScheduleFieldStartsEmpty: the schedule field of a draft holds no
// time the editor never chose (it held now + 1 hour, with no word of what
// that was), and it says which time zone its times are in.
func TestScheduleFieldStartsEmpty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "editor", "Ferry timetable changes")
		res := f.as(t, "editor").get("/admin/articles/" + itoa(e.Article.ID))
		input := regexp.MustCompile(`<input type="datetime-local" id="publish_at"[^>]*>`).FindString(res.body)
		if input == "" {
			t.Fatal("no schedule field")
		}
		if !strings.Contains(input, `value=""`) {
			t.Errorf("a draft's schedule field is filled in: %s", input)
		}
		help := regexp.MustCompile(`(?s)id="publish-at-help">(.*?)</`).FindStringSubmatch(res.body)
		if !strings.Contains(input, `aria-describedby="publish-at-help"`) || help == nil || !strings.Contains(help[1], "UTC") {
			t.Errorf("the schedule field has no hint naming the time zone: %s %q", input, help)
		}
	})
}

// TestScheduleInTheSpringGap: a time the site's clocks skip is refused with
// a message saying so, and nothing is scheduled; a time they pass twice is
// the first of the two.
func TestScheduleInTheSpringGap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		berlin, err := time.LoadLocation("Europe/Berlin")
		if err != nil {
			t.Fatal(err)
		}
		f.adm.cfg.Location = berlin
		f.adm.now = func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
		e := f.draft(t, "editor", "Clocks go forward tonight")
		c := f.as(t, "editor")
		form := editorForm(e)
		form.Set("publish_at", "2026-03-29T02:30")
		res := c.post("/admin/articles/"+itoa(e.Article.ID)+"/schedule", form)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "does not exist in Europe/Berlin") {
			t.Errorf("scheduling in the spring gap: %d\n%s", res.status, res.body)
		}
		if cur, _ := st.Editorial(ctx, e.Article.ID); cur.Article.Status != news.Draft {
			t.Errorf("after a refused schedule the article is %s", cur.Article.Status)
		}
		form.Set("publish_at", "2026-10-25T02:30")
		if res := c.post("/admin/articles/"+itoa(e.Article.ID)+"/schedule", form); res.status != http.StatusSeeOther {
			t.Fatalf("scheduling in the autumn's repeated hour: %d", res.status)
		}
		cur, _ := st.Editorial(ctx, e.Article.ID)
		if want := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC); !cur.PublishAt.Equal(want) {
			t.Errorf("02:30 on the night the clocks go back: due %v, want the first, %v", cur.PublishAt.UTC(), want)
		}
	})
}
