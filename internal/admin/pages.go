package admin

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Standing pages (news.Page): About, Contact, the policies. Editors and
// admins write them in the body editor the articles use, publish and take
// them back, and place them in the footer and the publisher's structured
// data. Every save that changes a page keeps a revision, which can be
// shown and restored.

type pagesView struct {
	page
	Pages []*news.Page
}

func (a *Admin) listPages(w http.ResponseWriter, r *http.Request) error {
	list, err := a.store.Pages(r.Context())
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "pages", &pagesView{page: a.newPage(r, "Pages"), Pages: list})
}

// pageFormFields is the page editor's form, as sent or as shown.
type pageFormFields struct {
	news.PageContent
	Base int // the revision the editor started from
}

type pageEditView struct {
	page
	P         *news.Page // nil for a new page
	Revision  int
	F         pageFormFields
	Roles     []news.PageRole
	Action    string
	PublicURL string // the page on the site, while published
	MaxForm   int64
	MaxPhoto  int64 // for the body editor's photo dialog
	// Conflict is set when the save was made on an older revision than
	// the page's: the text sent is kept as revision Mine, not applied.
	Conflict *conflictView
}

// readPageForm reads the page editor's fields.
func readPageForm(r *http.Request) pageFormFields {
	get := r.PostFormValue
	f := pageFormFields{PageContent: news.PageContent{
		Title: news.CleanText(get("title")), Slug: strings.TrimSpace(get("slug")),
		Body:     strings.ReplaceAll(get("body"), "\r\n", "\n"),
		Role:     news.PageRole(strings.TrimSpace(get("role"))),
		SEOTitle: news.CleanText(get("seo_title")), SEODescription: news.CleanText(get("seo_description")),
	}}
	if f.Slug == "" {
		f.Slug = news.Slugify(f.Title)
	}
	if v := strings.TrimSpace(get("footer")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1 // refused by Validate, naming the field
		}
		f.Footer = n
	}
	f.Base, _ = strconv.Atoi(get("base"))
	return f
}

// loadPage loads the {id} page.
func (a *Admin) loadPage(r *http.Request) (*news.Page, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return a.store.PageByID(r.Context(), id)
}

func (a *Admin) newStandingPage(w http.ResponseWriter, r *http.Request) error {
	return a.renderPageEditor(w, r, http.StatusOK, nil, pageFormFields{}, nil, nil)
}

func (a *Admin) editPage(w http.ResponseWriter, r *http.Request) error {
	p, err := a.loadPage(r)
	if err != nil {
		return err
	}
	rev, err := a.store.PageRevisionNumber(r.Context(), p.ID)
	if err != nil {
		return err
	}
	return a.renderPageEditor(w, r, http.StatusOK, p, pageFormFields{PageContent: p.Content(), Base: rev}, nil, nil)
}

func (a *Admin) renderPageEditor(w http.ResponseWriter, r *http.Request, status int, p *news.Page, f pageFormFields, ferr error, conflict *conflictView) error {
	title := "New page"
	v := &pageEditView{P: p, F: f, Roles: news.PageRoles, Action: "/admin/pages", MaxForm: pageFormMax,
		MaxPhoto: a.limits().MaxBytes, Conflict: conflict}
	if p != nil {
		title = "Edit page: " + p.Title
		v.Action = "/admin/pages/" + strconv.FormatInt(p.ID, 10)
		rev, err := a.store.PageRevisionNumber(r.Context(), p.ID)
		if err != nil {
			return err
		}
		v.Revision = rev
		if p.Status == news.Published {
			v.PublicURL = p.URL()
		}
	}
	v.page = a.newPage(r, title)
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	return a.render(w, r, status, "page", v)
}

// pageFormMax bounds the page editor's form: the longest body and the
// few fields beside it.
const pageFormMax = 2 << 20

// pageFrom applies the form to a page (a new one when old is nil) and
// renders its body.
func pageFrom(f pageFormFields, old *news.Page) (*news.Page, error) {
	p := &news.Page{Status: news.Draft}
	if old != nil {
		cp := *old
		p = &cp
	}
	p.SetContent(f.PageContent)
	html, err := markup.Render(p.Body)
	if err != nil {
		return nil, news.Invalid("body", "%s", strings.TrimPrefix(err.Error(), "markup: "))
	}
	p.BodyHTML = html
	return p, p.Validate()
}

func (a *Admin) createPage(w http.ResponseWriter, r *http.Request) error {
	return a.savePageForm(w, r, nil)
}

func (a *Admin) savePage(w http.ResponseWriter, r *http.Request) error {
	p, err := a.loadPage(r)
	if err != nil {
		return err
	}
	return a.savePageForm(w, r, p)
}

