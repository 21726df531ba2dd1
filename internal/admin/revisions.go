package admin

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
)

type revisionsView struct {
	page
	E         *news.Editorial
	Revisions []*news.Revision
	CanEdit   bool
}

// viewable loads the {id} article for someone who may see its history:
// whoever may edit it, and its writer.
func (a *Admin) viewable(r *http.Request) (*news.Editorial, error) {
	e, err := a.loadArticle(r)
	if err != nil {
		return nil, err
	}
	u := userOf(r)
	if !auth.CanView(u, e) {
		return nil, forbidden("You may open only your own articles.")
	}
	return e, nil
}

func (a *Admin) listRevisions(w http.ResponseWriter, r *http.Request) error {
	e, err := a.viewable(r)
	if err != nil {
		return err
	}
	list, err := a.store.Revisions(r.Context(), e.Article.ID)
	if err != nil {
		return err
	}
	v := &revisionsView{page: a.newPage(r, "History: "+e.Article.Headline), E: e, Revisions: list, CanEdit: auth.CanEdit(userOf(r), e)}
	return a.render(w, r, http.StatusOK, "revisions", v)
}

type revisionView struct {
	page
	E       *news.Editorial
	Rev     *news.Revision
	Text    string
	CanEdit bool
}

func (a *Admin) revisionOf(r *http.Request, e *news.Editorial, param string) (*news.Revision, error) {
	n, err := strconv.Atoi(param)
	if err != nil || n <= 0 {
		return nil, news.NotFound("no revision %q", param)
	}
	return a.store.Revision(r.Context(), e.Article.ID, n)
}

func (a *Admin) showRevision(w http.ResponseWriter, r *http.Request) error {
	e, err := a.viewable(r)
	if err != nil {
		return err
	}
	rev, err := a.revisionOf(r, e, r.PathValue("n"))
	if err != nil {
		return err
	}
	v := &revisionView{page: a.newPage(r, "Revision "+strconv.Itoa(rev.Number)+": "+e.Article.Headline), E: e, Rev: rev,
		Text: rev.Content.Text(), CanEdit: auth.CanEdit(userOf(r), e)}
	return a.render(w, r, http.StatusOK, "revision", v)
}

type diffView struct {
	page
	E        *news.Editorial
	From, To *news.Revision
	Lines    []diffLine
	Same     bool
}

// showDiff compares two revisions: ?from=N&to=M (to defaults to the
// current one).
func (a *Admin) showDiff(w http.ResponseWriter, r *http.Request) error {
	e, err := a.viewable(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	to := q.Get("to")
	if to == "" {
		to = strconv.Itoa(e.Revision)
	}
	from, err := a.revisionOf(r, e, q.Get("from"))
	if err != nil {
		return err
	}
	toRev, err := a.revisionOf(r, e, to)
	if err != nil {
		return err
	}
	if from.Number > toRev.Number {
		from, toRev = toRev, from
	}
	v := &diffView{page: a.newPage(r, "Changes: "+e.Article.Headline), E: e, From: from, To: toRev,
		Lines: diffLines(from.Content.Text(), toRev.Content.Text())}
	v.Same = from.Content.Text() == toRev.Content.Text()
	return a.render(w, r, http.StatusOK, "diff", v)
}

// restoreRevision saves an old revision's text as a new revision, on top of
// the current one: nothing in between is lost, it stays in the history.
func (a *Admin) restoreRevision(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if err := mayEdit(u, e); err != nil {
		return err
	}
	rev, err := a.revisionOf(r, e, r.PathValue("n"))
	if err != nil {
		return err
	}
	if !confirmed(r) {
		id := strconv.FormatInt(e.Article.ID, 10)
		return a.askToConfirm(w, r, confirmView{Heading: "Restore revision " + strconv.Itoa(rev.Number) + "?",
			Message: fmt.Sprintf("The text of revision %d of “%s” becomes the article's text, as a new revision on top of the current one (%d). Nothing is lost: the current text stays in the history and can be restored in turn.",
				rev.Number, e.Article.Headline, e.Revision),
			Action: r.URL.Path, Button: "Restore revision " + strconv.Itoa(rev.Number), Back: "/admin/articles/" + id + "/revisions"})
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		ne, err := a.editorialFrom(r.Context(), tx, rev.Content, e)
		if err != nil {
			return err
		}
		// The revision's address may be another story's now: say no more
		// of it than a save there would (the slug oracle).
		if err := newsroom.AddressFree(r.Context(), tx, u, ne.Article, e); err != nil {
			return err
		}
		saved, err := tx.SaveEditorial(r.Context(), ne, store.Save{UserID: u.ID, Base: e.Revision, Kind: news.RestoredRevision,
			Note: "restored revision " + strconv.Itoa(rev.Number)})
		if err != nil {
			return err
		}
		if saved.Kind == news.ConflictRevision {
			return news.Errorf(news.ECONFLICT, "someone saved this article meanwhile; open the history again and restore from there")
		}
		return nil
	})
	if err != nil {
		return err
	}
	a.changed()
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(e.Article.ID, 10)+"?done=restored", http.StatusSeeOther)
	return nil
}

// confirmView asks whether to do something that readers or writers would
// notice, as a step of its own: the button that asks posts without
// confirm=yes, and gets this page, whose button posts with it. It works
// without a script; with one, admin.js asks in a dialog instead and sends
// confirm=yes itself.
type confirmView struct {
	page
	Heading, Message string
	Action, Button   string // where the confirming form posts, and its button
	Back             string // where Cancel leads
}

// confirmed reports whether a form was confirmed (confirmView).
func confirmed(r *http.Request) bool { return r.PostFormValue("confirm") == "yes" }

// askToConfirm shows the confirmation step; nothing has changed.
func (a *Admin) askToConfirm(w http.ResponseWriter, r *http.Request, v confirmView) error {
	v.page = a.newPage(r, v.Heading)
	return a.render(w, r, http.StatusOK, "confirm", &v)
}
