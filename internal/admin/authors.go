package admin

import (
	"net/http"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

type authorsView struct {
	page
	Authors []news.Author
	Counts  map[int64]int
}

func (a *Admin) listAuthors(w http.ResponseWriter, r *http.Request) error {
	return a.renderAuthors(w, r, http.StatusOK, nil)
}

func (a *Admin) renderAuthors(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	list, counts, err := a.store.Authors(r.Context())
	if err != nil {
		return err
	}
	v := &authorsView{page: a.newPage(r, "Authors and agencies"), Authors: list, Counts: counts}
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	return a.render(w, r, status, "authors", v)
}

func (a *Admin) authorsDone(w http.ResponseWriter, r *http.Request, err error) error {
	if err != nil {
		if c := news.ErrorCode(err); c == news.EINVALID || c == news.ECONFLICT {
			return a.renderAuthors(w, r, statusOf(err), err)
		}
		return err
	}
	a.changed()
	http.Redirect(w, r, "/admin/authors?done=saved", http.StatusSeeOther)
	return nil
}

func authorForm(w http.ResponseWriter, r *http.Request) (news.Author, error) {
	return news.Author{Name: news.CleanText(r.FormValue("name")), Bio: news.CleanText(r.FormValue("bio")), Agency: r.FormValue("agency") != ""}, nil
}

func (a *Admin) createAuthor(w http.ResponseWriter, r *http.Request) error {
	au, err := authorForm(w, r)
	if err != nil {
		return err
	}
	au.Slug = news.Slugify(au.Name)
	if au.Slug == "" {
		return a.authorsDone(w, r, news.Invalid("name", "give the author's name"))
	}
	return a.authorsDone(w, r, a.store.InTx(r.Context(), func(tx *store.Store) error { return tx.CreateAuthor(r.Context(), &au) }))
}

func (a *Admin) saveAuthor(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	au, err := authorForm(w, r)
	if err != nil {
		return err
	}
	return a.authorsDone(w, r, a.store.InTx(r.Context(), func(tx *store.Store) error {
		old, err := tx.AuthorByID(r.Context(), id)
		if err != nil {
			return err
		}
		au.ID, au.Slug = old.ID, old.Slug
		return tx.UpdateAuthor(r.Context(), au)
	}))
}
