package news

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Section is a node in the tree of sections ("News" > "Russia"). Its Path is
// the slugs from the top joined by "/" ("news/russia"): the section front is
// at "/"+Path+"/".
type Section struct {
	ID          int64
	ParentID    int64 // 0 for a top section
	Slug        string
	Name        string
	Description string
	Position    int // order among siblings, lowest first
	Path        string
}

// URL is the section front's path on the site.
func (s *Section) URL() string { return "/" + s.Path + "/" }

// Depth is 1 for a top section, 2 for its children, and so on.
func (s *Section) Depth() int { return strings.Count(s.Path, "/") + 1 }

// Author is a person or an agency that can be credited on an article.
type Author struct {
	ID     int64
	Slug   string
	Name   string
	Bio    string
	Agency bool // "AFP", "Reuters": credited as "By AFP"
}

// URL is the author page's path on the site.
func (a *Author) URL() string { return "/author/" + a.Slug }

// Tag is a keyword an article is filed under.
type Tag struct {
	ID   int64
	Slug string
	Name string
}

// URL is the tag page's path on the site.
func (t *Tag) URL() string { return "/tag/" + t.Slug }

// Media is one stored file: an original upload, addressed by the hash of its
// content so the same photo is stored once.
type Media struct {
	ID        int64
	Hash      string // hex SHA-256 of the stored bytes
	Type      string // "image/jpeg", "image/png", "image/gif", "image/webp"
	Size      int64  // bytes
	Width     int    // pixels
	Height    int
	Name      string // the file name it came with, for the newsroom only
	CreatedAt time.Time
	Framing   Framing // focal point and crops (see crop.go)
}

// Crop is the part of the picture shown in shape a (see Framing.Crop).
func (m *Media) Crop(a Aspect) Rect { return m.Framing.Crop(a, m.Width, m.Height) }

// Ext is the file name extension that fits the media type.
func (m *Media) Ext() string {
	switch m.Type {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	}
	return ""
}

// Key is the name under which the file is stored and served: /media/{Key}.
func (m *Media) Key() string { return m.Hash + m.Ext() }

// Photo is a use of an image on an article, with the words that go with it.
type Photo struct {
	Media   Media
	Alt     string // what the picture shows, for those who cannot see it
	Caption string
	Credit  string // "AFP", "Jane Doe/Newsdesk"
}

// Correction is a public note appended to an article; corrections are never
// edited or removed.
type Correction struct {
	At   time.Time
	Text string
}

// Status is where an article is in the workflow.
type Status string

// The workflow states.
const (
	Draft     Status = "draft"
	Published Status = "published"
)

// Article is a story. Body is Markdown, as written; BodyHTML is its rendered,
// sanitized form, made when the article is saved.
type Article struct {
	ID          int64
	Slug        string
	Headline    string
	Summary     string
	Body        string
	BodyHTML    string
	Section     Section
	Tags        []Tag
	Bylines     []Author // in the order they are credited
	Photo       *Photo   // the lead photo, if any
	Status      Status
	PublishedAt time.Time // first publication; zero for a draft never published
	UpdatedAt   time.Time // last substantive update; zero when never updated
	Corrections []Correction
	CreatedAt   time.Time
	ModifiedAt  time.Time // last save of any kind
	// SEOTitle and SEODescription are the <title> and meta description
	// for search engines, when an editor wrote them; empty, the headline
	// and summary serve. Read with a whole article (the newsroom edits
	// them through Editorial).
	SEOTitle, SEODescription string
}

// URL is the article's path on the site.
func (a *Article) URL() string { return "/" + a.Section.Path + "/" + a.Slug }

// Updated reports whether the article has a public "updated" time later than
// its publication.
func (a *Article) Updated() bool {
	return !a.UpdatedAt.IsZero() && a.UpdatedAt.After(a.PublishedAt)
}

// Lengths a field may have, in characters.
const (
	MaxHeadline   = 300
	MaxSummary    = 1000
	MaxBody       = 200_000
	MaxName       = 200
	MaxCaption    = 1000
	MaxAlt        = 500
	MaxCorrection = 2000
)

