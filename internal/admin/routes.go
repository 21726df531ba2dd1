package admin

import (
	"net/http"

	"github.com/newsdesk/newsdesk/internal/auth"
)

// route is one URL pattern of the newsroom, the action it performs, and its
// handler. An empty action is a page for people not signed in (the login
// and one-time links); signedIn is any account.
type route struct {
	pattern string
	action  auth.Action
	handler handlerFunc
}

const (
	public   auth.Action = ""
	signedIn auth.Action = "signed-in"
)

// routes lists every URL of the newsroom.
func (a *Admin) routes() []route {
	return []route{
		{"GET /admin/login", public, a.showLogin},
		{"POST /admin/login", public, a.login},
		{"GET /admin/setup/{token}", public, a.showSetup},
		{"POST /admin/setup/{token}", public, a.setup},
		{"GET /admin/invite/{token}", public, a.showInvite},
		{"POST /admin/invite/{token}", public, a.acceptInvite},
		{"GET /admin/static/{name}", public, a.showAsset},
		{"POST /admin/logout", signedIn, a.logout},

		{"GET /admin/{$}", auth.ViewDesk, a.showDesk},
		{"GET /admin/articles", auth.ViewDesk, a.listArticles},
		{"GET /admin/search", auth.ViewDesk, a.showSearch},
		{"GET /admin/articles/new", auth.WriteArticle, a.newArticle},
		{"POST /admin/articles", auth.WriteArticle, a.createArticle},
		{"GET /admin/articles/{id}", auth.ViewDesk, a.editArticle},
		{"POST /admin/articles/{id}", auth.WriteArticle, a.saveArticle},
		{"POST /admin/articles/{id}/autosave", auth.WriteArticle, a.autosaveArticle},
		{"POST /admin/preview", auth.WriteArticle, a.preview},
		{"POST /admin/articles/{id}/submit", auth.WriteArticle, a.submitArticle},
		{"POST /admin/articles/{id}/publish", auth.PublishArticle, a.publishArticle},
		{"POST /admin/articles/{id}/schedule", auth.PublishArticle, a.scheduleArticle},
		{"POST /admin/articles/{id}/unpublish", auth.PublishArticle, a.unpublishArticle},
		{"POST /admin/articles/{id}/corrections", auth.CorrectArticle, a.addCorrection},
		{"GET /admin/articles/{id}/revisions", auth.ViewDesk, a.listRevisions},
		{"GET /admin/articles/{id}/revisions/{n}", auth.ViewDesk, a.showRevision},
		{"GET /admin/articles/{id}/diff", auth.ViewDesk, a.showDiff},
		{"POST /admin/articles/{id}/revisions/{n}/restore", auth.WriteArticle, a.restoreRevision},

		{"GET /admin/sections", auth.ManageSections, a.listSections},
		{"POST /admin/sections", auth.ManageSections, a.createSection},
		{"POST /admin/sections/{id}", auth.ManageSections, a.saveSection},
		{"POST /admin/sections/{id}/move", auth.ManageSections, a.moveSection},
		{"GET /admin/authors", auth.ManageAuthors, a.listAuthors},
		{"POST /admin/authors", auth.ManageAuthors, a.createAuthor},
		{"POST /admin/authors/{id}", auth.ManageAuthors, a.saveAuthor},
		{"GET /admin/tags", auth.ManageTags, a.listTags},
		{"POST /admin/tags", auth.ManageTags, a.createTag},
		{"POST /admin/tags/{id}", auth.ManageTags, a.saveTag},
		{"GET /admin/top", auth.ManageTopStories, a.showTopStories},
		{"POST /admin/top", auth.ManageTopStories, a.saveTopStories},

		{"GET /admin/media", auth.UploadMedia, a.listMedia},
		{"POST /admin/media", auth.UploadMedia, a.uploadMedia},
		{"GET /admin/media/{id}", auth.UploadMedia, a.showMedia},
		{"POST /admin/media/{id}", auth.EditMedia, a.saveMedia},

		{"GET /admin/users", auth.ManageUsers, a.listUsers},
		{"POST /admin/users", auth.ManageUsers, a.createUser},
		{"GET /admin/users/{id}", auth.ManageUsers, a.showUser},
		{"POST /admin/users/{id}", auth.ManageUsers, a.saveUser},
		{"POST /admin/users/{id}/sessions/end", auth.ManageUsers, a.endUserSessions},
		{"POST /admin/invitations", auth.ManageUsers, a.createInvitation},
		{"POST /admin/invitations/{id}/revoke", auth.ManageUsers, a.revokeInvitation},
		{"GET /admin/account", auth.ManageOwnAccount, a.showAccount},
		{"POST /admin/account/password", auth.ManageOwnAccount, a.changePassword},
		{"POST /admin/account/sessions/{id}/end", auth.ManageOwnAccount, a.endSession},
		{"GET /admin/audit", auth.ViewAudit, a.showAudit},
		{"GET /admin/settings", auth.ManageSettings, a.showSettings},
		{"POST /admin/settings", auth.ManageSettings, a.saveSettings},

		{"/admin/", signedIn, a.notFound},
	}
}

// Handler returns the newsroom with every route, behind cross-origin
// request protection (CSRF) and the newsroom's security headers.
func (a *Admin) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range a.routes() {
		mux.Handle(rt.pattern, a.guard(rt.action, rt.handler))
	}
	mux.Handle("GET /admin", http.RedirectHandler("/admin/", http.StatusMovedPermanently))
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.log.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path,
			"origin", r.Header.Get("Origin"), "addr", a.cfg.Proxies.ClientAddr(r))
		a.fail(w, r, forbidden("This form was sent from another site, so it was refused. Open the newsroom and try again."))
	}))
	return securityHeaders(cop.Handler(mux))
}

// csp lets the newsroom run its own script and nothing else: no inline
// script, no other origin.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "private, no-store") // pages hold drafts and names: never in a shared cache
		h.Set("X-Robots-Tag", "noindex, nofollow")
		next.ServeHTTP(w, r)
	})
}
