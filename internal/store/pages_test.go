package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// savePage saves p in a transaction, as the newsroom and the importer do,
// and fails the test on an error.
func savePage(t *testing.T, s *store.Store, p *news.Page, note string) {
	t.Helper()
	if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SavePage(ctx, p, note) }); err != nil {
		t.Fatalf("saving page /%s: %v", p.Slug, err)
	}
}

func aboutPage(t0 time.Time) *news.Page {
	return &news.Page{Slug: "about", Title: "About us", Body: "We report.", BodyHTML: "<p>We report.</p>",
		Status: news.Published, PublishedAt: t0, Footer: 1, Role: news.RoleAbout}
}

// TestSavePage: a page reads back as saved, by id and by slug; an update
// changes it in place; each save that changes its content keeps a
// revision with its note, and one that changes nothing an editor writes
// keeps none.
func TestSavePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		p := aboutPage(t0)
		p.SEOTitle, p.SEODescription = "About Meridian 24", "Who we are."
		savePage(t, s, p, "imported from WordPress")
		if p.ID == 0 || p.CreatedAt.IsZero() || p.ModifiedAt.IsZero() {
			t.Fatalf("after the insert: %+v", p)
		}
		got, err := s.PageBySlug(ctx, "about")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != p.ID || got.Title != "About us" || got.Body != p.Body || got.BodyHTML != p.BodyHTML || got.Status != news.Published ||
			!got.PublishedAt.Equal(t0) || got.Footer != 1 || got.Role != news.RoleAbout || got.SEOTitle != p.SEOTitle || got.SEODescription != p.SEODescription {
			t.Errorf("read back %+v\nsaved %+v", got, p)
		}
		if byID, err := s.PageByID(ctx, p.ID); err != nil || byID.Slug != "about" {
			t.Errorf("PageByID = %+v, %v", byID, err)
		}

		p.Body, p.BodyHTML = "We report, and correct.", "<p>We report, and correct.</p>"
		savePage(t, s, p, "")
		p.Status = news.Draft // a status change: no new revision
		savePage(t, s, p, "")
		if pages, _ := s.Pages(ctx); len(pages) != 1 {
			t.Errorf("an update made another page: %d pages", len(pages))
		}
		revs, err := s.PageRevisions(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 2 || revs[0].Number != 2 || revs[1].Number != 1 || revs[1].Note != "imported from WordPress" {
			t.Fatalf("revisions: %+v", revs)
		}
		first, err := s.PageRevision(ctx, p.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if first.Content.Body != "We report." || first.Content.Role != news.RoleAbout || first.Content.Footer != 1 {
			t.Errorf("revision 1 holds %+v", first.Content)
		}
		if n, _ := s.PageRevisionNumber(ctx, p.ID); n != 2 {
			t.Errorf("the page shows revision %d, want 2", n)
		}
		// A revision kept without being applied (a save on an old one).
		n, err := s.KeepPageRevision(ctx, p.ID, news.PageContent{Title: "Mine", Slug: "about"}, 0, "not applied")
		if err != nil || n != 3 {
			t.Errorf("KeepPageRevision = %d, %v; want 3", n, err)
		}
		if n, _ := s.PageRevisionNumber(ctx, p.ID); n != 2 {
			t.Errorf("a kept revision changed the page's: %d, want 2", n)
		}
		if cur, _ := s.PageByID(ctx, p.ID); cur.Title != "About us" {
			t.Errorf("a kept revision was applied: %q", cur.Title)
		}

		if _, err := s.PageBySlug(ctx, "nowhere"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a missing page: %v, want not found", err)
		}
		if _, err := s.PageRevision(ctx, p.ID, 9); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a missing revision: %v, want not found", err)
		}
		missing := &news.Page{ID: 999, Slug: "gone", Title: "Gone", Status: news.Draft}
		if err := s.SavePage(ctx, missing, ""); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("updating a page that is not there: %v, want not found", err)
		}
	})
}