// Validate checks the rules every saved article keeps and reports all the
// broken ones at once.
func (a *Article) Validate() error {
	var p Problems
	checkText(&p, "title", a.Headline, MaxHeadline, true)
	if a.Slug == "" {
		p.Add("slug", "is empty and none can be made from the title")
	} else if !ValidSlug(a.Slug) {
		p.Add("slug", "%q is not a slug: use lower-case letters, digits and single hyphens, at most %d bytes", a.Slug, MaxSlugLen)
	} else if why := ReservedSlug(a.Slug, false); why != "" {
		p.Add("slug", "%q cannot be used: it is the address of %s; choose another slug", a.Slug, why)
	}
	checkText(&p, "summary", a.Summary, MaxSummary, false)
	if utf8.RuneCountInString(a.Body) > MaxBody {
		p.Add("body", "is longer than %d characters", MaxBody)
	} else if !utf8.ValidString(a.Body) {
		p.Add("body", "is not valid UTF-8")
	} else if i := strings.IndexByte(a.Body, 0); i >= 0 {
		// PostgreSQL's text cannot hold a NUL: refused here, it is a
		// clear error, not a failed insert.
		p.Add("body", "holds a NUL character (U+0000) at byte %d, which cannot be stored: remove it", i)
	}
	if a.Section.ID == 0 && a.Section.Path == "" {
		p.Add("section", "is missing: every article belongs to a section")
	} else if a.Section.ID == 0 {
		// A path to find or make (the importer's): refused before any
		// write when a part is reserved, even if a section made before
		// the words were reserved is there, since its stories cannot be
		// reached.
		if e := checkSectionPath(a.Section.Path); e != nil {
			p = append(p, e)
		}
	}
	switch a.Status {
	case Draft, Review, Scheduled, Published:
	default:
		p.Add("status", "%q is not a status (draft, review, scheduled or published)", a.Status)
	}
	if a.Status == Published && a.PublishedAt.IsZero() {
		p.Add("date", "a published article needs a publication time")
	}
	if !a.UpdatedAt.IsZero() && !a.PublishedAt.IsZero() && a.UpdatedAt.Before(a.PublishedAt) {
		p.Add("lastmod", "is before the publication date")
	}
	seen := map[string]bool{}
	for i, b := range a.Bylines {
		checkText(&p, "authors", b.Name, MaxName, true)
		if seen[b.Slug] {
			p.Add("authors", "%q is credited twice", b.Name)
		}
		seen[b.Slug] = true
		_ = i
	}
	for _, t := range a.Tags {
		checkText(&p, "tags", t.Name, MaxName, true)
	}
	if a.Photo != nil {
		checkText(&p, "image.alt", a.Photo.Alt, MaxAlt, true)
		checkText(&p, "image.caption", a.Photo.Caption, MaxCaption, false)
		checkText(&p, "image.credit", a.Photo.Credit, MaxName, false)
	}
	for _, c := range a.Corrections {
		checkText(&p, "corrections", c.Text, MaxCorrection, true)
		if c.At.IsZero() {
			p.Add("corrections", "a correction needs a date")
		}
	}
	return p.Err()
}

// checkText applies the rules for a one-line plain-text field. CleanText
// has removed bidirectional controls from what every surface reads; one
// still here came by a way that skipped it, and is refused rather than
// stored.
func checkText(p *Problems, field, s string, max int, required bool) {
	switch {
	case !utf8.ValidString(s):
		p.Add(field, "is not valid UTF-8")
	case required && strings.TrimSpace(s) == "":
		p.Add(field, "is empty")
	case utf8.RuneCountInString(s) > max:
		p.Add(field, "is longer than %d characters", max)
	default:
		if i := strings.IndexFunc(s, IsBidiControl); i >= 0 {
			r, _ := utf8.DecodeRuneInString(s[i:])
			p.Add(field, "holds an invisible bidirectional control character (U+%04X) at byte %d, which makes text show in another order than it reads: remove it", r, i)
		} else if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
			r, _ := utf8.DecodeRuneInString(s[i:])
			p.Add(field, "holds a control character (U+%04X) at byte %d, which a one-line field cannot hold: remove it", r, i)
		}
	}
}

