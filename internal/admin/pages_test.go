package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// TestPagesAreValidHTML renders every newsroom page with content in it and
// runs them through the Nu HTML Checker.
func TestPagesAreValidHTML(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		if st.Engine() != "sqlite" {
			t.Skip("the pages are the same on both engines; checked once")
		}
		f := newFixture(t, st)
		ed := f.as(t, "admin")
		sec, _ := st.SectionByPath(ctx, "news/world")
		id := createdID(t, ed.postFile("/admin/articles", url.Values{"headline": {"Valid page story"}, "section": {itoa(sec.ID)},
			"body": {"Text with **bold**.\n\n# A subhead\n\n> A quote.\n>\n> — Someone"}, "bylines": {"Admin Person\nReuters"}, "tags": {"One, Two"},
			"photo_alt": {"A test picture"}, "photo_caption": {"Caption"}, "photo_credit": {"Staff"}}, "p.jpg", testJPEG(t, 700, 400)))
		path := "/admin/articles/" + itoa(id)
		e, _ := st.Editorial(ctx, id)
		form := editorForm(e)
		form.Set("body", "Changed text with **bold**.")
		ed.post(path+"/publish", form)
		ed.post(path+"/corrections", url.Values{"correction": {"A fix."}})
		f.draft(t, "contributor", "A contributor's draft")
		ed.post("/admin/invitations", url.Values{"role": {"contributor"}})
		ed.post("/admin/top", url.Values{"op": {"add"}, "add": {itoa(id)}})
		photos, _ := st.LibraryPhotos(ctx, 1, 0)

		pages := map[string]string{
			"desk": "/admin/", "articles": "/admin/articles", "new": "/admin/articles/new", "editor": path,
			"history": path + "/revisions", "revision": path + "/revisions/1", "diff": path + "/diff?from=1&to=2",
			"sections": "/admin/sections", "authors": "/admin/authors", "tags": "/admin/tags", "top": "/admin/top",
			"media": "/admin/media", "photo": "/admin/media/" + itoa(photos[0].Media.ID), "users": "/admin/users",
			"user": "/admin/users/" + itoa(f.users["contributor"].ID), "account": "/admin/account", "audit": "/admin/audit", "settings": "/admin/settings",
			"not found": "/admin/nothing",
		}
		docs := map[string][]byte{}
		for name, p := range pages {
			res := ed.get(p)
			if res.status != 200 && name != "not found" {
				t.Errorf("%s (%s): %d", name, p, res.status)
			}
			docs[name] = []byte(res.body)
		}
		anon := f.anon(t)
		docs["login"] = []byte(anon.get("/admin/login").body)
		docs["login failed"] = []byte(anon.post("/admin/login", url.Values{"email": {"x@example.org"}, "password": {"wrong password"}}).body)
		docs["preview"] = []byte(ed.post("/admin/preview", url.Values{"body": {"Some *text*."}, "headline": {"H"}}).body)
		bad := editorForm(e)
		bad.Set("headline", "")
		docs["editor with an error"] = []byte(ed.post(path, bad).body)
		docs["settings with an error"] = []byte(ed.post("/admin/settings", url.Values{"onion": {"http://nope.onion"}}).body)
		link, _ := f.adm.SetupLink(ctx) // none: users exist
		if link != "" {
			t.Error("a setup link with users present")
		}
		res := ed.post("/admin/invitations", url.Values{"role": {"editor"}, "email": {"join@example.org"}})
		i := strings.Index(res.body, "/admin/invite/")
		invite := res.body[i : i+strings.IndexByte(res.body[i:], '"')]
		docs["join"] = []byte(f.anon(t).get(invite).body)
		for name, body := range docs {
			if !strings.Contains(string(body), "<main") {
				t.Errorf("%s is not a page: %.200s", name, body)
			}
		}
		testkit.ValidateHTMLBatch(t, docs)
	})
}

