package admin

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

type loginView struct {
	page
	Email string
	Next  string
}

// badLogin is the one message for a wrong password, an unknown address and
// a disabled account, so the form does not tell who has an account.
const badLogin = "Wrong e-mail address or password."

func (a *Admin) showLogin(w http.ResponseWriter, r *http.Request) error {
	if u, _, err := a.currentUser(r); err == nil && u != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	v := &loginView{page: a.newPage(r, "Log in"), Next: safeNext(r.URL.Query().Get("next"))}
	return a.render(w, r, http.StatusOK, "login", v)
}

// login checks a password. Attempts are throttled per account and per
// client address, in memory and in the database, before any password is
// checked.
func (a *Admin) login(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return news.Invalid("form", "could not be read")
	}
	ctx := r.Context()
	email := news.NormalizeEmail(r.PostForm.Get("email"))
	pw := r.PostForm.Get("password")
	addr := a.cfg.Proxies.ClientAddr(r)
	v := &loginView{page: a.newPage(r, "Log in"), Email: email, Next: safeNext(r.PostForm.Get("next"))}
	if len(email) > news.MaxEmail || len(pw) > 4*news.MaxPassword {
		v.Error = badLogin
		return a.render(w, r, http.StatusUnauthorized, "login", v)
	}

	ok, retry, err := a.throttle.Allow(ctx, email, addr)
	if err != nil {
		a.log.Warn("login throttle: reading failures from the database failed", "err", err)
	}
	if !ok {
		a.log.Warn("login throttled", "email", email, "addr", addr)
		w.Header().Set("Retry-After", strconv.Itoa(int(retry/time.Second)))
		v.Error = "Too many failed attempts. Wait a quarter of an hour, then try again."
		return a.render(w, r, http.StatusTooManyRequests, "login", v)
	}

	u, err := a.store.UserByEmail(ctx, email)
	if err != nil && news.ErrorCode(err) != news.ENOTFOUND {
		return err
	}
	good, rehash := false, false
	if u != nil {
		good, rehash = auth.CheckPassword(u.PasswordHash, pw)
	} else {
		auth.WasteTime(pw)
	}
	if !good || u.Disabled {
		if err := a.throttle.Fail(ctx, email, addr); err != nil {
			a.log.Warn("login throttle: recording a failure failed", "err", err)
		}
		a.log.Info("login failed", "email", email, "addr", addr)
		v.Error = badLogin
		return a.render(w, r, http.StatusUnauthorized, "login", v)
	}
	if err := a.throttle.Succeed(ctx, email); err != nil {
		a.log.Warn("login throttle: clearing failures failed", "err", err)
	}
	if rehash {
		if err := a.store.RehashPassword(ctx, u.ID, auth.HashPassword(pw)); err != nil {
			a.log.Warn("upgrading a password hash failed", "user", u.ID, "err", err)
		}
	}
	if err := a.startSession(w, r, u); err != nil {
		return err
	}
	a.log.Info("login", "user", u.ID, "addr", addr)
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
	return nil
}

// logout ends the session in the database, not only in the browser.
func (a *Admin) logout(w http.ResponseWriter, r *http.Request) error {
	for _, name := range []string{cookieSecure, cookiePlain} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			if err := a.store.DeleteSessionByToken(r.Context(), auth.HashToken(c.Value)); err != nil {
				return err
			}
		}
	}
	a.endCookie(w, r)
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

// SetupLink returns a one-time link that creates the first admin, valid
// for an hour, when no account exists; "" otherwise. serve logs it.
func (a *Admin) SetupLink(ctx context.Context) (string, error) {
	n, err := a.store.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	token, hash := auth.NewToken()
	now := a.now()
	inv := &news.Invitation{Role: news.Admin, Setup: true, CreatedAt: now, ExpiresAt: now.Add(auth.SetupLifetime)}
	if err := a.store.CreateInvitation(ctx, hash, inv); err != nil {
		return "", err
	}
	return a.link("/admin/setup/" + token), nil
}

// link is an absolute URL on the site's primary address.
func (a *Admin) link(path string) string {
	if a.cfg.BaseURL == nil {
		return path
	}
	return a.cfg.BaseURL.String() + path
}

