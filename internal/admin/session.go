package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Cookie names. Over HTTPS the __Host- prefix makes the browser refuse the
// cookie unless it is Secure, for the whole host and set by it: no
// subdomain or plain-HTTP page can plant or overwrite it.
const (
	cookieSecure = "__Host-newsdesk_session"
	cookiePlain  = "newsdesk_session"
	deviceSecure = "__Host-newsdesk_device"
	devicePlain  = "newsdesk_device"
)

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

// userOf returns the signed-in user of a request, or nil.
func userOf(r *http.Request) *news.User {
	u, _ := r.Context().Value(userKey).(*news.User)
	return u
}

// sessionOf returns the request's session, or nil.
func sessionOf(r *http.Request) *news.Session {
	s, _ := r.Context().Value(sessionKey).(*news.Session)
	return s
}

// guard runs a handler if the request may perform the route's action:
// public pages for anyone; others need a session, and a role that may.
// Without a session a page leads to the login; anything else is refused.
func (a *Admin) guard(action auth.Action, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if action != public {
			u, sess, err := a.currentUser(r)
			if err != nil {
				a.fail(w, r, err)
				return
			}
			if u == nil {
				if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !wantsJSON(r) {
					http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				a.fail(w, r, news.Errorf(news.EUNAUTHORIZED, "You are not signed in (or your session has ended). Log in and try again."))
				return
			}
			ctx := context.WithValue(context.WithValue(r.Context(), userKey, u), sessionKey, sess)
			r = r.WithContext(ctx)
			if action != signedIn && !auth.Can(u.Role, action) {
				a.fail(w, r, forbidden("Your account (%s) may not do this.", u.Role))
				return
			}
			// The site may require two-factor authentication of admins
			// (twofactor.go): until it is set up, nothing else.
			if due, err := a.twoFactorDue(r, u); err != nil {
				a.fail(w, r, err)
				return
			} else if due {
				if r.Method == http.MethodGet && !wantsJSON(r) {
					http.Redirect(w, r, "/admin/account/two-factor", http.StatusSeeOther)
					return
				}
				a.fail(w, r, forbidden("The site requires two-factor authentication of admins: set it up under Your account first."))
				return
			}
		}
		if err := h(w, r); err != nil {
			a.fail(w, r, err)
		}
	})
}

// currentUser reads the session cookie and returns its account, or nil
// when there is no valid session.
func (a *Admin) currentUser(r *http.Request) (*news.User, *news.Session, error) {
	token := ""
	for _, name := range []string{cookieSecure, cookiePlain} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			token = c.Value
			break
		}
	}
	if token == "" || len(token) > 100 {
		return nil, nil, nil
	}
	now := a.now()
	u, sess, err := a.store.SessionUser(r.Context(), auth.HashToken(token), now, auth.SessionIdle)
	if news.ErrorCode(err) == news.ENOTFOUND {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	// Record use at most once a minute: enough for the idle timeout and
	// the session list, without a write on every request.
	if now.Sub(sess.LastSeen) > time.Minute {
		if err := a.store.TouchSession(r.Context(), sess.ID, now); err != nil {
			a.log.Warn("recording session use failed", "err", err)
		}
	}
	return u, sess, nil
}

// startSession creates a session for u and sets its cookie.
func (a *Admin) startSession(w http.ResponseWriter, r *http.Request, u *news.User) error {
	token, hash := auth.NewToken()
	now := a.now()
	ua := r.UserAgent()
	if len(ua) > 300 {
		ua = ua[:300]
	}
	sess := &news.Session{UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(auth.SessionLifetime),
		Address: a.cfg.Proxies.ClientAddr(r), UserAgent: ua}
	if err := a.store.CreateSession(r.Context(), hash, sess); err != nil {
		return err
	}
	http.SetCookie(w, a.cookie(r, token, int(auth.SessionLifetime/time.Second)))
	return nil
}

// cookie makes the session cookie: HttpOnly so no script can read it,
// SameSite=Lax so other sites' forms do not carry it, Secure and
// __Host- over HTTPS.
func (a *Admin) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	c := &http.Cookie{Name: cookiePlain, Value: value, Path: "/admin/", MaxAge: maxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if a.cfg.Proxies.HTTPS(r) {
		c.Name, c.Path, c.Secure = cookieSecure, "/", true
	}
	return c
}

// deviceCookie makes the device cookie, OWASP's answer to lockouts used
// against the owner: a random token set on every good login, which names
// this browser as one the account has logged in with. It lives past
// logout, opens nothing by itself (the password is still needed), and
// only spares the browser the limits that failures from elsewhere put on
// the account. It works behind NAT and on every instance, since the
// account's known browsers are in the database (known_logins, by the
// token's hash). SameSite=Strict: only the newsroom's own login form
// needs it.
func (a *Admin) deviceCookie(r *http.Request, token string) *http.Cookie {
	c := &http.Cookie{Name: devicePlain, Value: token, Path: "/admin/", MaxAge: int(knownFor / time.Second), HttpOnly: true, SameSite: http.SameSiteStrictMode}
	if a.cfg.Proxies.HTTPS(r) {
		c.Name, c.Path, c.Secure = deviceSecure, "/", true
	}
	return c
}

// deviceToken returns the request's device cookie, or "" when it has none
// that could be one of ours.
func (a *Admin) deviceToken(r *http.Request) string {
	name := devicePlain
	if a.cfg.Proxies.HTTPS(r) {
		name = deviceSecure
	}
	c, err := r.Cookie(name)
	if err != nil || len(c.Value) != 43 {
		return ""
	}
	return c.Value
}

// deviceKey is how a device cookie is known: by its token's hash, so a
// copy of the database holds no cookie to present.
func deviceKey(token string) string { return "device:" + auth.HashToken(token) }

// endCookie removes the session cookie from the browser.
func (a *Admin) endCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, a.cookie(r, "", -1))
}

// safeNext returns where to go after logging in: a newsroom path on this
// site, never another site.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, `\`) &&
		!strings.HasPrefix(next, "/admin/login") {
		if u, err := url.Parse(next); err == nil && u.Host == "" && u.Scheme == "" {
			return next
		}
	}
	return "/admin/"
}

// pathID reads a numeric path value.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.NotFound("no such page: %s", r.URL.Path)
	}
	return id, nil
}

// notFound answers newsroom addresses that do not exist.
func (a *Admin) notFound(w http.ResponseWriter, r *http.Request) error {
	return news.NotFound("There is no newsroom page at %s.", r.URL.Path)
}
