package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Two-factor authentication (issue 18): a time-based one-time code from an
// authenticator app after the password, or one of ten recovery codes.
// Optional per account; the site may require it of admins
// (SettingTwoFactorAdmins), who then can do nothing else until they have
// set it up. Code guesses go through the login throttle, under the
// account's address prefixed "code:", so they are limited as passwords are.

// SettingTwoFactorAdmins is the setting that requires two-factor
// authentication of admins: "1" when it does.
const SettingTwoFactorAdmins = "newsroom.two_factor_admins"

// Cookie of the step between a good password and its code: a one-time
// token (store.TokenLogin) that lasts auth.LoginCodeLifetime.
const (
	codeCookieSecure = "__Host-newsdesk_code"
	codeCookiePlain  = "newsdesk_code"
)

func (a *Admin) codeCookie(r *http.Request, value string, maxAge int) *http.Cookie {
	c := &http.Cookie{Name: codeCookiePlain, Value: value, Path: "/admin/", MaxAge: maxAge, HttpOnly: true, SameSite: http.SameSiteStrictMode}
	if a.cfg.Proxies.HTTPS(r) {
		c.Name, c.Path, c.Secure = codeCookieSecure, "/", true
	}
	return c
}

// askCode is the login's second step for an account with two-factor
// authentication on: no session yet, only a token for the code's form.
func (a *Admin) askCode(w http.ResponseWriter, r *http.Request, u *news.User, next string) error {
	token, hash := auth.NewToken()
	now := a.now()
	if err := a.store.CreateAccountToken(r.Context(), hash, &store.AccountToken{UserID: u.ID, Purpose: store.TokenLogin,
		CreatedAt: now, ExpiresAt: now.Add(auth.LoginCodeLifetime)}); err != nil {
		return err
	}
	http.SetCookie(w, a.codeCookie(r, token, int(auth.LoginCodeLifetime/time.Second)))
	http.Redirect(w, r, "/admin/login/code?next="+url.QueryEscape(next), http.StatusSeeOther)
	return nil
}

// loginStep returns the pending login of a request's code cookie.
func (a *Admin) loginStep(r *http.Request) (*store.AccountToken, *news.User, error) {
	gone := news.Errorf(news.EUNAUTHORIZED, "The time to type the code has run out, or the login was finished elsewhere. Log in again.")
	var token string
	for _, name := range []string{codeCookieSecure, codeCookiePlain} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			token = c.Value
			break
		}
	}
	if token == "" || len(token) > 100 {
		return nil, nil, gone
	}
	tok, err := a.store.AccountTokenByHash(r.Context(), auth.HashToken(token), store.TokenLogin, a.now())
	if news.ErrorCode(err) == news.ENOTFOUND {
		return nil, nil, gone
	} else if err != nil {
		return nil, nil, err
	}
	u, err := a.store.UserByID(r.Context(), tok.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, gone
	}
	return tok, u, nil
}

type codeView struct {
	page
	Next string
}

func (a *Admin) showLoginCode(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := a.loginStep(r); err != nil {
		if news.ErrorCode(err) == news.EUNAUTHORIZED {
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return nil
		}
		return err
	}
	return a.render(w, r, http.StatusOK, "logincode", &codeView{page: a.newPage(r, "Your code"), Next: safeNext(r.URL.Query().Get("next"))})
}

// loginCode finishes a login with the code from the app or a recovery
// code.
func (a *Admin) loginCode(w http.ResponseWriter, r *http.Request) error {
	tok, u, err := a.loginStep(r)
	if news.ErrorCode(err) == news.EUNAUTHORIZED {
		// The step ran out, or was finished in another tab: the login
		// starts again.
		http.Redirect(w, r, "/admin/login?done=code-expired", http.StatusSeeOther)
		return nil
	} else if err != nil {
		return err
	}
	v := &codeView{page: a.newPage(r, "Your code"), Next: safeNext(r.PostForm.Get("next"))}
	addr := a.cfg.Proxies.ClientAddr(r)
	ok, recovery, status, msg, err := a.checkCode(r.Context(), u, r.PostForm.Get("code"), addr, "", false)
	if err != nil {
		return err
	}
	if !ok {
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "60")
		}
		v.Error, v.Field = msg, "code"
		return a.render(w, r, status, "logincode", v)
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.UseAccountToken(r.Context(), tok.ID, a.now()); err != nil {
			return err
		}
		if recovery {
			return audit(r.Context(), tx, u, "user.recovery-code", userTarget(u), "a recovery code used to log in, from "+addr)
		}
		return nil
	})
	if err != nil {
		return err
	}
	http.SetCookie(w, a.codeCookie(r, "", -1))
	if err := a.startSession(w, r, u); err != nil {
		return err
	}
	a.rememberLogin(w, r, u, "", addr)
	a.log.Info("login", "user", u.ID, "addr", addr, "second_factor", map[bool]string{true: "recovery code", false: "code"}[recovery])
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
	return nil
}

