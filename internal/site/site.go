// Package site is the public website: the home page, section fronts,
// articles, tag and author pages, and what crawlers read. Handlers load from
// the store, build a typed view model, and render one template.
package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/cache"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/web"
)

// Site serves the public website.
type Site struct {
	cfg    Config
	store  *store.Store
	media  *media.Store
	log    *slog.Logger
	pages  map[string]*template.Template // by page name: "home", "article", ...
	assets map[string]asset              // by hashed name: "style.3f2a1c9e.css"
	css    string                        // the stylesheet's hashed URL path
	icon   string                        // the favicon's hashed URL path
	embed  string                        // the embed cards' script's hashed URL path
	bufs   sync.Pool
	cache  *cache.Cache
	dist   distribution // settings, and the WebSub announcer: see settings.go
	purge  purgeHook    // tells a CDN what changed: see purge.go
	hosts  hostTable    // the addresses given by flags: see hosts.go
	memo   memo         // the section tree and feeds' articles: see memo.go
	// started is when this Site was made: /mirrors.json's "updated" when
	// the addresses come from flags alone.
	started time.Time
}

// asset is one static file, held in memory under its hashed name.
type asset struct {
	body        []byte
	contentType string
}

// New builds the public site: templates parsed and assets hashed once, here.
func New(cfg Config, st *store.Store, ms *media.Store, log *slog.Logger) (*Site, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Site{cfg: cfg, store: st, media: ms, log: log, assets: map[string]asset{}, started: time.Now()}
	s.bufs.New = func() any { return new(bytes.Buffer) }
	// Pages are cached under the parameters of their lists ("after",
	// "page"); search answers do not go through the cache (routes.go).
	s.cache = cache.New(cfg.CacheBytes, "after", "page")
	// ... and under the address it was asked for (see hosts.go).
	s.hosts = newHostTable(cfg)
	s.cache.VaryBy(s.cacheVariant)
	if err := s.loadAssets(); err != nil {
		return nil, err
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

// loadAssets reads the embedded static files and names each by its content
// hash, so they can be cached for a year and still change at once.
func (s *Site) loadAssets() error {
	return fs.WalkDir(web.Static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := web.Static.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		ct := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
			".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".woff2": "font/woff2"}[ext]
		if ct == "" {
			ct = "application/octet-stream"
		}
		s.assets[hashed] = asset{body: body, contentType: ct}
		if name == "style.css" {
			s.css = "/static/" + hashed
		}
		if name == "icon.svg" {
			s.icon = "/static/" + hashed
		}
		if name == "embed.js" {
			s.embed = "/static/" + hashed
		}
		return nil
	})
}

// parseTemplates parses layout.html with each page's template, once.
func (s *Site) parseTemplates() error {
	s.pages = map[string]*template.Template{}
	base, err := template.New("layout.html").Funcs(s.funcs()).ParseFS(web.Templates, "templates/layout.html", "templates/parts.html")
	if err != nil {
		return err
	}
	// Every other file in templates/ is a page: "article.html" is the page
	// "article", rendered through layout.html.
	files, err := fs.Glob(web.Templates, "templates/*.html")
	if err != nil {
		return err
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "parts" {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(web.Templates, f); err != nil {
			return err
		}
		s.pages[name] = t
	}
	return nil
}

// render executes a page template into a buffer first, so a template error
// becomes a clean 500 instead of half a page. The page names no surrogate
// keys (see renderKeyed), so a CDN keeps it briefly.
func (s *Site) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	return s.renderKeyed(w, r, status, name, data, nil)
}

// renderKeyed is render for a page that names what it shows in k (see
// keys.go). Every HTML page also shows the navigation and the settings,
// under news.KeyLayout; a not-found page is kept under news.KeyMissing.
func (s *Site) renderKeyed(w http.ResponseWriter, r *http.Request, status int, name string, data any, k *pageKeys) error {
	pd, ok := data.(pageData)
	if !ok {
		return fmt.Errorf("render %s: %T is not a page view", name, data)
	}
	pd.base().finish()
	buf := s.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer s.bufs.Put(buf)
	if err := s.pages[name].ExecuteTemplate(buf, "layout.html", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	switch status {
	case http.StatusOK:
	case http.StatusNotFound, http.StatusGone:
		k = newPageKeys(news.KeyMissing)
	default:
		k = nil // a bad request: not worth keeping
	}
	if k != nil {
		k.add(news.KeyLayout, news.KeySite)
	}
	s.cacheHeaders(h, status, k)
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
	return nil
}

// handlerFunc is a handler that returns its error to one place, which
// answers it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: domain errors become their status and the
// designed error page; internal errors are logged once and never shown.
func (s *Site) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// fail answers an error with the status its kind maps to.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	msg := news.ErrorMessage(err)
	if status == http.StatusInternalServerError && s.store.Ping(r.Context()) != nil {
		// Not a bug: the database is out of reach. Say so, and when to
		// come back; cached pages are still being served.
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "10")
	}
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "addr", s.cfg.Proxies.ClientAddr(r), "err", err)
		msg = ""
	}
	data := s.errorPage(r.Context(), status, msg)
	if rerr := s.render(w, r, status, "error", data); rerr != nil {
		s.log.Error("rendering the error page failed", "err", rerr)
		http.Error(w, http.StatusText(status), status)
	}
}

// statusOf maps a domain error kind to an HTTP status.
func statusOf(err error) int { return news.HTTPStatus(err) }

// errorPage builds the view of the 404 and 500 pages. It must not fail: when
// the database is down, the page is still shown, without navigation.
func (s *Site) errorPage(ctx context.Context, status int, msg string) *errorView {
	v := &errorView{Status: status, Message: msg}
	v.page = s.newPage(ctx, "", http.StatusText(status))
	v.Robots = "noindex"
	switch status {
	case http.StatusNotFound:
		v.Title = "Page not found"
		v.Heading = "We could not find that page"
	case http.StatusGone:
		v.Title = "Story withdrawn"
		v.Heading = "This story was withdrawn"
	case http.StatusBadRequest:
		v.Title = "Bad request"
		v.Heading = "That address is not quite right"
	case http.StatusServiceUnavailable:
		v.Title = "Temporarily unavailable"
		v.Heading = "This page is temporarily unavailable"
	default:
		v.Title = "Something went wrong"
		v.Heading = "Something went wrong on our side"
	}
	return v
}
