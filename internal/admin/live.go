package admin

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The live desk (issue 19): a live story's page in the newsroom, where
// editors start and end its coverage and post, correct, pin and delete its
// updates. Whoever may change the story's text may do these (the rules
// are the newsroom service's, internal/newsroom/live.go); every form works
// without JavaScript, and Ctrl+Enter (admin.js) posts an update.

// liveDeskView is templates/admin/live.html.
type liveDeskView struct {
	page
	Article  *news.Article
	Action   string // the desk's address
	Public   string // the story's public address
	Coverage *news.Coverage
	Updates  []liveUpdateView
	CanRun   bool // may post and change updates, start and end the coverage
	// The text of an update that could not be posted, kept for another try.
	Text, Byline string
	Pinned       bool
}

// liveUpdateView is an update with its text ready for the page.
type liveUpdateView struct {
	news.LiveUpdate
	HTML template.HTML
}

// liveFlashes are the desk's messages after a redirect.
var liveFlashes = map[string]string{
	"live-started":  "Live coverage started: post the first update.",
	"live-ended":    "Live coverage ended. The page stays with every update on it.",
	"live-posted":   "Posted. It is on the site now.",
	"live-edited":   "Update corrected.",
	"live-pinned":   "Pinned at the top.",
	"live-unpinned": "Unpinned.",
	"live-deleted":  "Update deleted.",
}

// showLiveDesk shows a story's live desk.
func (a *Admin) showLiveDesk(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	if !auth.CanView(userOf(r), e) {
		return forbidden("You may open only your own articles.")
	}
	v, err := a.liveDesk(r, e)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "live", v)
}

// liveDesk reads the desk's parts.
func (a *Admin) liveDesk(r *http.Request, e *news.Editorial) (*liveDeskView, error) {
	ctx := r.Context()
	v := &liveDeskView{page: a.newPage(r, "Live: "+e.Article.Headline), Article: e.Article,
		Action: "/admin/articles/" + strconv.FormatInt(e.Article.ID, 10) + "/live",
		CanRun: newsroom.MayEdit(userOf(r), e) == nil}
	if msg, ok := liveFlashes[r.URL.Query().Get("done")]; ok {
		v.Flash = msg
	}
	if e.Article.Status == news.Published {
		v.Public = a.link(e.Article.URL())
	}
	c, err := a.store.Coverage(ctx, e.Article.ID)
	switch {
	case err == nil:
		v.Coverage = &c
	case news.ErrorCode(err) != news.ENOTFOUND:
		return nil, err
	}
	ups, err := a.store.LiveUpdates(ctx, e.Article.ID)
	if err != nil {
		return nil, err
	}
	for _, u := range ups {
		v.Updates = append(v.Updates, liveUpdateView{LiveUpdate: u, HTML: trustedHTML(u.BodyHTML)})
	}
	return v, nil
}

// liveBack sends the browser back to the desk with a message.
func liveBack(w http.ResponseWriter, r *http.Request, e *news.Editorial, done, anchor string) error {
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(e.Article.ID, 10)+"/live?done="+done+anchor, http.StatusSeeOther)
	return nil
}

// liveWrite loads the story, refuses those who may not change it, runs fn
// in one transaction and tells the site.
func (a *Admin) liveWrite(r *http.Request, fn func(tx *store.Store, who newsroom.Actor, e *news.Editorial) error) (*news.Editorial, error) {
	e, err := a.loadArticle(r)
	if err != nil {
		return nil, err
	}
	if err := newsroom.MayEdit(userOf(r), e); err != nil {
		return nil, err
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		return fn(tx, newsroom.Actor{User: userOf(r)}, e)
	})
	if err != nil {
		return e, err
	}
	a.changed()
	return e, nil
}

