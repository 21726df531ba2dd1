package admin

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

type usersView struct {
	page
	Users       []*news.User
	Invitations []*news.Invitation
	Roles       []news.Role
	NewLink     string // an invitation link just made: shown once
	SentTo      string // or the address it was e-mailed to (mail configured)
	Mail        bool   // mail is configured: invitations with an address are e-mailed
	Form        struct {
		Email, Name string
		Role        news.Role
	}
}

func (a *Admin) listUsers(w http.ResponseWriter, r *http.Request) error {
	return a.renderUsers(w, r, http.StatusOK, &usersView{}, nil)
}

func (a *Admin) renderUsers(w http.ResponseWriter, r *http.Request, status int, v *usersView, ferr error) error {
	var err error
	v.page = a.newPage(r, "Users")
	v.Roles = news.Roles
	v.Mail = a.cfg.Mail != nil
	if v.Users, err = a.store.Users(r.Context()); err != nil {
		return err
	}
	if v.Invitations, err = a.store.Invitations(r.Context(), a.now()); err != nil {
		return err
	}
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	return a.render(w, r, status, "users", v)
}

// createUser makes an account with a password the admin chose and passes
// on; the invitation link is the other way.
func (a *Admin) createUser(w http.ResponseWriter, r *http.Request) error {
	v := &usersView{}
	v.Form.Email, v.Form.Name = r.FormValue("email"), r.FormValue("name")
	role, err := news.ParseRole(r.FormValue("role"))
	v.Form.Role = role
	pw := r.FormValue("password")
	if err == nil {
		err = news.CheckPassword(pw)
	}
	u := &news.User{Email: v.Form.Email, Name: v.Form.Name, Role: role}
	if err == nil {
		u.PasswordHash, err = a.hashInTurn(r.Context(), pw)
		if errors.Is(err, auth.ErrBusy) {
			w.Header().Set("Retry-After", "2")
			return a.renderUsers(w, r, http.StatusServiceUnavailable, v, news.Invalid("password", "%s", busyHashing))
		}
	}
	if err == nil {
		me := userOf(r)
		err = a.store.InTx(r.Context(), func(tx *store.Store) error {
			if err := tx.CreateUser(r.Context(), u); err != nil {
				return err
			}
			return audit(r.Context(), tx, me, "user.create", userTarget(u), string(u.Role)+" "+u.Email)
		})
	}
	if err != nil {
		if c := news.ErrorCode(err); c == news.EINVALID || c == news.ECONFLICT {
			return a.renderUsers(w, r, statusOf(err), v, err)
		}
		return err
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10)+"?done=created", http.StatusSeeOther)
	return nil
}

func userTarget(u *news.User) string { return "user " + strconv.FormatInt(u.ID, 10) }

// createInvitation makes a one-time link for a role. The link is shown
// once, on this page: only its hash is kept.
func (a *Admin) createInvitation(w http.ResponseWriter, r *http.Request) error {
	v := &usersView{}
	role, err := news.ParseRole(r.FormValue("role"))
	email := news.NormalizeEmail(r.FormValue("email"))
	if err == nil && email != "" {
		err = (&news.User{Email: email, Name: "x", Role: role}).Validate()
	}
	if err != nil {
		return a.renderUsers(w, r, http.StatusBadRequest, v, err)
	}
	token, hash := auth.NewToken()
	now := a.now()
	me := userOf(r)
	inv := &news.Invitation{Email: email, Role: role, CreatedBy: me.ID, CreatedAt: now, ExpiresAt: now.Add(auth.InviteLifetime)}
	// With mail configured and an address given, the link goes by e-mail
	// (the outbox, in this transaction) and is not shown; otherwise it is
	// shown once, to be sent by hand.
	send := a.cfg.Mail != nil && email != ""
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.CreateInvitation(r.Context(), hash, inv); err != nil {
			return err
		}
		if send {
			if err := tx.EnqueueMail(r.Context(), invitationMail(a.cfg.SiteName, me, inv, a.link("/admin/invite/"+token))); err != nil {
				return err
			}
		}
		return audit(r.Context(), tx, me, "invite", "invitation "+strconv.FormatInt(inv.ID, 10), string(role)+" "+email+map[bool]string{true: " (e-mailed)", false: ""}[send])
	})
	if err != nil {
		return err
	}
	if send {
		v.SentTo = email
	} else {
		v.NewLink = a.link("/admin/invite/" + token)
	}
	return a.renderUsers(w, r, http.StatusOK, v, nil)
}

