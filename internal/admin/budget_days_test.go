package admin

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestBudgetDaysAcrossAClockChange: the budget's days are named by the
// calendar of the site's zone, so the day after today is "Tomorrow" even
// when it begins 23 hours later (the clocks go forward that night), and
// the day before today is "Yesterday" after such a night.
func TestBudgetDaysAcrossAClockChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		if err := st.SetSetting(ctx, news.SettingTimeZone, "Europe/Paris"); err != nil {
			t.Fatal(err)
		}
		paris, err := time.LoadLocation("Europe/Paris")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			now        time.Time
			day        string
			first, sec string
		}{
			// Clocks go forward at 02:00 on Sunday 28 March 2027: that day
			// is 23 hours long.
			{time.Date(2027, 3, 28, 12, 0, 0, 0, paris), "", "Today, Sunday 28 March 2027", "Tomorrow, Monday 29 March 2027"},
			{time.Date(2027, 3, 29, 12, 0, 0, 0, paris), "2027-03-28", "Yesterday, Sunday 28 March 2027", "Today, Monday 29 March 2027"},
			{time.Date(2027, 3, 27, 12, 0, 0, 0, paris), "2027-03-28", "Tomorrow, Sunday 28 March 2027", "<h2 id=\"day-2027-03-29\">Monday 29 March 2027"},
			// And back at 03:00 on Sunday 31 October 2027: 25 hours long.
			{time.Date(2027, 10, 31, 12, 0, 0, 0, paris), "", "Today, Sunday 31 October 2027", "Tomorrow, Monday 1 November 2027"},
			{time.Date(2027, 11, 1, 12, 0, 0, 0, paris), "2027-10-31", "Yesterday, Sunday 31 October 2027", "Today, Monday 1 November 2027"},
			{time.Date(2027, 10, 30, 12, 0, 0, 0, paris), "2027-10-31", "Tomorrow, Sunday 31 October 2027", "<h2 id=\"day-2027-11-01\">Monday 1 November 2027"},
		} {
			f.adm.now = func() time.Time { return c.now }
			// Signed in at that time: a session ends by the admin's clock.
			ed := f.anon(t)
			token, hash := auth.NewToken()
			sess := &news.Session{UserID: f.users["editor"].ID, CreatedAt: c.now, ExpiresAt: c.now.Add(time.Hour)}
			if err := st.CreateSession(ctx, hash, sess); err != nil {
				t.Fatal(err)
			}
			ed.cookie = &http.Cookie{Name: cookiePlain, Value: token}
			path := "/admin/budget"
			if c.day != "" {
				path += "?day=" + c.day
			}
			page := ed.get(path).body
			if !strings.Contains(page, c.first) || !strings.Contains(page, c.sec) {
				i := strings.Index(page, "<h2")
				t.Errorf("at %s, %s: want %q and %q:\n%s", c.now, path, c.first, c.sec, page[max(i, 0):min(max(i, 0)+600, len(page))])
			}
		}
	})
}