// formStatus is the status of a wrong code in the account's forms: the
// form's mistake (400), as a wrong current password is there; 401 is for
// the login, which has no session yet.
func formStatus(status int) int {
	if status == http.StatusUnauthorized {
		return http.StatusBadRequest
	}
	return status
}

// checkCode checks a code typed by u: a six-digit code of the app, or a
// recovery code (spent if right). Each guess takes a place in the login
// throttle, as a password does. With enrolling, the code is of the secret
// being set up and nothing is spent (ConfirmTOTP records the step). It
// returns whether the code was right and, if not, the status and message
// to answer with.
func (a *Admin) checkCode(ctx context.Context, u *news.User, code, addr, device string, enrolling bool) (ok, recovery bool, status int, msg string, err error) {
	attempt := auth.Login{Account: "code:" + u.Email, Address: addr, Device: device}
	res, wait, terr := a.throttle.Reserve(ctx, attempt)
	if terr != nil {
		a.log.Warn("login throttle: the database's count failed; memory's was used", "err", terr)
	}
	if res == nil {
		a.log.Warn("two-factor code throttled", "user", u.ID, "addr", addr, "wait", wait.Round(time.Second))
		return false, false, http.StatusTooManyRequests, "Too many wrong codes. Wait " + waitText(wait) + ", then try again.", nil
	}
	keep := context.WithoutCancel(ctx)
	defer res.Cancel(keep)
	tf, err := a.store.TwoFactorOf(ctx, u.ID)
	if err != nil {
		return false, false, 0, "", err
	}
	if tf.Secret == "" || tf.On == enrolling {
		return false, false, http.StatusConflict, "Two-factor authentication was changed meanwhile: reload the page.", nil
	}
	code = strings.TrimSpace(code)
	now := a.now()
	used := false
	switch {
	case !enrolling && auth.LooksLikeRecoveryCode(code):
		ok, err = a.store.UseRecoveryCode(ctx, u.ID, auth.RecoveryHash(code), now)
		recovery = ok
	default:
		var step int64
		step, ok, err = auth.CheckTOTP(tf.Secret, code, now, tf.LastStep)
		if errors.Is(err, auth.ErrCodeUsed) {
			used, err = true, nil
		}
		if ok && !enrolling {
			// Of two requests with one code, one passes.
			ok, err = a.store.UseTOTPStep(ctx, u.ID, step)
			used = !ok
		}
	}
	if err != nil {
		return false, false, 0, "", err
	}
	if !ok {
		if err := res.Fail(keep); err != nil {
			a.log.Warn("login throttle: recording a failure failed", "err", err)
		}
		a.log.Info("two-factor code wrong", "user", u.ID, "addr", addr, "used_before", used)
		if used {
			return false, false, http.StatusUnauthorized, "This code was used already. Wait for the app's next code.", nil
		}
		return false, false, http.StatusUnauthorized, "That code is not right. Type the six digits the app shows now, or one of your recovery codes.", nil
	}
	if err := res.Succeed(keep); err != nil {
		a.log.Warn("login throttle: clearing failures failed", "err", err)
	}
	return true, recovery, http.StatusOK, "", nil
}

type twoFactorView struct {
	page
	On           bool
	Secret       string // being set up: shown as text
	URI          string // and as an otpauth:// address
	RecoveryLeft int
	Codes        []string // new recovery codes: shown once
	Required     bool     // the site requires it of this account
}

func (a *Admin) twoFactorRequired(ctx context.Context, u *news.User) (bool, error) {
	if u.Role != news.Admin {
		return false, nil
	}
	v, err := a.store.Setting(ctx, SettingTwoFactorAdmins)
	return v == "1", err
}

