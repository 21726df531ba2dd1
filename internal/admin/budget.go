package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The story budget: the stories planned before they are written, by day
// (in the site's time zone) and section. Editors plan and assign lines
// (auth.PlanBudget); writers see theirs and the unassigned ones, and may
// take one of those. "Start story" makes the story from its line and
// links them; from then on the line shows the story's status.

// budgetDayLayout is how the date picker sends a day.
const budgetDayLayout = "2006-01-02"

// budgetForm is a line's fields, as sent or as shown.
type budgetForm struct {
	SlugLine   string
	AssigneeID int64
	SectionID  int64
	Due        string // news.LocalTimeLayout, in the site's zone
	Words      string
	Notes      string
	Status     news.BudgetStatus
}

type budgetRow struct {
	*news.BudgetLine
	Section  string // the section's label, with its parents
	Due      string // "17:00"
	Mine     bool   // given to the viewer
	CanPlan  bool   // the viewer may change or delete it
	CanTake  bool   // unassigned, no story: the viewer may take it
	CanStart bool   // no story yet, and the viewer may start it
	CanOpen  bool   // it has a story the viewer may open
}

type budgetSection struct {
	Name  string
	Lines []budgetRow
}

type budgetDay struct {
	Heading  string // "Today, Tuesday 8 December"
	Date     string // 2026-12-08
	Sections []budgetSection
}

type budgetView struct {
	page
	Day      string // the first day shown, for the picker
	Prev     string // the day before it, and the day after the last shown
	Next     string
	Days     []budgetDay
	CanPlan  bool
	Form     budgetForm
	Edit     *news.BudgetLine // the line being edited; nil: the new-line form
	Sections []sectionOption
	Writers  []*news.User // accounts a line can be given to
	Statuses []news.BudgetStatus
}

// budgetTarget is how the audit log names a line.
func budgetTarget(id int64) string { return "budget line " + strconv.FormatInt(id, 10) }

// budgetDayOf reads the ?day= of a budget address: the first day to show,
// today in the site's zone when none is given.
func (a *Admin) budgetDayOf(r *http.Request) (time.Time, error) {
	loc := a.location(r.Context())
	now := a.now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	s := strings.TrimSpace(r.URL.Query().Get("day"))
	if s == "" {
		return today, nil
	}
	d, err := time.ParseInLocation(budgetDayLayout, s, loc)
	if err != nil {
		return today, news.Invalid("day", "%q is not a day (year-month-day, such as %s)", s, today.Format(budgetDayLayout))
	}
	return d, nil
}

// showBudget is the desk's view of the budget: the day asked for (today)
// and the next, by section.
func (a *Admin) showBudget(w http.ResponseWriter, r *http.Request) error {
	day, err := a.budgetDayOf(r)
	if err != nil {
		return err
	}
	f := budgetForm{Due: time.Date(day.Year(), day.Month(), day.Day(), 17, 0, 0, 0, day.Location()).Format(news.LocalTimeLayout), Status: news.BudgetPlanned}
	return a.renderBudget(w, r, http.StatusOK, day, f, nil, nil)
}

// showBudgetLine is the budget with one line's form open for editing.
func (a *Admin) showBudgetLine(w http.ResponseWriter, r *http.Request) error {
	l, err := a.loadBudgetLine(r)
	if err != nil {
		return err
	}
	loc := a.location(r.Context())
	due := l.DueAt.In(loc)
	day := time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, loc)
	return a.renderBudget(w, r, http.StatusOK, day, formOfLine(l, loc), l, nil)
}

func formOfLine(l *news.BudgetLine, loc *time.Location) budgetForm {
	f := budgetForm{SlugLine: l.SlugLine, AssigneeID: l.AssigneeID, SectionID: l.SectionID, Due: l.DueAt.In(loc).Format(news.LocalTimeLayout),
		Notes: l.Notes, Status: l.Stored}
	if l.Words > 0 {
		f.Words = strconv.Itoa(l.Words)
	}
	return f
}