func (a *Admin) revokeInvitation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.RevokeInvitation(r.Context(), id, a.now()); err != nil {
			return err
		}
		return audit(r.Context(), tx, userOf(r), "invite.revoke", "invitation "+strconv.FormatInt(id, 10), "")
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users?done=saved", http.StatusSeeOther)
	return nil
}

type userView struct {
	page
	U        *news.User
	Roles    []news.Role
	Sessions []news.Session
	Activity []news.AuditEntry
	// TwoFactor: the account has two-factor authentication on, which an
	// admin can turn off for it (a lost phone and lost recovery codes).
	TwoFactor bool
}

func (a *Admin) showUser(w http.ResponseWriter, r *http.Request) error {
	return a.renderUser(w, r, http.StatusOK, nil, nil)
}

func (a *Admin) renderUser(w http.ResponseWriter, r *http.Request, status int, form *news.User, ferr error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := a.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	v := &userView{page: a.newPage(r, u.Name), U: u, Roles: news.Roles}
	if form != nil {
		v.U = form
	}
	if v.Sessions, err = a.store.Sessions(r.Context(), id); err != nil {
		return err
	}
	// One's own is turned off under Your account, with a code.
	if v.TwoFactor, err = a.store.TwoFactorOn(r.Context(), id); err != nil {
		return err
	}
	v.TwoFactor = v.TwoFactor && id != userOf(r).ID
	if v.Activity, err = a.store.AuditLog(r.Context(), store.AuditFilter{Target: userTarget(u), Limit: 20}); err != nil {
		return err
	}
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	return a.render(w, r, status, "user", v)
}

// saveUser changes an account's name, address, role, whether it is
// disabled, and, when given, its password. A disabled account's sessions
// end at once; the last admin cannot be demoted or disabled.
func (a *Admin) saveUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	me := userOf(r)
	old, err := a.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	u := *old
	u.Email, u.Name = r.FormValue("email"), r.FormValue("name")
	u.Disabled = r.FormValue("disabled") != ""
	role, err := news.ParseRole(r.FormValue("role"))
	u.Role = role
	pw := r.FormValue("password")
	if err == nil && pw != "" {
		err = news.CheckPassword(pw)
	}
	hash := ""
	if err == nil && pw != "" {
		// Hashed in the logins' queue, and before the transaction, which
		// would otherwise hold the database's write lock for the hash.
		hash, err = a.hashInTurn(r.Context(), pw)
		if errors.Is(err, auth.ErrBusy) {
			w.Header().Set("Retry-After", "2")
			return a.renderUser(w, r, http.StatusServiceUnavailable, &u, news.Invalid("password", "%s", busyHashing))
		}
	}
	if err == nil {
		err = a.store.InTx(r.Context(), func(tx *store.Store) error {
			if old.Role == news.Admin && !old.Disabled && (u.Role != news.Admin || u.Disabled) {
				n, err := tx.CountAdmins(r.Context())
				if err != nil {
					return err
				}
				if n <= 1 {
					return news.Invalid("role", "this is the last admin: make another admin first")
				}
			}
			if err := tx.UpdateUser(r.Context(), &u); err != nil {
				return err
			}
			if u.Role != old.Role {
				if err := audit(r.Context(), tx, me, "role", userTarget(&u), string(old.Role)+" → "+string(u.Role)); err != nil {
					return err
				}
			}
			if u.Disabled != old.Disabled {
				action := "user.disable"
				if !u.Disabled {
					action = "user.enable"
				}
				if err := audit(r.Context(), tx, me, action, userTarget(&u), u.Email); err != nil {
					return err
				}
				if err := tx.DeleteUserSessions(r.Context(), u.ID); err != nil {
					return err
				}
			}
			if pw != "" || (u.Disabled && !old.Disabled) {
				// The browsers and addresses that knew the old password
				// (a thief's among them) are strangers again.
				if err := tx.ForgetLogins(r.Context(), u.ID, nil); err != nil {
					return err
				}
			}
			if u.Email != old.Email {
				// The reset links sent to the old address, and an address
				// change the owner asked for, no longer hold.
				for _, purpose := range []string{store.TokenReset, store.TokenEmail} {
					if err := tx.EndAccountTokens(r.Context(), u.ID, purpose, a.now()); err != nil {
						return err
					}
				}
			}
			if u.Disabled && !old.Disabled {
				// A disabled account's open links end with its sessions.
				if err := tx.EndAccountTokens(r.Context(), u.ID, "", a.now()); err != nil {
					return err
				}
			}
			if u.Email != old.Email || u.Name != old.Name {
				if err := audit(r.Context(), tx, me, "user.update", userTarget(&u), u.Name+" <"+u.Email+">"); err != nil {
					return err
				}
			}
			if pw != "" {
				if err := tx.SetPassword(r.Context(), u.ID, hash); err != nil {
					return err
				}
				return audit(r.Context(), tx, me, "user.password", userTarget(&u), "set by an admin")
			}
			return nil
		})
	}
	if err != nil {
		if c := news.ErrorCode(err); c == news.EINVALID || c == news.ECONFLICT {
			return a.renderUser(w, r, statusOf(err), &u, err)
		}
		return err
	}
	if u.ID == me.ID && (pw != "" || u.Disabled) {
		// Their own sessions ended with the change; this one too.
		a.endCookie(w, r)
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=saved", http.StatusSeeOther)
	return nil
}

