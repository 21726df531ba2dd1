package news

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Page is a standing page of the site: About, Contact, the corrections
// and ethics policies, privacy, terms. It is written and revised in the
// newsroom like an article, but has no section, byline, tags or feed, and
// lives at a top-level address (/about).
type Page struct {
	ID       int64
	Slug     string // the page is at "/"+Slug
	Title    string
	Body     string // Markdown, as written
	BodyHTML string // rendered and sanitized when saved
	Status   Status // Draft or Published
	// Footer is the page's place in the footer's links, lowest first;
	// 0 keeps it out of the footer.
	Footer int
	// Role says which property of the publisher's JSON-LD
	// (NewsMediaOrganization) links the page: one of the PageRole
	// constants, or "" for none.
	Role                     PageRole
	SEOTitle, SEODescription string
	PublishedAt              time.Time // first publication; zero for a draft
	UpdatedAt                time.Time // last substantive update; zero when never
	CreatedAt, ModifiedAt    time.Time
}

// URL is the page's path on the site.
func (p *Page) URL() string { return "/" + p.Slug }

// PageRole is what a standing page is to the publisher, as Google's
// guidelines for news publishers and schema.org name it.
type PageRole string

// The roles, each the schema.org property that links such a page.
const (
	RoleAbout       PageRole = "publishingPrinciples" // about us, the principles
	RoleCorrections PageRole = "correctionsPolicy"
	RoleEthics      PageRole = "ethicsPolicy"
	RoleMasthead    PageRole = "masthead"
	RoleContact     PageRole = "contactPoint" // written as a ContactPoint with its url
	RoleDiversity   PageRole = "diversityPolicy"
	RoleFactCheck   PageRole = "verificationFactCheckingPolicy"
	RoleFeedback    PageRole = "actionableFeedbackPolicy"
	RoleOwnership   PageRole = "ownershipFundingInfo"
	RoleNoBylines   PageRole = "noBylinesPolicy"
	RoleUnnamed     PageRole = "unnamedSourcesPolicy"
)

// PageRoles are the roles an editor may give a page, in the order the
// newsroom offers them.
var PageRoles = []PageRole{RoleAbout, RoleContact, RoleCorrections, RoleEthics, RoleMasthead, RoleDiversity,
	RoleFactCheck, RoleFeedback, RoleOwnership, RoleNoBylines, RoleUnnamed}

// Label is the role as the newsroom names it.
func (r PageRole) Label() string {
	switch r {
	case RoleAbout:
		return "About us, publishing principles"
	case RoleCorrections:
		return "Corrections policy"
	case RoleEthics:
		return "Ethics policy"
	case RoleMasthead:
		return "Masthead (who runs the newsroom)"
	case RoleContact:
		return "Contact"
	case RoleDiversity:
		return "Diversity policy"
	case RoleFactCheck:
		return "Verification and fact-checking policy"
	case RoleFeedback:
		return "Feedback policy"
	case RoleOwnership:
		return "Ownership and funding"
	case RoleNoBylines:
		return "Policy on stories without bylines"
	case RoleUnnamed:
		return "Policy on unnamed sources"
	case "":
		return "None"
	}
	return string(r)
}

// Valid reports whether r is one of the roles, or none.
func (r PageRole) Valid() bool {
	return r == "" || slices.Contains(PageRoles, r)
}

// MaxFooter is the highest footer place: far more links than a footer
// holds, and a bound a typo cannot pass.
const MaxFooter = 999

