// Package admin is the newsroom: where reporters write and file stories and
// editors check, publish and correct them, at /admin/. Pages are rendered on
// the server and work without JavaScript; admin.js adds autosave, the live
// preview and the editor's toolbar. Every route names the one action it
// performs (routes.go), and internal/auth decides who may perform it.
package admin

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/cache"
	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/netx"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/web"
)

// Config is what the newsroom needs to know from the operator.
type Config struct {
	BaseURL  *url.URL     // the site's primary address: links in setup and invitation messages
	SiteName string       // the publication's name
	Proxies  netx.Proxies // reverse proxies whose forwarding headers are believed
	// Location is the time zone until the newsroom sets one in its
	// settings (news.SettingTimeZone), which then wins; default UTC.
	Location *time.Location
	// Changed is called after every committed change that readers can see,
	// so the public page cache is fresh at once (site.Site.Changed).
	Changed func()
	// Limits bound uploaded photos; zero fields take media's defaults.
	Limits media.Limits
	// SchedulerInterval is how often due articles are looked for; default 1s.
	SchedulerInterval time.Duration
	// Login bounds the password checks logins make (login.go).
	Login LoginLimits
	// Preview renders an article's public page before it is published
	// (site.Site.RenderPreview): the editor's preview (preview.go).
	Preview func(ctx context.Context, a *news.Article, banner string) (*site.Preview, error)
	// WebhookAllowPrivate lets admins register webhook endpoints on this
	// machine and local networks (serve --webhook-allow-private).
	WebhookAllowPrivate bool
	// Mail sends email (serve --smtp); nil when mail is not configured.
	// Mail is never sent from a request: it goes through the outbox
	// (store.EnqueueMail), and only while this is set.
	Mail mail.Sender
}

// Admin serves the newsroom.
type Admin struct {
	cfg      Config
	store    *store.Store
	media    *media.Store
	log      *slog.Logger
	throttle *auth.Throttle
	gate     *loginGate
	pages    map[string]*template.Template
	assets   map[string]asset
	css, js  string // hashed URL paths of admin.css and admin.js
	editorJS string // and of editor.js, the body editor, loaded by the editor's page only
	cropJS   string // and of crop.js, the photo page's framing by dragging
	presJS   string // and of presence.js, the editor's heartbeat (who is editing)
	bufs     sync.Pool
	now      func() time.Time
	// zone is the site's time zone as last read from the settings
	// (location): the templates' "when" and "zone" show times in it.
	zone atomic.Pointer[time.Location]
}

type asset struct {
	body        []byte
	gzipped     []byte // body compressed once, for browsers that take gzip
	contentType string
}

// New builds the newsroom: templates parsed and assets hashed once.
func New(cfg Config, st *store.Store, ms *media.Store, log *slog.Logger) (*Admin, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Changed == nil {
		cfg.Changed = func() {}
	}
	if cfg.SchedulerInterval <= 0 {
		cfg.SchedulerInterval = time.Second
	}
	if cfg.SiteName == "" {
		cfg.SiteName = "Newsdesk"
	}
	a := &Admin{cfg: cfg, store: st, media: ms, log: log, throttle: auth.NewThrottle(st), gate: cfg.Login.gate(), assets: map[string]asset{}, now: time.Now}
	a.bufs.New = func() any { return new(bytes.Buffer) }
	if err := a.loadAssets(); err != nil {
		return nil, err
	}
	if err := a.parseTemplates(); err != nil {
		return nil, err
	}
	return a, nil
}

