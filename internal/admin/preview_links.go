package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Preview links: an address at /preview/{token} on the public site that
// shows a draft's current saved text, as its page would look, to someone
// with no account (the site answers it: internal/site, preview.go). They
// are made, listed and revoked on the article's "Preview links" page.
// Who may: whoever may change the article's text (auth.CanEdit): an editor,
// or a contributor for their own draft. A link is revoked by its maker or
// an editor.

type previewLinkRow struct {
	*news.PreviewLink
	State     news.PreviewLinkState
	CanRevoke bool
}

type previewLinksView struct {
	page
	E         *news.Editorial
	Links     []previewLinkRow
	CanCreate bool
	Why       string // why no link can be made now
	NewLink   string // the link just made, shown once
	NewUntil  time.Time
	Days      int
	MaxDays   int
	Note      string
	MaxNote   int
}

// mayShare says why u cannot make a preview link to e now, or "".
func mayShare(u *news.User, e *news.Editorial) string {
	switch {
	case !auth.CanEdit(u, e):
		return "Only an editor, or the writer while it is their draft, can make preview links to this story."
	case e.Article.Status == news.Published:
		return "This story is published: send its public address instead."
	case news.PreviewWithdrawn(e.Article):
		return "This story was withdrawn: its preview links no longer open."
	}
	return ""
}

// loadSharedArticle reads the {id} article for its preview links page,
// refusing anyone who may not see it in the newsroom.
func (a *Admin) loadSharedArticle(r *http.Request) (*news.Editorial, error) {
	e, err := a.loadArticle(r)
	if err != nil {
		return nil, err
	}
	if !auth.CanView(userOf(r), e) {
		return nil, forbidden("You may open only your own articles.")
	}
	return e, nil
}

func (a *Admin) showPreviewLinks(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadSharedArticle(r)
	if err != nil {
		return err
	}
	return a.renderPreviewLinks(w, r, http.StatusOK, e, &previewLinksView{Days: news.DefaultPreviewDays}, nil)
}

// createPreviewLink makes a link for the article, with the lifetime and
// note asked for. The link is shown once, on the page answered: only the
// hash of its token is kept.
func (a *Admin) createPreviewLink(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadSharedArticle(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	v := &previewLinksView{Days: news.DefaultPreviewDays, Note: r.FormValue("note")}
	if why := mayShare(u, e); why != "" {
		return forbidden("%s", why)
	}
	days, err := news.PreviewDays(r.FormValue("days"))
	if err != nil {
		return a.renderPreviewLinks(w, r, http.StatusBadRequest, e, v, err)
	}
	v.Days = days
	note, err := news.CheckPreviewNote(r.FormValue("note"))
	if err != nil {
		return a.renderPreviewLinks(w, r, http.StatusBadRequest, e, v, err)
	}
	token, hash := auth.NewToken()
	now := a.now().UTC()
	l := &news.PreviewLink{ArticleID: e.Article.ID, Note: note, CreatedBy: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Duration(days) * 24 * time.Hour)}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.CreatePreviewLink(r.Context(), hash, l); err != nil {
			return err
		}
		detail := fmt.Sprintf("preview link %d, until %s", l.ID, l.ExpiresAt.Format(time.RFC3339))
		if note != "" {
			detail += ", " + note
		}
		return audit(r.Context(), tx, u, "preview-link", articleTarget(e), detail)
	})
	if err != nil {
		return err
	}
	v.NewLink, v.NewUntil, v.Note = a.link("/preview/"+token), l.ExpiresAt, ""
	return a.renderPreviewLinks(w, r, http.StatusCreated, e, v, nil)
}

// revokePreviewLink ends a link at once.
func (a *Admin) revokePreviewLink(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadSharedArticle(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "link")
	if err != nil {
		return err
	}
	u := userOf(r)
	links, err := a.store.PreviewLinks(r.Context(), e.Article.ID)
	if err != nil {
		return err
	}
	var l *news.PreviewLink
	for _, x := range links {
		if x.ID == id {
			l = x
		}
	}
	if l == nil {
		return news.NotFound("no preview link %d for this article", id)
	}
	if !mayRevoke(u, l) {
		return forbidden("Only whoever made this link, or an editor, can revoke it.")
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.RevokePreviewLink(r.Context(), e.Article.ID, id, u.ID, a.now().UTC()); err != nil {
			return err
		}
		return audit(r.Context(), tx, u, "preview-link.revoke", articleTarget(e), "preview link "+strconv.FormatInt(id, 10))
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(e.Article.ID, 10)+"/previews?done=revoked", http.StatusSeeOther)
	return nil
}

func mayRevoke(u *news.User, l *news.PreviewLink) bool {
	return auth.Can(u.Role, auth.EditAnyArticle) || l.CreatedBy == u.ID
}

func (a *Admin) renderPreviewLinks(w http.ResponseWriter, r *http.Request, status int, e *news.Editorial, v *previewLinksView, ferr error) error {
	u := userOf(r)
	v.page = a.newPage(r, "Preview links: "+e.Article.Headline)
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	v.E, v.MaxDays, v.MaxNote = e, news.MaxPreviewDays, news.MaxPreviewNote
	v.Why = mayShare(u, e)
	v.CanCreate = v.Why == ""
	links, err := a.store.PreviewLinks(r.Context(), e.Article.ID)
	if err != nil {
		return err
	}
	now := a.now()
	for _, l := range links {
		v.Links = append(v.Links, previewLinkRow{PreviewLink: l, State: l.State(now), CanRevoke: mayRevoke(u, l) && l.RevokedAt.IsZero()})
	}
	return a.render(w, r, status, "previewlinks", v)
}
