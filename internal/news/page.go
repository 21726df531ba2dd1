package news

import "time"

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