// loadAssets hashes admin.css, admin.js and editor.js into their names, so
// they are cached for a year and still change at once.
func (a *Admin) loadAssets() error {
	for _, name := range []string{"admin.css", "admin.js", "editor.js", "crop.js", "presence.js"} {
		body, err := web.Static.ReadFile("static/" + name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		ct := "text/css; charset=utf-8"
		if ext == ".js" {
			ct = "text/javascript; charset=utf-8"
		}
		// The editor's bundle is 430 KB, 145 KB gzipped: compressed once
		// here, not per request.
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(body)
		if err := zw.Close(); err != nil {
			return err
		}
		a.assets[hashed] = asset{body: body, gzipped: gz.Bytes(), contentType: ct}
		switch {
		case name == "editor.js":
			a.editorJS = "/admin/static/" + hashed
		case name == "crop.js":
			a.cropJS = "/admin/static/" + hashed
		case name == "presence.js":
			a.presJS = "/admin/static/" + hashed
		case ext == ".js":
			a.js = "/admin/static/" + hashed
		default:
			a.css = "/admin/static/" + hashed
		}
	}
	return nil
}

// parseTemplates parses admin/layout.html and the partials (parts.html and
// parts_*.html) with each page of templates/admin/.
func (a *Admin) parseTemplates() error {
	a.pages = map[string]*template.Template{}
	base, err := template.New("layout.html").Funcs(a.funcs()).ParseFS(web.Templates, "templates/admin/layout.html", "templates/admin/parts*.html")
	if err != nil {
		return err
	}
	files, err := fs.Glob(web.Templates, "templates/admin/*.html")
	if err != nil {
		return err
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "parts" || strings.HasPrefix(name, "parts_") {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(web.Templates, f); err != nil {
			return err
		}
		a.pages[name] = t
	}
	return nil
}

func (a *Admin) funcs() template.FuncMap {
	return template.FuncMap{
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(a.loc()).Format("2 Jan 2006, 15:04")
		},
		"datetime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"can": func(u *news.User, action string) bool {
			return u != nil && auth.Can(u.Role, auth.Action(action))
		},
		// thumb is a photo's smallest public variant, for lists.
		"thumb": func(m news.Media) *media.Variant {
			if vs := media.Variants(m); len(vs) > 0 {
				return &vs[0]
			}
			return nil
		},
		"add":        func(x, y int) int { return x + y },
		"list":       func(s ...string) []string { return s },
		"hasPrefix":  strings.HasPrefix,
		"trimPrefix": strings.TrimPrefix,
		"zone":       func() string { return a.loc().String() },
	}
}

// page is what the layout needs on every page.
type page struct {
	Title    string
	SiteName string
	User     *news.User
	CSS, JS  string
	EditorJS string // the body editor's script, for the pages that have the editor
	Nav      []navLink
	Flash    string // a message after a redirect: "Saved."
	Error    string // what was wrong with the form just sent
	Field    string // the form field it concerns, for focus
	Unread   int    // the signed-in account's unread notifications (the bell)
}

type navLink struct {
	Name    string
	URL     string
	Current bool
}

// newPage fills the layout's parts: the navigation shows only what the
// user's role may open.
func (a *Admin) newPage(r *http.Request, title string) page {
	p := page{Title: title, SiteName: a.cfg.SiteName, User: userOf(r), CSS: a.css, JS: a.js, EditorJS: a.editorJS, Flash: flashes[r.URL.Query().Get("done")]}
	if p.User == nil {
		return p
	}
	// The bell: one count on an index (notifications.go). A failure
	// leaves it at 0 rather than failing the page.
	if n, err := a.store.UnreadNotifications(r.Context(), p.User.ID); err == nil {
		p.Unread = n
	} else {
		a.log.Warn("counting notifications failed", "err", err)
	}
	links := []struct {
		name, url string
		action    auth.Action
	}{
		{"Desk", "/admin/", auth.ViewDesk},
		{"Budget", "/admin/budget", auth.ViewDesk},
		{"Articles", "/admin/articles", auth.ViewDesk},
		{"Search", "/admin/search", auth.ViewDesk},
		{"New article", "/admin/articles/new", auth.WriteArticle},
		{"Photos", "/admin/media", auth.UploadMedia},
		{"Top stories", "/admin/top", auth.ManageTopStories},
		{"Sections", "/admin/sections", auth.ManageSections},
		{"Authors", "/admin/authors", auth.ManageAuthors},
		{"Tags", "/admin/tags", auth.ManageTags},
		{"Pages", "/admin/pages", auth.ManagePages},
		{"Users", "/admin/users", auth.ManageUsers},
		{"Audit log", "/admin/audit", auth.ViewAudit},
		{"Settings", "/admin/settings", auth.ManageSettings},
		{"Webhooks", "/admin/webhooks", auth.ManageSettings},
		{"API tokens", "/admin/tokens", auth.ManageUsers},
		{"Account", "/admin/account", auth.ManageOwnAccount},
	}
	for _, l := range links {
		if !auth.Can(p.User.Role, l.action) {
			continue
		}
		cur := r.URL.Path == l.url || (l.url != "/admin/" && strings.HasPrefix(r.URL.Path, l.url+"/") && l.url != "/admin/articles")
		if l.url == "/admin/articles" {
			cur = r.URL.Path == l.url || (strings.HasPrefix(r.URL.Path, "/admin/articles/") && r.URL.Path != "/admin/articles/new")
		}
		p.Nav = append(p.Nav, navLink{Name: l.name, URL: l.url, Current: cur})
	}
	return p
}

