package news

import (
	"strconv"
	"strings"
	"time"
)

// The newsroom's states besides Draft and Published.
const (
	Review    Status = "review"    // filed by its writer, waiting for an editor
	Scheduled Status = "scheduled" // to be published at PublishAt
)

// Statuses lists every status in workflow order, for filters and forms.
var Statuses = []Status{Draft, Review, Scheduled, Published}

// Label is the status as the newsroom reads it.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "Draft"
	case Review:
		return "In review"
	case Scheduled:
		return "Scheduled"
	case Published:
		return "Published"
	}
	return string(s)
}

// Public reports whether readers can see an article in this status.
func (s Status) Public() bool { return s == Published }

// StatusAt is the status of a story meant to go out at t, as of now:
// published once t has come, scheduled for t while t is ahead. It is the
// scheduler's rule (an article is due when its time is not after now), so
// a story dated in the future waits for its time whichever way it comes in.
func StatusAt(t, now time.Time) Status {
	if t.After(now) {
		return Scheduled
	}
	return Published
}

// transitions lists, for each status, the statuses an article may move to.
// Saving an article never changes its status; only these moves do, so that
// who may make each move can be checked in one place.
var transitions = map[Status][]Status{
	Draft:     {Review, Published, Scheduled},
	Review:    {Draft, Published, Scheduled},
	Scheduled: {Draft, Published, Scheduled},
	Published: {Draft},
}

// CheckTransition reports whether an article may move from one status to
// another, with a message naming both when it may not.
func CheckTransition(from, to Status) error {
	for _, s := range transitions[from] {
		if s == to {
			return nil
		}
	}
	return Errorf(ECONFLICT, "an article that is %s cannot be made %s", strings.ToLower(from.Label()), strings.ToLower(to.Label()))
}

// Editorial is an article with what only the newsroom sees: who started it,
// when it is due, which revision the stored text is, and the texts for
// search engines.
type Editorial struct {
	Article        *Article
	CreatedBy      int64     // the user who created it; 0 for imported articles
	PublishAt      time.Time // when a scheduled article goes out
	Revision       int       // the number of the revision the stored text is
	SEOTitle       string    // the <title> for search engines, when not the headline
	SEODescription string    // the meta description, when not the summary
	LastEditor     string    // who saved the latest revision, for lists
	Embargo        time.Time // not to be published before this; zero for none
	UnpublishAt    time.Time // when a published article leaves the site by itself; zero for never
}

// ArticleScope is which articles someone may see in the newsroom: every
// article, or only the ones one writer started. Every list, search, page
// and message of the newsroom that names articles keeps to it, so a draft
// or an embargoed story reaches no one outside it. Which scope a person has
// follows from their role (auth.ArticleScope). The zero value includes no
// article: a list that forgets to say whose articles it shows shows none.
type ArticleScope struct {
	all    bool
	writer int64
}

// EveryArticle is the scope of those who may see every article.
func EveryArticle() ArticleScope { return ArticleScope{all: true} }

// WriterArticles is the scope of the articles one user started.
func WriterArticles(userID int64) ArticleScope { return ArticleScope{writer: userID} }

// All reports whether the scope is every article.
func (s ArticleScope) All() bool { return s.all }

// Writer returns the user whose articles the scope is; 0 when it is every
// article or none.
func (s ArticleScope) Writer() int64 {
	if s.all {
		return 0
	}
	return s.writer
}

// Includes reports whether the scope takes in an article.
func (s ArticleScope) Includes(e *Editorial) bool {
	return s.all || (s.writer != 0 && e.CreatedBy == s.writer)
}

// Lengths of the search-engine texts, in characters.
const (
	MaxSEOTitle       = 120
	MaxSEODescription = 320
)

// Validate checks the article and the newsroom's fields.
func (e *Editorial) Validate() error {
	var p Problems
	if err := e.Article.Validate(); err != nil {
		if ps, ok := err.(*Error); ok {
			p = append(p, ps)
		} else {
			return err
		}
	}
	checkText(&p, "seo_title", e.SEOTitle, MaxSEOTitle, false)
	checkText(&p, "seo_description", e.SEODescription, MaxSEODescription, false)
	if e.Article.Status == Scheduled && e.PublishAt.IsZero() {
		p.Add("publish_at", "a scheduled article needs a time to be published")
	}
	return p.Err()
}

// RevisionKind says how a revision came to be.
type RevisionKind string