func (a *Admin) renderBudget(w http.ResponseWriter, r *http.Request, status int, day time.Time, f budgetForm, edit *news.BudgetLine, ferr error) error {
	ctx := r.Context()
	u := userOf(r)
	loc := a.location(ctx)
	v := &budgetView{page: a.newPage(r, "Story budget"), Day: day.Format(budgetDayLayout), Form: f, Edit: edit,
		CanPlan: auth.Can(u.Role, auth.PlanBudget), Statuses: []news.BudgetStatus{news.BudgetPlanned, news.BudgetAssigned, news.BudgetWriting}}
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	if _, err := time.Parse(news.LocalTimeLayout, f.Due); err != nil {
		// A datetime-local field holds only a time in its own format: what
		// was sent instead is named in the error above.
		v.Form.Due = ""
	}
	v.Prev = day.AddDate(0, 0, -1).Format(budgetDayLayout)
	v.Next = day.AddDate(0, 0, 2).Format(budgetDayLayout)
	secs, err := a.store.Sections(ctx)
	if err != nil {
		return err
	}
	v.Sections = sectionOptions(secs)
	labels := map[int64]string{}
	for _, s := range v.Sections {
		labels[s.ID] = s.Label
	}
	if v.CanPlan {
		users, err := a.store.Users(ctx)
		if err != nil {
			return err
		}
		for _, x := range users {
			if !x.Disabled && auth.Can(x.Role, auth.WriteArticle) {
				v.Writers = append(v.Writers, x)
			}
		}
	}
	filter := store.BudgetFilter{From: day, To: day.AddDate(0, 0, 2)}
	if !v.CanPlan {
		filter.Writer = u.ID
	}
	lines, err := a.store.BudgetLines(ctx, filter)
	if err != nil {
		return err
	}
	now := a.now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	for i := range 2 {
		d := day.AddDate(0, 0, i)
		bd := budgetDay{Date: d.Format(budgetDayLayout), Heading: d.Format("Monday 2 January 2006")}
		switch calendarDays(today, d) {
		case 0:
			bd.Heading = "Today, " + bd.Heading
		case 1:
			bd.Heading = "Tomorrow, " + bd.Heading
		case -1:
			bd.Heading = "Yesterday, " + bd.Heading
		}
		end := d.AddDate(0, 0, 1)
		bySection := map[string]*budgetSection{}
		var order []string
		for _, l := range lines {
			if l.DueAt.Before(d) || !l.DueAt.Before(end) {
				continue
			}
			name := labels[l.SectionID]
			if name == "" {
				name = l.SectionName
			}
			s, ok := bySection[name]
			if !ok {
				s = &budgetSection{Name: name}
				bySection[name] = s
				order = append(order, name)
			}
			s.Lines = append(s.Lines, a.budgetRow(u, l, name, loc))
		}
		slices.Sort(order)
		for _, name := range order {
			bd.Sections = append(bd.Sections, *bySection[name])
		}
		v.Days = append(v.Days, bd)
	}
	return a.render(w, r, status, "budget", v)
}

// calendarDays is how many days of the calendar d is after from (both
// midnights of one zone), counted by their dates: a day the clocks change
// is 23 or 25 hours long, and a count by hours named two days "Today".
func calendarDays(from, d time.Time) int {
	f := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	return int(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).Sub(f) / (24 * time.Hour))
}

func (a *Admin) budgetRow(u *news.User, l *news.BudgetLine, section string, loc *time.Location) budgetRow {
	plan := auth.Can(u.Role, auth.PlanBudget)
	row := budgetRow{BudgetLine: l, Section: section, Due: l.DueAt.In(loc).Format("15:04"), Mine: l.AssigneeID == u.ID, CanPlan: plan}
	if l.ArticleID == 0 {
		row.CanTake = l.AssigneeID == 0 && auth.Can(u.Role, auth.WriteArticle)
		row.CanStart = auth.Can(u.Role, auth.WriteArticle) && (plan || l.AssigneeID == u.ID || l.AssigneeID == 0)
	} else {
		row.CanOpen = auth.Can(u.Role, auth.EditAnyArticle) || l.AssigneeID == u.ID
	}
	return row
}