// flashes are the messages a redirect can ask for with ?done=: a fixed
// list, so a link cannot put words in the newsroom's mouth.
var flashes = map[string]string{
	"saved":         "Saved.",
	"created":       "Created.",
	"submitted":     "Submitted for review. An editor will take it from here.",
	"published":     "Published. It is on the site now.",
	"scheduled":     "Scheduled.",
	"unpublished":   "Taken back: it is a draft again and no longer on the site.",
	"corrected":     "Correction added. It is on the site now.",
	"restored":      "Restored as a new revision.",
	"uploaded":      "Photo added to the library.",
	"duplicate":     "This photo is in the library already; here it is.",
	"password":      "Password changed. Your other sessions have ended.",
	"ended":         "Session ended.",
	"top":           "Top stories saved.",
	"discarded":     "Autosaved text discarded.",
	"revoked":       "Preview link revoked: it no longer opens.",
	"resent":        "It is sent again now, with the same webhook-id.",
	"token-revoked": "Token revoked: whatever used it is refused from now on.",
	// The story budget and who is editing (budget.go, presence.go).
	"budget-added":   "Added to the budget.",
	"budget-saved":   "Budget line saved.",
	"budget-deleted": "Deleted from the budget.",
	"budget-taken":   "The story is yours now.",
	"started":        "Story started from its budget line.",
	"taken-over":     "You have taken this story over: whoever was editing it is told.",
	// Working together (notes.go, notifications.go).
	"noted":            "Note added.",
	"sent-back":        "Sent back to its writer, with your note.",
	"embargo":          "Embargo saved.",
	"update-scheduled": "Update scheduled: the published text is replaced at that time.",
	"update-cancelled": "Scheduled update cancelled.",
	"read":             "Marked read.",
}

// render executes a page into a buffer first, so a template error is a
// clean 500 rather than half a page.
func (a *Admin) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := a.pages[name]
	if !ok {
		return fmt.Errorf("admin: no template %q", name)
	}
	// The times on the page are in the zone the settings say now, which
	// another instance may have changed.
	a.location(r.Context())
	buf := a.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer a.bufs.Put(buf)
	if err := t.ExecuteTemplate(buf, "layout.html", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
	return nil
}

// writeJSON answers the script's requests.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// handlerFunc is a handler that returns its error to one place.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// statusOf maps a domain error kind to an HTTP status; a body the form
// reader refused carries its own (413, 415 or 400).
func statusOf(err error) int {
	var fe *formError
	if errors.As(err, &fe) {
		return fe.status
	}
	return news.HTTPStatus(err)
}

type errorView struct {
	page
	Status  int
	Heading string
	Message string
	Back    string // the editor a refused article form came from
}

// logPath is a request's path for the log: the route's pattern when the
// path holds a one-time link's token (a reset, an address change, an
// invitation), which would work for whoever read the log.
func logPath(r *http.Request) string {
	if _, path, ok := strings.Cut(r.Pattern, " "); ok && strings.Contains(path, "{token}") {
		return path
	}
	return r.URL.Path
}