func TestSectionsAuthorsTagsTopStories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed := f.as(t, "editor")
		if res := ed.post("/admin/sections", url.Values{"name": {"Culture"}}); res.status != http.StatusSeeOther {
			t.Fatalf("create section: %d\n%s", res.status, res.body)
		}
		culture, err := st.SectionByPath(ctx, "culture")
		if err != nil {
			t.Fatal(err)
		}
		if res := ed.post("/admin/sections", url.Values{"name": {"Culture"}}); res.status != http.StatusConflict {
			t.Errorf("a second section at /culture/: %d, want 409", res.status)
		}
		e := f.draft(t, "editor", "Opera house reopens")
		// Into culture, and published.
		form := editorForm(e)
		form.Set("section", itoa(culture.ID))
		if res := ed.post("/admin/articles/"+itoa(e.Article.ID)+"/publish", form); res.status != http.StatusSeeOther {
			t.Fatalf("publish: %d\n%s", res.status, res.body)
		}
		if res := f.public(t, "/culture/opera-house-reopens"); res.status != 200 {
			t.Fatalf("the story: %d", res.status)
		}
		// Rename the slug and move it under news: the old front and story
		// addresses redirect.
		news1, _ := st.SectionByPath(ctx, "news")
		res := ed.post("/admin/sections/"+itoa(culture.ID), url.Values{"name": {"Arts"}, "slug": {"arts"}, "parent": {itoa(news1.ID)}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("move section: %d\n%s", res.status, res.body)
		}
		for from, to := range map[string]string{"/culture/opera-house-reopens": "/news/arts/opera-house-reopens", "/culture/": "/news/arts/"} {
			if res := f.public(t, from); res.status != http.StatusMovedPermanently || res.location() != to {
				t.Errorf("%s: %d to %q, want 301 to %s", from, res.status, res.location(), to)
			}
		}
		if res := ed.post("/admin/sections/"+itoa(news1.ID), url.Values{"name": {"News"}, "slug": {"news"}, "parent": {itoa(culture.ID)}}); res.status != http.StatusBadRequest {
			t.Errorf("moving a section into its child: %d, want 400", res.status)
		}
		world, _ := st.SectionByPath(ctx, "news/world")
		ed.post("/admin/sections/"+itoa(culture.ID)+"/move", url.Values{"dir": {"up"}})
		all, _ := st.Sections(ctx)
		var order []string
		for _, s := range all {
			order = append(order, s.Path)
		}
		if strings.Join(order, " ") != "news news/arts news/world" {
			t.Errorf("after moving arts up: %v (world was %d)", order, world.ID)
		}

		// Authors and tags.
		if res := ed.post("/admin/authors", url.Values{"name": {"Kyiv Independent"}, "agency": {"1"}}); res.status != http.StatusSeeOther {
			t.Errorf("new author: %d", res.status)
		}
		au, err := st.AuthorBySlug(ctx, "kyiv-independent")
		if err != nil || !au.Agency {
			t.Errorf("the new agency: %+v, %v", au, err)
		}
		ed.post("/admin/authors/"+itoa(au.ID), url.Values{"name": {"The Kyiv Independent"}, "bio": {"A newspaper."}})
		if au, _ := st.AuthorBySlug(ctx, "kyiv-independent"); au.Name != "The Kyiv Independent" || au.Agency {
			t.Errorf("edited author: %+v", au)
		}
		ed.post("/admin/tags", url.Values{"name": {"Opera"}})
		tag, err := st.TagBySlug(ctx, "opera")
		if err != nil {
			t.Fatal(err)
		}
		ed.post("/admin/tags/"+itoa(tag.ID), url.Values{"name": {"Opera and ballet"}})
		if tag, _ := st.TagBySlug(ctx, "opera"); tag.Name != "Opera and ballet" {
			t.Errorf("renamed tag: %+v", tag)
		}

		// Top stories: two added, reordered, one removed; the home page
		// follows.
		e2 := f.draft(t, "editor", "Second story")
		ed.post("/admin/articles/"+itoa(e2.Article.ID)+"/publish", nil)
		ids := func() []string {
			got, _ := st.TopStoryIDs(ctx)
			var out []string
			for _, id := range got {
				out = append(out, itoa(id))
			}
			return out
		}
		ed.post("/admin/top", url.Values{"op": {"add"}, "add": {itoa(e.Article.ID)}})
		ed.post("/admin/top", url.Values{"op": {"add"}, "add": {itoa(e2.Article.ID)}, "id": ids()})
		ed.post("/admin/top", url.Values{"op": {"up:" + itoa(e2.Article.ID)}, "id": ids()})
		if got := ids(); strings.Join(got, ",") != itoa(e2.Article.ID)+","+itoa(e.Article.ID) {
			t.Errorf("top stories after moving the second up: %v", got)
		}
		home := f.public(t, "/").body
		if i, j := strings.Index(home, "Second story"), strings.Index(home, "Opera house reopens"); i < 0 || j < 0 || i > j {
			t.Errorf("the home page does not follow the top stories' order (%d, %d)", i, j)
		}
		ed.post("/admin/top", url.Values{"op": {"remove:" + itoa(e2.Article.ID)}, "id": ids()})
		if got := ids(); len(got) != 1 {
			t.Errorf("after removing one: %v", got)
		}
		// The desk shows who did what.
		if res := ed.get("/admin/"); !strings.Contains(res.body, "Who did what") || !strings.Contains(res.body, "publish") {
			t.Error("the desk lacks the activity list")
		}
	})
}