// loadBudgetLine reads the line of the {id} path value, refusing a writer
// a line given to someone else, or one with a story that is not theirs
// (they see only theirs and the unassigned ones not started:
// store.BudgetFilter.Writer).
func (a *Admin) loadBudgetLine(r *http.Request) (*news.BudgetLine, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	l, err := a.store.BudgetLine(r.Context(), id)
	if err != nil {
		return nil, err
	}
	u := userOf(r)
	if !auth.Can(u.Role, auth.PlanBudget) && l.AssigneeID != u.ID && (l.AssigneeID != 0 || l.ArticleID != 0) {
		return nil, news.NotFound("no budget line %d", id)
	}
	return l, nil
}

// readBudgetForm reads a line's fields into l, each mistake named.
func (a *Admin) readBudgetForm(r *http.Request, l *news.BudgetLine) (budgetForm, error) {
	get := r.PostFormValue
	f := budgetForm{SlugLine: news.CleanText(get("slug_line")), Due: strings.TrimSpace(get("due")), Words: strings.TrimSpace(get("words")),
		Notes: news.CleanText(get("notes")), Status: news.BudgetStatus(get("status"))}
	var p news.Problems
	if s := get("assignee"); s != "" && s != "0" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			p.Add("assignee", "%q is not an account", s)
		}
		f.AssigneeID = id
	}
	if s := get("section"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			p.Add("section", "%q is not a section", s)
		}
		f.SectionID = id
	}
	if f.Due != "" {
		t, err := news.ParseLocalTime("due", f.Due, a.location(r.Context()))
		if err != nil {
			p = append(p, asProblem(err, "due"))
		}
		l.DueAt = t
	} else {
		l.DueAt = time.Time{}
	}
	l.Words = 0
	if f.Words != "" {
		n, err := strconv.Atoi(f.Words)
		if err != nil {
			p.Add("words", "%q is not a number of words", f.Words)
		}
		l.Words = n
	}
	if get("status") == "" {
		f.Status = news.BudgetPlanned
	} else if st, err := news.ParseBudgetStatus(get("status")); err != nil {
		p = append(p, asProblem(err, "status"))
	} else {
		f.Status = st
	}
	l.SlugLine, l.AssigneeID, l.SectionID, l.Notes, l.Stored = f.SlugLine, f.AssigneeID, f.SectionID, f.Notes, f.Status
	if l.Stored == "" {
		l.Stored = news.BudgetPlanned
	}
	l.Normalize()
	// Everything wrong at once, a field's reading before its rules: a due
	// time that could not be read is not also said to be missing.
	var rules news.Problems
	l.Check(&rules)
	for _, e := range rules {
		if !slices.ContainsFunc(p, func(x *news.Error) bool { return x.Field == e.Field }) {
			p = append(p, e)
		}
	}
	return f, p.Err()
}

// asProblem is err as a field's problem.
func asProblem(err error, field string) *news.Error {
	if e, ok := err.(*news.Error); ok {
		return e
	}
	return news.Invalid(field, "%s", news.ErrorMessage(err))
}

// dueText is a due time as the desk and a notification read it.
func dueText(t time.Time, loc *time.Location) string { return t.In(loc).Format("Mon 2 Jan, 15:04") }

// notifyAssigned tells a line's new assignee, unless they gave it to
// themselves.
func (a *Admin) notifyAssigned(r *http.Request, tx *store.Store, l *news.BudgetLine, before int64) error {
	u := userOf(r)
	if l.AssigneeID == 0 || l.AssigneeID == before || l.AssigneeID == u.ID {
		return nil
	}
	text := fmt.Sprintf("%s assigned you %s (%s), due %s", u.Name, l.SlugLine, sectionName(l), dueText(l.DueAt, a.loc()))
	return a.Notify(r, tx, l.AssigneeID, news.NotifyAssigned, l.ArticleID, text)
}

func sectionName(l *news.BudgetLine) string {
	if l.SectionName != "" {
		return l.SectionName
	}
	return "section " + strconv.FormatInt(l.SectionID, 10)
}

