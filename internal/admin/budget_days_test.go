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

// TestStartedLineKeepsItsWriter: once a line's story is started, the
// story is its writer's; giving the line to another writer would show
// them the story's headline (in the notification) and a link to a story
// they may not open. The change is refused, naming the field; the rest
// of the line can still be changed.
func TestStartedLineKeepsItsWriter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed, other := f.as(t, "editor"), f.as(t, "other")
		due := time.Now().UTC().Add(3 * time.Hour)
		ed.post("/admin/budget", budgetLineForm(f, "QUAY-FIRE", "contributor", due))
		l := onlyLine(t, st, "QUAY-FIRE")
		if res := ed.post("/admin/budget/"+itoa(l.ID)+"/start", nil); res.status != http.StatusSeeOther {
			t.Fatalf("Start story: %d\n%s", res.status, res.body)
		}
		l = onlyLine(t, st, "QUAY-FIRE")

		form := budgetLineForm(f, "QUAY-FIRE", "other", due)
		form.Set("status", string(l.Stored))
		res := ed.post("/admin/budget/"+itoa(l.ID), form)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "assignee: ") {
			t.Errorf("giving a started line to another writer: %d, want 400 naming the assignee\n%s", res.status, res.body)
		}
		if got := onlyLine(t, st, "QUAY-FIRE"); got.AssigneeID != f.users["contributor"].ID {
			t.Errorf("the line's writer after the refusal: %d", got.AssigneeID)
		}
		if n, _ := st.UnreadNotifications(ctx, f.users["other"].ID); n != 0 {
			t.Errorf("the other writer was told of a story that is not theirs (%d notifications)", n)
		}
		if page := other.get("/admin/budget").body; strings.Contains(page, "QUAY-FIRE") {
			t.Error("the other writer's budget shows the line")
		}

		// Its other fields can still change.
		form = budgetLineForm(f, "QUAY-FIRE", "contributor", due.Add(time.Hour))
		form.Set("status", string(l.Stored))
		form.Set("notes", "photos from the harbour master")
		if res := ed.post("/admin/budget/"+itoa(l.ID), form); res.status != http.StatusSeeOther {
			t.Errorf("changing a started line's due time and notes: %d\n%s", res.status, res.body)
		}
		if got := onlyLine(t, st, "QUAY-FIRE"); got.Notes != "photos from the harbour master" || !got.DueAt.Equal(due.Add(time.Hour).Truncate(time.Minute)) {
			t.Errorf("the started line after its change: %+v", got)
		}
	})
}

// TestStartLineOfDisabledAccount: a line given to a writer whose account
// has since been disabled is not started as theirs (a story nobody can
// write); the desk is told to give it to someone else, naming the field.
func TestStartLineOfDisabledAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed := f.as(t, "editor")
		ed.post("/admin/budget", budgetLineForm(f, "TIDE-TABLES", "other", time.Now().UTC().Add(2*time.Hour)))
		l := onlyLine(t, st, "TIDE-TABLES")
		u := *f.users["other"]
		u.Disabled = true
		if err := st.UpdateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		res := ed.post("/admin/budget/"+itoa(l.ID)+"/start", nil)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "disabled") {
			t.Errorf("starting the line of a disabled account: %d, want 400 saying so\n%s", res.status, res.body)
		}
		if got := onlyLine(t, st, "TIDE-TABLES"); got.ArticleID != 0 {
			t.Errorf("a story was started for the disabled account: article %d", got.ArticleID)
		}
	})
}

// TestEditStartedLineOfDisabledAccount: a started line whose writer's
// account was disabled since can still be changed (its due time, its
// notes): the form keeps its assignee, which is not refused as disabled
// since it is not a new one.
func TestEditStartedLineOfDisabledAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed := f.as(t, "editor")
		due := time.Now().UTC().Add(2 * time.Hour).Truncate(time.Minute)
		ed.post("/admin/budget", budgetLineForm(f, "TIDE-TABLES", "other", due))
		l := onlyLine(t, st, "TIDE-TABLES")
		if res := ed.post("/admin/budget/"+itoa(l.ID)+"/start", nil); res.status != http.StatusSeeOther {
			t.Fatalf("Start story: %d", res.status)
		}
		u := *f.users["other"]
		u.Disabled = true
		if err := st.UpdateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		page := ed.get("/admin/budget/" + itoa(l.ID)).body
		if !strings.Contains(page, `name="assignee" value="`+itoa(u.ID)+`"`) || !strings.Contains(page, "Other Person") {
			t.Errorf("the started line's form does not keep its writer:\n%s", page)
		}
		form := budgetLineForm(f, "TIDE-TABLES", "other", due)
		form.Set("status", "writing")
		form.Set("notes", "high water at 14:10")
		if res := ed.post("/admin/budget/"+itoa(l.ID), form); res.status != http.StatusSeeOther {
			t.Errorf("changing the notes of a started line whose writer is disabled: %d\n%s", res.status, res.body)
		}
		if got := onlyLine(t, st, "TIDE-TABLES"); got.Notes != "high water at 14:10" || got.AssigneeID != u.ID {
			t.Errorf("the line after the change: %+v", got)
		}
		// A line not started cannot be given to the disabled account anew.
		ed.post("/admin/budget", budgetLineForm(f, "FERRY-TIMES", "", due))
		fresh := onlyLine(t, st, "FERRY-TIMES")
		form = budgetLineForm(f, "FERRY-TIMES", "other", due)
		if res := ed.post("/admin/budget/"+itoa(fresh.ID), form); res.status != http.StatusBadRequest || !strings.Contains(res.body, "disabled") {
			t.Errorf("giving a line to a disabled account: %d", res.status)
		}
	})
}

// TestStartStoryRace: Start story pressed at once by the editor and by
// two writers (the line nobody has): one story is made and linked, the
// others are told it was started or taken, and no second story is left
// behind.
func TestStartStoryRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed := f.as(t, "editor")
		ed.post("/admin/budget", budgetLineForm(f, "RACE-DAY", "", time.Now().UTC().Add(2*time.Hour)))
		l := onlyLine(t, st, "RACE-DAY")
		clients := []*client{ed, f.as(t, "contributor"), f.as(t, "other"), f.as(t, "editor")}
		codes := make(chan int, len(clients))
		start := make(chan struct{})
		for _, c := range clients {
			go func() {
				<-start
				codes <- c.post("/admin/budget/"+itoa(l.ID)+"/start", nil).status
			}()
		}
		close(start)
		made := 0
		for range clients {
			switch code := <-codes; code {
			case http.StatusSeeOther:
				made++
			case http.StatusBadRequest, http.StatusNotFound, http.StatusConflict:
			default:
				t.Errorf("a start answered %d\n%s", code, f.logs.String())
			}
		}
		n, err := st.CountArticles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, k := range n {
			total += k
		}
		if made != 1 || total != 1 {
			t.Errorf("%d starts succeeded and %d stories exist; want one of each", made, total)
		}
		if got := onlyLine(t, st, "RACE-DAY"); got.ArticleID == 0 {
			t.Error("the line has no story")
		}
	})
}