// twoFactorDue reports whether u must set up two-factor authentication
// before anything else: the site requires it of admins, and u is an admin
// without it. The pages that set it up, and logging out, stay open.
func (a *Admin) twoFactorDue(r *http.Request, u *news.User) (bool, error) {
	if u.Role != news.Admin || strings.HasPrefix(r.URL.Path, "/admin/account/two-factor") || r.URL.Path == "/admin/logout" ||
		strings.HasPrefix(r.URL.Path, "/admin/static/") {
		return false, nil
	}
	req, err := a.twoFactorRequired(r.Context(), u)
	if err != nil || !req {
		return false, err
	}
	on, err := a.store.TwoFactorOn(r.Context(), u.ID)
	return !on, err
}

func (a *Admin) showTwoFactor(w http.ResponseWriter, r *http.Request) error {
	return a.renderTwoFactor(w, r, http.StatusOK, nil, "", "")
}

func (a *Admin) renderTwoFactor(w http.ResponseWriter, r *http.Request, status int, codes []string, msg, field string) error {
	u := userOf(r)
	tf, err := a.store.TwoFactorOf(r.Context(), u.ID)
	if err != nil {
		return err
	}
	v := &twoFactorView{page: a.newPage(r, "Two-factor authentication"), On: tf.On, RecoveryLeft: tf.RecoveryLeft, Codes: codes}
	v.Error, v.Field = msg, field
	if v.Required, err = a.twoFactorRequired(r.Context(), u); err != nil {
		return err
	}
	if !tf.On && tf.Secret != "" {
		v.Secret = tf.Secret
		if v.URI, err = auth.TOTPURI(a.cfg.SiteName, u.Email, tf.Secret); err != nil {
			return err
		}
	}
	if codes != nil || v.Secret != "" {
		// The secret and the codes are not to be kept by anything between.
		w.Header().Set("Cache-Control", "no-store")
	}
	return a.render(w, r, status, "twofactor", v)
}

// startTwoFactor makes a new secret to set up; it is not asked for at
// login until a code of it is confirmed.
func (a *Admin) startTwoFactor(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	secret, _, err := auth.NewTOTP(a.cfg.SiteName, u.Email)
	if err != nil {
		return err
	}
	if err := a.store.StartTOTP(r.Context(), u.ID, secret); err != nil {
		if news.ErrorCode(err) == news.ECONFLICT {
			return a.renderTwoFactor(w, r, http.StatusConflict, nil, news.ErrorMessage(err), "")
		}
		return err
	}
	http.Redirect(w, r, "/admin/account/two-factor", http.StatusSeeOther)
	return nil
}

func (a *Admin) sessionDevice(r *http.Request) string {
	if s := sessionOf(r); s != nil {
		return "session " + strconv.FormatInt(s.ID, 10)
	}
	return ""
}

// confirmTwoFactor turns two-factor authentication on once the account's
// password and a code of the new secret are right, and shows the recovery
// codes, once. The password is asked as for a new address: a stolen
// session alone could otherwise enrol the thief's own app and lock the
// owner out at the next login.
func (a *Admin) confirmTwoFactor(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	tf, err := a.store.TwoFactorOf(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if status, err := a.checkOwnPassword(w, r, "current"); err != nil {
		if status == 0 {
			return err
		}
		return a.renderTwoFactor(w, r, status, nil, news.ErrorMessage(err), "current")
	}
	ok, _, status, msg, err := a.checkCode(r.Context(), u, r.PostForm.Get("code"), a.cfg.Proxies.ClientAddr(r), a.sessionDevice(r), true)
	if err != nil {
		return err
	}
	if !ok {
		return a.renderTwoFactor(w, r, formStatus(status), nil, msg, "code")
	}
	step, _, _ := auth.CheckTOTP(tf.Secret, r.PostForm.Get("code"), a.now(), 0)
	codes, hashes := auth.NewRecoveryCodes()
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.ConfirmTOTP(r.Context(), u.ID, tf.Secret, step, hashes); err != nil {
			return err
		}
		return audit(r.Context(), tx, u, "user.two-factor.on", userTarget(u), "")
	})
	if news.ErrorCode(err) == news.ECONFLICT {
		return a.renderTwoFactor(w, r, http.StatusConflict, nil, news.ErrorMessage(err), "")
	} else if err != nil {
		return err
	}
	return a.renderTwoFactor(w, r, http.StatusOK, codes, "", "")
}

