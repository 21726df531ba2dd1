package admin

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// "Forgot password": a one-time link by email (issue 18). The link's token
// is kept hashed; it lasts auth.ResetLifetime, works once, and a newer
// link ends it. The form answers the same whether or not the address has
// an account, and does the same work either way (a throttle's rows and
// one transaction), so it tells nobody who works here.

// Reset requests are counted in the login throttle's table, under keys of
// their own: at most resetPerAddress an hour for one e-mail address
// (known or not: the count says nothing about accounts) and
// resetPerClient from one client address.
const (
	resetPerAddress = 3
	resetPerClient  = 10
	resetWindow     = time.Hour
)

// The answer to every well-formed request.
const resetSent = "If an account has this address, a link to choose a new password is on its way to it. It works once, for an hour. Nothing arrived? Look in the spam folder, or ask an admin."

func init() {
	for k, v := range map[string]string{
		"reset":          "Your password is changed and every session of your account has ended. Log in with the new password.",
		"email-sent":     "A link is on its way to the new address: open it to confirm the change. Your old address has been told.",
		"email-changed":  "Your e-mail address is changed.",
		"two-factor-on":  "Two-factor authentication is on.",
		"two-factor-off": "Two-factor authentication is off.",
		"codes":          "New recovery codes made: the old ones no longer work.",
		"code-expired":   "The time to type the code ran out, or the login was finished elsewhere. Log in again.",
	} {
		flashes[k] = v
	}
}

type forgotView struct {
	page
	Email  string
	Sent   string
	NoMail bool // mail is not configured: ask an admin
}

func (a *Admin) showForgot(w http.ResponseWriter, r *http.Request) error {
	v := &forgotView{page: a.newPage(r, "Forgot your password?"), NoMail: a.cfg.Mail == nil}
	return a.render(w, r, http.StatusOK, "forgot", v)
}

// lastResetSweep is when the reset counts were last swept (unix seconds).
var lastResetSweep atomic.Int64

// requestReset sends a reset link to the address typed, if it has an
// account that is not disabled; the answer is the same either way.
func (a *Admin) requestReset(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email := news.NormalizeEmail(r.PostForm.Get("email"))
	v := &forgotView{page: a.newPage(r, "Forgot your password?"), Email: email, NoMail: a.cfg.Mail == nil}
	if a.cfg.Mail == nil {
		v.Error = "Mail is not set up on this server: ask an admin to set a new password for you."
		return a.render(w, r, http.StatusConflict, "forgot", v)
	}
	if !looksLikeEmail(email) || len(email) > news.MaxEmail || mail.CheckAddress(email) != nil {
		v.Error, v.Field = "Type the e-mail address of your account.", "email"
		return a.render(w, r, http.StatusBadRequest, "forgot", v)
	}
	now := a.now()
	addr := a.cfg.Proxies.ClientAddr(r)
	emailKey := "reset:email:" + auth.HashToken(email)
	clientKey := "reset:" + auth.AddressKey(addr)
	_, others, latest, err := a.store.ReserveLogin(ctx, now, map[string]time.Time{emailKey: now.Add(-resetWindow), clientKey: now.Add(-resetWindow)})
	if err != nil {
		return err
	}
	if last := lastResetSweep.Load(); now.Unix()-last > 3600 && lastResetSweep.CompareAndSwap(last, now.Unix()) {
		if err := a.store.SweepLogins(context.WithoutCancel(ctx), map[string]time.Time{"reset:": now.Add(-resetWindow)}); err != nil {
			a.log.Warn("sweeping old reset requests failed", "err", err)
		}
	}
	if others[emailKey] >= resetPerAddress || others[clientKey] >= resetPerClient {
		wait := resetWindow
		for _, k := range []string{emailKey, clientKey} {
			if t, ok := latest[k]; ok {
				wait = min(wait, max(time.Minute, t.Add(resetWindow).Sub(now)))
			}
		}
		a.log.Warn("password reset requests throttled", "addr", addr)
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
		v.Error = "Too many requests for a new password. Wait " + waitText(wait) + ", then try again."
		return a.render(w, r, http.StatusTooManyRequests, "forgot", v)
	}
	u, err := a.store.UserByEmail(ctx, email)
	if err != nil && news.ErrorCode(err) != news.ENOTFOUND {
		return err
	}
	if u != nil && u.Disabled {
		u = nil
	}
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		if u == nil {
			// The same one transaction as for an account: the answer
			// takes as long. The address typed is not written down.
			return audit(ctx, tx, nil, "user.reset.request", "", "an address with no account (or a disabled one)")
		}
		token, hash := auth.NewToken()
		if err := tx.CreateAccountToken(ctx, hash, &store.AccountToken{UserID: u.ID, Purpose: store.TokenReset,
			CreatedAt: now, ExpiresAt: now.Add(auth.ResetLifetime)}); err != nil {
			return err
		}
		link := a.link("/admin/reset/" + token)
		if err := tx.EnqueueMail(ctx, mail.Message{To: []string{u.Email}, Subject: "A new password for " + a.cfg.SiteName,
			Text: "Hello " + u.Name + ",\n\nSomeone (we hope you) asked for a new password for your account in the " + a.cfg.SiteName +
				" newsroom. To choose one, open this link within an hour:\n\n" + link +
				"\n\nIt works once. If you did not ask, ignore this message: your password stays as it is.\n"}); err != nil {
			return err
		}
		return audit(ctx, tx, u, "user.reset.request", userTarget(u), "a link sent to "+u.Email+" from "+addr)
	})
	if err != nil {
		return err
	}
	v.Sent, v.Email = resetSent, ""
	return a.render(w, r, http.StatusOK, "forgot", v)
}

