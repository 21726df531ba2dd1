package news

import (
	"slices"
	"strings"
	"time"
)

// Scope is one kind of thing an API token may be used for. A token acts
// for the account that made it: what it may do is what its scopes allow
// and, of that, what its creator's role allows (internal/auth decides).
type Scope string

// The scopes of API tokens.
const (
	ScopeReadDrafts    Scope = "read:drafts"    // read drafts, scheduled and unpublished stories through the API
	ScopeWriteArticles Scope = "write:articles" // create articles, change drafts, submit them
	ScopePublish       Scope = "publish"        // publish, schedule, unpublish, correct, change what is live
	ScopeUploadMedia   Scope = "upload:media"   // add photos to the library
	ScopeManageSite    Scope = "manage:site"    // the site's settings (no write endpoint uses it yet)
)

// Scopes lists every scope, in the order forms show them.
var Scopes = []Scope{ScopeReadDrafts, ScopeWriteArticles, ScopePublish, ScopeUploadMedia, ScopeManageSite}

// ParseScope reads a scope name.
func ParseScope(s string) (Scope, error) {
	sc := Scope(strings.TrimSpace(s))
	if slices.Contains(Scopes, sc) {
		return sc, nil
	}
	names := make([]string, len(Scopes))
	for i, x := range Scopes {
		names[i] = string(x)
	}
	return "", Invalid("scope", "%q is not a scope (%s)", s, strings.Join(names, ", "))
}

// Limits of a token's fields.
const (
	MaxTokenName = 80
	// MaxTokenLifetime bounds an expiry, so "forever" is a choice (no
	// expiry) and never a typing slip of many zeros.
	MaxTokenLifetime = 5 * 365 * 24 * time.Hour
)

// APIToken is a credential for software: a deploy script, a chat bot, a
// wire feed. It is shown once when made; only a hash of it is stored, so a
// copy of the database lets nobody in. It acts for its creator, never for
// more than the creator's role allows, and ends when revoked or expired.
type APIToken struct {
	ID          int64
	Name        string // what it is for: "deploy-bot"; the audit log names it
	Scopes      []Scope
	CreatedBy   int64
	CreatorName string
	CreatedAt   time.Time
	ExpiresAt   time.Time // zero: never expires
	RevokedAt   time.Time // zero while not revoked
	RevokedBy   int64
	LastUsedAt  time.Time // zero when never used
}

// Has reports whether the token was given scope s.
func (t *APIToken) Has(s Scope) bool { return slices.Contains(t.Scopes, s) }

// TokenState is whether a token is accepted.
type TokenState string

// The states of a token.
const (
	TokenActive  TokenState = "active"
	TokenExpired TokenState = "expired"
	TokenRevoked TokenState = "revoked"
)

// State says whether the token is accepted at now, or why not.
func (t *APIToken) State(now time.Time) TokenState {
	switch {
	case !t.RevokedAt.IsZero():
		return TokenRevoked
	case !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt):
		return TokenExpired
	}
	return TokenActive
}

// AuditName is how the audit log names a change made with the token: the
// token first, the account it acts for after ("token: deploy-bot (by Ana)").
func (t *APIToken) AuditName() string {
	return "token: " + t.Name + " (by " + t.CreatorName + ")"
}

// Validate checks a new token's own fields: a name, at least one scope,
// each known and given once, and an expiry, if any, after its creation and
// within MaxTokenLifetime of it.
func (t *APIToken) Validate() error {
	var p Problems
	checkText(&p, "name", t.Name, MaxTokenName, true)
	if len(t.Scopes) == 0 {
		p.Add("scope", "give the token at least one scope")
	}
	seen := map[Scope]bool{}
	for _, s := range t.Scopes {
		if _, err := ParseScope(string(s)); err != nil {
			p = append(p, err.(*Error))
		} else if seen[s] {
			p.Add("scope", "%q is given twice", s)
		}
		seen[s] = true
	}
	if !t.ExpiresAt.IsZero() {
		switch {
		case !t.ExpiresAt.After(t.CreatedAt):
			p.Add("expires", "the expiry has passed: give a time in the future")
		case t.ExpiresAt.Sub(t.CreatedAt) > MaxTokenLifetime:
			p.Add("expires", "is more than %d days away; leave it empty for a token that does not expire", int(MaxTokenLifetime/(24*time.Hour)))
		}
	}
	return p.Err()
}
