package admin

import (
	"net/http"

	"github.com/newsdesk/newsdesk/internal/news"
)

type tagsView struct {
	page
	Tags   []news.Tag
	Counts map[int64]int
}

func (a *Admin) listTags(w http.ResponseWriter, r *http.Request) error {
	return a.renderTags(w, r, http.StatusOK, nil)
}

func (a *Admin) renderTags(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	list, counts, err := a.store.Tags(r.Context())
	if err != nil {
		return err
	}
	v := &tagsView{page: a.newPage(r, "Tags"), Tags: list, Counts: counts}
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	return a.render(w, r, status, "tags", v)
}

func (a *Admin) tagsDone(w http.ResponseWriter, r *http.Request, err error) error {
	if err != nil {
		if c := news.ErrorCode(err); c == news.EINVALID || c == news.ECONFLICT {
			return a.renderTags(w, r, statusOf(err), err)
		}
		return err
	}
	a.changed()
	http.Redirect(w, r, "/admin/tags?done=saved", http.StatusSeeOther)
	return nil
}

func (a *Admin) createTag(w http.ResponseWriter, r *http.Request) error {
	name := news.CleanText(r.FormValue("name"))
	if name == "" {
		return a.tagsDone(w, r, news.Invalid("name", "give the tag's name"))
	}
	_, err := a.store.EnsureTag(r.Context(), name)
	return a.tagsDone(w, r, err)
}

func (a *Admin) saveTag(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return a.tagsDone(w, r, a.store.RenameTag(r.Context(), id, r.FormValue("name")))
}
