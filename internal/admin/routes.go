package admin

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/newsdesk/newsdesk/internal/auth"
)

// route is one URL pattern of the newsroom, the action it performs, its
// handler, and the form it takes (form.go): every route that is sent a body
// names its form and the most bytes it may hold, and the body is read
// through the one form reader before the handler runs. An empty action is
// a page for people not signed in (the login and one-time links); signedIn
// is any account.
type route struct {
	pattern string
	action  auth.Action
	handler handlerFunc
	form    form
}

const (
	public   auth.Action = ""
	signedIn auth.Action = "signed-in"
)

// routes lists every URL of the newsroom.
func (a *Admin) routes() []route {
	var (
		// button is a form with no fields, or hardly any: a button.
		button = form{name: "button", max: 4 << 10}
		// account forms carry names, addresses and passwords.
		account = func(name string) form { return form{name: name, max: 16 << 10} }
		// text forms carry a few fields of text.
		text = func(name string) form { return form{name: name, max: 64 << 10} }
		// The editor's form carries the whole article and perhaps a photo.
		article = form{name: "article", max: a.maxForm(), editor: true,
			advice: fmt.Sprintf("Your text is still in the editor: go back to it (your browser's Back button) and shorten the body, or choose a smaller photo (at most %s).", sizeText(a.limits().MaxBytes))}
		autosave = form{name: "autosave", max: autosaveForm, editor: true,
			advice: "Your text is still in the editor, but it is too long to autosave: shorten the body, then save."}
		preview = form{name: "preview", max: a.maxForm(),
			advice: "Your text is still in the editor: shorten the body to preview it."}
		upload = form{name: "photo upload", max: a.maxForm(),
			advice: fmt.Sprintf("Choose a photo of at most %s.", sizeText(a.limits().MaxBytes))}
		// The library's upload takes several photos at once (media.go).
		photos = form{name: "photo upload", max: a.maxUpload(),
			advice: fmt.Sprintf("Choose at most %d photos of at most %s each.", maxUploadFiles, sizeText(a.limits().MaxBytes))}
		// The page editor's form carries a page's whole text (pages.go).
		pageText = form{name: "page", max: pageFormMax,
			advice: "Your text is still in the editor: go back to it (your browser's Back button) and shorten it."}
		// A live update's text (live.go): news.MaxLiveUpdate characters
		// of up to 4 bytes, encoded, and a byline.
		liveText = form{name: "live update", max: 256 << 10,
			advice: "Your text is still in the form: go back to it (your browser's Back button) and shorten it."}
	)
	return []route{
		{"GET /admin/login", public, a.showLogin, noBody},
		{"POST /admin/login", public, a.login, account("log-in")},
		{"GET /admin/setup/{token}", public, a.showSetup, noBody},
		{"POST /admin/setup/{token}", public, a.setup, account("account")},
		{"GET /admin/invite/{token}", public, a.showInvite, noBody},
		{"POST /admin/invite/{token}", public, a.acceptInvite, account("account")},
		// The login's code step, a forgotten password, a new address
		// confirmed (twofactor.go, password_reset.go, account_email.go).
		{"GET /admin/login/code", public, a.showLoginCode, noBody},
		{"POST /admin/login/code", public, a.loginCode, account("code")},
		{"GET /admin/forgot", public, a.showForgot, noBody},
		{"POST /admin/forgot", public, a.requestReset, account("password reset")},
		{"GET /admin/reset/{token}", public, a.showReset, noBody},
		{"POST /admin/reset/{token}", public, a.resetPassword, account("password")},
		{"GET /admin/account/email/{token}", public, a.showEmailConfirm, noBody},
		{"POST /admin/account/email/{token}", public, a.confirmEmail, button},
		{"GET /admin/static/{name}", public, a.showAsset, noBody},
		{"POST /admin/logout", signedIn, a.logout, button},

		{"GET /admin/{$}", auth.ViewDesk, a.showDesk, noBody},
		{"GET /admin/articles", auth.ViewDesk, a.listArticles, noBody},
		{"GET /admin/search", auth.ViewDesk, a.showSearch, noBody},
		{"GET /admin/articles/new", auth.WriteArticle, a.newArticle, noBody},
		{"POST /admin/articles/bulk", auth.WriteArticle, a.bulkArticles, text("bulk action")},
		{"POST /admin/articles", auth.WriteArticle, a.createArticle, article},
		{"GET /admin/articles/{id}", auth.ViewDesk, a.editArticle, noBody},
		{"POST /admin/articles/{id}", auth.WriteArticle, a.saveArticle, article},
		{"POST /admin/articles/{id}/autosave", auth.WriteArticle, a.autosaveArticle, autosave},
		{"POST /admin/preview", auth.WriteArticle, a.preview, preview},
		{"POST /admin/articles/{id}/submit", auth.WriteArticle, a.submitArticle, article},
		{"POST /admin/articles/{id}/publish", auth.PublishArticle, a.publishArticle, article},
		{"POST /admin/articles/{id}/schedule", auth.PublishArticle, a.scheduleArticle, article},
		{"POST /admin/articles/{id}/unpublish", auth.PublishArticle, a.unpublishArticle, article},
		{"POST /admin/articles/{id}/corrections", auth.CorrectArticle, a.addCorrection, text("correction")},
		// Working together (notes.go, notifications.go).
		{"POST /admin/articles/{id}/notes", auth.ViewDesk, a.addNote, text("note")},
		{"POST /admin/articles/{id}/send-back", auth.PublishArticle, a.sendBack, text("note")},
		{"POST /admin/articles/{id}/embargo", auth.PublishArticle, a.setEmbargo, text("embargo")},
		{"POST /admin/articles/{id}/unpublish-at", auth.PublishArticle, a.scheduleUnpublish, text("unpublish time")},
		{"POST /admin/articles/{id}/schedule-update", auth.PublishArticle, a.scheduleUpdate, article},
		{"POST /admin/articles/{id}/cancel-update", auth.PublishArticle, a.cancelUpdate, button},
		// Live coverage (live.go): who may change the story runs it.
		{"GET /admin/articles/{id}/live", auth.ViewDesk, a.showLiveDesk, noBody},
		{"POST /admin/articles/{id}/live/start", auth.WriteArticle, a.startLive, button},
		{"POST /admin/articles/{id}/live/end", auth.WriteArticle, a.endLive, button},
		{"POST /admin/articles/{id}/live", auth.WriteArticle, a.postLiveUpdate, liveText},
		{"POST /admin/articles/{id}/live/{update}", auth.WriteArticle, a.editLiveUpdate, liveText},
		{"POST /admin/articles/{id}/live/{update}/pin", auth.WriteArticle, a.pinLiveUpdate, button},
		{"POST /admin/articles/{id}/live/{update}/delete", auth.WriteArticle, a.deleteLiveUpdate, button},
		{"GET /admin/notifications", auth.ViewDesk, a.showNotifications, noBody},
		{"POST /admin/notifications/read", auth.ViewDesk, a.markNotificationsRead, button},
		// Who is editing (presence.go): the editor's heartbeat, and taking the lock over.
		{"POST /admin/articles/{id}/presence", auth.ViewDesk, a.heartbeat, button},
		{"POST /admin/articles/{id}/lock", auth.PublishArticle, a.takeEditLock, button},
		{"GET /admin/articles/{id}/revisions", auth.ViewDesk, a.listRevisions, noBody},
		{"GET /admin/articles/{id}/revisions/{n}", auth.ViewDesk, a.showRevision, noBody},
		{"GET /admin/articles/{id}/diff", auth.ViewDesk, a.showDiff, noBody},
		{"POST /admin/articles/{id}/revisions/{n}/restore", auth.WriteArticle, a.restoreRevision, button},
		// Draft preview links for readers without an account (preview_links.go).
		{"GET /admin/articles/{id}/previews", auth.ViewDesk, a.showPreviewLinks, noBody},
		{"POST /admin/articles/{id}/previews", auth.WriteArticle, a.createPreviewLink, text("preview link")},
		{"POST /admin/articles/{id}/previews/{link}/revoke", auth.WriteArticle, a.revokePreviewLink, button},

		// The story budget (budget.go): editors plan, writers take and start.
		{"GET /admin/budget", auth.ViewDesk, a.showBudget, noBody},
		{"POST /admin/budget", auth.PlanBudget, a.createBudgetLine, text("budget line")},
		{"GET /admin/budget/{id}", auth.PlanBudget, a.showBudgetLine, noBody},
		{"POST /admin/budget/{id}", auth.PlanBudget, a.saveBudgetLine, text("budget line")},
		{"POST /admin/budget/{id}/delete", auth.PlanBudget, a.deleteBudgetLine, button},
		{"POST /admin/budget/{id}/take", auth.WriteArticle, a.takeBudgetLine, button},
		{"POST /admin/budget/{id}/start", auth.WriteArticle, a.startBudgetStory, button},

		{"GET /admin/sections", auth.ManageSections, a.listSections, noBody},
		{"POST /admin/sections", auth.ManageSections, a.createSection, text("section")},
		{"POST /admin/sections/{id}", auth.ManageSections, a.saveSection, text("section")},
		{"POST /admin/sections/{id}/move", auth.ManageSections, a.moveSection, button},
		{"GET /admin/authors", auth.ManageAuthors, a.listAuthors, noBody},
		{"POST /admin/authors", auth.ManageAuthors, a.createAuthor, text("author")},
		{"POST /admin/authors/{id}", auth.ManageAuthors, a.saveAuthor, text("author")},
		{"GET /admin/tags", auth.ManageTags, a.listTags, noBody},
		{"POST /admin/tags", auth.ManageTags, a.createTag, text("tag")},
		{"POST /admin/tags/{id}", auth.ManageTags, a.saveTag, text("tag")},
		{"GET /admin/top", auth.ManageTopStories, a.showTopStories, noBody},
		{"POST /admin/top", auth.ManageTopStories, a.saveTopStories, text("top stories")},
		// Standing pages: About, Contact, the policies (pages.go).
		{"GET /admin/pages", auth.ManagePages, a.listPages, noBody},
		{"GET /admin/pages/new", auth.ManagePages, a.newStandingPage, noBody},
		{"POST /admin/pages", auth.ManagePages, a.createPage, pageText},
		{"GET /admin/pages/{id}", auth.ManagePages, a.editPage, noBody},
		{"POST /admin/pages/{id}", auth.ManagePages, a.savePage, pageText},
		{"POST /admin/pages/{id}/publish", auth.ManagePages, a.publishPage, pageText},
		{"POST /admin/pages/{id}/unpublish", auth.ManagePages, a.unpublishPage, button},
		{"GET /admin/pages/{id}/revisions", auth.ManagePages, a.listPageRevisions, noBody},
		{"GET /admin/pages/{id}/revisions/{n}", auth.ManagePages, a.showPageRevision, noBody},
		{"POST /admin/pages/{id}/revisions/{n}/restore", auth.ManagePages, a.restorePageRevision, button},

		{"GET /admin/media", auth.UploadMedia, a.listMedia, noBody},
		{"POST /admin/media", auth.UploadMedia, a.uploadMedia, photos},
		{"GET /admin/media/{id}", auth.UploadMedia, a.showMedia, noBody},
		{"POST /admin/media/{id}", auth.EditMedia, a.saveMedia, text("photo details")},
		{"POST /admin/media/{id}/framing", auth.EditMedia, a.saveFraming, text("photo framing")},
		// The body editor's photo dialog (editor_media.go): JSON.
		{"GET /admin/editor/photos", auth.UploadMedia, a.listEditorPhotos, noBody},
		{"POST /admin/editor/photos", auth.UploadMedia, a.uploadEditorPhoto, upload},
		{"POST /admin/editor/photos/{id}/words", auth.UploadMedia, a.fillEditorPhotoWords, text("photo words")},

		{"GET /admin/users", auth.ManageUsers, a.listUsers, noBody},
		{"POST /admin/users", auth.ManageUsers, a.createUser, account("user")},
		{"GET /admin/users/{id}", auth.ManageUsers, a.showUser, noBody},
		{"POST /admin/users/{id}", auth.ManageUsers, a.saveUser, account("user")},
		{"POST /admin/users/{id}/sessions/end", auth.ManageUsers, a.endUserSessions, button},
		{"POST /admin/users/{id}/two-factor/off", auth.ManageUsers, a.turnOffUserTwoFactor, button},
		{"POST /admin/invitations", auth.ManageUsers, a.createInvitation, account("invitation")},
		{"POST /admin/invitations/{id}/revoke", auth.ManageUsers, a.revokeInvitation, button},
		// API tokens (tokens.go): admins, as for accounts.
		{"GET /admin/tokens", auth.ManageUsers, a.listTokens, noBody},
		{"POST /admin/tokens", auth.ManageUsers, a.createToken, text("API token")},
		{"POST /admin/tokens/{id}/revoke", auth.ManageUsers, a.revokeToken, button},
		{"GET /admin/account", auth.ManageOwnAccount, a.showAccount, noBody},
		{"POST /admin/account/password", auth.ManageOwnAccount, a.changePassword, account("password")},
		{"POST /admin/account/sessions/{id}/end", auth.ManageOwnAccount, a.endSession, button},
		{"POST /admin/account/email", auth.ManageOwnAccount, a.requestEmailChange, account("e-mail address")},
		{"GET /admin/account/two-factor", auth.ManageOwnAccount, a.showTwoFactor, noBody},
		{"POST /admin/account/two-factor/start", auth.ManageOwnAccount, a.startTwoFactor, button},
		{"POST /admin/account/two-factor/confirm", auth.ManageOwnAccount, a.confirmTwoFactor, account("code")},
		{"POST /admin/account/two-factor/off", auth.ManageOwnAccount, a.turnOffTwoFactor, account("code")},
		{"POST /admin/account/two-factor/codes", auth.ManageOwnAccount, a.newRecoveryCodes, account("code")},
		{"GET /admin/audit", auth.ViewAudit, a.showAudit, noBody},
		{"GET /admin/settings", auth.ManageSettings, a.showSettings, noBody},
		{"POST /admin/settings", auth.ManageSettings, a.saveSettings, text("settings")},
		{"POST /admin/settings/two-factor", auth.ManageSettings, a.saveTwoFactorSetting, button},
		{"GET /admin/mail", auth.ManageSettings, a.showMailOutbox, noBody},
		// Webhooks (webhooks.go): admins only, as the settings.
		{"GET /admin/webhooks", auth.ManageSettings, a.listWebhooks, noBody},
		{"POST /admin/webhooks", auth.ManageSettings, a.createWebhook, text("webhook endpoint")},
		{"GET /admin/webhooks/{id}", auth.ManageSettings, a.showWebhook, noBody},
		{"POST /admin/webhooks/{id}", auth.ManageSettings, a.saveWebhook, text("webhook endpoint")},
		{"POST /admin/webhooks/{id}/rotate", auth.ManageSettings, a.rotateWebhookSecret, button},
		{"POST /admin/webhooks/{id}/delete", auth.ManageSettings, a.deleteWebhook, button},
		{"GET /admin/webhooks/deliveries/{id}", auth.ManageSettings, a.showDelivery, noBody},
		{"POST /admin/webhooks/deliveries/{id}/resend", auth.ManageSettings, a.resendDelivery, button},

		{"/admin/", signedIn, a.notFound, noBody},
	}
}

// Handler returns the newsroom with every route, behind cross-origin
// request protection (CSRF) and the newsroom's security headers.
func (a *Admin) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range a.routes() {
		h := rt.handler
		if method, _, ok := strings.Cut(rt.pattern, " "); ok && method != http.MethodGet {
			if rt.form.max <= 0 {
				panic("admin: route " + rt.pattern + " takes a body but names no form")
			}
			h = a.withForm(rt.form, h)
		}
		mux.Handle(rt.pattern, a.guard(rt.action, h))
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
