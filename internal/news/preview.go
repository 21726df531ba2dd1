package news

import (
	"strconv"
	"strings"
	"time"
)

// PreviewLink is an address that shows one article's current saved text,
// as its public page would look, to someone with no newsroom account: a
// lawyer reading a story before it runs, a source checking a quote. Whoever
// holds the address can read the draft, so a link has an end, chosen when
// it is made, can be revoked at once, and counts its uses. Only a hash of
// its token is stored (see the store), so a copy of the database opens
// nothing.
type PreviewLink struct {
	ID          int64
	ArticleID   int64
	Note        string // whom it is for: "for the lawyer"
	CreatedBy   int64
	CreatorName string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	RevokedAt   time.Time // zero while not revoked
	RevokedBy   int64
	Uses        int64     // how many times it was opened
	LastUsedAt  time.Time // zero when never opened
}

// How long a preview link lasts: a week unless its maker says otherwise,
// and a month at most, so a link forgotten in someone's mail stops working.
const (
	DefaultPreviewDays = 7
	MaxPreviewDays     = 30
	MaxPreviewNote     = 200
)

// PreviewLinkState is what a link does when opened.
type PreviewLinkState string

// The states of a preview link.
const (
	PreviewOpen    PreviewLinkState = "open"
	PreviewExpired PreviewLinkState = "expired"
	PreviewRevoked PreviewLinkState = "revoked"
)

// State says whether the link opens at now, or why not. A revoked link says
// so even after its end.
func (l *PreviewLink) State(now time.Time) PreviewLinkState {
	switch {
	case !l.RevokedAt.IsZero():
		return PreviewRevoked
	case !now.Before(l.ExpiresAt):
		return PreviewExpired
	}
	return PreviewOpen
}

// PreviewDays reads the lifetime a maker asked for, in days: empty is the
// default; anything but a whole number from 1 to MaxPreviewDays is refused,
// naming the field.
func PreviewDays(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultPreviewDays, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxPreviewDays {
		return 0, Invalid("days", "%q is not a number of days from 1 to %d", s, MaxPreviewDays)
	}
	return n, nil
}

// CheckPreviewNote cleans the note a link is made with and checks its length.
func CheckPreviewNote(s string) (string, error) {
	s = CleanText(s)
	if len([]rune(s)) > MaxPreviewNote {
		return "", Invalid("note", "is %d characters long; at most %d", len([]rune(s)), MaxPreviewNote)
	}
	return s, nil
}

// PreviewWithdrawn reports whether a preview link to a stops showing it
// because the story was published once and has been taken down since: a
// story withdrawn (for a legal reason, often) must not stay readable
// through links sent while it was being prepared. A published story is
// not withdrawn: its link leads to the public page.
func PreviewWithdrawn(a *Article) bool {
	return !a.PublishedAt.IsZero() && a.Status != Published
}
