package admin

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

type loginView struct {
	page
	Email string
	Next  string
	Mail  bool // mail is configured: "Forgot password" sends a link
}

// badLogin is the one message for a wrong password, an unknown address and
// a disabled account, so the form does not tell who has an account.
const badLogin = "Wrong e-mail address or password."

func (a *Admin) showLogin(w http.ResponseWriter, r *http.Request) error {
	if u, _, err := a.currentUser(r); err == nil && u != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	v := &loginView{page: a.newPage(r, "Log in"), Next: safeNext(r.URL.Query().Get("next")), Mail: a.cfg.Mail != nil}
	return a.render(w, r, http.StatusOK, "login", v)
}

// LoginLimits bound the work that logins make. Each password check is an
// argon2id hash of 19 MiB and some tens of milliseconds of a core; without
// a bound, a flood of logins takes the server's memory and its cores from
// the readers.
type LoginLimits struct {
	Hashes int           // password checks at once; 0: half the cores, at least 1
	Queue  int           // logins that may wait for a check besides; 0: 32
	Wait   time.Duration // the longest a login waits for its check; 0: 2s
}

// DefaultLoginHashes is how many password checks run at once unless told:
// half the cores, so the other half keeps serving pages.
func DefaultLoginHashes() int { return max(1, runtime.GOMAXPROCS(0)/2) }

// loginGate is the newsroom's queue of password checks.
type loginGate struct {
	hasher   *auth.Hasher
	lastWarn atomic.Int64 // unix seconds of the last "queue full" log line
}

func (l LoginLimits) gate() *loginGate {
	if l.Hashes <= 0 {
		l.Hashes = DefaultLoginHashes()
	}
	if l.Queue <= 0 {
		l.Queue = 32
	}
	if l.Wait <= 0 {
		l.Wait = 2 * time.Second
	}
	return &loginGate{hasher: auth.NewHasher(l.Hashes, l.Queue, l.Wait)}
}

// knownFor is how long a browser or an address an account logged in from
// stays known, and how long the device cookie lives.
const knownFor = 180 * 24 * time.Hour