// CleanText trims a one-line field and folds its runs of white space, so
// that stray newlines from a form or a YAML block do not reach a headline.
// It also removes the bidirectional embeddings, overrides and isolates
// (see IsBidiControl): in a headline, a name or a caption they only serve
// to make text show in another order than it reads (a byline that reads
// as someone else's, a file name that hides its type), and an unclosed
// one reorders what a page puts after the field. The direction marks
// (U+200E, U+200F, U+061C) stay: they change no order by themselves, and
// right-to-left writers use them to place punctuation and numbers.
//
// The control characters (C0, DEL, C1) that are not white space go too:
// a NUL pasted or posted (%00) into a headline passed every check and
// then failed PostgreSQL's insert ("invalid byte sequence"), a server
// error instead of a clean save; the others (a bell, an escape sequence)
// are invisible on a page and dropped by the feeds, so a story would read
// differently in each. A byte-order mark (U+FEFF) left in the middle of
// a pasted name is removed for the same reason. White space controls
// (tab, newline, NEL...) fold into a space as before.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.ContainsFunc(s, dropped) {
		s = strings.Map(func(r rune) rune {
			if dropped(r) {
				return -1
			}
			return r
		}, s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// dropped reports whether CleanText removes r: a bidirectional control, a
// byte-order mark, or a control character that is not white space.
func dropped(r rune) bool {
	return IsBidiControl(r) || r == '\uFEFF' || unicode.IsControl(r) && !unicode.IsSpace(r)
}

// IsBidiControl reports whether r is one of the Unicode bidirectional
// formatting characters that open or close a run of text in a direction of
// their own: the embeddings and overrides U+202A-U+202E (LRE, RLE, PDF,
// LRO, RLO) and the isolates U+2066-U+2069 (LRI, RLI, FSI, PDI). The
// marks U+200E, U+200F and U+061C are not among them.
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// Validate checks a section's own fields, its slug against the words
// reserved for the site's own addresses at its depth (ParentID 0 is a top
// section; see ReservedSlug).
func (s *Section) Validate() error {
	var p Problems
	if !ValidSlug(s.Slug) {
		p.Add("slug", "%q is not a slug", s.Slug)
	} else if why := ReservedSlug(s.Slug, s.ParentID == 0); why != "" {
		where := "a top section"
		if s.ParentID != 0 {
			where = "a section"
		}
		p.Add("slug", "%q cannot name %s: it is the address of %s; choose another slug", s.Slug, where, why)
	}
	checkText(&p, "name", s.Name, MaxName, true)
	checkText(&p, "description", s.Description, MaxSummary, false)
	return p.Err()
}

// NameFromSlug makes a display name from a slug: "middle-east" -> "Middle East".
func NameFromSlug(slug string) string {
	words := strings.Split(slug, "-")
	for i, w := range words {
		if w == "" {
			continue
		}
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// SortSections orders a tree's sections depth-first: each parent followed by
// its children, siblings by Position then Name. Sections whose parent is
// missing from the list come last, so nothing is lost.
func SortSections(all []Section) []Section {
	children := map[int64][]Section{}
	ids := map[int64]bool{}
	for _, s := range all {
		ids[s.ID] = true
	}
	for _, s := range all {
		parent := s.ParentID
		if parent != 0 && !ids[parent] {
			parent = -1
		}
		children[parent] = append(children[parent], s)
	}
	out := make([]Section, 0, len(all))
	var walk func(parent int64)
	walk = func(parent int64) {
		kids := children[parent]
		slices.SortStableFunc(kids, func(a, b Section) int {
			if a.Position != b.Position {
				return a.Position - b.Position
			}
			return strings.Compare(a.Name, b.Name)
		})
		for _, k := range kids {
			out = append(out, k)
			walk(k.ID)
		}
	}
	walk(0)
	walk(-1)
	return out
}

// agencies are the news agencies recognised by name when a byline is first
// seen; an editor can mark any other author as an agency.
var agencies = map[string]bool{
	"afp": true, "ap": true, "associated press": true, "reuters": true, "interfax": true,
	"ria novosti": true, "tass": true, "dpa": true, "efe": true, "ansa": true, "xinhua": true,
	"kyodo": true, "anadolu": true, "pa media": true, "bloomberg": true, "upi": true,
}

// IsAgency reports whether a byline name is a known news agency.
func IsAgency(name string) bool { return agencies[strings.ToLower(CleanText(name))] }

// Tree is the section tree, for walking in memory.
type Tree struct {
	byID     map[int64]Section
	children map[int64][]Section
	all      []Section
}

// NewTree indexes sections (as Store.Sections returns them: parents first,
// siblings in order).
func NewTree(all []Section) *Tree {
	t := &Tree{byID: map[int64]Section{}, children: map[int64][]Section{}, all: all}
	for _, s := range all {
		t.byID[s.ID] = s
		t.children[s.ParentID] = append(t.children[s.ParentID], s)
	}
	return t
}

// Roots returns the top sections in order.
func (t *Tree) Roots() []Section { return t.children[0] }

// Children returns a section's direct subsections in order.
func (t *Tree) Children(id int64) []Section { return t.children[id] }

// Ancestry returns the path from the top section down to the section id,
// inclusive.
func (t *Tree) Ancestry(id int64) []Section {
	var out []Section
	for s, ok := t.byID[id]; ok; s, ok = t.byID[s.ParentID] {
		out = append([]Section{s}, out...)
		if s.ParentID == 0 || len(out) > 64 {
			break
		}
	}
	return out
}

// SubtreeIDs returns the id of a section and of all its descendants.
func (t *Tree) SubtreeIDs(id int64) []int64 {
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		for _, c := range t.children[out[i]] {
			out = append(out, c.ID)
		}
	}
	return out
}
