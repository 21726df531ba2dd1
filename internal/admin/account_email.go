package admin

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Changing one's own e-mail address (issue 18): the current password, then
// a link sent to the new address, which must be opened to confirm it; the
// old address is told at once, so that a thief with a session cannot move
// the account away quietly. Admins still change addresses directly on the
// users page.

// emailChangePerAccount is how many address changes an account may ask
// for in an hour (resetWindow): each mails an address typed in the form.
const emailChangePerAccount = 3

// requestEmailChange checks the password and sends the link.
func (a *Admin) requestEmailChange(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	if a.cfg.Mail == nil {
		return a.renderAccount(w, r, http.StatusConflict, news.Invalid("new_email", "mail is not set up on this server: ask an admin to change your address"))
	}
	email := news.NormalizeEmail(r.PostForm.Get("new_email"))
	if err := (&news.User{Email: email, Name: "x", Role: u.Role}).Validate(); err != nil || mail.CheckAddress(email) != nil {
		return a.renderAccount(w, r, http.StatusBadRequest, news.Invalid("new_email", "type the new e-mail address"))
	}
	if email == u.Email {
		return a.renderAccount(w, r, http.StatusBadRequest, news.Invalid("new_email", "this is your address already"))
	}
	if status, err := a.checkOwnPassword(w, r, "email_current"); err != nil {
		if status == 0 {
			return err
		}
		return a.renderAccount(w, r, status, err)
	}
	if _, err := a.store.UserByEmail(r.Context(), email); err == nil {
		return a.renderAccount(w, r, http.StatusConflict, news.Invalid("new_email", "another account has this address"))
	} else if news.ErrorCode(err) != news.ENOTFOUND {
		return err
	}
	now := a.now()
	// Each request mails an address typed here: at most
	// emailChangePerAccount an hour, counted with the reset requests
	// (and swept with them).
	key := "reset:address-change:" + strconv.FormatInt(u.ID, 10)
	_, others, latest, err := a.store.ReserveLogin(r.Context(), now, map[string]time.Time{key: now.Add(-resetWindow)})
	if err != nil {
		return err
	}
	if others[key] >= emailChangePerAccount {
		wait := max(time.Minute, latest[key].Add(resetWindow).Sub(now))
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
		return a.renderAccount(w, r, http.StatusTooManyRequests, news.Invalid("new_email", "too many address changes asked for: wait %s, then try again", waitText(wait)))
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		token, hash := auth.NewToken()
		if err := tx.CreateAccountToken(r.Context(), hash, &store.AccountToken{UserID: u.ID, Purpose: store.TokenEmail, NewEmail: email,
			CreatedAt: now, ExpiresAt: now.Add(auth.EmailLifetime)}); err != nil {
			return err
		}
		if err := tx.EnqueueMail(r.Context(), mail.Message{To: []string{email}, Subject: "Confirm your new address at " + a.cfg.SiteName,
			Text: "Hello " + u.Name + ",\n\nTo make this the e-mail address of your account in the " + a.cfg.SiteName +
				" newsroom, open this link within a day:\n\n" + a.link("/admin/account/email/"+token) +
				"\n\nIf you did not ask for this, ignore this message.\n"}); err != nil {
			return err
		}
		if err := tx.EnqueueMail(r.Context(), mail.Message{To: []string{u.Email}, Subject: "Your address at " + a.cfg.SiteName + " is being changed",
			Text: "Hello " + u.Name + ",\n\nSomeone signed in to your account in the " + a.cfg.SiteName + " newsroom asked to change its e-mail address from " +
				u.Email + " to " + email + ". A link to confirm it was sent to the new address.\n\nIf this was not you, change your password and tell an admin at once.\n"}); err != nil {
			return err
		}
		return audit(r.Context(), tx, u, "user.email.request", userTarget(u), u.Email+" -> "+email)
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/account?done=email-sent", http.StatusSeeOther)
	return nil
}

// checkOwnPassword checks the signed-in account's password, as
// changePassword does: in the logins' queue and through the throttle, the
// session counted as the browser. It returns the status to answer with and
// a form error naming field (the form's password field), or status 0 and
// an internal error, or nil.
func (a *Admin) checkOwnPassword(w http.ResponseWriter, r *http.Request, field string) (int, error) {
	u := userOf(r)
	pw := r.PostForm.Get(field)
	turn, err := a.gate.hasher.Enter()
	if err != nil {
		w.Header().Set("Retry-After", "2")
		return http.StatusServiceUnavailable, news.Invalid(field, "too many passwords are being checked at this moment; try again in a few seconds")
	}
	defer turn.Leave()
	addr := a.cfg.Proxies.ClientAddr(r)
	res, wait, terr := a.throttle.Reserve(r.Context(), auth.Login{Account: u.Email, Address: addr, Device: a.sessionDevice(r)})
	if terr != nil {
		a.log.Warn("login throttle: the database's count failed; memory's was used", "err", terr)
	}
	if res == nil {
		return http.StatusTooManyRequests, news.Invalid(field, "too many wrong passwords: wait %s, then try again", waitText(wait))
	}
	keep := context.WithoutCancel(r.Context())
	defer res.Cancel(keep)
	ok, _, err := turn.Check(r.Context(), u.PasswordHash, pw)
	if errors.Is(err, auth.ErrBusy) {
		return http.StatusServiceUnavailable, news.Invalid(field, "too many passwords are being checked at this moment; try again in a few seconds")
	} else if err != nil {
		return 0, err
	}
	if !ok {
		if err := res.Fail(keep); err != nil {
			a.log.Warn("login throttle: recording a failure failed", "err", err)
		}
		return http.StatusBadRequest, news.Invalid(field, "your current password is not right")
	}
	if err := res.Succeed(keep); err != nil {
		a.log.Warn("login throttle: clearing failures failed", "err", err)
	}
	return http.StatusOK, nil
}

type emailConfirmView struct {
	page
	Action   string
	NewEmail string
}

func (a *Admin) emailToken(r *http.Request) (*store.AccountToken, error) {
	token := r.PathValue("token")
	if len(token) > 100 {
		return nil, news.NotFound("this link is not valid")
	}
	return a.store.AccountTokenByHash(r.Context(), auth.HashToken(token), store.TokenEmail, a.now())
}

// showEmailConfirm asks for a click: a link opened by a mail program's
// preview does not change anything by itself.
func (a *Admin) showEmailConfirm(w http.ResponseWriter, r *http.Request) error {
	tok, err := a.emailToken(r)
	if err != nil {
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	return a.render(w, r, http.StatusOK, "emailconfirm", &emailConfirmView{page: a.newPage(r, "Confirm your new address"), Action: r.URL.Path, NewEmail: tok.NewEmail})
}

// confirmEmail makes the link's address the account's.
func (a *Admin) confirmEmail(w http.ResponseWriter, r *http.Request) error {
	tok, err := a.emailToken(r)
	if err != nil {
		return err
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.UseAccountToken(r.Context(), tok.ID, a.now()); err != nil {
			return err
		}
		u, err := tx.UserByID(r.Context(), tok.UserID)
		if err != nil {
			return err
		}
		if err := tx.SetUserEmail(r.Context(), u.ID, tok.NewEmail); err != nil {
			return err
		}
		// A reset link sent to the old address no longer works.
		if err := tx.EndAccountTokens(r.Context(), u.ID, store.TokenReset, a.now()); err != nil {
			return err
		}
		return audit(r.Context(), tx, u, "user.email", userTarget(u), u.Email+" -> "+tok.NewEmail+" (confirmed by link)")
	})
	if news.ErrorCode(err) == news.ECONFLICT {
		return news.Errorf(news.ECONFLICT, "Another account has taken this address meanwhile: the change was not made.")
	} else if err != nil {
		return err
	}
	// The link's route is public: the session, if any, is read here.
	if su, _, err := a.currentUser(r); err == nil && su != nil && su.ID == tok.UserID {
		http.Redirect(w, r, "/admin/account?done=email-changed", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/admin/login?done=email-changed", http.StatusSeeOther)
	return nil
}