// login checks a password. In order: a place in the queue of password
// checks (a flood is refused before it costs a query), the account, where
// the attempt comes from (a browser or an address the account has logged
// in from before, or a session of the account), a place in the throttle
// (reserved before the check, so concurrent guesses cannot overtake the
// limits), then the check itself. An unknown account costs the same
// queries and the same hash as a known one with a wrong password.
//
// A browser the account knows (its device cookie, or a session of the
// account) checks its password in the queue's lane for known browsers,
// which strangers cannot fill: during a flood the owner neither waits
// behind it nor is turned away. Only a request that brings such a cookie
// is looked up when the strangers' queue is full; a made-up cookie costs
// the flood three small queries and no hash. An address the account has
// logged in from is not enough for the lane: others may share it (a
// carrier's NAT), and looking every stranger up would make the flood
// cost queries.
func (a *Admin) login(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return news.Invalid("form", "could not be read")
	}
	ctx := r.Context()
	email := news.NormalizeEmail(r.PostForm.Get("email"))
	pw := r.PostForm.Get("password")
	addr := a.cfg.Proxies.ClientAddr(r)
	v := &loginView{page: a.newPage(r, "Log in"), Email: email, Next: safeNext(r.PostForm.Get("next")), Mail: a.cfg.Mail != nil}
	if len(email) > news.MaxEmail || len(pw) > 4*news.MaxPassword {
		v.Error = badLogin
		return a.render(w, r, http.StatusUnauthorized, "login", v)
	}

	turn, err := a.gate.hasher.Enter()
	if err != nil && !a.bringsLoginCookie(r) {
		return a.loginBusy(w, r, v)
	}
	defer func() {
		if turn != nil {
			turn.Leave()
		}
	}()

	u, err := a.store.UserByEmail(ctx, email)
	if err != nil && news.ErrorCode(err) != news.ENOTFOUND {
		return err
	}
	if err != nil {
		u = nil
	}
	attempt, device, err := a.loginOrigin(r, u, email, addr)
	if err != nil {
		return err
	}
	if attempt.Device != "" {
		// The account's own browser: its lane, whether or not the
		// strangers' queue had room, so it waits behind no stranger. When
		// the lane is full, or the account holds its share of it already,
		// a place among the strangers still serves.
		if known, err := a.gate.hasher.EnterKnown(laneOf(attempt)); err == nil {
			if turn != nil {
				turn.Leave()
			}
			turn = known
		}
	}
	if turn == nil {
		return a.loginBusy(w, r, v)
	}
	res, wait, err := a.throttle.Reserve(ctx, attempt)
	if err != nil {
		a.log.Warn("login throttle: the database's count failed; memory's was used", "err", err)
	}
	if res == nil {
		a.log.Warn("login throttled", "user", who(u, email), "addr", addr, "wait", wait.Round(time.Second))
		w.Header().Set("Retry-After", strconv.Itoa(int(max(wait, time.Second).Round(time.Second)/time.Second)))
		v.Error = "Too many failed attempts. Wait " + waitText(wait) + ", then try again."
		return a.render(w, r, http.StatusTooManyRequests, "login", v)
	}
	// The place ends below as a failure, a success or a check not made;
	// should anything in between panic, it still ends, uncounted, rather
	// than hold the account's place until PendingFor. The writes outlive
	// a client that leaves: its failure must stay counted, and a good
	// password's rows must not stay behind as failures.
	keep := context.WithoutCancel(ctx)
	defer res.Cancel(keep)

	good, rehash := false, false
	if u != nil {
		good, rehash, err = turn.Check(ctx, u.PasswordHash, pw)
	} else {
		err = turn.CheckNothing(ctx, pw)
	}
	if err != nil {
		// No password was checked: the attempt does not count.
		if cerr := res.Cancel(keep); cerr != nil {
			a.log.Warn("login throttle: releasing a place failed", "err", cerr)
		}
		if errors.Is(err, auth.ErrBusy) {
			return a.loginBusy(w, r, v)
		}
		return err
	}
	if !good || u.Disabled {
		if err := res.Fail(keep); err != nil {
			a.log.Warn("login throttle: recording a failure failed", "err", err)
		}
		a.log.Info("login failed", "user", who(u, email), "addr", addr)
		v.Error = badLogin
		return a.render(w, r, http.StatusUnauthorized, "login", v)
	}
	if err := res.Succeed(keep); err != nil {
		a.log.Warn("login throttle: clearing failures failed", "err", err)
	}
	if rehash {
		if h, err := turn.Hash(ctx, pw); err != nil {
			a.log.Warn("upgrading a password hash: no turn to hash", "user", u.ID, "err", err)
		} else if err := a.store.RehashPassword(ctx, u.ID, h); err != nil {
			a.log.Warn("upgrading a password hash failed", "user", u.ID, "err", err)
		}
	}
	turn.Leave()
	// With two-factor authentication on, the session waits for the code
	// (twofactor.go).
	if on, err := a.store.TwoFactorOn(ctx, u.ID); err != nil {
		return err
	} else if on {
		return a.askCode(w, r, u, v.Next)
	}
	if err := a.startSession(w, r, u); err != nil {
		return err
	}
	a.rememberLogin(w, r, u, device, addr)
	a.log.Info("login", "user", u.ID, "addr", addr)
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
	return nil
}

// loginOrigin says where an attempt comes from, for the throttle: from a
// browser holding a session of the account, from a browser the account
// has logged in with (its device cookie), from an address it has logged
// in from, or from a stranger. It also returns the device cookie's token
// when the account knows it, to be kept after a good password. The same
// queries run whether or not the account exists.
func (a *Admin) loginOrigin(r *http.Request, u *news.User, email, addr string) (auth.Login, string, error) {
	l := auth.Login{Account: email, Address: addr}
	var uid int64
	if u != nil {
		uid = u.ID
	}
	su, sess, err := a.currentUser(r)
	if err != nil {
		return l, "", err
	}
	token := a.deviceToken(r)
	addrKey := auth.AddressKey(addr)
	keys := []string{addrKey}
	if token != "" {
		keys = append(keys, deviceKey(token))
	}
	known, err := a.store.KnownLogins(r.Context(), uid, keys, a.now().Add(-knownFor))
	if err != nil {
		return l, "", err
	}
	l.Known = known[addrKey]
	if token == "" || !known[deviceKey(token)] {
		token = ""
	}
	switch {
	case su != nil && su.ID == uid:
		l.Device = "session " + strconv.FormatInt(sess.ID, 10)
	case token != "":
		l.Device = auth.HashToken(token)
	}
	return l, token, nil
}

// laneOf names the account whose share of the known browsers' lane a
// login takes (auth.KnownPerAccount).
func laneOf(l auth.Login) string { return l.Account }