// turnOffTwoFactor needs a code (or a recovery code); an admin whom the
// site requires it of cannot.
func (a *Admin) turnOffTwoFactor(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	if req, err := a.twoFactorRequired(r.Context(), u); err != nil {
		return err
	} else if req {
		return a.renderTwoFactor(w, r, http.StatusForbidden, nil, "The site requires two-factor authentication of admins: it stays on.", "")
	}
	tf, err := a.store.TwoFactorOf(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if !tf.On {
		// Setting up abandoned half-way: forget the secret.
		if err := a.store.TurnOffTOTP(r.Context(), u.ID); err != nil {
			return err
		}
		http.Redirect(w, r, "/admin/account/two-factor", http.StatusSeeOther)
		return nil
	}
	ok, _, status, msg, err := a.checkCode(r.Context(), u, r.PostForm.Get("code"), a.cfg.Proxies.ClientAddr(r), a.sessionDevice(r), false)
	if err != nil {
		return err
	}
	if !ok {
		return a.renderTwoFactor(w, r, formStatus(status), nil, msg, "off-code")
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.TurnOffTOTP(r.Context(), u.ID); err != nil {
			return err
		}
		return audit(r.Context(), tx, u, "user.two-factor.off", userTarget(u), "")
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/account/two-factor?done=two-factor-off", http.StatusSeeOther)
	return nil
}

// newRecoveryCodes replaces the recovery codes, after a code.
func (a *Admin) newRecoveryCodes(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	ok, _, status, msg, err := a.checkCode(r.Context(), u, r.PostForm.Get("code"), a.cfg.Proxies.ClientAddr(r), a.sessionDevice(r), false)
	if err != nil {
		return err
	}
	if !ok {
		return a.renderTwoFactor(w, r, formStatus(status), nil, msg, "codes-code")
	}
	codes, hashes := auth.NewRecoveryCodes()
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.ReplaceRecoveryCodes(r.Context(), u.ID, hashes); err != nil {
			return err
		}
		return audit(r.Context(), tx, u, "user.recovery-codes", userTarget(u), "new recovery codes")
	})
	if err != nil {
		return err
	}
	return a.renderTwoFactor(w, r, http.StatusOK, codes, "", "")
}

// saveTwoFactorSetting turns the site's requirement for admins on or off.
// Turning it on is refused to an admin without two-factor authentication,
// who would shut themselves out of everything but its setup.
func (a *Admin) saveTwoFactorSetting(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	on := r.PostForm.Get("required") == "1"
	if on {
		if has, err := a.store.TwoFactorOn(r.Context(), u.ID); err != nil {
			return err
		} else if !has {
			return news.Invalid("required", "set up two-factor authentication for your own account first (Your account)")
		}
	}
	value := map[bool]string{true: "1", false: ""}[on]
	err := a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.SetSetting(r.Context(), SettingTwoFactorAdmins, value); err != nil {
			return err
		}
		return audit(r.Context(), tx, u, "settings.two-factor", "", map[bool]string{true: "required of admins", false: "optional for admins"}[on])
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/settings?done=saved", http.StatusSeeOther)
	return nil
}

// turnOffUserTwoFactor is an admin's help for an account whose phone and
// recovery codes are both lost. It also ends the account's sessions, so
// the next login, with the password alone, is the owner's to make.
func (a *Admin) turnOffUserTwoFactor(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if id == userOf(r).ID {
		// One's own needs a code, and stays on while the site requires
		// it of admins (turnOffTwoFactor): a session alone is not enough.
		return forbidden("Turn your own two-factor authentication off under Your account, with a code.")
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		u, err := tx.UserByID(r.Context(), id)
		if err != nil {
			return err
		}
		if err := tx.TurnOffTOTP(r.Context(), id); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(r.Context(), id); err != nil {
			return err
		}
		return audit(r.Context(), tx, userOf(r), "user.two-factor.off", userTarget(u), "turned off by an admin")
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=two-factor-off", http.StatusSeeOther)
	return nil
}
