package admin

import (
	"net/http"
	"strconv"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
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
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		ne, err := a.editorialFrom(r.Context(), tx, rev.Content, e)
		if err != nil {
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
