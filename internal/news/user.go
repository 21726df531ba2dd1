package news

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a newsroom account may do; the permissions of each role are
// one table in internal/auth.
type Role string

// The roles, from least to most trusted.
const (
	Contributor Role = "contributor" // writes and files their own stories
	Editor      Role = "editor"      // edits, publishes and corrects any story
	Admin       Role = "admin"       // an editor who also manages accounts
)

// Roles lists the roles in order of trust, for forms.
var Roles = []Role{Contributor, Editor, Admin}

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case Contributor, Editor, Admin:
		return r, nil
	}
	return "", Invalid("role", "%q is not a role (contributor, editor or admin)", s)
}

// User is a newsroom account. The password is kept only as a hash, and only
// the store and internal/auth ever see it.
type User struct {
	ID           int64
	Email        string // lower case; the login name
	Name         string
	Role         Role
	Disabled     bool // a disabled account cannot log in; its work stays
	PasswordHash string
	CreatedAt    time.Time
}

// Password lengths, in characters. The long maximum allows passphrases; it
// exists so that hashing cannot be made arbitrarily slow.
const (
	MinPassword = 12
	MaxPassword = 256
	MaxEmail    = 254
)

// NormalizeEmail trims and lower-cases an address, so that "Ana@X.org" and
// "ana@x.org " are one account.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks an account's own fields.
func (u *User) Validate() error {
	var p Problems
	if u.Email == "" {
		p.Add("email", "is empty")
	} else if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || len(u.Email) > MaxEmail {
		p.Add("email", "%q is not an e-mail address", u.Email)
	}
	checkText(&p, "name", u.Name, MaxName, true)
	if _, err := ParseRole(string(u.Role)); err != nil {
		p.Add("role", "%q is not a role (contributor, editor or admin)", u.Role)
	}
	return p.Err()
}

// CheckPassword applies the password rules: long enough to resist guessing,
// short enough to hash quickly. Composition rules are left out on purpose:
// they make passwords harder to remember, not harder to guess.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return Invalid("password", "is not valid UTF-8")
	case n < MinPassword:
		return Invalid("password", "is %d characters; use at least %d (a few words make a good one)", n, MinPassword)
	case n > MaxPassword:
		return Invalid("password", "is longer than %d characters", MaxPassword)
	}
	return nil
}

// Session is one signed-in browser. The token itself is never stored.
type Session struct {
	ID        int64
	UserID    int64
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time
	Address   string // the client address at login
	UserAgent string
}

// Invitation is a one-time link to create an account with a given role.
// The first admin's setup link is an invitation nobody sent (Setup).
type Invitation struct {
	ID        int64
	Email     string // the address it was sent to, if the admin gave one
	Role      Role
	Setup     bool
	CreatedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time
	UsedBy    int64
}