type resetView struct {
	page
	Action string
}

// resetToken returns the open reset link of a request's path.
func (a *Admin) resetToken(r *http.Request) (*store.AccountToken, error) {
	token := r.PathValue("token")
	if len(token) > 100 {
		return nil, news.NotFound("this link is not valid")
	}
	return a.store.AccountTokenByHash(r.Context(), auth.HashToken(token), store.TokenReset, a.now())
}

func (a *Admin) showReset(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.resetToken(r); err != nil {
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	return a.render(w, r, http.StatusOK, "reset", &resetView{page: a.newPage(r, "Choose a new password"), Action: r.URL.Path})
}

// resetPassword sets the new password of a reset link, uses the link up,
// ends the account's sessions and other links, and sends to the login:
// with two-factor authentication on, the code is still asked there.
func (a *Admin) resetPassword(w http.ResponseWriter, r *http.Request) error {
	tok, err := a.resetToken(r)
	if err != nil {
		return err
	}
	v := &resetView{page: a.newPage(r, "Choose a new password"), Action: r.URL.Path}
	pw := r.PostForm.Get("password")
	if err := news.CheckPassword(pw); err != nil {
		v.Error, v.Field = news.ErrorMessage(err), "password"
		return a.render(w, r, http.StatusBadRequest, "reset", v)
	}
	if pw != r.PostForm.Get("confirm") {
		v.Error, v.Field = "The two passwords differ.", "confirm"
		return a.render(w, r, http.StatusBadRequest, "reset", v)
	}
	hash, err := a.hashInTurn(r.Context(), pw)
	if errors.Is(err, auth.ErrBusy) {
		w.Header().Set("Retry-After", "2")
		v.Error = busyHashing
		return a.render(w, r, http.StatusServiceUnavailable, "reset", v)
	} else if err != nil {
		return err
	}
	addr := a.cfg.Proxies.ClientAddr(r)
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		now := a.now()
		if err := tx.UseAccountToken(r.Context(), tok.ID, now); err != nil {
			return err
		}
		u, err := tx.UserByID(r.Context(), tok.UserID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return news.NotFound("this link is not valid")
		}
		// SetPassword ends every session of the account.
		if err := tx.SetPassword(r.Context(), u.ID, hash); err != nil {
			return err
		}
		if err := tx.EndAccountTokens(r.Context(), u.ID, store.TokenReset, now); err != nil {
			return err
		}
		if err := tx.ForgetLogins(r.Context(), u.ID, nil); err != nil {
			return err
		}
		return audit(r.Context(), tx, u, "user.password", userTarget(u), "reset by an e-mailed link, from "+addr)
	})
	if err != nil {
		return err
	}
	a.endCookie(w, r)
	http.Redirect(w, r, "/admin/login?done=reset", http.StatusSeeOther)
	return nil
}

// mailEnabled reports whether email goes out (serve --smtp).
func (a *Admin) mailEnabled() bool { return a.cfg.Mail != nil }

// firstName is the start of a name, for a greeting.
func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return name
}
