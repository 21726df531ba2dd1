// Package api is the JSON API for apps and other software: read-only,
// public content, the same results the site shows. Every answer is JSON,
// errors included: {"error": {"code": "invalid", "field": "from",
// "message": "..."}} with the status its code maps to.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/newsdesk/newsdesk/internal/netx"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Config is what the API needs to know.
type Config struct {
	// BaseURL is the site's primary address: links in answers are
	// absolute, on it, unless Here names another.
	BaseURL *url.URL
	// Here, when set, returns the site's address a request came through
	// ("https://mirror.example.net"), so that an app reading the API on a
	// mirror is sent on to pages on that mirror; "" means the primary.
	// The site's host matching (site.Site.WithHosts) provides it.
	Here func(context.Context) string
	// PageSize is how many results a page has unless per_page says
	// otherwise; 0 for 20.
	PageSize int
	// Proxies are the reverse proxies whose forwarding headers are
	// believed, as everywhere in the program: logs name the client.
	Proxies netx.Proxies
}

// API serves /api/v1/...
type API struct {
	cfg   Config
	store *store.Store
	log   *slog.Logger
}

// New returns the API over st.
func New(cfg Config, st *store.Store, log *slog.Logger) *API {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 20
	}
	return &API{cfg: cfg, store: st, log: log}
}

// handlerFunc is a handler that returns its error to one place.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: a domain error becomes its status and a JSON
// error body; an internal error is logged once and never shown.
func (a *API) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			a.fail(w, r, err)
		}
	})
}

// errorBody is the JSON of an error answer.
type errorBody struct {
	Error errorJSON `json:"error"`
}

type errorJSON struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// fail answers an error with the status its code maps to.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := news.ErrorCode(err)
	status := statusOf(code)
	body := errorJSON{Code: code, Message: news.ErrorMessage(err)}
	var ne *news.Error
	if asError(err, &ne) {
		body.Field, body.Message = ne.Field, ne.Message
	}
	if status == http.StatusInternalServerError {
		a.log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "addr", a.cfg.Proxies.ClientAddr(r), "err", err)
		body = errorJSON{Code: news.EINTERNAL, Message: "Internal error."}
	}
	a.writeJSON(w, r, status, errorBody{Error: body})
}

// statusOf maps a domain error code to an HTTP status.
func statusOf(code string) int { return news.HTTPStatus(&news.Error{Code: code}) }

// writeJSON encodes v first, so an encoding error becomes a clean 500.
// Public answers may be cached for a minute and read from any origin: the
// API has no cookies and nothing private.
func (a *API) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		a.log.Error("api: encoding an answer", "path", r.URL.Path, "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"Internal error."}}` + "\n")
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Access-Control-Allow-Origin", "*")
	switch {
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		// An answer to a write is for the writer alone.
		h.Set("Cache-Control", "private, no-store")
	case status < 500:
		// Reads name no surrogate keys (a search depends on every
		// article), so a CDN keeps them no longer than a browser does.
		h.Set("Cache-Control", "public, max-age=60")
	default:
		h.Set("Cache-Control", "no-store")
	}
	if status == http.StatusServiceUnavailable {
		h.Set("Retry-After", "10")
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// abs returns the absolute URL of a site path on the address the request
// came through.
func (a *API) abs(ctx context.Context, path string) string {
	if a.cfg.Here != nil {
		if base := a.cfg.Here(ctx); base != "" {
			return base + path
		}
	}
	return strings.TrimSuffix(a.cfg.BaseURL.String(), "/") + path
}