// Validate checks a page before it is stored. A page lives at the top of
// the site, beside the section fronts and the site's own addresses, so its
// slug must not be a word those take (ReservedSlug); that it is no top
// section's slug and no other page's is for the store to check.
func (p *Page) Validate() error {
	var ps Problems
	checkText(&ps, "title", p.Title, MaxHeadline, true)
	switch {
	case p.Slug == "":
		ps.Add("slug", "is empty and none can be made from the title")
	case !ValidSlug(p.Slug):
		ps.Add("slug", "%q is not a slug: use lower-case letters, digits and single hyphens, at most %d bytes", p.Slug, MaxSlugLen)
	default:
		if why := ReservedSlug(p.Slug, true); why != "" {
			ps.Add("slug", "%q cannot be used: /%s is the address of %s; choose another slug", p.Slug, p.Slug, why)
		}
	}
	if utf8.RuneCountInString(p.Body) > MaxBody {
		ps.Add("body", "is longer than %d characters", MaxBody)
	} else if !utf8.ValidString(p.Body) {
		ps.Add("body", "is not valid UTF-8")
	} else if i := strings.IndexByte(p.Body, 0); i >= 0 {
		ps.Add("body", "holds a NUL character (U+0000) at byte %d, which cannot be stored: remove it", i)
	}
	switch p.Status {
	case Draft, Published:
	default:
		ps.Add("status", "%q is not a status a page can have (draft or published)", p.Status)
	}
	if p.Status == Published && p.PublishedAt.IsZero() {
		ps.Add("date", "a published page needs a publication time")
	}
	if p.Footer < 0 || p.Footer > MaxFooter {
		ps.Add("footer", "%d is not a place in the footer: give 0 (not in the footer) to %d", p.Footer, MaxFooter)
	}
	if !p.Role.Valid() {
		ps.Add("role", "%q is not a role a page can have", p.Role)
	}
	checkText(&ps, "seo_title", p.SEOTitle, MaxSEOTitle, false)
	checkText(&ps, "seo_description", p.SEODescription, MaxSEODescription, false)
	return ps.Err()
}

// Publish puts the page on the site at now; the first publication's time
// is kept through later ones.
func (p *Page) Publish(now time.Time) {
	p.Status = Published
	if p.PublishedAt.IsZero() {
		p.PublishedAt = now.UTC()
	}
}

// PageKey is the surrogate key of a standing page (see keys.go). A change
// that also moves the footer or the publisher's links names news.KeySite,
// since every page shows those.
func PageKey(id int64) string { return "page-" + strconv.FormatInt(id, 10) }

// PageContent is what an editor writes of a page: what each of its
// revisions keeps, to be shown, compared and restored.
type PageContent struct {
	Title          string   `json:"title"`
	Slug           string   `json:"slug"`
	Body           string   `json:"body,omitempty"`
	Footer         int      `json:"footer,omitempty"`
	Role           PageRole `json:"role,omitempty"`
	SEOTitle       string   `json:"seo_title,omitempty"`
	SEODescription string   `json:"seo_description,omitempty"`
}

// Content is the page's text and places, as a revision keeps them.
func (p *Page) Content() PageContent {
	return PageContent{Title: p.Title, Slug: p.Slug, Body: p.Body, Footer: p.Footer, Role: p.Role,
		SEOTitle: p.SEOTitle, SEODescription: p.SEODescription}
}

// SetContent replaces the page's text and places with c; its status and
// times stay. The caller renders BodyHTML from the new body.
func (p *Page) SetContent(c PageContent) {
	p.Title, p.Slug, p.Body, p.Footer, p.Role = c.Title, c.Slug, c.Body, c.Footer, c.Role
	p.SEOTitle, p.SEODescription = c.SEOTitle, c.SEODescription
}

// Text is the content as plain text, a field a line and the body last, for
// comparing two revisions.
func (c PageContent) Text() string {
	var b strings.Builder
	field := func(name, v string) {
		if v != "" {
			b.WriteString(name + ": " + v + "\n")
		}
	}
	field("Title", c.Title)
	field("Slug", c.Slug)
	if c.Footer > 0 {
		field("Footer place", strconv.Itoa(c.Footer))
	}
	if c.Role != "" {
		field("Role", c.Role.Label())
	}
	field("SEO title", c.SEOTitle)
	field("SEO description", c.SEODescription)
	b.WriteString("\n" + c.Body)
	return b.String()
}

// PageRevision is one saved state of a page. Every save that changes the
// page's content adds one; none is ever changed or removed.
type PageRevision struct {
	ID       int64
	PageID   int64
	Number   int // 1, 2, 3... per page
	UserID   int64
	UserName string // "" for a save by no account (an import)
	At       time.Time
	Note     string // "imported from WordPress", "restored revision 2"...
	Content  PageContent
}