// budgetDone redirects to the budget of the day a line is due, with a
// flash.
func (a *Admin) budgetDone(w http.ResponseWriter, r *http.Request, l *news.BudgetLine, done string) error {
	due := l.DueAt.In(a.location(r.Context()))
	q := url.Values{"day": {due.Format(budgetDayLayout)}, "done": {done}}
	http.Redirect(w, r, "/admin/budget?"+q.Encode()+"#line-"+strconv.FormatInt(l.ID, 10), http.StatusSeeOther)
	return nil
}

// createBudgetLine plans a story.
func (a *Admin) createBudgetLine(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	l := &news.BudgetLine{CreatedBy: u.ID}
	f, err := a.readBudgetForm(r, l)
	if err == nil {
		err = a.store.InTx(ctx, func(tx *store.Store) error {
			if err := tx.CreateBudgetLine(ctx, l); err != nil {
				return err
			}
			saved, err := tx.BudgetLine(ctx, l.ID)
			if err != nil {
				return err
			}
			if err := a.notifyAssigned(r, tx, saved, 0); err != nil {
				return err
			}
			return audit(ctx, tx, u, "budget.create", budgetTarget(l.ID), budgetDetail(saved, a.loc()))
		})
	}
	if err != nil {
		return a.budgetFormFailed(w, r, err, f, nil)
	}
	return a.budgetDone(w, r, l, "budget-added")
}

// budgetFormFailed shows the budget again with the form as sent and what
// was wrong with it, or passes on an error that is not the form's.
func (a *Admin) budgetFormFailed(w http.ResponseWriter, r *http.Request, err error, f budgetForm, edit *news.BudgetLine) error {
	if news.ErrorCode(err) != news.EINVALID {
		return err
	}
	day, derr := a.budgetDayOf(r)
	if derr != nil {
		return derr
	}
	if t, perr := news.ParseLocalTime("due", f.Due, a.loc()); perr == nil {
		day = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	}
	return a.renderBudget(w, r, http.StatusBadRequest, day, f, edit, err)
}

// budgetDetail is what the audit log says of a line.
func budgetDetail(l *news.BudgetLine, loc *time.Location) string {
	who := l.AssigneeName
	if who == "" {
		who = "nobody yet"
	}
	return fmt.Sprintf("%s (%s), due %s, for %s", l.SlugLine, sectionName(l), dueText(l.DueAt, loc), who)
}

// saveBudgetLine changes a line's planning.
func (a *Admin) saveBudgetLine(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	old, err := a.loadBudgetLine(r)
	if err != nil {
		return err
	}
	l := *old
	f, err := a.readBudgetForm(r, &l)
	if err == nil {
		err = a.store.InTx(ctx, func(tx *store.Store) error {
			if err := tx.UpdateBudgetLine(ctx, &l); err != nil {
				return err
			}
			saved, err := tx.BudgetLine(ctx, l.ID)
			if err != nil {
				return err
			}
			if err := a.notifyAssigned(r, tx, saved, old.AssigneeID); err != nil {
				return err
			}
			return audit(ctx, tx, userOf(r), "budget.update", budgetTarget(l.ID), budgetDetail(saved, a.loc()))
		})
	}
	if err != nil {
		return a.budgetFormFailed(w, r, err, f, old)
	}
	return a.budgetDone(w, r, &l, "budget-saved")
}

// deleteBudgetLine removes a line, after asking; its story, if any, stays.
func (a *Admin) deleteBudgetLine(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l, err := a.loadBudgetLine(r)
	if err != nil {
		return err
	}
	path := "/admin/budget/" + strconv.FormatInt(l.ID, 10)
	if !confirmed(r) {
		msg := "The line goes from the budget."
		if l.ArticleID != 0 {
			msg += " Its story stays as it is."
		}
		return a.askToConfirm(w, r, confirmView{Heading: "Delete " + l.SlugLine + " from the budget?", Message: msg,
			Action: path + "/delete", Button: "Delete the line", Back: path})
	}
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.DeleteBudgetLine(ctx, l.ID); err != nil {
			return err
		}
		return audit(ctx, tx, userOf(r), "budget.delete", budgetTarget(l.ID), budgetDetail(l, a.loc()))
	})
	if err != nil {
		return err
	}
	return a.budgetDone(w, r, l, "budget-deleted")
}