// The kinds of revision.
const (
	SavedRevision    RevisionKind = "save"     // an ordinary save
	RestoredRevision RevisionKind = "restore"  // a save that restored an older revision
	ConflictRevision RevisionKind = "conflict" // a save refused because it was based on an old revision; kept, not applied
	// ScheduledRevision is a text saved to replace a published story's at
	// a time (store.ScheduleUpdate): kept, not applied until then.
	ScheduledRevision RevisionKind = "scheduled"
)

// Revision is one saved state of an article's text. Revisions are never
// changed or removed.
type Revision struct {
	ID        int64
	ArticleID int64
	Number    int // 1, 2, 3... per article
	UserID    int64
	UserName  string
	At        time.Time
	Kind      RevisionKind
	Base      int    // the revision the writer started from
	Note      string // "restored revision 3", "publish"...
	Content   RevisionContent
}

// RevisionContent is everything a writer types into the editor: enough to
// show, compare and restore a version of an article.
type RevisionContent struct {
	Headline       string   `json:"headline"`
	Slug           string   `json:"slug"`
	Summary        string   `json:"summary,omitempty"`
	Body           string   `json:"body,omitempty"`
	SectionID      int64    `json:"section_id"`
	SectionPath    string   `json:"section,omitempty"`
	Tags           []string `json:"tags,omitempty"`
	Bylines        []string `json:"bylines,omitempty"`
	PhotoID        int64    `json:"photo_id,omitempty"`
	PhotoAlt       string   `json:"photo_alt,omitempty"`
	PhotoCaption   string   `json:"photo_caption,omitempty"`
	PhotoCredit    string   `json:"photo_credit,omitempty"`
	SEOTitle       string   `json:"seo_title,omitempty"`
	SEODescription string   `json:"seo_description,omitempty"`
}

// ContentOf captures an article's text as a revision holds it.
func ContentOf(e *Editorial) RevisionContent {
	a := e.Article
	c := RevisionContent{Headline: a.Headline, Slug: a.Slug, Summary: a.Summary, Body: a.Body,
		SectionID: a.Section.ID, SectionPath: a.Section.Path, SEOTitle: e.SEOTitle, SEODescription: e.SEODescription}
	for _, t := range a.Tags {
		c.Tags = append(c.Tags, t.Name)
	}
	for _, b := range a.Bylines {
		c.Bylines = append(c.Bylines, b.Name)
	}
	if a.Photo != nil {
		c.PhotoID, c.PhotoAlt, c.PhotoCaption, c.PhotoCredit = a.Photo.Media.ID, a.Photo.Alt, a.Photo.Caption, a.Photo.Credit
	}
	return c
}

// Text lays a revision's content out as lines, one field after another, so
// two revisions can be compared line by line and read by a person.
func (c RevisionContent) Text() string {
	var b strings.Builder
	field := func(name, v string) {
		if v != "" {
			b.WriteString(name + ": " + v + "\n")
		}
	}
	field("Headline", c.Headline)
	field("Slug", c.Slug)
	field("Section", c.SectionPath)
	field("Summary", c.Summary)
	field("Bylines", strings.Join(c.Bylines, "; "))
	field("Tags", strings.Join(c.Tags, ", "))
	if c.PhotoID != 0 {
		field("Photo", "#"+strconv.FormatInt(c.PhotoID, 10))
	}
	field("Photo alt text", c.PhotoAlt)
	field("Photo caption", c.PhotoCaption)
	field("Photo credit", c.PhotoCredit)
	field("SEO title", c.SEOTitle)
	field("SEO description", c.SEODescription)
	if c.Body != "" {
		b.WriteString("\n" + strings.TrimRight(c.Body, "\n") + "\n")
	}
	return b.String()
}

// AuditEntry is one line of the audit log: who did what to what, and when.
type AuditEntry struct {
	ID       int64
	At       time.Time
	UserID   int64 // 0 for the system (the scheduler, the command line)
	UserName string
	Action   string // "publish", "unpublish", "correction", "role", "user.create"...
	Target   string // "article 12", "user 3"
	Detail   string
}

// Autosave is what a writer's editor sent last without saving it: kept
// apart from the article (it is not a revision and is never public) until
// the writer saves or discards it.
//
// Each editor page is given a draft token; its autosaves carry it and a
// sequence number that grows with each one it sends. A save closes its
// page's token, so an autosave that arrives after the save is refused.
type Autosave struct {
	UserID    int64
	ArticleID int64 // 0 for a story not yet saved
	Token     string
	Seq       int64
	At        time.Time
	Base      int // the revision the writer started from
	Content   RevisionContent
}
