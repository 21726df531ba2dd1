package ingest_test

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/ingest/archive"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestReimportKeepsUnpublishedTextOffTheSite: a story published here
// that the old site has since made private (or password-protected, or
// back to a draft, or members-only) stays published, as an import never
// takes a story down; but what the old site wrote into it since is not
// public there, so it must not become public here through the published
// story either. The same for a standing page.
func TestReimportKeepsUnpublishedTextOffTheSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		im := newImporter(t, s)
		pub := post("301", "Mayor resigns", "mayor-resigns", news.Published)
		page := &archive.Item{Source: "wordpress", ID: "8", Kind: archive.Page, At: "line 8", Title: "About us",
			Slug: "about-us", Status: news.Published, PublishedAt: when, HTML: "<p>We are a newsroom.</p>"}
		if r := importItems(t, im, items(&archive.Summary{Source: "wordpress"}, nil, pub, page), ingest.ArchiveOptions{}); r.err != nil || r.rep.Imported != 2 {
			t.Fatalf("first import: %v %+v\n%s", r.err, r.rep, r.text())
		}

		secret := *pub
		secret.Status = news.Draft
		secret.Title = "SECRET headline"
		secret.HTML = "<p>SECRET source names.</p>"
		secret.Notes = []string{"was private on the old site: imported as a draft, kept out of the public site"}
		secretPage := *page
		secretPage.Status = news.Draft
		secretPage.HTML = "<p>SECRET staff list.</p>"
		r := importItems(t, im, items(&archive.Summary{Source: "wordpress"}, nil, &secret, &secretPage), ingest.ArchiveOptions{})
		if r.err != nil {
			t.Fatalf("second import: %v\n%s", r.err, r.text())
		}
		a, err := s.ArticleByPath(ctx, store.Full, "news/city-hall", "mayor-resigns")
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != news.Published {
			t.Errorf("the story was taken down: %s", a.Status)
		}
		if strings.Contains(a.Headline+a.BodyHTML, "SECRET") {
			t.Errorf("the old site's private text is on the published story: %q %s", a.Headline, a.BodyHTML)
		}
		pg, err := s.PageBySlug(ctx, "about-us")
		if err != nil {
			t.Fatal(err)
		}
		if pg.Status == news.Published && strings.Contains(pg.BodyHTML, "SECRET") {
			t.Errorf("the old site's unpublished text is on the published page: %s", pg.BodyHTML)
		}
		if !strings.Contains(r.text(), "already published here") {
			t.Errorf("the report does not say what was left:\n%s", r.text())
		}
	})
}

// TestDraftPageOldAddressesLeadNowhere: a page that is private or a
// draft on the old site is a draft here, and nobody outside the newsroom
// may learn its address (made from its title): its old addresses, like
// a draft story's, must not answer with a redirect that names it.
func TestDraftPageOldAddressesLeadNowhere(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		im := newImporter(t, s)
		page := &archive.Item{Source: "wordpress", ID: "9", Kind: archive.Page, At: "line 9", Title: "Layoffs planned for March",
			Slug: "layoffs-planned-for-march", Status: news.Draft, HTML: "<p>Private.</p>",
			Notes:    []string{"was private on the old site: imported as a draft, kept out of the public site"},
			OldPaths: []string{"/?page_id=9"}}
		sum := &archive.Summary{Source: "wordpress", OldPaths: map[string]string{"/?attachment_id=10": "item:9"}}
		if r := importItems(t, im, items(sum, nil, page), ingest.ArchiveOptions{}); r.err != nil || r.rep.Imported != 1 {
			t.Fatalf("import: %v %+v\n%s", r.err, r.rep, r.text())
		}
		for _, from := range []string{"/?page_id=9", "/?attachment_id=10"} {
			if to, err := s.Redirect(ctx, from); news.ErrorCode(err) != news.ENOTFOUND {
				t.Errorf("%s leads to %q (%v): a draft page's address is told to anyone", from, to, err)
			}
		}
	})
}