// TestFooterPages: the footer lists the published pages with a place, in
// its order; LinkedPages adds the published pages with a role only.
func TestFooterPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		pub := func(slug string, footer int, role news.PageRole) *news.Page {
			p := &news.Page{Slug: slug, Title: strings.ToUpper(slug), Status: news.Published, PublishedAt: t0, Footer: footer, Role: role}
			savePage(t, s, p, "")
			return p
		}
		pub("terms", 3, "")
		pub("about", 1, news.RoleAbout)
		pub("ethics", 0, news.RoleEthics)
		pub("privacy", 2, "")
		pub("unlinked", 0, "")
		draft := &news.Page{Slug: "masthead", Title: "Masthead", Status: news.Draft, Footer: 4, Role: news.RoleMasthead}
		savePage(t, s, draft, "")

		slugs := func(ps []*news.Page) []string {
			var out []string
			for _, p := range ps {
				out = append(out, p.Slug)
			}
			return out
		}
		footer, err := s.FooterPages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := slugs(footer), []string{"about", "privacy", "terms"}; !slices.Equal(got, want) {
			t.Errorf("footer %v, want %v", got, want)
		}
		linked, err := s.LinkedPages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := slugs(linked), []string{"about", "privacy", "terms", "ethics"}; !slices.Equal(got, want) {
			t.Errorf("linked %v, want %v", got, want)
		}
		published, _ := s.PublishedPages(ctx)
		if got, want := slugs(published), []string{"about", "ethics", "privacy", "terms", "unlinked"}; !slices.Equal(got, want) {
			t.Errorf("published %v, want %v", got, want)
		}
		all, _ := s.Pages(ctx)
		if len(all) != 6 {
			t.Errorf("Pages: %d, want all 6", len(all))
		}
	})
}

// TestPageSlugs: a page cannot take a top section's slug, a reserved word
// or another page's; a top section, made or moved, cannot take a page's;
// one page holds each role. Each refusal names what holds the address.
func TestPageSlugs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		if _, err := s.EnsureSectionPath(ctx, "news/world"); err != nil {
			t.Fatal(err)
		}
		about := aboutPage(t0)
		savePage(t, s, about, "")

		refused := func(what string, err error, code, field, words string) {
			t.Helper()
			var e *news.Error
			if news.ErrorCode(err) != code || !errors.As(err, &e) || e.Field != field || !strings.Contains(err.Error(), words) {
				t.Errorf("%s: got %v, want a %s error on %s naming %q", what, err, code, field, words)
			}
		}
		page := func(slug string) *news.Page {
			return &news.Page{Slug: slug, Title: "A page", Status: news.Draft}
		}
		refused("a top section's slug", s.SavePage(ctx, page("news"), ""), news.ECONFLICT, "slug", "section News")
		refused("another page's slug", s.SavePage(ctx, page("about"), ""), news.ECONFLICT, "slug", "About us")
		refused("a reserved word", s.SavePage(ctx, page("admin"), ""), news.EINVALID, "slug", "newsroom")
		refused("not a slug", s.SavePage(ctx, page("About Us"), ""), news.EINVALID, "slug", "not a slug")
		dup := page("our-principles")
		dup.Role = news.RoleAbout
		refused("a role another page has", s.SavePage(ctx, dup, ""), news.ECONFLICT, "role", "About us")
		// A subsection may have the slug: it is not at the top.
		if _, err := s.EnsureSectionPath(ctx, "news/about"); err != nil {
			t.Errorf("a subsection named like a page: %v", err)
		}

		refused("a new top section at a page", s.CreateSection(ctx, &news.Section{Slug: "about", Name: "About"}), news.ECONFLICT, "slug", "About us")
		world, _ := s.SectionByPath(ctx, "news/world")
		world.ParentID, world.Slug = 0, "about"
		refused("a section moved to the top at a page", s.EditSection(ctx, &world), news.ECONFLICT, "slug", "About us")
		if _, err := s.SectionByPath(ctx, "news/world"); err != nil {
			t.Errorf("the refused move changed the section: %v", err)
		}
		if _, err := s.SectionByPath(ctx, "about"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a refused section was made: %v", err)
		}

		// The page itself may keep its slug and role on a save.
		about.Title = "About Meridian 24"
		if err := s.SavePage(ctx, about, ""); err != nil {
			t.Errorf("saving a page again: %v", err)
		}
	})
}

