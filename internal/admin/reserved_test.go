package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSectionFormRefusesReservedSlugs: a section named like one of the
// site's own addresses (issue 14, finding 9) is refused by the newsroom's
// section form, when made, renamed or moved to the top, with the reason on
// the form; nothing is stored. The same words lower down are fine, except
// "after", which every list's later pages are under.
func TestSectionFormRefusesReservedSlugs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed := f.as(t, "editor")
		before, err := st.Sections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		news1, err := st.SectionByPath(ctx, "news")
		if err != nil {
			t.Fatal(err)
		}
		for _, form := range []url.Values{
			{"name": {"Admin"}},
			{"name": {"Search"}},
			{"name": {"Media"}, "slug": {"media"}},
			{"name": {"Our tags"}, "slug": {"tag"}},
			{"name": {"Static"}, "slug": {"static"}},
			{"name": {"API"}},
			{"name": {"Sitemaps"}},
			{"name": {"After"}, "parent": {itoa(news1.ID)}},
		} {
			res := ed.post("/admin/sections", form)
			if res.status != http.StatusBadRequest || !strings.Contains(res.body, "is the address of") {
				t.Errorf("section %v: %d, want 400 saying the slug is the address of a page\n%.400s", form, res.status, res.body)
			}
		}
		after, err := st.Sections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Errorf("%d sections after refused forms, want %d", len(after), len(before))
		}
		// Renaming an existing section to a reserved slug, and moving a
		// subsection named like one to the top, are refused too.
		if res := ed.post("/admin/sections/"+itoa(news1.ID), url.Values{"name": {"News"}, "slug": {"admin"}}); res.status != http.StatusBadRequest {
			t.Errorf("renaming news to admin: %d, want 400", res.status)
		}
		if res := ed.post("/admin/sections", url.Values{"name": {"Search"}, "parent": {itoa(news1.ID)}}); res.status != http.StatusSeeOther {
			t.Fatalf("news/search: %d, want 303 (no route under /news/ is shadowed)\n%.400s", res.status, res.body)
		}
		sub, err := st.SectionByPath(ctx, "news/search")
		if err != nil {
			t.Fatal(err)
		}
		if res := ed.post("/admin/sections/"+itoa(sub.ID), url.Values{"name": {"Search"}, "slug": {"search"}, "parent": {"0"}}); res.status != http.StatusBadRequest {
			t.Errorf("moving news/search to the top: %d, want 400", res.status)
		}
		if _, err := st.SectionByPath(ctx, "search"); err == nil {
			t.Error("a section at /search/ was stored")
		}
		if _, err := st.SectionByPath(ctx, "admin"); err == nil {
			t.Error("a section at /admin/ was stored")
		}
	})
}
