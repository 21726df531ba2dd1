package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// API tokens: what software (a deploy script, a chat bot, a wire feed)
// uses to read drafts and write through the API. Admins make and revoke
// them here, as they manage accounts (auth.ManageUsers): a token acts for
// the admin who makes it, within its scopes (auth.TokenCan). The secret is
// shown once, on the answer to the form that made it; only its hash is
// stored. `newsdesk token` does the same from the command line.

// tokensView is the list of tokens and the form for a new one; Secret is
// set on the answer that made one, and on no other page.
type tokensView struct {
	page
	Tokens []tokenRow
	Scopes []scopeOption
	// F is the new token's form, as sent when it was refused.
	F struct {
		Name    string
		Expires string // yyyy-mm-dd, in the newsroom's zone
	}
	MaxName  int
	MinDate  string // the form's date bounds: tomorrow, and the longest lifetime
	MaxDate  string
	Secret   string
	NewToken *news.APIToken
}

type tokenRow struct {
	*news.APIToken
	State     news.TokenState
	RevokerOf string // who revoked it: a name, or "the command line"
}

// scopeOption is one checkbox of the form: a scope, what it opens, and
// whether it is ticked.
type scopeOption struct {
	Scope   news.Scope
	ID      string // the checkbox's id: "scope-read-drafts"
	Help    string
	Checked bool
}

// scopeHelp says in a line what each scope lets a token do.
var scopeHelp = map[news.Scope]string{
	news.ScopeReadDrafts:    "read drafts, stories in review, scheduled and taken-down stories",
	news.ScopeWriteArticles: "create stories, change them, submit them for review",
	news.ScopePublish:       "publish, schedule, take down and correct stories",
	news.ScopeUploadMedia:   "add photos to the library",
	news.ScopeManageSite:    "the site's settings (no endpoint uses it yet)",
}

func (a *Admin) listTokens(w http.ResponseWriter, r *http.Request) error {
	return a.renderTokens(w, r, http.StatusOK, &tokensView{}, nil)
}

func (a *Admin) renderTokens(w http.ResponseWriter, r *http.Request, status int, v *tokensView, ferr error) error {
	ctx := r.Context()
	v.page = a.newPage(r, "API tokens")
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	list, err := a.store.APITokens(ctx)
	if err != nil {
		return err
	}
	users, err := a.store.Users(ctx)
	if err != nil {
		return err
	}
	now := a.now()
	for _, t := range list {
		row := tokenRow{APIToken: t, State: t.State(now)}
		if row.State == news.TokenRevoked {
			row.RevokerOf = "the command line"
			if i := slices.IndexFunc(users, func(u *news.User) bool { return u.ID == t.RevokedBy }); i >= 0 {
				row.RevokerOf = users[i].Name
			}
		}
		v.Tokens = append(v.Tokens, row)
	}
	sent := r.PostForm["scope"]
	for _, s := range news.Scopes {
		v.Scopes = append(v.Scopes, scopeOption{Scope: s, ID: "scope-" + strings.NewReplacer(":", "-").Replace(string(s)),
			Help: scopeHelp[s], Checked: slices.Contains(sent, string(s))})
	}
	today := now.In(a.loc())
	v.MaxName = news.MaxTokenName
	v.MinDate = today.AddDate(0, 0, 1).Format(time.DateOnly)
	v.MaxDate = today.Add(news.MaxTokenLifetime).AddDate(0, 0, -1).Format(time.DateOnly)
	return a.render(w, r, status, "tokens", v)
}

// createToken makes a token acting for the admin who asks. An expiry is a
// day in the newsroom's zone: the token works through that day.
func (a *Admin) createToken(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	v := &tokensView{}
	v.F.Name, v.F.Expires = r.PostFormValue("name"), strings.TrimSpace(r.PostFormValue("expires"))
	now := a.now().UTC()
	t := &news.APIToken{Name: v.F.Name, CreatedBy: u.ID, CreatedAt: now}
	for _, s := range r.PostForm["scope"] {
		sc, err := news.ParseScope(s)
		if err != nil {
			return a.renderTokens(w, r, statusOf(err), v, err)
		}
		t.Scopes = append(t.Scopes, sc)
	}
	if v.F.Expires != "" {
		day, err := time.ParseInLocation(time.DateOnly, v.F.Expires, a.loc())
		if err != nil {
			err = news.Invalid("expires", "%q is not a date: give one as 2026-12-31, or leave it empty", v.F.Expires)
			return a.renderTokens(w, r, statusOf(err), v, err)
		}
		t.ExpiresAt = day.AddDate(0, 0, 1).UTC()
	}
	secret, hash := auth.NewAPIToken()
	err := a.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.CreateAPIToken(ctx, hash, t); err != nil {
			return err
		}
		detail := t.Name + ": " + scopeNames(t.Scopes)
		if !t.ExpiresAt.IsZero() {
			detail += ", until " + t.ExpiresAt.Format(time.RFC3339)
		}
		return audit(ctx, tx, u, "token.create", tokenTarget(t.ID), detail)
	})
	if c := news.ErrorCode(err); c == news.EINVALID || c == news.ECONFLICT {
		return a.renderTokens(w, r, statusOf(err), v, err)
	} else if err != nil {
		return err
	}
	// The secret is on this answer alone; the form starts empty again.
	r.PostForm.Del("scope")
	done := &tokensView{Secret: secret, NewToken: t}
	return a.renderTokens(w, r, http.StatusCreated, done, nil)
}

// revokeToken ends a token at once, after asking: software using it is
// refused from its next call, on every instance.
func (a *Admin) revokeToken(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := a.store.APIToken(ctx, id)
	if err != nil {
		return err
	}
	if !t.RevokedAt.IsZero() {
		return news.NotFound("the API token %q is revoked already", t.Name)
	}
	if !confirmed(r) {
		return a.askToConfirm(w, r, confirmView{Heading: "Revoke the token " + t.Name + "?",
			Message: "Whatever uses it is refused from its next call, and the token cannot be used again: to give that software access again, make a new token.",
			Action:  "/admin/tokens/" + strconv.FormatInt(id, 10) + "/revoke", Button: "Revoke the token", Back: "/admin/tokens"})
	}
	u := userOf(r)
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.RevokeAPIToken(ctx, id, u.ID, a.now().UTC()); err != nil {
			return err
		}
		return audit(ctx, tx, u, "token.revoke", tokenTarget(id), t.Name)
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/tokens?done=token-revoked", http.StatusSeeOther)
	return nil
}

func tokenTarget(id int64) string { return "token " + strconv.FormatInt(id, 10) }

func scopeNames(ss []news.Scope) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, " ")
}
