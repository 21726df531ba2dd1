package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
)

// Tokens: a request carries `Authorization: Bearer nd_...` (RFC 6750). The
// token is looked up in the database on every request, with its creator's
// account as it is now, so a token revoked, an account disabled or a role
// lowered on any instance is refused by every instance at once; nothing
// about a token is cached in process. A token acts for its creator: what
// it may do is what its scopes open and its creator's role allows
// (auth.TokenCan).

// caller is who a request with a valid token acts as.
type caller struct {
	token *news.APIToken
	user  *news.User
}

// actor is the caller as the newsroom's rules see it.
func (c *caller) actor() newsroom.Actor { return newsroom.Actor{User: c.user, Token: c.token} }

type callerKey struct{}

// callerOf returns the request's caller, nil when it carries no token.
func callerOf(r *http.Request) *caller {
	c, _ := r.Context().Value(callerKey{}).(*caller)
	return c
}

// authError is a refusal of the request's credentials or of what they
// allow, answered with its own status and code and, for 401 and a missing
// scope, the WWW-Authenticate challenge RFC 6750 asks for.
type authError struct {
	status  int
	code    string // stable: "unauthorized", "invalid_token", "token_expired", "token_revoked", "insufficient_scope", ...
	message string
	scope   news.Scope // the scope missing, for insufficient_scope
}

func (e *authError) Error() string { return e.message }

// challenge is the WWW-Authenticate header of the refusal.
func (e *authError) challenge() string {
	switch {
	case e.code == "insufficient_scope":
		return `Bearer realm="newsdesk", error="insufficient_scope", scope="` + string(e.scope) + `"`
	case e.status == http.StatusUnauthorized && e.code != "unauthorized":
		return `Bearer realm="newsdesk", error="invalid_token"`
	case e.status == http.StatusUnauthorized:
		return `Bearer realm="newsdesk"`
	}
	return ""
}

// refuse answers an authError.
func (a *API) refuse(w http.ResponseWriter, r *http.Request, e *authError) {
	if c := e.challenge(); c != "" {
		w.Header().Set("WWW-Authenticate", c)
	}
	a.writeJSON(w, r, e.status, errorBody{Error: errorJSON{Code: e.code, Message: e.message}})
}

// authenticate reads the request's token, if it carries one, and puts its
// caller in the request's context; a token that is malformed, unknown,
// expired or revoked, or whose account is disabled, is refused with 401
// whatever the address, reads included. Requests with credentials, and
// every write, also pay into the limits (limits.go): those without, the
// public reads, are the CDN's and the page cache's to absorb.
func (a *API) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		read := r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions
		if h == "" && read {
			next.ServeHTTP(w, r)
			return
		}
		if !a.limits.allow(w, "addr "+clientKey(a.cfg.Proxies.ClientAddr(r))) {
			a.tooMany(w, r)
			return
		}
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		c, err := a.callerFor(r.Context(), h)
		if err != nil {
			if ae, ok := err.(*authError); ok {
				a.refuse(w, r, ae)
			} else {
				a.fail(w, r, err)
			}
			return
		}
		if !a.limits.allow(w, "token "+strconv.FormatInt(c.token.ID, 10)) {
			a.tooMany(w, r)
			return
		}
		if _, err := a.store.TouchAPIToken(r.Context(), c.token.ID, a.now()); err != nil {
			// The last use is a convenience: a failure to write it
			// refuses nothing.
			a.log.Warn("api: recording a token's use", "token", c.token.ID, "err", err)
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	})
}

// callerFor checks an Authorization header's bearer token against the
// database.
func (a *API) callerFor(ctx context.Context, header string) (*caller, error) {
	scheme, secret, _ := strings.Cut(header, " ")
	secret = strings.TrimSpace(secret)
	if !strings.EqualFold(scheme, "Bearer") || !auth.IsAPIToken(secret) {
		return nil, &authError{status: http.StatusUnauthorized, code: "invalid_token",
			message: "the Authorization header is not `Bearer nd_...` with an API token"}
	}
	t, u, err := a.store.APITokenBySecret(ctx, auth.HashToken(secret))
	if news.ErrorCode(err) == news.ENOTFOUND {
		return nil, &authError{status: http.StatusUnauthorized, code: "invalid_token", message: "the API token is not known"}
	} else if err != nil {
		return nil, err
	}
	// The API's clock (Writes.Now), so a test can pass an expiry without
	// waiting for it.
	switch t.State(a.now()) {
	case news.TokenRevoked:
		return nil, &authError{status: http.StatusUnauthorized, code: "token_revoked", message: "the API token " + t.Name + " was revoked"}
	case news.TokenExpired:
		return nil, &authError{status: http.StatusUnauthorized, code: "token_expired", message: "the API token " + t.Name + " has expired"}
	}
	if u.Disabled {
		return nil, &authError{status: http.StatusUnauthorized, code: "invalid_token", message: "the account the API token acts for is disabled"}
	}
	return &caller{token: t, user: u}, nil
}

// need returns the request's caller when its token may perform act under
// scope s: 401 without a token, 403 "insufficient_scope" when the token
// lacks s, 403 "forbidden" when its creator's role does not allow act.
func need(r *http.Request, s news.Scope, act auth.Action) (*caller, error) {
	c := callerOf(r)
	if c == nil {
		return nil, &authError{status: http.StatusUnauthorized, code: "unauthorized",
			message: "this needs an API token: send Authorization: Bearer nd_..."}
	}
	if !c.token.Has(s) {
		return nil, &authError{status: http.StatusForbidden, code: "insufficient_scope", scope: s,
			message: "the API token " + c.token.Name + " does not have the scope " + string(s)}
	}
	if !auth.TokenCan(c.token, c.user, s, act) {
		return nil, &authError{status: http.StatusForbidden, code: news.EFORBIDDEN,
			message: "the account " + c.user.Name + " that the token acts for may not do this (role " + string(c.user.Role) + ")"}
	}
	return c, nil
}

// canReadDraftsToken reports whether the request's token may read stories
// that are not public: it has read:drafts, and its creator may see every
// article in the newsroom (an editor or admin: a contributor sees only
// their own there, and the API has no per-story rule for that).
// canReadDrafts (articles.go) asks it.
func canReadDraftsToken(r *http.Request) bool {
	c := callerOf(r)
	return c != nil && auth.TokenCan(c.token, c.user, news.ScopeReadDrafts, auth.ViewDesk) && auth.Can(c.user.Role, auth.EditAnyArticle)
}