// endUserSessions signs an account out everywhere.
func (a *Admin) endUserSessions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := a.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.DeleteUserSessions(r.Context(), id); err != nil {
			return err
		}
		return audit(r.Context(), tx, userOf(r), "sessions.end", userTarget(u), "all sessions")
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=ended", http.StatusSeeOther)
	return nil
}

type accountView struct {
	page
	Sessions  []news.Session
	Current   int64
	Idle      time.Duration
	Mail      bool // mail is configured: the address is changed by a link
	TwoFactor bool // two-factor authentication is on
}

func (a *Admin) showAccount(w http.ResponseWriter, r *http.Request) error {
	return a.renderAccount(w, r, http.StatusOK, nil)
}

func (a *Admin) renderAccount(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	u := userOf(r)
	list, err := a.store.Sessions(r.Context(), u.ID)
	if err != nil {
		return err
	}
	v := &accountView{page: a.newPage(r, "Your account"), Sessions: list, Idle: auth.SessionIdle, Mail: a.cfg.Mail != nil}
	if v.TwoFactor, err = a.store.TwoFactorOn(r.Context(), u.ID); err != nil {
		return err
	}
	if s := sessionOf(r); s != nil {
		v.Current = s.ID
	}
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	return a.render(w, r, status, "account", v)
}

