package site

import (
	"context"
	"html/template"
	"net/http"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Standing pages (news.Page): About, Contact, the policies, at /{slug}.
// Every page's footer links those an editor placed there, and the
// publisher's structured data links those with a role; both come with the
// settings (settings.go), read once per change that names news.KeySite,
// which every change to them does (store.SavePage).

type standingView struct {
	page
	Page *news.Page
	Body template.HTML
}

// pageLink is a published page with a role: a link in the publisher's
// JSON-LD.
type pageLink struct {
	Role news.PageRole
	URL  string // the page's path
}

// linkPages puts the published pages every page links to into the
// settings: the footer's, in order, and the role pages'.
func linkPages(st *siteSettings, pages []*news.Page) {
	for _, p := range pages {
		if p.Footer > 0 {
			st.Footer = append(st.Footer, navItem{Name: p.Title, URL: p.URL()})
		}
		if p.Role != "" {
			st.PageLinks = append(st.PageLinks, pageLink{Role: p.Role, URL: p.URL()})
		}
	}
}

// showPage shows the published page at /{slug}. A draft, or a page taken
// back, is not there for readers.
func (s *Site) showPage(w http.ResponseWriter, r *http.Request, slug string) error {
	ctx := r.Context()
	if !news.ValidSlug(slug) {
		return news.NotFound("no page at /%s", slug)
	}
	p, err := s.store.PageBySlug(ctx, slug)
	if err != nil {
		return err
	}
	if p.Status != news.Published {
		return news.NotFound("no page at /%s", slug)
	}
	v := s.standingPage(ctx, p)
	return s.renderKeyed(w, r, http.StatusOK, "page", v, newPageKeys(news.PageKey(p.ID)))
}

// standingPage builds the view of a page: its text as saved, with its
// figures' photo sets, under the editor's search-engine texts when there
// are any.
func (s *Site) standingPage(ctx context.Context, p *news.Page) *standingView {
	title := p.Title
	if p.SEOTitle != "" {
		title = p.SEOTitle
	}
	v := &standingView{page: s.newPage(ctx, p.URL(), title), Page: p}
	st := s.settings(ctx)
	v.Description = p.SEODescription
	if v.Description == "" {
		v.Description = p.Title + " at " + st.Name + "."
	}
	// bodyHTML reads only the saved HTML of what it is given.
	body := s.bodyHTML(ctx, &news.Article{BodyHTML: p.BodyHTML})
	v.Body = template.HTML(body)
	if strings.Contains(body, `<figure class="embed `) && s.embed != "" {
		v.Head.Scripts = append(v.Head.Scripts, s.embed)
	}
	v.OG = s.websiteOG(st, &v.page)
	v.addJSONLD(s.webPageLD(st, p))
	return v
}

// webPageLD describes a standing page: a WebPage (AboutPage, ContactPage
// where its role says so) of the site, published by the publication.
func (s *Site) webPageLD(st siteSettings, p *news.Page) ld {
	t := "WebPage"
	switch p.Role {
	case news.RoleAbout:
		t = "AboutPage"
	case news.RoleContact:
		t = "ContactPage"
	}
	v := ld{
		"@context":   "https://schema.org",
		"@type":      t,
		"name":       p.Title,
		"url":        s.cfg.abs(p.URL()),
		"inLanguage": st.Language,
		"isPartOf":   ld{"@type": "WebSite", "name": st.Name, "url": s.cfg.abs("/")},
		"publisher":  ld{"@id": s.cfg.abs("/#organization")},
	}
	if !p.PublishedAt.IsZero() {
		v["datePublished"] = ldTime(p.PublishedAt)
	}
	if p.UpdatedAt.After(p.PublishedAt) {
		v["dateModified"] = ldTime(p.UpdatedAt)
	}
	return v
}

// addPageLinks links the publisher's policy pages by their roles, as
// Google's guidelines for news publishers ask: each role is the
// schema.org property of NewsMediaOrganization that names such a page,
// with its URL, but for contactPoint, which is a ContactPoint.
func (s *Site) addPageLinks(v ld, st siteSettings) {
	for _, l := range st.PageLinks {
		u := s.cfg.abs(l.URL)
		if l.Role == news.RoleContact {
			v[string(l.Role)] = ld{"@type": "ContactPoint", "url": u}
			continue
		}
		v[string(l.Role)] = u
	}
}
