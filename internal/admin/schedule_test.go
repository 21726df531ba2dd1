package admin

import (
	"regexp"
	"strings"
	"testing"

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
