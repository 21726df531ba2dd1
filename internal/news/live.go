package news

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Live coverage (issue 19): a published story that is followed as it
// happens. Its body is the summary of key points; its updates come after,
// newest first, pinned ones at the top.

// Coverage is when a story's live coverage started and ended (zero while
// it runs).
type Coverage struct {
	ArticleID int64
	Started   time.Time
	Ended     time.Time
}

// Live reports whether the coverage has started and not ended.
func (c Coverage) Live() bool { return !c.Started.IsZero() && c.Ended.IsZero() }

// LiveUpdate is one entry of a live story.
type LiveUpdate struct {
	ID        int64
	ArticleID int64
	Body      string // Markdown, as typed
	BodyHTML  string // rendered and sanitized by internal/markup when saved
	Byline    string // the name shown with it; empty for none
	AuthorID  int64  // the account that posted it; 0 when unknown
	Pinned    bool
	Deleted   bool
	Created   time.Time
	Updated   time.Time
}

// Anchor is the update's fragment on the story's page: its own address is
// the story's URL + "#" + Anchor().
func (u LiveUpdate) Anchor() string { return "update-" + strconv.FormatInt(u.ID, 10) }

// MaxLiveUpdate is the longest update's text, in characters.
const MaxLiveUpdate = 20000

// MaxLiveByline is the longest byline of an update, in characters.
const MaxLiveByline = 200

// CheckLiveUpdate checks an update's text and byline as typed.
func CheckLiveUpdate(body, byline string) error {
	if strings.TrimSpace(body) == "" {
		return Invalid("body", "write the update's text")
	}
	if n := utf8.RuneCountInString(body); n > MaxLiveUpdate {
		return Invalid("body", "the update is %d characters long; at most %d", n, MaxLiveUpdate)
	}
	if !utf8.ValidString(body) || !utf8.ValidString(byline) {
		return Invalid("body", "the text is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(byline); n > MaxLiveByline {
		return Invalid("byline", "the byline is %d characters long; at most %d", n, MaxLiveByline)
	}
	if strings.ContainsAny(byline, "\r\n") {
		return Invalid("byline", "the byline is one line")
	}
	return nil
}
