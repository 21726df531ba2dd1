package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

type sectionsView struct {
	page
	Sections []news.Section
	Options  []sectionOption
}

func (a *Admin) listSections(w http.ResponseWriter, r *http.Request) error {
	return a.renderSections(w, r, http.StatusOK, nil)
}

func (a *Admin) renderSections(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	secs, err := a.store.Sections(r.Context())
	if err != nil {
		return err
	}
	v := &sectionsView{page: a.newPage(r, "Sections"), Sections: secs}
	v.Options = sectionOptions(secs)
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	return a.render(w, r, status, "sections", v)
}

// sectionForm reads a section's fields; an empty slug is made from the name.
func sectionForm(w http.ResponseWriter, r *http.Request) (news.Section, error) {
	s := news.Section{Name: news.CleanText(r.FormValue("name")), Slug: strings.TrimSpace(r.FormValue("slug")),
		Description: news.CleanText(r.FormValue("description"))}
	if s.Slug == "" {
		s.Slug = news.Slugify(s.Name)
	}
	s.ParentID, _ = strconv.ParseInt(r.FormValue("parent"), 10, 64)
	return s, nil
}

// sectionsDone answers a sections form: back to the list, or the list with
// the problem.
func (a *Admin) sectionsDone(w http.ResponseWriter, r *http.Request, err error) error {
	if err != nil {
		if c := news.ErrorCode(err); c == news.EINVALID || c == news.ECONFLICT || c == news.ENOTFOUND {
			return a.renderSections(w, r, statusOf(err), err)
		}
		return err
	}
	a.changed()
	http.Redirect(w, r, "/admin/sections?done=saved", http.StatusSeeOther)
	return nil
}

func (a *Admin) createSection(w http.ResponseWriter, r *http.Request) error {
	s, err := sectionForm(w, r)
	if err != nil {
		return err
	}
	return a.sectionsDone(w, r, a.store.InTx(r.Context(), func(tx *store.Store) error {
		var n int
		if all, err := tx.Sections(r.Context()); err == nil {
			for _, x := range all {
				if x.ParentID == s.ParentID {
					n = max(n, x.Position+1)
				}
			}
		}
		s.Position = n
		return tx.CreateSection(r.Context(), &s)
	}))
}

// saveSection renames a section, changes its slug or description, or moves
// it in the tree; old addresses get redirects (store.EditSection).
func (a *Admin) saveSection(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	s, err := sectionForm(w, r)
	if err != nil {
		return err
	}
	s.ID = id
	return a.sectionsDone(w, r, a.store.InTx(r.Context(), func(tx *store.Store) error {
		return tx.EditSection(r.Context(), &s)
	}))
}

// moveSection moves a section up or down among its siblings.
func (a *Admin) moveSection(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	delta := 1
	if r.FormValue("dir") == "up" {
		delta = -1
	}
	return a.sectionsDone(w, r, a.store.InTx(r.Context(), func(tx *store.Store) error {
		return tx.MoveSectionBy(r.Context(), id, delta)
	}))
}

// sectionOptions are the choices of a section list, in the tree's order.
// Each label starts with the section's own name, then names where it sits:
// "Russia (News / Europe)". A native select jumps to the option whose
// label starts with what is typed, so a writer can type "Rus" to choose
// Russia; a screen reader reads the name first, then its place. (Labels
// indented with dashes, or full paths "News / Russia", start with
// something else, and typing the name found nothing.)
func sectionOptions(secs []news.Section) []sectionOption {
	byID := make(map[int64]news.Section, len(secs))
	for _, s := range secs {
		byID[s.ID] = s
	}
	out := make([]sectionOption, 0, len(secs))
	for _, s := range secs {
		var up []string
		for p, ok := byID[s.ParentID]; ok && len(up) < len(secs); p, ok = byID[p.ParentID] {
			up = append([]string{p.Name}, up...)
		}
		label := s.Name
		if len(up) > 0 {
			label += " (" + strings.Join(up, " / ") + ")"
		}
		out = append(out, sectionOption{ID: s.ID, Label: label})
	}
	return out
}