// startLive starts (or resumes) a published story's live coverage.
func (a *Admin) startLive(w http.ResponseWriter, r *http.Request) error {
	e, err := a.liveWrite(r, func(tx *store.Store, who newsroom.Actor, e *news.Editorial) error {
		return newsroom.StartCoverage(r.Context(), tx, who, e, a.now())
	})
	if err != nil {
		return err
	}
	return liveBack(w, r, e, "live-started", "")
}

// endLive ends a story's live coverage.
func (a *Admin) endLive(w http.ResponseWriter, r *http.Request) error {
	e, err := a.liveWrite(r, func(tx *store.Store, who newsroom.Actor, e *news.Editorial) error {
		return newsroom.EndCoverage(r.Context(), tx, who, e, a.now())
	})
	if err != nil {
		return err
	}
	return liveBack(w, r, e, "live-ended", "")
}

// postLiveUpdate posts an update. A text the rules refuse comes back in
// the form with the reason, so nothing typed is lost.
func (a *Admin) postLiveUpdate(w http.ResponseWriter, r *http.Request) error {
	body, byline, pinned := r.PostFormValue("body"), r.PostFormValue("byline"), r.PostFormValue("pinned") != ""
	var u news.LiveUpdate
	e, err := a.liveWrite(r, func(tx *store.Store, who newsroom.Actor, e *news.Editorial) error {
		var err error
		u, err = newsroom.PostLiveUpdate(r.Context(), tx, who, e, body, byline, pinned, a.now())
		return err
	})
	if news.ErrorCode(err) == news.EINVALID && e != nil {
		v, verr := a.liveDesk(r, e)
		if verr != nil {
			return verr
		}
		v.Error, v.Field = news.ErrorMessage(err), "live-body"
		v.Text, v.Byline, v.Pinned = body, byline, pinned
		return a.render(w, r, http.StatusBadRequest, "live", v)
	}
	if err != nil {
		return err
	}
	return liveBack(w, r, e, "live-posted", "#"+u.Anchor())
}

// editLiveUpdate corrects an update's text and byline.
func (a *Admin) editLiveUpdate(w http.ResponseWriter, r *http.Request) error {
	var id int64
	e, err := a.liveWrite(r, func(tx *store.Store, who newsroom.Actor, e *news.Editorial) error {
		var err error
		if id, err = pathID(r, "update"); err != nil {
			return err
		}
		return newsroom.EditLiveUpdate(r.Context(), tx, who, e, id, r.PostFormValue("body"), r.PostFormValue("byline"), a.now())
	})
	if err != nil {
		return err
	}
	return liveBack(w, r, e, "live-edited", "#"+news.LiveUpdate{ID: id}.Anchor())
}

// pinLiveUpdate pins an update at the top (pinned=1), or unpins it.
func (a *Admin) pinLiveUpdate(w http.ResponseWriter, r *http.Request) error {
	var id int64
	pinned := r.PostFormValue("pinned") == "1"
	e, err := a.liveWrite(r, func(tx *store.Store, who newsroom.Actor, e *news.Editorial) error {
		var err error
		if id, err = pathID(r, "update"); err != nil {
			return err
		}
		return newsroom.PinLiveUpdate(r.Context(), tx, who, e, id, pinned)
	})
	if err != nil {
		return err
	}
	done := "live-unpinned"
	if pinned {
		done = "live-pinned"
	}
	return liveBack(w, r, e, done, "#"+news.LiveUpdate{ID: id}.Anchor())
}

// deleteLiveUpdate takes an update off the story.
func (a *Admin) deleteLiveUpdate(w http.ResponseWriter, r *http.Request) error {
	e, err := a.liveWrite(r, func(tx *store.Store, who newsroom.Actor, e *news.Editorial) error {
		id, err := pathID(r, "update")
		if err != nil {
			return err
		}
		return newsroom.DeleteLiveUpdate(r.Context(), tx, who, e, id, a.now())
	})
	if err != nil {
		return err
	}
	return liveBack(w, r, e, "live-deleted", "")
}
