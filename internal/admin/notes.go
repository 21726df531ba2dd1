package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Working together beside the editor: notes and "Send back", the embargo,
// and the scheduled unpublish and update of a published story. The rules
// are the newsroom service's (internal/newsroom/collab.go); these read the
// forms and answer.

// collabView is the panel beside the editor (templates/admin/collab.html).
type collabView struct {
	Action      string // the article's address in the newsroom
	Notes       []noteView
	SentBack    bool // the story is a draft sent back to its writer
	CanSendBack bool
	CanSchedule bool // set the embargo, the unpublish time, a scheduled update
	Status      news.Status
	Embargo     time.Time
	EmbargoAt   string // for the input
	UnpublishAt time.Time
	Update      *store.ScheduledUpdate
	Zone        string
}

// noteView is a note with its mentions marked.
type noteView struct {
	news.Note
	Parts []notePart
}

// notePart is a run of a note's text: a mention of a colleague, or text.
type notePart struct {
	Text    string
	Mention bool
}

// collabView reads the panel's parts for an article.
func (a *Admin) collabView(r *http.Request, e *news.Editorial) (*collabView, error) {
	ctx := r.Context()
	u := userOf(r)
	loc := a.location(ctx)
	v := &collabView{Action: "/admin/articles/" + strconv.FormatInt(e.Article.ID, 10), Status: e.Article.Status,
		Embargo: e.Embargo, UnpublishAt: e.UnpublishAt, Zone: loc.String(),
		CanSendBack: e.Article.Status == news.Review && auth.CanMove(u, e, news.Draft),
		CanSchedule: auth.Can(u.Role, auth.PublishArticle)}
	if !e.Embargo.IsZero() {
		v.EmbargoAt = e.Embargo.In(loc).Format(news.LocalTimeLayout)
	}
	notes, err := a.store.Notes(ctx, e.Article.ID)
	if err != nil {
		return nil, err
	}
	users, err := a.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	handles := news.Handles(users)
	for _, n := range notes {
		v.Notes = append(v.Notes, noteView{Note: n, Parts: noteParts(n.Text, handles)})
	}
	if e.Article.Status == news.Draft && slices.ContainsFunc(notes, func(n news.Note) bool { return n.Kind == news.SentBackNote }) {
		// Sent back, and not moved since: the story's last move in the
		// audit log is the sending back.
		moves, err := a.store.AuditLog(ctx, store.AuditFilter{Target: newsroom.ArticleTarget(e.Article.ID), Limit: 1,
			Actions: []string{"send back", "submit", "publish", "unpublish", "unschedule", "return", "schedule"}})
		if err != nil {
			return nil, err
		}
		v.SentBack = len(moves) == 1 && moves[0].Action == "send back"
	}
	if e.Article.Status == news.Published {
		if up, err := a.store.PendingUpdate(ctx, e.Article.ID); err == nil {
			v.Update = &up
		} else if news.ErrorCode(err) != news.ENOTFOUND {
			return nil, err
		}
	}
	return v, nil
}

// noteParts splits a note at the mentions of known colleagues; an @name
// no account answers to stays text.
func noteParts(text string, handles map[string]*news.User) []notePart {
	var out []notePart
	last := 0
	for _, m := range news.Mentions(text) {
		if handles[strings.ToLower(m.Handle)] == nil {
			continue
		}
		if m.Start > last {
			out = append(out, notePart{Text: text[last:m.Start]})
		}
		out = append(out, notePart{Text: text[m.Start:m.End], Mention: true})
		last = m.End
	}
	if last < len(text) {
		out = append(out, notePart{Text: text[last:]})
	}
	return out
}

// back sends the browser to the article's editor with a message.
func back(w http.ResponseWriter, r *http.Request, e *news.Editorial, done, anchor string) error {
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(e.Article.ID, 10)+"?done="+done+anchor, http.StatusSeeOther)
	return nil
}

// addNote leaves a note on a story.
func (a *Admin) addNote(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !auth.CanView(u, e) {
		return forbidden("You may open only your own articles.")
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		_, err := newsroom.AddNote(r.Context(), tx, a.notifier(), newsroom.Actor{User: u}, e, r.PostFormValue("note"), a.now())
		return err
	})
	if err != nil {
		return err
	}
	return back(w, r, e, "noted", "#notes")
}

