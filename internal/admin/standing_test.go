package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

func pageForm(title, slug, body, footer string, role news.PageRole, base int) url.Values {
	return url.Values{"title": {title}, "slug": {slug}, "body": {body}, "footer": {footer}, "role": {string(role)}, "base": {itoa(int64(base))}}
}

// TestStandingPagesInTheNewsroom: an editor writes a page, publishes it
// (asked first, the text saved before the question), edits it, restores a
// revision and takes it back; a save made on an old revision is kept, not
// applied; slugs taken by the site, a section or another page are refused
// with the reason; every newsroom page of it is valid HTML.
func TestStandingPagesInTheNewsroom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed := f.as(t, "editor")
		docs := map[string][]byte{}
		keep := func(name string, res response) {
			if res.status == http.StatusOK {
				docs[name] = []byte(res.body)
			}
		}
		res := ed.get("/admin/pages")
		if res.status != http.StatusOK || !strings.Contains(res.body, "No pages yet") || !strings.Contains(res.body, `href="/admin/pages" aria-current="page"`) {
			t.Fatalf("the empty list: %d\n%s", res.status, res.body)
		}
		keep("empty list", res)
		res = ed.get("/admin/pages/new")
		if res.status != http.StatusOK || !strings.Contains(res.body, `<textarea id="body" name="body"`) || !strings.Contains(res.body, f.adm.editorJS) {
			t.Fatalf("the new page's editor (with the body editor's script): %d\n%s", res.status, res.body)
		}
		keep("new page", res)

		res = ed.post("/admin/pages", pageForm("About us", "about", "We **report** the coast.", "1", news.RoleAbout, 0))
		if res.status != http.StatusSeeOther || !strings.HasSuffix(res.location(), "?done=created") {
			t.Fatalf("creating a page: %d %s\n%s", res.status, res.location(), res.body)
		}
		p, err := st.PageBySlug(ctx, "about")
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != news.Draft || p.Footer != 1 || p.Role != news.RoleAbout || !strings.Contains(p.BodyHTML, "<strong>report</strong>") {
			t.Errorf("the page saved: %+v", p)
		}
		edit := "/admin/pages/" + itoa(p.ID)
		if revs, _ := st.PageRevisions(ctx, p.ID); len(revs) != 1 || revs[0].UserName != "Editor Person" {
			t.Errorf("after the first save, revisions %+v", revs)
		}
		if res := f.anon(t).get("/about"); res.status != http.StatusNotFound {
			t.Errorf("a draft page on the site: %d", res.status)
		}

		// Publish from the editor: the text is saved, then the question.
		res = ed.post(edit+"/publish", pageForm("About us", "about", "We report the coast, and correct.", "1", news.RoleAbout, 1))
		if res.status != http.StatusOK || !strings.Contains(res.body, `name="confirm" value="yes"`) {
			t.Fatalf("publishing without confirming: %d, want a page that asks\n%s", res.status, res.body)
		}
		keep("publish question", res)
		if cur, _ := st.PageByID(ctx, p.ID); cur.Status != news.Draft || cur.Body != "We report the coast, and correct." {
			t.Errorf("before confirming: %s with %q, want a draft with the text sent", cur.Status, cur.Body)
		}
		if res := ed.post(edit+"/publish", url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
			t.Fatalf("publishing, confirmed: %d\n%s", res.status, res.body)
		}
		if res := f.anon(t).get("/about"); res.status != http.StatusOK || !strings.Contains(res.body, "and correct.") {
			t.Errorf("the published page on the site: %d", res.status)
		}
		if home := f.anon(t).get("/"); !strings.Contains(home.body, `<a href="/about">About us</a>`) {
			t.Error("the site's footer does not link the published page")
		}

		res = ed.get(edit)
		if res.status != http.StatusOK || !strings.Contains(res.body, `value="2"`) || !strings.Contains(res.body, `<option value="publishingPrinciples" selected>`) {
			t.Errorf("the editor of a published page: %d\n%s", res.status, res.body)
		}
		keep("editor", res)

		// A save on revision 1, now that 2 is there: kept, not applied.
		res = ed.post(edit, pageForm("About us", "about", "An older text.", "1", news.RoleAbout, 1))
		if res.status != http.StatusConflict || !strings.Contains(res.body, "kept as revision 3") {
			t.Errorf("a save on an old revision: %d\n%s", res.status, res.body)
		}
		if cur, _ := st.PageByID(ctx, p.ID); cur.Body != "We report the coast, and correct." {
			t.Errorf("a save on an old revision was applied: %q", cur.Body)
		}
		if rev, err := st.PageRevision(ctx, p.ID, 3); err != nil || rev.Content.Body != "An older text." {
			t.Errorf("the text not applied is not kept: %+v, %v", rev, err)
		}

		// Addresses the page cannot take, each with its reason.
		for _, c := range []struct {
			slug   string
			status int
			words  string
		}{
			{"admin", http.StatusBadRequest, "the newsroom"},
			{"news", http.StatusConflict, "the section News"},
			{"Not A Slug", http.StatusBadRequest, "not a slug"},
		} {
			res := ed.post(edit, pageForm("About us", c.slug, "Text.", "1", news.RoleAbout, 2))
			if res.status != c.status || !strings.Contains(res.body, c.words) || !strings.Contains(res.body, `data-field="slug"`) {
				t.Errorf("slug %q: %d, want %d naming %q\n%s", c.slug, res.status, c.status, c.words, res.body)
			}
		}
		other := ed.post("/admin/pages", pageForm("Principles", "principles", "Text.", "", news.RoleAbout, 0))
		if other.status != http.StatusConflict || !strings.Contains(other.body, "About us") || !strings.Contains(other.body, `data-field="role"`) {
			t.Errorf("a second page with the same role: %d\n%s", other.status, other.body)
		}

		// History: the list, one revision, and a restore (asked first).
		res = ed.get(edit + "/revisions")
		if res.status != http.StatusOK || !strings.Contains(res.body, edit+"/revisions/1") {
			t.Errorf("the history: %d\n%s", res.status, res.body)
		}
		keep("history", res)
		res = ed.get(edit + "/revisions/1")
		if res.status != http.StatusOK || !strings.Contains(res.body, "We **report** the coast.") {
			t.Errorf("revision 1: %d\n%s", res.status, res.body)
		}
		keep("revision", res)
		if res := ed.post(edit+"/revisions/1/restore", nil); res.status != http.StatusOK || !strings.Contains(res.body, `name="confirm" value="yes"`) {
			t.Errorf("restoring without confirming: %d", res.status)
		}
		if res := ed.post(edit+"/revisions/1/restore", url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
			t.Errorf("restoring, confirmed: %d\n%s", res.status, res.body)
		}
		cur, _ := st.PageByID(ctx, p.ID)
		if cur.Body != "We **report** the coast." || cur.Status != news.Published || cur.UpdatedAt.IsZero() {
			t.Errorf("after the restore: %+v", cur)
		}
		keep("list", ed.get("/admin/pages"))

		// Taken back, asked first.
		if res := ed.post(edit+"/unpublish", nil); res.status != http.StatusOK || !strings.Contains(res.body, "The footer of every page will no longer link it.") {
			t.Errorf("unpublishing without confirming: %d\n%s", res.status, res.body)
		}
		if res := ed.post(edit+"/unpublish", url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
			t.Errorf("unpublishing, confirmed: %d", res.status)
		}
		if res := f.anon(t).get("/about"); res.status != http.StatusNotFound {
			t.Errorf("an unpublished page on the site: %d", res.status)
		}

		// A form from another site, and one too large, change nothing.
		cross := f.as(t, "editor")
		cross.header.Set("Sec-Fetch-Site", "cross-site")
		if res := cross.post(edit, pageForm("Taken over", "about", "Text.", "", "", 4)); res.status != http.StatusForbidden {
			t.Errorf("a cross-site form: %d, want 403", res.status)
		}
		if res := ed.post(edit, pageForm("About us", "about", strings.Repeat("x", pageFormMax), "", "", 4)); res.status != http.StatusRequestEntityTooLarge {
			t.Errorf("a form over the limit: %d, want 413", res.status)
		}
		if cur, _ := st.PageByID(ctx, p.ID); cur.Title != "About us" {
			t.Errorf("a refused form changed the page: %q", cur.Title)
		}

		if st.Engine() == "sqlite" {
			testkit.ValidateHTMLBatch(t, docs)
		}
	})
}