// changePassword checks the current password, stores the new one, ends
// every session of the account (a thief's too), and starts a new one here.
func (a *Admin) changePassword(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	// Both hashes wait their turn in the logins' queue (login.go): any
	// session can send this form, and argon2id outside the queue would
	// let a few hundred at once take the server's memory as logins once did.
	busy := func() error {
		w.Header().Set("Retry-After", "2")
		return a.renderAccount(w, r, http.StatusServiceUnavailable,
			news.Invalid("current", "too many passwords are being checked at this moment; try again in a few seconds"))
	}
	turn, err := a.gate.hasher.Enter()
	if err != nil {
		return busy()
	}
	defer turn.Leave()
	// The current password is guessed here as at the login, by whoever
	// holds a session (a stolen one): the same throttle limits it, with
	// the session counted as the browser, so the login form and this
	// one share its PerPair failures, and each failure adds to the
	// account's delays for strangers. Keyed to the session, not to the
	// account alone, so that guesses elsewhere cannot stop the owner
	// changing a password.
	addr := a.cfg.Proxies.ClientAddr(r)
	attempt := auth.Login{Account: u.Email, Address: addr}
	if s := sessionOf(r); s != nil {
		attempt.Device = "session " + strconv.FormatInt(s.ID, 10)
	}
	res, wait, err := a.throttle.Reserve(r.Context(), attempt)
	if err != nil {
		a.log.Warn("login throttle: the database's count failed; memory's was used", "err", err)
	}
	if res == nil {
		a.log.Warn("password change throttled", "user", u.ID, "addr", addr, "wait", wait.Round(time.Second))
		w.Header().Set("Retry-After", strconv.Itoa(int(max(wait, time.Second).Round(time.Second)/time.Second)))
		return a.renderAccount(w, r, http.StatusTooManyRequests,
			news.Invalid("current", "too many wrong passwords: wait %s, then try again", waitText(wait)))
	}
	keep := context.WithoutCancel(r.Context())
	defer res.Cancel(keep)
	ok, _, err := turn.Check(r.Context(), u.PasswordHash, r.FormValue("current"))
	if errors.Is(err, auth.ErrBusy) {
		return busy()
	} else if err != nil {
		return err
	}
	if !ok {
		if err := res.Fail(keep); err != nil {
			a.log.Warn("login throttle: recording a failure failed", "err", err)
		}
		a.log.Info("password change: wrong current password", "user", u.ID, "addr", addr)
		return a.renderAccount(w, r, http.StatusBadRequest, news.Invalid("current", "your current password is not right"))
	}
	if err := res.Succeed(keep); err != nil {
		a.log.Warn("login throttle: clearing failures failed", "err", err)
	}
	pw := r.FormValue("password")
	if err := news.CheckPassword(pw); err != nil {
		return a.renderAccount(w, r, http.StatusBadRequest, err)
	}
	if pw != r.FormValue("confirm") {
		return a.renderAccount(w, r, http.StatusBadRequest, news.Invalid("confirm", "the two new passwords differ"))
	}
	hash, err := turn.Hash(r.Context(), pw)
	if errors.Is(err, auth.ErrBusy) {
		return busy()
	} else if err != nil {
		return err
	}
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.SetPassword(r.Context(), u.ID, hash); err != nil {
			return err
		}
		// A thief who knew the old password may have logged in with it:
		// their browser and address are strangers again. This browser
		// and address are remembered anew below.
		if err := tx.ForgetLogins(r.Context(), u.ID, nil); err != nil {
			return err
		}
		return audit(r.Context(), tx, u, "user.password", userTarget(u), "changed by its owner")
	})
	if err != nil {
		return err
	}
	if err := a.startSession(w, r, u); err != nil {
		return err
	}
	a.rememberLogin(w, r, u, "", addr)
	http.Redirect(w, r, "/admin/account?done=password", http.StatusSeeOther)
	return nil
}

// endSession ends one of the user's own sessions (a lost phone's).
func (a *Admin) endSession(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := userOf(r)
	if err := a.store.DeleteSession(r.Context(), u.ID, id); err != nil {
		return err
	}
	if s := sessionOf(r); s != nil && s.ID == id {
		a.endCookie(w, r)
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/admin/account?done=ended", http.StatusSeeOther)
	return nil
}

type auditView struct {
	page
	Entries []news.AuditEntry
	Action  string
	Next    string
}

// showAudit lists the audit log, newest first, a page at a time.
func (a *Admin) showAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.AuditFilter{Limit: 101}
	f.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	v := &auditView{page: a.newPage(r, "Audit log"), Action: q.Get("action")}
	if v.Action != "" {
		f.Actions = []string{v.Action}
	}
	list, err := a.store.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	if len(list) > 100 {
		list = list[:100]
		next := q
		next.Set("before", strconv.FormatInt(list[99].ID, 10))
		v.Next = "/admin/audit?" + next.Encode()
	}
	v.Entries = list
	return a.render(w, r, http.StatusOK, "audit", v)
}
