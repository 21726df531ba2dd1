package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Who is editing. The editor page is served with who else has the story
// open as of that moment (and records the opening, so the others see it
// on their next heartbeat); presence.js then sends a heartbeat every
// news.PresenceHeartbeat and shows what it answers. A second editor is
// seen by the first within one heartbeat, on any instance: the rows are
// in the database both share. The first editor able to change the story
// holds its soft lock; the others are warned before they type or save,
// and an editor may take the lock over. Nothing is refused because of
// the lock: the save's conflict check stays the safety net.

// presenceView is the editor's part that says who else is there
// (parts_presence.html).
type presenceView struct {
	Script   string // presence.js
	URL      string // the heartbeat
	TakeURL  string // the take-over form's action
	Interval int64  // the heartbeat, in milliseconds
	Others   []presenceEntry
	Holder   string // who holds the lock, when not the viewer
	Since    string // since when, HH:MM in the site's zone
	Mine     bool   // the viewer holds the lock
	TakenBy  string // who took the lock from the viewer
	CanTake  bool   // the viewer may take the lock over
}

type presenceEntry struct {
	Name  string `json:"name"`
	Since string `json:"since"` // when they opened it, HH:MM
}

// presenceJSON is a heartbeat's answer.
type presenceJSON struct {
	Others  []presenceEntry `json:"others"`
	Holder  string          `json:"holder"` // "" when the viewer holds it or nobody does
	Since   string          `json:"since"`
	Mine    bool            `json:"mine"`
	TakenBy string          `json:"taken_by"`
	CanTake bool            `json:"can_take"`
}

// mayLock reports whether u's being in the editor of e takes its lock:
// only someone who may change the text does; a reader is only seen.
func mayLock(u *news.User, e *news.Editorial) bool { return auth.CanEdit(u, e) }

// mayTakeOver reports whether u may take e's lock from someone else: an
// editor who may change the story.
func mayTakeOver(u *news.User, e *news.Editorial) bool {
	return auth.Can(u.Role, auth.PublishArticle) && auth.CanEdit(u, e)
}

func (a *Admin) presenceOf(u *news.User, e *news.Editorial, ed *news.Editing) presenceJSON {
	loc := a.loc()
	hhmm := func(t time.Time) string { return t.In(loc).Format("15:04") }
	out := presenceJSON{Others: []presenceEntry{}, Mine: ed.Mine, TakenBy: ed.TakenBy}
	for _, p := range ed.Others {
		out.Others = append(out.Others, presenceEntry{Name: p.Name, Since: hhmm(p.OpenedAt)})
	}
	if ed.Lock != nil && !ed.Mine {
		out.Holder, out.Since = ed.Lock.Name, hhmm(ed.Lock.Since)
		out.CanTake = mayTakeOver(u, e)
	}
	return out
}

// editingView records that the viewer has e open and returns the part of
// the editor page that says who else has: what the page shows without a
// script, and what presence.js starts from.
func (a *Admin) editingView(r *http.Request, e *news.Editorial) (*presenceView, error) {
	u := userOf(r)
	ed, err := a.store.Heartbeat(r.Context(), e.Article.ID, u.ID, mayLock(u, e), news.PresenceTTL)
	if err != nil {
		return nil, err
	}
	p := a.presenceOf(u, e, ed)
	base := "/admin/articles/" + strconv.FormatInt(e.Article.ID, 10)
	return &presenceView{Script: a.presJS, URL: base + "/presence", TakeURL: base + "/lock", Interval: news.PresenceHeartbeat.Milliseconds(),
		Others: p.Others, Holder: p.Holder, Since: p.Since, Mine: p.Mine, TakenBy: p.TakenBy, CanTake: p.CanTake}, nil
}

// heartbeat is presence.js's call every few seconds: the viewer is still
// in the editor (or, with leave=1, has left it). It answers who else is
// there and who holds the lock, as JSON.
func (a *Admin) heartbeat(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !auth.CanView(u, e) {
		return forbidden("You may open only your own articles.")
	}
	if r.PostFormValue("leave") != "" {
		if err := a.store.LeaveEditing(r.Context(), e.Article.ID, u.ID); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]string{"left": "yes"})
	}
	ed, err := a.store.Heartbeat(r.Context(), e.Article.ID, u.ID, mayLock(u, e), news.PresenceTTL)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.presenceOf(u, e, ed))
}

// takeEditLock gives the story's lock to the editor who asks, after
// asking them (it tells a colleague to stop); the one who held it is told
// on their next heartbeat, and their text stays in their editor.
func (a *Admin) takeEditLock(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !mayTakeOver(u, e) {
		return forbidden("Only an editor who may change this story can take it over.")
	}
	path := "/admin/articles/" + strconv.FormatInt(e.Article.ID, 10)
	if !confirmed(r) {
		return a.askToConfirm(w, r, confirmView{Heading: "Take over " + e.Article.Headline + "?",
			Message: "Whoever is editing it is told you have taken it over. Their text stays in their editor, but if you save first, their save is kept apart as a conflict.",
			Action:  path + "/lock", Button: "Take over", Back: path})
	}
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		before, err := tx.TakeEditLock(ctx, e.Article.ID, u.ID, news.PresenceTTL)
		if err != nil {
			return err
		}
		if before == nil || before.UserID == u.ID {
			return nil // nobody else held it: nothing to tell the log
		}
		return audit(ctx, tx, u, "lock.take", articleTarget(e), "from "+before.Name+": "+e.Article.Headline)
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, path+"?done=taken-over", http.StatusSeeOther)
	return nil
}