// sendBack returns a story in review to its writer with a note.
func (a *Admin) sendBack(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		return newsroom.SendBack(r.Context(), tx, a.notifier(), newsroom.Actor{User: userOf(r)}, e.Article.ID, r.PostFormValue("note"), a.now())
	})
	if err != nil {
		return err
	}
	return back(w, r, e, "sent-back", "#notes")
}

// localTime reads a date and time field in the site's time zone; empty is
// the zero time.
func (a *Admin) localTime(r *http.Request, field string) (time.Time, error) {
	s := strings.TrimSpace(r.PostFormValue(field))
	if s == "" {
		return time.Time{}, nil
	}
	return news.ParseLocalTime(field, s, a.location(r.Context()))
}

// setEmbargo sets, moves or lifts (an empty time, or the Lift button) a
// story's embargo.
func (a *Admin) setEmbargo(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	var until time.Time
	if r.PostFormValue("lift") == "" {
		if until, err = a.localTime(r, "embargo"); err != nil {
			return err
		}
		if until.IsZero() {
			return news.Invalid("embargo", "give the date and time the embargo ends (%s), or lift it", a.location(r.Context()))
		}
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		return newsroom.SetEmbargo(r.Context(), tx, newsroom.Actor{User: userOf(r)}, e.Article.ID, until, a.location(r.Context()))
	})
	if err != nil {
		return err
	}
	return back(w, r, e, "embargo", "#schedule-more")
}

// scheduleUnpublish sets (or, with an empty time or Cancel, drops) the
// time a published story leaves the site.
func (a *Admin) scheduleUnpublish(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	var at time.Time
	if r.PostFormValue("cancel") == "" {
		if at, err = a.localTime(r, "unpublish_at"); err != nil {
			return err
		}
		if at.IsZero() {
			return news.Invalid("unpublish_at", "give the date and time it leaves the site (%s)", a.location(r.Context()))
		}
		if !at.After(a.now()) {
			return news.Invalid("unpublish_at", "%s has passed: give a time in the future, or unpublish it now", r.PostFormValue("unpublish_at"))
		}
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		return newsroom.ScheduleUnpublish(r.Context(), tx, newsroom.Actor{User: userOf(r)}, e.Article.ID, at, a.location(r.Context()))
	})
	if err != nil {
		return err
	}
	return back(w, r, e, "scheduled", "#schedule-more")
}

// scheduleUpdate keeps the editor's text as an update that replaces the
// published text at the time given (update_at); the story stays as it is
// until then.
func (a *Admin) scheduleUpdate(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	f, err := a.readArticleForm(r)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		return a.renderEditor(w, r, statusOf(err), e, f, err, nil)
	}
	at, err := a.localTime(r, "update_at")
	if err != nil {
		return fail(err)
	}
	if at.IsZero() {
		return fail(news.Invalid("update_at", "give the date and time the update goes out (%s)", a.location(r.Context())))
	}
	if !at.After(a.now()) {
		return fail(news.Invalid("update_at", "%s has passed: give a time in the future, or save the update now", r.PostFormValue("update_at")))
	}
	if f.RemovePhoto {
		f.PhotoID = 0
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		cur, err := tx.Editorial(r.Context(), e.Article.ID)
		if err != nil {
			return err
		}
		if f.Base != cur.Revision {
			// The editor's text is older than the story: scheduled, it
			// would undo the save made since, as a save from this base
			// is kept as a conflict rather than applied.
			return news.Errorf(news.ECONFLICT, "the story was saved (revision %d) after you opened it (revision %d): reload it and schedule the update from the story as it is", cur.Revision, f.Base)
		}
		_, err = newsroom.ScheduleUpdate(r.Context(), tx, newsroom.Actor{User: userOf(r)}, cur, f.content(), at, a.location(r.Context()))
		return err
	})
	if err != nil {
		if code := news.ErrorCode(err); code == news.EINVALID || code == news.ECONFLICT {
			return fail(err)
		}
		return err
	}
	return back(w, r, e, "update-scheduled", "")
}

// cancelUpdate takes a scheduled update off the schedule; its revision
// stays in the history.
func (a *Admin) cancelUpdate(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		ok, err := tx.CancelUpdate(r.Context(), e.Article.ID)
		if err != nil || !ok {
			return err
		}
		return newsroom.Audit(r.Context(), tx, newsroom.Actor{User: u}, "schedule.update", newsroom.ArticleTarget(e.Article.ID), "cancelled")
	})
	if err != nil {
		return err
	}
	return back(w, r, e, "update-cancelled", "")
}