// fail answers an error: its kind gives the status; internal errors are
// logged once and never shown. The script's endpoints get JSON.
func (a *Admin) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	msg := news.ErrorMessage(err)
	if isGone(err) || (status >= 500 && r.Context().Err() != nil) {
		// The client went away (a tab closed while its autosave was on
		// its way, say): the request failed because it was abandoned, not
		// because anything is wrong here, and nobody is left to answer.
		a.log.Info("client went away", "method", r.Method, "path", logPath(r))
		return
	}
	if status >= 500 {
		if a.store.Ping(r.Context()) != nil {
			status = http.StatusServiceUnavailable
			w.Header().Set("Retry-After", "10")
		}
		a.log.Error("admin request failed", "method", r.Method, "path", logPath(r), "err", err)
		msg = "Something went wrong on our side; nothing was changed. Try again in a moment."
	}
	if wantsJSON(r) {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	v := &errorView{page: a.newPage(r, http.StatusText(status)), Status: status, Message: msg}
	if fe := (*formError)(nil); errors.As(err, &fe) {
		v.Back = fe.back
	}
	switch status {
	case http.StatusNotFound:
		v.Heading = "Not found"
	case http.StatusForbidden:
		v.Heading = "Not allowed"
		if msg == "" || news.ErrorCode(err) != news.EFORBIDDEN {
			v.Message = "Your account may not do this."
		}
	case http.StatusConflict:
		v.Heading = "Changed meanwhile"
	case http.StatusBadRequest:
		v.Heading = "That did not work"
	case http.StatusRequestEntityTooLarge:
		v.Heading = "Too large: nothing was saved"
	case http.StatusUnsupportedMediaType:
		v.Heading = "Not a form: nothing was saved"
	default:
		v.Heading = "Something went wrong"
	}
	if rerr := a.render(w, r, status, "error", v); rerr != nil {
		a.log.Error("rendering the error page failed", "err", rerr)
		http.Error(w, http.StatusText(status), status)
	}
}

// wantsJSON tells the script's requests from a browser's navigation.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// forbidden is the error for an action the user's role or relation to the
// thing does not allow.
func forbidden(format string, args ...any) error {
	return news.Errorf(news.EFORBIDDEN, format, args...)
}

// changed tells the public site that something it shows was committed.
func (a *Admin) changed() { a.cfg.Changed() }

// location returns the site's time zone, read from the settings now: the
// newsroom shows times and reads the schedule field in it. It is one small
// query, made per request rather than kept, so a change made on another
// instance holds here at once. A zone that cannot be read (the database is
// out of reach, or a name stored by hand is no zone) leaves the last one
// read, or Config.Location.
func (a *Admin) location(ctx context.Context) *time.Location {
	v, err := a.store.Setting(ctx, news.SettingTimeZone)
	if err != nil {
		return a.loc()
	}
	// The zone last read, while its name is unchanged: loading a zone
	// reads and parses its data each time.
	if cur := a.zone.Load(); cur != nil && v != "" && cur.String() == v {
		return cur
	}
	loc := a.cfg.Location
	if v != "" {
		if l, err := news.ParseTimeZone(news.SettingTimeZone, v); err == nil {
			loc = l
		}
	}
	a.zone.Store(loc)
	return loc
}

// loc is the time zone location last read, for the templates' functions,
// which have no request to read it with (render reads it first).
func (a *Admin) loc() *time.Location {
	if l := a.zone.Load(); l != nil {
		return l
	}
	return a.cfg.Location
}

// audit records an entry; callers run it inside the change's transaction.
func audit(ctx context.Context, tx *store.Store, u *news.User, action, target, detail string) error {
	e := &news.AuditEntry{Action: action, Target: target, Detail: detail}
	if u != nil {
		e.UserID, e.UserName = u.ID, u.Name
	}
	return tx.Audit(ctx, e)
}

// showAsset serves admin.css and admin.js under their hashed names.
func (a *Admin) showAsset(w http.ResponseWriter, r *http.Request) error {
	as, ok := a.assets[r.PathValue("name")]
	if !ok {
		return news.NotFound("no asset %s", r.URL.Path)
	}
	w.Header().Set("Content-Type", as.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Vary", "Accept-Encoding")
	body := as.body
	if cache.Accepts(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		body = as.gzipped
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return nil
}

// trustedHTML marks HTML made by markup.Render (rendered and sanitized) as
// safe to put in a page.
func trustedHTML(s string) template.HTML { return template.HTML(s) }