// takeBudgetLine gives an unassigned line to the writer who asks.
func (a *Admin) takeBudgetLine(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	l, err := a.loadBudgetLine(r)
	if err != nil {
		return err
	}
	if l.ArticleID != 0 {
		return news.Errorf(news.ECONFLICT, "this line's story has been started already")
	}
	if l.AssigneeID == u.ID {
		return a.budgetDone(w, r, l, "budget-taken") // a second press of the button
	}
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.ClaimBudgetLine(ctx, l.ID, u.ID); err != nil {
			return err
		}
		return audit(ctx, tx, u, "budget.take", budgetTarget(l.ID), l.SlugLine)
	})
	if err != nil {
		return err
	}
	return a.budgetDone(w, r, l, "budget-taken")
}

// startBudgetStory makes the story of a line: headline from the slug line,
// its section, the assignee's byline, and links the two. The story belongs
// to the assignee (an editor may start it for them); a writer starting an
// unassigned line takes it first. It opens in the editor.
func (a *Admin) startBudgetStory(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	l, err := a.loadBudgetLine(r)
	if err != nil {
		return err
	}
	plan := auth.Can(u.Role, auth.PlanBudget)
	if !plan && l.AssigneeID != 0 && l.AssigneeID != u.ID {
		return forbidden("This story is given to %s: only they or an editor can start it.", l.AssigneeName)
	}
	var e *news.Editorial
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		if l.ArticleID != 0 {
			return news.Errorf(news.ECONFLICT, "it has been started already")
		}
		// Hold the line first, then read it again: a start (or a take)
		// at the same time waits here rather than after making its own
		// story, which on PostgreSQL deadlocked with a writer's take.
		if err := tx.HoldBudgetLine(ctx, l.ID); err != nil {
			return err
		}
		now, err := tx.BudgetLine(ctx, l.ID)
		if err != nil {
			return err
		}
		if !plan && now.AssigneeID != 0 && now.AssigneeID != u.ID {
			return news.Errorf(news.ECONFLICT, "someone took this story first")
		}
		l = now
		owner := l.AssigneeID
		if owner == 0 && !plan {
			// A writer starting a line nobody has takes it.
			if err := tx.ClaimBudgetLine(ctx, l.ID, u.ID); err != nil {
				return err
			}
			owner = u.ID
		}
		byline := ""
		if owner != 0 {
			who, err := tx.UserByID(ctx, owner)
			if err != nil {
				return err
			}
			if who.Disabled {
				// Given to them before it was disabled: a story nobody can write.
				return news.Invalid("assignee", "%s's account is disabled: give the line to someone else, then start it", who.Name)
			}
			if byline = a.writerByline(ctx, who); byline == "" {
				byline = who.Name
			}
		}
		c := news.RevisionContent{Headline: l.SlugLine, SectionID: l.SectionID}
		if byline != "" {
			c.Bylines = []string{byline}
		}
		e, _, err = newsroom.Save(ctx, tx, newsroom.Actor{User: u}, nil, newsroom.Edit{Content: c, At: a.now(), Owner: owner})
		if err != nil {
			return err
		}
		if err := tx.LinkBudgetLine(ctx, l.ID, e.Article.ID); err != nil {
			return err
		}
		return audit(ctx, tx, u, "budget.start", budgetTarget(l.ID), fmt.Sprintf("%s: article %d", l.SlugLine, e.Article.ID))
	})
	if err != nil {
		if c := news.ErrorCode(err); c == news.EINVALID || c == news.ECONFLICT {
			// Say it on the budget, where the line can be changed.
			field := "slug_line"
			if fieldOf(err) == "assignee" {
				field = "assignee"
			}
			return a.budgetFormFailed(w, r, news.Invalid(field, "The story of %s could not be started: %s", l.SlugLine, news.ErrorMessage(err)),
				formOfLine(l, a.loc()), l)
		}
		return err
	}
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(e.Article.ID, 10)+"?done=started", http.StatusSeeOther)
	return nil
}
