// Package api is the JSON API for apps and other software: read-only,
// public content, the same results the site shows. Every answer is JSON,
// errors included: {"error": {"code": "invalid", "field": "from",
// "message": "..."}} with the status its code maps to.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/cache"
	"github.com/newsdesk/newsdesk/internal/netx"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
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
	// Site is the public site the API answers for: its settings, its
	// bodies with their photo sets, and its page cache, which API answers
	// share (see cached). Nil in tests of search alone: bodies are then
	// as saved, /api/v1/site says only the base address, and nothing is
	// cached in process.
	Site *site.Site
	// Writes is what the write API needs: the media store, the limits,
	// the clock (write.go).
	Writes Writes
}

// API serves /api/v1/...
type API struct {
	cfg    Config
	store  *store.Store
	log    *slog.Logger
	limits *limiter // calls with a token, and writes (limits.go)
	// cache is the site's page cache, which anonymous reads go through
	// (dispatch.go); nil without a site or with the cache off.
	cache *cache.Cache
	// reach asks the database whether it answers, for fail.
	reach pinger
}

// New returns the API over st.
func New(cfg Config, st *store.Store, log *slog.Logger) *API {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 20
	}
	if cfg.Here == nil && cfg.Site != nil {
		cfg.Here = cfg.Site.Here
	}
	a := &API{cfg: cfg, store: st, log: log, limits: newLimiter(cfg.Writes.Limits)}
	a.reach.ping = st.Ping
	if cfg.Site != nil {
		a.cache = cfg.Site.AnswerCache()
	}
	return a
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

// fail answers an error with the status its code maps to. An internal
// error that is the database saying "not now" (a timeout, a lock held too
// long, a lost connection: store.Unavailable), or that comes while the
// database does not answer at all, is 503 with Retry-After (send sets it),
// as the site's pages answer it: an app tries again shortly, and a CDN
// keeps serving what it has (stale-if-error), where a 500 would say the
// request itself was at fault.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := news.ErrorCode(err)
	status := statusOf(code)
	body := errorJSON{Code: code, Message: news.ErrorMessage(err)}
	var ne *news.Error
	if asError(err, &ne) {
		body.Field, body.Message = ne.Field, ne.Message
	}
	if status == http.StatusInternalServerError && a.unavailable(r.Context(), err) {
		a.log.Warn("api request failed: the database is busy or out of reach", "method", r.Method, "path", r.URL.Path,
			"addr", a.cfg.Proxies.ClientAddr(r), "err", err)
		status = http.StatusServiceUnavailable
		body = errorJSON{Code: news.EUNAVAILABLE, Message: "The database is busy or out of reach for a moment: try again in a few seconds."}
	}
	if status == http.StatusInternalServerError {
		a.log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "addr", a.cfg.Proxies.ClientAddr(r), "err", err)
		body = errorJSON{Code: news.EINTERNAL, Message: "Internal error."}
	}
	a.writeJSON(w, r, status, errorBody{Error: body})
}

// unavailable reports whether err, an internal error, is the database's
// being busy or out of reach: the error says so, or a ping fails. A
// request whose client has gone is not pinged for: nobody reads its
// answer, and a client that sends and hangs up must not make pings.
func (a *API) unavailable(ctx context.Context, err error) bool {
	if store.Unavailable(err) {
		return true
	}
	if ctx.Err() != nil {
		return false
	}
	return !a.reach.reachable(ctx)
}

// pinger asks the database whether it answers, one ask at a time: the
// failing requests that come while an ask is on its way wait for its
// answer instead of each asking, so a burst of failures costs one ping
// (held two seconds at most, so that a database that hangs does not hold
// the answers), not one each taking a connection from the pool.
type pinger struct {
	ping func(context.Context) error
	mu   sync.Mutex
	cur  *pingCall // the ask on its way, nil when none is
}

type pingCall struct {
	done chan struct{}
	err  error
}

// reachable reports whether the database answers: the answer of the ask
// on its way, or of one it starts. A caller whose ctx ends first is told
// yes (its client has gone; the ask goes on for those who wait).
func (p *pinger) reachable(ctx context.Context) bool {
	p.mu.Lock()
	c := p.cur
	if c == nil {
		c = &pingCall{done: make(chan struct{})}
		p.cur = c
		go func() {
			pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			c.err = p.ping(pctx)
			p.mu.Lock()
			p.cur = nil
			p.mu.Unlock()
			close(c.done)
		}()
	}
	p.mu.Unlock()
	select {
	case <-c.done:
		return c.err == nil
	case <-ctx.Done():
		return true
	}
}

// statusOf maps a domain error code to an HTTP status.
func statusOf(code string) int { return news.HTTPStatus(&news.Error{Code: code}) }

// writeJSON answers v as JSON with no surrogate keys: an answer that a
// CDN keeps no longer than a browser does (a search depends on every
// article). See send for the rest.
func (a *API) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	a.send(w, r, status, "application/json; charset=utf-8", v, nil)
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