// bringsLoginCookie reports whether a request carries a session cookie or
// a device cookie of the right form: only such a login may be from a
// browser the account knows, and worth looking up when the strangers'
// queue of password checks is full.
func (a *Admin) bringsLoginCookie(r *http.Request) bool {
	if a.deviceToken(r) != "" {
		return true
	}
	for _, name := range []string{cookieSecure, cookiePlain} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" && len(c.Value) <= 100 {
			return true
		}
	}
	return false
}

// rememberLogin records where a good login came from: the address, and
// the browser by a device cookie, kept if the account knows it already and
// new otherwise. A cookie the account does not know is never adopted, so
// one planted in a browser cannot be made known. A failure here costs only
// the convenience, so it is logged, not returned.
func (a *Admin) rememberLogin(w http.ResponseWriter, r *http.Request, u *news.User, token, addr string) {
	if token == "" {
		token, _ = auth.NewToken()
	}
	http.SetCookie(w, a.deviceCookie(r, token))
	keys := []string{deviceKey(token), auth.AddressKey(addr)}
	if err := a.store.RememberLogin(r.Context(), u.ID, keys, a.now()); err != nil {
		a.log.Warn("remembering where a login came from failed", "user", u.ID, "err", err)
	}
}

// busyHashing is the message for a form whose password could not be
// hashed because the queue of password checks was full.
const busyHashing = "Too many passwords are being checked at this moment. Try again in a few seconds."

// hashInTurn hashes a new password in the logins' queue, or returns
// auth.ErrBusy at once when the queue is full. Every argon2id hash the
// newsroom computes goes through that queue, whoever asks for it, so the
// memory and cores hashes take stay bounded.
func (a *Admin) hashInTurn(ctx context.Context, pw string) (string, error) {
	turn, err := a.gate.hasher.Enter()
	if err != nil {
		return "", err
	}
	defer turn.Leave()
	return turn.Hash(ctx, pw)
}

// loginBusy answers a login that found the queue of password checks full,
// at once: better "try again in a moment" for a few than a slow newsroom
// and site for everybody. It logs at most one line a minute.
func (a *Admin) loginBusy(w http.ResponseWriter, r *http.Request, v *loginView) error {
	if now, last := a.now().Unix(), a.gate.lastWarn.Load(); now-last >= 60 && a.gate.lastWarn.CompareAndSwap(last, now) {
		a.log.Warn("logins refused: the password checks' queue is full (see --login-hashes)", "refused_so_far", a.gate.hasher.Stats().Refused)
	}
	w.Header().Set("Retry-After", "2")
	v.Error = "Too many people are logging in at this moment. Try again in a few seconds."
	return a.render(w, r, http.StatusServiceUnavailable, "login", v)
}

// who names the account of an attempt in the log without writing what was
// typed, since a password typed into the e-mail field would be written
// down: the account's id when there is one; otherwise only whether the
// text looked like an e-mail address.
func who(u *news.User, typed string) string {
	if u != nil {
		return strconv.FormatInt(u.ID, 10)
	}
	if looksLikeEmail(typed) {
		return "none (an unknown e-mail address)"
	}
	return "none (not an e-mail address)"
}

func looksLikeEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && !strings.ContainsAny(s, " \t") && !strings.Contains(domain, "@") &&
		strings.Contains(strings.TrimSuffix(domain, "."), ".")
}

// waitText says a wait in words for the login form.
func waitText(d time.Duration) string {
	switch {
	case d <= time.Minute:
		return "a minute"
	case d <= 20*time.Minute:
		return strconv.Itoa(int((d+time.Minute-1)/time.Minute)) + " minutes"
	default:
		return "a while"
	}
}

// logout ends the session in the database, not only in the browser.
func (a *Admin) logout(w http.ResponseWriter, r *http.Request) error {
	// Whoever logs out is editing nothing: their stories' next editors
	// are not warned of them (presence.go).
	if u := userOf(r); u != nil {
		if err := a.store.LeaveAllEditing(r.Context(), u.ID); err != nil {
			return err
		}
	}
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
		// Anyone holding the link can send this form, again and again
		// while the account is not made (an address taken, a name
		// refused): its hash waits its turn in the logins' queue.
		u.PasswordHash, err = a.hashInTurn(r.Context(), pw)
		if errors.Is(err, auth.ErrBusy) {
			w.Header().Set("Retry-After", "2")
			v.Error = busyHashing
			return a.render(w, r, http.StatusServiceUnavailable, "join", v)
		}
	}
	if err == nil {
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