// savePageForm saves what the page editor sent, and goes back to the
// editor.
func (a *Admin) savePageForm(w http.ResponseWriter, r *http.Request, old *news.Page) error {
	p, shown, err := a.savePageText(w, r, old)
	if err != nil || shown {
		return err
	}
	done := "saved"
	if old == nil {
		done = "created"
	}
	http.Redirect(w, r, "/admin/pages/"+strconv.FormatInt(p.ID, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

// savePageText saves what the page editor sent as a new revision and
// returns the page saved. A save made on an older revision than the
// page's keeps the text sent as a revision without applying it, and shows
// the editor both, as the article editor does; a form with a mistake is
// shown again as typed. shown is true when the editor was shown so.
func (a *Admin) savePageText(w http.ResponseWriter, r *http.Request, old *news.Page) (p *news.Page, shown bool, err error) {
	ctx := r.Context()
	u := userOf(r)
	f := readPageForm(r)
	var conflict *conflictView
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		if old != nil {
			cur, err := tx.PageRevisionNumber(ctx, old.ID)
			if err != nil {
				return err
			}
			if cur != f.Base && f.PageContent != old.Content() {
				mine, err := tx.KeepPageRevision(ctx, old.ID, f.PageContent, u.ID, fmt.Sprintf("not applied: saved on revision %d, after revision %d", f.Base, cur))
				if err != nil {
					return err
				}
				conflict = &conflictView{Mine: mine, Theirs: cur}
				return nil
			}
		}
		var err error
		if p, err = pageFrom(f, old); err != nil {
			return err
		}
		if old != nil && old.Status == news.Published && p.Content() != old.Content() {
			p.UpdatedAt = a.now().UTC()
		}
		if _, err := tx.SavePageBy(ctx, p, u.ID, ""); err != nil {
			return err
		}
		if old == nil {
			return audit(ctx, tx, u, "create page", pageTarget(p), p.Title)
		}
		return nil
	})
	if err != nil {
		if c := news.ErrorCode(err); c == news.EINVALID || c == news.ECONFLICT {
			return nil, true, a.renderPageEditor(w, r, statusOf(err), old, f, err, nil)
		}
		return nil, false, err
	}
	if conflict != nil {
		// The page as it is now, with the writer's text still in the form
		// and based on the current revision: saving again replaces it.
		cur, err := a.store.PageByID(ctx, old.ID)
		if err != nil {
			return nil, false, err
		}
		f.Base = conflict.Theirs
		return nil, true, a.renderPageEditor(w, r, http.StatusConflict, cur, f, nil, conflict)
	}
	a.changed()
	return p, false, nil
}

func pageTarget(p *news.Page) string {
	return "page " + strconv.FormatInt(p.ID, 10) + " (/" + p.Slug + ")"
}

// publishPage puts a page on the site, after asking.
func (a *Admin) publishPage(w http.ResponseWriter, r *http.Request) error {
	p, err := a.loadPage(r)
	if err != nil {
		return err
	}
	if p.Status == news.Published {
		return news.Errorf(news.ECONFLICT, "the page is published already")
	}
	if r.PostForm.Has("title") {
		// Sent from the editor: its text is saved first, so nothing typed
		// is lost whatever the answer below.
		saved, shown, err := a.savePageText(w, r, p)
		if err != nil || shown {
			return err
		}
		p = saved
	}
	if !confirmed(r) {
		return a.askToConfirm(w, r, confirmView{Heading: "Publish this page?",
			Message: "“" + p.Title + "” (saved as you left it) goes on the site at once, at " + p.URL() + "." + pageLinksNote(p, true),
			Action:  r.URL.Path, Button: "Publish", Back: "/admin/pages/" + strconv.FormatInt(p.ID, 10)})
	}
	p.Publish(a.now())
	return a.movePage(w, r, p, "publish page", "published")
}

// unpublishPage takes a page off the site, after asking.
func (a *Admin) unpublishPage(w http.ResponseWriter, r *http.Request) error {
	p, err := a.loadPage(r)
	if err != nil {
		return err
	}
	if p.Status != news.Published {
		return news.Errorf(news.ECONFLICT, "the page is a draft already")
	}
	if !confirmed(r) {
		return a.askToConfirm(w, r, confirmView{Heading: "Unpublish this page?",
			Message: "“" + p.Title + "” leaves the site at once: " + p.URL() + " answers “not found”." + pageLinksNote(p, false) +
				" It becomes a draft again, and can be published again later.",
			Action: r.URL.Path, Button: "Unpublish", Back: "/admin/pages/" + strconv.FormatInt(p.ID, 10)})
	}
	p.Status = news.Draft
	return a.movePage(w, r, p, "unpublish page", "unpublished")
}

// pageLinksNote says where else a page shows while published: as it
// will (on) or as it will not any more.
func pageLinksNote(p *news.Page, on bool) string {
	var out string
	if p.Footer > 0 {
		if on {
			out += " The footer of every page will link it."
		} else {
			out += " The footer of every page will no longer link it."
		}
	}
	if p.Role != "" {
		if on {
			out += " Search engines will be told it is the page for “" + p.Role.Label() + "”."
		} else {
			out += " Search engines will no longer be told it is the page for “" + p.Role.Label() + "”."
		}
	}
	return out
}

// movePage saves a page's new status; its content, and so its revisions,
// are unchanged.
func (a *Admin) movePage(w http.ResponseWriter, r *http.Request, p *news.Page, action, done string) error {
	ctx := r.Context()
	u := userOf(r)
	err := a.store.InTx(ctx, func(tx *store.Store) error {
		if _, err := tx.SavePageBy(ctx, p, u.ID, ""); err != nil {
			return err
		}
		return audit(ctx, tx, u, action, pageTarget(p), p.Title)
	})
	if err != nil {
		if c := news.ErrorCode(err); c == news.EINVALID || c == news.ECONFLICT {
			// Another page took its address or role while it was a draft.
			return a.renderPageEditor(w, r, statusOf(err), p, pageFormFields{PageContent: p.Content()}, err, nil)
		}
		return err
	}
	a.changed()
	http.Redirect(w, r, "/admin/pages/"+strconv.FormatInt(p.ID, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

type pageRevisionsView struct {
	page
	P         *news.Page
	Current   int
	Revisions []*news.PageRevision
}

func (a *Admin) listPageRevisions(w http.ResponseWriter, r *http.Request) error {
	p, err := a.loadPage(r)
	if err != nil {
		return err
	}
	list, err := a.store.PageRevisions(r.Context(), p.ID)
	if err != nil {
		return err
	}
	cur, err := a.store.PageRevisionNumber(r.Context(), p.ID)
	if err != nil {
		return err
	}
	v := &pageRevisionsView{page: a.newPage(r, "History: "+p.Title), P: p, Current: cur, Revisions: list}
	return a.render(w, r, http.StatusOK, "pagerevisions", v)
}

type pageRevisionView struct {
	page
	P       *news.Page
	Current int
	Rev     *news.PageRevision
	Text    string
}

// pageRevision loads the {id} page and its revision {n}.
func (a *Admin) pageRevision(ctx context.Context, r *http.Request) (*news.Page, *news.PageRevision, int, error) {
	p, err := a.loadPage(r)
	if err != nil {
		return nil, nil, 0, err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n <= 0 {
		return nil, nil, 0, news.NotFound("no revision %q", r.PathValue("n"))
	}
	rev, err := a.store.PageRevision(ctx, p.ID, n)
	if err != nil {
		return nil, nil, 0, err
	}
	cur, err := a.store.PageRevisionNumber(ctx, p.ID)
	return p, rev, cur, err
}

func (a *Admin) showPageRevision(w http.ResponseWriter, r *http.Request) error {
	p, rev, cur, err := a.pageRevision(r.Context(), r)
	if err != nil {
		return err
	}
	v := &pageRevisionView{page: a.newPage(r, "Revision "+strconv.Itoa(rev.Number)+": "+p.Title), P: p, Current: cur, Rev: rev,
		Text: rev.Content.Text()}
	return a.render(w, r, http.StatusOK, "pagerevision", v)
}

// restorePageRevision saves an old revision's content as a new revision,
// on top of the current one, after asking; the page's status stays.
func (a *Admin) restorePageRevision(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, rev, cur, err := a.pageRevision(ctx, r)
	if err != nil {
		return err
	}
	if !confirmed(r) {
		return a.askToConfirm(w, r, confirmView{Heading: "Restore revision " + strconv.Itoa(rev.Number) + "?",
			Message: fmt.Sprintf("The content of revision %d of “%s” becomes the page's, as a new revision on top of the current one (%d). Nothing is lost: the current content stays in the history and can be restored in turn.",
				rev.Number, p.Title, cur),
			Action: r.URL.Path, Button: "Restore revision " + strconv.Itoa(rev.Number), Back: "/admin/pages/" + strconv.FormatInt(p.ID, 10) + "/revisions"})
	}
	u := userOf(r)
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		np, err := pageFrom(pageFormFields{PageContent: rev.Content}, p)
		if err != nil {
			return err
		}
		if p.Status == news.Published && np.Content() != p.Content() {
			np.UpdatedAt = a.now().UTC()
		}
		_, err = tx.SavePageBy(ctx, np, u.ID, "restored revision "+strconv.Itoa(rev.Number))
		return err
	})
	if err != nil {
		return err
	}
	a.changed()
	http.Redirect(w, r, "/admin/pages/"+strconv.FormatInt(p.ID, 10)+"?done=restored", http.StatusSeeOther)
	return nil
}
