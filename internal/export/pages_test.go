package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestExportWritesPages: the copy holds every published standing page, in
// the footer or not, and no draft; a change to a page out of the footer
// rewrites that page alone, one taken back leaves the copy, and one in the
// footer, which every page shows, renders the copy again.
func TestExportWritesPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		t0 := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		about := &news.Page{Slug: "about", Title: "About Meridian 24", BodyHTML: "<p>Who we are.</p>", Status: news.Published,
			PublishedAt: t0, Footer: 1, Role: news.RoleAbout}
		press := &news.Page{Slug: "press", Title: "Press", BodyHTML: "<p>Logos.</p>", Status: news.Published, PublishedAt: t0}
		draft := &news.Page{Slug: "masthead", Title: "Masthead", BodyHTML: "<p>Soon.</p>", Status: news.Draft, Footer: 2}
		save := func(pages ...*news.Page) {
			t.Helper()
			if err := st.InTx(ctx, func(tx *store.Store) error {
				for _, p := range pages {
					if err := tx.SavePage(ctx, p, ""); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		save(about, press, draft)
		dir := t.TempDir()
		f.export(t, dir)
		read := func(file string) string {
			t.Helper()
			b, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			return string(b)
		}
		if got := read("about/index.html"); !strings.Contains(got, "<h1>About Meridian 24</h1>") {
			t.Errorf("about/index.html does not hold the page:\n%s", got)
		}
		if got := read("press/index.html"); !strings.Contains(got, "<p>Logos.</p>") {
			t.Errorf("press/index.html (a page no page links to) does not hold the page:\n%s", got)
		}
		if !strings.Contains(read("index.html"), `<a href="/about">About Meridian 24</a>`) {
			t.Error("the home page's footer does not link the About page")
		}
		if _, err := os.Stat(filepath.Join(dir, "masthead", "index.html")); !os.IsNotExist(err) {
			t.Errorf("a draft page is in the copy: %v", err)
		}
		other := filepath.Join(dir, "sport", "index.html")
		before, _ := os.Stat(other)

		// A page out of the footer: its own file, and the sitemaps.
		press.BodyHTML = "<p>Logos and photos.</p>"
		save(press)
		res := f.export(t, dir)
		if res.Full || res.Written == 0 || res.Written > 5 {
			t.Errorf("after a change to a page out of the footer: %+v, want a few files written", res)
		}
		if !strings.Contains(read("press/index.html"), "Logos and photos.") {
			t.Error("the changed page was not rewritten")
		}
		if after, _ := os.Stat(other); !after.ModTime().Equal(before.ModTime()) {
			t.Error("an unrelated page was rewritten")
		}
		sameAsFull(t, f, dir)

		press.Status = news.Draft
		save(press)
		res = f.export(t, dir)
		if res.Full || res.Removed == 0 {
			t.Errorf("after taking a page back: %+v, want its file removed", res)
		}
		if _, err := os.Stat(filepath.Join(dir, "press", "index.html")); !os.IsNotExist(err) {
			t.Errorf("a page taken back is still in the copy: %v", err)
		}
		sameAsFull(t, f, dir)

		// The footer is on every page.
		about.Title = "About us"
		save(about)
		if res := f.export(t, dir); !res.Full {
			t.Errorf("after a footer change: %+v, want every page rendered", res)
		}
		if !strings.Contains(read("sport/index.html"), `<a href="/about">About us</a>`) {
			t.Error("a section front's footer still has the old title")
		}
	})
}