// TestPageChangeKeys: a draft's change purges its own key only; a public
// page's its page, the sitemaps and the not-found answers; and a change
// that shows in the footer or the publisher's links, or moves a public
// page, every page.
func TestPageChangeKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		p := &news.Page{Slug: "privacy", Title: "Privacy", Status: news.Draft}
		save := func(change func()) []string {
			t.Helper()
			return lastChangeKeys(t, s, func() error {
				change()
				return s.SavePage(ctx, p, "")
			})
		}
		key := news.PageKey
		tests := []struct {
			name      string
			change    func()
			want, not []string
		}{
			{"a new draft", func() {}, []string{"page-"}, []string{news.KeySitemap, news.KeySite}},
			{"published, out of the footer", func() { p.Publish(t0) }, []string{news.KeySitemap, news.KeyMissing}, []string{news.KeySite}},
			{"its text", func() { p.Body = "New text." }, []string{news.KeySitemap}, []string{news.KeySite}},
			{"into the footer", func() { p.Footer = 2 }, []string{news.KeySite}, nil},
			{"its text, in the footer", func() { p.Body = "Newer text." }, nil, []string{news.KeySite}},
			{"its title, in the footer", func() { p.Title = "Privacy policy" }, []string{news.KeySite}, nil},
			{"its address", func() { p.Slug = "privacy-policy" }, []string{news.KeySite}, nil},
			{"unpublished", func() { p.Status = news.Draft }, []string{news.KeySite, news.KeyMissing}, nil},
		}
		for _, tt := range tests {
			keys := save(tt.change)
			if !slices.Contains(keys, key(p.ID)) {
				t.Errorf("%s: keys %v lack the page's own %s", tt.name, keys, key(p.ID))
			}
			for _, k := range tt.want {
				if k != "page-" && !slices.Contains(keys, k) {
					t.Errorf("%s: keys %v lack %s", tt.name, keys, k)
				}
			}
			for _, k := range tt.not {
				if slices.Contains(keys, k) {
					t.Errorf("%s: keys %v name %s", tt.name, keys, k)
				}
			}
		}
	})
}

// TestPageMoveLeavesARedirect: a page once published that changes its
// slug leaves its old address leading to the new one, without chains,
// and none from an address that is the page's again.
func TestPageMoveLeavesARedirect(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		p := aboutPage(time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC))
		savePage(t, s, p, "")
		p.Slug = "about-us"
		savePage(t, s, p, "")
		p.Slug = "who-we-are"
		savePage(t, s, p, "")
		for _, from := range []string{"/about", "/about-us"} {
			if to, err := s.Redirect(ctx, from); err != nil || to != "/who-we-are" {
				t.Errorf("%s leads to %q (%v), want /who-we-are", from, to, err)
			}
		}
		p.Slug = "about"
		savePage(t, s, p, "")
		if to, err := s.Redirect(ctx, "/about"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("/about, the page's address again, leads to %q (%v)", to, err)
		}
		if to, _ := s.Redirect(ctx, "/who-we-are"); to != "/about" {
			t.Errorf("/who-we-are leads to %q, want /about", to)
		}
		// A draft never published leaves none.
		d := &news.Page{Slug: "draft-one", Title: "Draft", Status: news.Draft}
		savePage(t, s, d, "")
		d.Slug = "draft-two"
		savePage(t, s, d, "")
		if _, err := s.Redirect(ctx, "/draft-one"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a draft's old address leads somewhere: %v", err)
		}
	})
}