type accountFormView struct {
	page
	Setup  bool
	Action string
	Email  string
	Name   string
	Role   news.Role
	Fixed  bool // the e-mail address was given by the invitation
}

// invitation returns the open invitation behind a link's token.
func (a *Admin) invitation(r *http.Request, setup bool) (*news.Invitation, error) {
	token := r.PathValue("token")
	if len(token) > 100 {
		return nil, news.NotFound("this link is not valid")
	}
	inv, err := a.store.InvitationByToken(r.Context(), auth.HashToken(token), a.now())
	if err != nil {
		return nil, err
	}
	if inv.Setup != setup {
		return nil, news.NotFound("this link is not valid")
	}
	if setup {
		if n, err := a.store.CountUsers(r.Context()); err != nil {
			return nil, err
		} else if n > 0 {
			return nil, news.NotFound("the newsroom is set up already: log in instead")
		}
	}
	return inv, nil
}

func (a *Admin) showSetup(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.invitation(r, true); err != nil {
		return err
	}
	v := &accountFormView{page: a.newPage(r, "Create the first admin"), Setup: true, Action: r.URL.Path, Role: news.Admin}
	return a.render(w, r, http.StatusOK, "join", v)
}

func (a *Admin) setup(w http.ResponseWriter, r *http.Request) error { return a.join(w, r, true) }

func (a *Admin) showInvite(w http.ResponseWriter, r *http.Request) error {
	inv, err := a.invitation(r, false)
	if err != nil {
		return err
	}
	v := &accountFormView{page: a.newPage(r, "Join the newsroom"), Action: r.URL.Path, Email: inv.Email, Role: inv.Role, Fixed: inv.Email != ""}
	return a.render(w, r, http.StatusOK, "join", v)
}

func (a *Admin) acceptInvite(w http.ResponseWriter, r *http.Request) error {
	return a.join(w, r, false)
}

// join creates an account from a one-time link: the first admin's, or an
// invited one. The link is used up in the same transaction.
func (a *Admin) join(w http.ResponseWriter, r *http.Request, setup bool) error {
	inv, err := a.invitation(r, setup)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return news.Invalid("form", "could not be read")
	}
	u := &news.User{Email: r.PostForm.Get("email"), Name: r.PostForm.Get("name"), Role: inv.Role}
	if inv.Email != "" {
		u.Email = inv.Email
	}
	v := &accountFormView{page: a.newPage(r, "Join the newsroom"), Setup: setup, Action: r.URL.Path, Email: u.Email, Name: u.Name, Role: inv.Role, Fixed: inv.Email != ""}
	if setup {
		v.Title = "Create the first admin"
	}
	pw := r.PostForm.Get("password")
	err = news.CheckPassword(pw)
	if err == nil && pw != r.PostForm.Get("confirm") {
		err = news.Invalid("confirm", "the two passwords differ")
	}
	if err == nil {
		u.PasswordHash = auth.HashPassword(pw)
		err = a.store.InTx(r.Context(), func(tx *store.Store) error {
			now := a.now()
			if setup {
				// Claims every open setup link at once: two admins cannot
				// be created from two links raced together.
				if err := tx.ClaimSetup(r.Context(), inv.ID, now); err != nil {
					return err
				}
			}
			if err := tx.CreateUser(r.Context(), u); err != nil {
				return err
			}
			if !setup {
				if err := tx.UseInvitation(r.Context(), inv.ID, u.ID, now); err != nil {
					return err
				}
			}
			return audit(r.Context(), tx, u, "user.create", "user "+strconv.FormatInt(u.ID, 10), string(u.Role)+" "+u.Email+map[bool]string{true: " (setup)", false: " (invitation)"}[setup])
		})
	}
	if err != nil {
		if news.ErrorCode(err) == news.EINVALID || news.ErrorCode(err) == news.ECONFLICT {
			v.Error, v.Field = news.ErrorMessage(err), fieldOf(err)
			return a.render(w, r, statusOf(err), "join", v)
		}
		return err
	}
	if err := a.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	return nil
}
