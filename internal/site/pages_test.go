package site_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// savePages saves pages as the newsroom does, and tells the site.
func (ds *distSite) savePages(t *testing.T, pages ...*news.Page) {
	t.Helper()
	err := ds.store.InTx(ctx, func(tx *store.Store) error {
		for _, p := range pages {
			if err := tx.SavePage(ctx, p, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ds.site.Changed()
}

// TestStandingPages: a published page is at /{slug}, a draft is not; the
// footer of every page links the footer's pages in their order; the
// publisher's structured data links the role pages; the sitemap lists the
// published pages; and a change to them shows at once.
func TestStandingPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{})
		t0 := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		about := &news.Page{Slug: "about", Title: "About Meridian 24", Body: "We report the coast.", BodyHTML: "<p>We report the coast.</p>",
			Status: news.Published, PublishedAt: t0, Footer: 1, Role: news.RoleAbout, SEODescription: "Who we are and how we work."}
		contact := &news.Page{Slug: "contact", Title: "Contact", BodyHTML: "<p>Write to us.</p>", Status: news.Published, PublishedAt: t0,
			Footer: 2, Role: news.RoleContact}
		corrections := &news.Page{Slug: "corrections", Title: "Corrections policy", BodyHTML: "<p>We correct.</p>", Status: news.Published,
			PublishedAt: t0, Role: news.RoleCorrections}
		terms := &news.Page{Slug: "terms", Title: "Terms & conditions", BodyHTML: "<p>Terms.</p>", Status: news.Published, PublishedAt: t0, Footer: 3}
		masthead := &news.Page{Slug: "masthead", Title: "Masthead", BodyHTML: "<p>Editors.</p>", Status: news.Draft, Footer: 4, Role: news.RoleMasthead}
		ds.savePages(t, about, contact, corrections, terms, masthead)

		page := string(ds.get(t, "/about"))
		mustHave(t, "/about", page, "<h1>About Meridian 24</h1>", "<p>We report the coast.</p>",
			`<meta name="description" content="Who we are and how we work.">`, `<link rel="canonical" href="`+abs("/about")+`">`,
			`<li><a href="/about" aria-current="page">About Meridian 24</a></li>`)
		if ld := structured(t, "/about", []byte(page))["AboutPage"]; ld["url"] != abs("/about") || ld["name"] != "About Meridian 24" {
			t.Errorf("/about: AboutPage %v", ld)
		}
		if res, _ := ds.fetch(t, "/masthead"); res.StatusCode != http.StatusNotFound {
			t.Errorf("a draft page: status %d, want 404", res.StatusCode)
		}

		home := string(ds.get(t, "/"))
		footer := home[strings.Index(home, "<footer"):]
		mustHave(t, "the home page's footer", footer, `<nav class="footer-pages" aria-label="About Meridian 24">`)
		iAbout, iContact, iTerms := strings.Index(footer, `href="/about"`), strings.Index(footer, `href="/contact"`), strings.Index(footer, `href="/terms"`)
		if iAbout < 0 || !(iAbout < iContact && iContact < iTerms) {
			t.Errorf("footer links out of order or missing (about %d, contact %d, terms %d):\n%s", iAbout, iContact, iTerms, footer)
		}
		for _, not := range []string{`href="/corrections"`, `href="/masthead"`} {
			if strings.Contains(footer, not) {
				t.Errorf("the footer links %s, which is not in it", not)
			}
		}
		mustHave(t, "the footer", footer, "Terms &amp; conditions")

		org := structured(t, "/", []byte(home))["NewsMediaOrganization"]
		if org["publishingPrinciples"] != abs("/about") || org["correctionsPolicy"] != abs("/corrections") {
			t.Errorf("publisher links %v", org)
		}
		if cp, _ := org["contactPoint"].(map[string]any); cp["@type"] != "ContactPoint" || cp["url"] != abs("/contact") {
			t.Errorf("contactPoint %v", org["contactPoint"])
		}
		if _, ok := org["masthead"]; ok {
			t.Errorf("a draft page is linked as the masthead: %v", org["masthead"])
		}
		article := string(ds.get(t, distArticles[0].path))
		mustHave(t, "an article's publisher", article, `"correctionsPolicy":"`+abs("/corrections")+`"`)

		sitemap := string(ds.get(t, "/sitemaps/pages.xml"))
		mustHave(t, "the pages sitemap", sitemap, "<loc>"+abs("/about")+"</loc>", "<loc>"+abs("/corrections")+"</loc>")
		if strings.Contains(sitemap, "/masthead") {
			t.Error("the sitemap lists a draft page")
		}

		if s.Engine() == "sqlite" {
			testkit.ValidateHTMLBatch(t, map[string][]byte{"/about": []byte(page), "/": []byte(home)})
		}

		// Changes show at once: a new title in every footer, a page taken
		// back gone from its address, the footer and the publisher.
		about.Title = "About us"
		contact.Status = news.Draft
		ds.savePages(t, about, contact)
		home = string(ds.get(t, "/"))
		mustHave(t, "the home page after the change", home, `<a href="/about">About us</a>`)
		if strings.Contains(home, `href="/contact"`) || strings.Contains(home, "ContactPoint") {
			t.Error("a page taken back is still linked from the home page")
		}
		if res, _ := ds.fetch(t, "/contact"); res.StatusCode != http.StatusNotFound {
			t.Errorf("a page taken back: status %d, want 404", res.StatusCode)
		}
	})
}

// TestPageAndSectionAddresses: /news still leads to the News front, and a
// page's address without its slash is its own, not a front's.
func TestPageAndSectionAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{})
		ds.savePages(t, &news.Page{Slug: "privacy", Title: "Privacy", BodyHTML: "<p>None kept.</p>", Status: news.Published, PublishedAt: time.Now()})
		res, _ := ds.fetch(t, "/news")
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/news/" {
			t.Errorf("/news: status %d at %s, want the front at /news/", res.StatusCode, res.Request.URL.Path)
		}
		mustHave(t, "/privacy", string(ds.get(t, "/privacy")), "<h1>Privacy</h1>")
		if res, _ := ds.fetch(t, "/privacy/"); res.StatusCode != http.StatusNotFound {
			t.Errorf("/privacy/: status %d, want 404 (a page has no front)", res.StatusCode)
		}
	})
}

// TestSamplePagesAreValidHTML renders the sample newsroom's standing pages
// and runs them through the Nu HTML Checker.
func TestSamplePagesAreValidHTML(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if s.Engine() != "sqlite" {
			t.Skip("the pages are the same on both engines; checked once")
		}
		ds := newDistSite(t, s, distOptions{})
		if err := demo.LoadPages(ctx, s); err != nil {
			t.Fatal(err)
		}
		ds.site.Changed()
		pages, err := demo.Pages()
		if err != nil {
			t.Fatal(err)
		}
		docs := map[string][]byte{}
		for _, p := range pages {
			docs[p.URL()] = ds.get(t, p.URL())
		}
		testkit.ValidateHTMLBatch(t, docs)
	})
}
