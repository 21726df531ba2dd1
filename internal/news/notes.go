package news

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// NoteKind says how a note on a story came to be.
type NoteKind string

// The kinds of note.
const (
	PlainNote    NoteKind = "note"      // left by a colleague
	SentBackNote NoteKind = "sent back" // the reason a story went back to its writer
)

// Note is what the newsroom writes on a story for itself: never published,
// never in the API, the feeds or an export.
type Note struct {
	ID        int64
	ArticleID int64
	UserID    int64
	UserName  string
	Kind      NoteKind
	Text      string
	At        time.Time
}

// MaxNote is the longest note, in characters.
const MaxNote = 4000

// CleanNote trims a note and checks it: not empty, not too long, valid
// text; line breaks are kept, other control characters are refused.
func CleanNote(field, s string) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(s):
		return "", Invalid(field, "is not valid UTF-8")
	case s == "":
		return "", Invalid(field, "write the note")
	case utf8.RuneCountInString(s) > MaxNote:
		return "", Invalid(field, "is longer than %d characters", MaxNote)
	}
	if i := strings.IndexFunc(s, IsBidiControl); i >= 0 {
		return "", Invalid(field, "holds an invisible bidirectional control character at byte %d: remove it", i)
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }); i >= 0 {
		return "", Invalid(field, "holds a control character at byte %d", i)
	}
	return s, nil
}

// Mention is one "@name" in a note's text, at bytes [Start, End).
type Mention struct {
	Start, End int
	Handle     string // the name after @, as typed
}

// Mentions finds the "@name" words of a text: an @ at the start or after a
// character that is not a letter or digit (so an email address is not
// one), then letters, digits, '.', '-' and '_' (a final '.' or '-' is
// punctuation, not part of the name).
func Mentions(text string) []Mention {
	var out []Mention
	for i := 0; i < len(text); i++ {
		if text[i] != '@' {
			continue
		}
		if i > 0 {
			r, _ := utf8.DecodeLastRuneInString(text[:i])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '@' {
				continue
			}
		}
		j := i + 1
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_') {
				break
			}
			j += n
		}
		for j > i+1 && (text[j-1] == '.' || text[j-1] == '-') {
			j--
		}
		if j > i+1 {
			out = append(out, Mention{Start: i, End: j, Handle: text[i+1 : j]})
			i = j - 1
		}
	}
	return out
}

// Handles are the names a colleague can be mentioned by: the account's
// name without spaces ("@AnaSilva"), its first name when no other active
// account shares it ("@Ana"), and the part of its email address before
// the @ ("@asilva"), all compared without regard to case. A handle two
// active accounts answer to names no one (it stays text), so a note is
// never sent to the wrong colleague; an address or a whole name still
// comes before a first name.
func Handles(users []*User) map[string]*User {
	out := map[string]*User{}
	shared := map[string]bool{} // answered to by two accounts: no one
	first := map[string][]*User{}
	add := func(k string, u *User) {
		if v, ok := out[k]; ok && v != u {
			shared[k] = true
		}
		out[k] = u
	}
	for _, u := range users {
		if u.Disabled {
			continue
		}
		add(strings.ToLower(strings.Join(strings.Fields(u.Name), "")), u)
		if local, _, ok := strings.Cut(u.Email, "@"); ok && local != "" {
			add(strings.ToLower(local), u)
		}
		if f := strings.Fields(u.Name); len(f) > 0 {
			k := strings.ToLower(f[0])
			first[k] = append(first[k], u)
		}
	}
	for k := range shared {
		delete(out, k)
	}
	for k, us := range first {
		if _, taken := out[k]; !taken && !shared[k] && len(us) == 1 {
			out[k] = us[0]
		}
	}
	return out
}

// NotificationKind says why a notification concerns its reader.
type NotificationKind string

// The kinds of notification.
const (
	NotifyMention    NotificationKind = "mention"    // named in a note
	NotifySentBack   NotificationKind = "sent back"  // their story was sent back to them
	NotifyAssigned   NotificationKind = "assigned"   // a story was assigned to them
	NotifyPublished  NotificationKind = "published"  // their story was published
	NotifyCorrection NotificationKind = "correction" // a correction was added to their story
)

// Label is the kind as the newsroom reads it.
func (k NotificationKind) Label() string {
	switch k {
	case NotifyMention:
		return "Mentioned"
	case NotifySentBack:
		return "Sent back"
	case NotifyAssigned:
		return "Assigned"
	case NotifyPublished:
		return "Published"
	case NotifyCorrection:
		return "Correction"
	}
	return string(k)
}

// Notification is one thing that concerns a newsroom account.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      NotificationKind
	ArticleID int64 // 0 when it is about no story
	Headline  string
	Text      string
	At        time.Time
	ReadAt    time.Time // zero: unread
}

// Embargoed reports whether an article under embargo until the given time
// may not be published at now.
func Embargoed(until, now time.Time) bool { return !until.IsZero() && now.Before(until) }

// EmbargoError is the refusal of a publication before the embargo, naming
// its time in loc.
func EmbargoError(until time.Time, loc *time.Location) *Error {
	if loc == nil {
		loc = time.UTC
	}
	return &Error{Code: ECONFLICT, Field: "embargo", Message: "this story is under embargo until " + until.In(loc).Format("2 Jan 2006 15:04 MST") +
		": it cannot be published before then (schedule it for that time or later, or lift the embargo)"}
}
