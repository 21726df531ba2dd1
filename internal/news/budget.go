package news

import (
	"strings"
	"time"
)

// BudgetStatus is where a planned story stands on the story budget.
type BudgetStatus string

// The budget's statuses, in order. Planned, assigned and writing are set by
// hand while no story exists; once one does, the line follows the story's
// own status (BudgetStatusOf).
const (
	BudgetPlanned   BudgetStatus = "planned"
	BudgetAssigned  BudgetStatus = "assigned"
	BudgetWriting   BudgetStatus = "writing"
	BudgetInReview  BudgetStatus = "review"
	BudgetReady     BudgetStatus = "ready"
	BudgetPublished BudgetStatus = "published"
)

// BudgetStatuses lists every budget status in order, for forms and legends.
var BudgetStatuses = []BudgetStatus{BudgetPlanned, BudgetAssigned, BudgetWriting, BudgetInReview, BudgetReady, BudgetPublished}

// Label is the status as the desk reads it.
func (s BudgetStatus) Label() string {
	switch s {
	case BudgetPlanned:
		return "Planned"
	case BudgetAssigned:
		return "Assigned"
	case BudgetWriting:
		return "Writing"
	case BudgetInReview:
		return "In review"
	case BudgetReady:
		return "Ready"
	case BudgetPublished:
		return "Published"
	}
	return string(s)
}

// Manual reports whether a status is one set by hand, before a story
// exists; the later ones come from the story.
func (s BudgetStatus) Manual() bool {
	return s == BudgetPlanned || s == BudgetAssigned || s == BudgetWriting
}

// ParseBudgetStatus reads a status a form sent. Only the manual ones can
// be chosen: the others follow the story.
func ParseBudgetStatus(s string) (BudgetStatus, error) {
	st := BudgetStatus(strings.TrimSpace(s))
	if st.Manual() {
		return st, nil
	}
	for _, x := range BudgetStatuses {
		if x == st {
			return "", Invalid("status", "%q follows the story: start the story from the line, and the line shows its status", x.Label())
		}
	}
	return "", Invalid("status", "%q is not a budget status (planned, assigned or writing)", s)
}

// BudgetStatusOf is the budget status of a line whose story is in status
// st: a draft is being written, a story filed is in review, a scheduled
// one is ready to go, a published one is published.
func BudgetStatusOf(st Status) BudgetStatus {
	switch st {
	case Review:
		return BudgetInReview
	case Scheduled:
		return BudgetReady
	case Published:
		return BudgetPublished
	}
	return BudgetWriting
}

// BudgetLine is one planned story on the budget.
type BudgetLine struct {
	ID           int64
	SlugLine     string // the desk's short name for the story: "HARBOUR-STRIKE"
	AssigneeID   int64  // the writer it is given to; 0: not yet assigned
	AssigneeName string
	SectionID    int64
	SectionName  string
	DueAt        time.Time // when the story is due, UTC
	Words        int       // expected length; 0: not said
	Notes        string    // one line for the desk
	// Stored is the status kept by hand (planned, assigned, writing); it
	// no longer counts once the line has a story (Status).
	Stored        BudgetStatus
	ArticleID     int64  // the story started from the line; 0: none yet
	ArticleStatus Status // that story's status, read with the line
	Headline      string // and its headline
	CreatedBy     int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Status is where the line stands: the story's status once it has one,
// else the status kept by hand.
func (l *BudgetLine) Status() BudgetStatus {
	if l.ArticleID != 0 {
		return BudgetStatusOf(l.ArticleStatus)
	}
	return l.Stored
}

// Limits of a budget line's fields.
const (
	MaxSlugLine    = 120
	MaxBudgetNotes = 500
	MaxBudgetWords = 100_000
)

// Normalize keeps the kept status in step with the assignment: a line
// given to someone is assigned, one taken away from them planned again.
func (l *BudgetLine) Normalize() {
	l.SlugLine, l.Notes = CleanText(l.SlugLine), CleanText(l.Notes)
	switch {
	case l.AssigneeID != 0 && l.Stored == BudgetPlanned:
		l.Stored = BudgetAssigned
	case l.AssigneeID == 0 && l.Stored == BudgetAssigned:
		l.Stored = BudgetPlanned
	}
}

// Validate checks a line's own fields; that the section and the assignee
// exist is the store's to check.
func (l *BudgetLine) Validate() error {
	var p Problems
	l.Check(&p)
	return p.Err()
}

// Check adds what is wrong with a line's own fields to p, for a form that
// reports its own reading's problems with them.
func (l *BudgetLine) Check(p *Problems) {
	checkText(p, "slug_line", l.SlugLine, MaxSlugLine, true)
	checkText(p, "notes", l.Notes, MaxBudgetNotes, false)
	if l.SectionID == 0 {
		p.Add("section", "choose a section")
	}
	if l.DueAt.IsZero() {
		p.Add("due", "say when the story is due")
	}
	if l.Words < 0 || l.Words > MaxBudgetWords {
		p.Add("words", "%d is not a length in words (0 to %d)", l.Words, MaxBudgetWords)
	}
	if !l.Stored.Manual() {
		p.Add("status", "%q is not a status a line can be given by hand", l.Stored)
	}
}
