package admin

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// srcdocOf returns the document in the preview frame's srcdoc, unescaped,
// and the frame's tag.
func srcdocOf(t *testing.T, page string) (doc, tag string) {
	t.Helper()
	m := regexp.MustCompile(`<iframe id="preview-page"[^>]*>`).FindString(page)
	if m == "" {
		t.Fatalf("no preview frame in the page:\n%.600s", page)
	}
	s := regexp.MustCompile(`srcdoc="([^"]*)"`).FindStringSubmatch(m)
	if s == nil {
		t.Fatalf("the frame has no srcdoc: %s", m)
	}
	return html.UnescapeString(s[1]), m
}

// TestPreviewIsThePublicPage: the newsroom's preview of an unsaved form is
// the site's article page (its headline h1, lede, bylines, lead photo
// figure and stylesheet), in a frame sandboxed without scripts, with the
// search result and social card the page would give; nothing is stored
// for it (a new byline or tag is not made).
func TestPreviewIsThePublicPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		// A draft's preview is dated now: two previews a second apart
		// would differ in their time alone.
		at := time.Now()
		f.adm.now = func() time.Time { return at }
		photo := uploadPhoto(t, f, 1200, 800)
		e := f.draft(t, "contributor", "Saved headline")
		c := f.as(t, "contributor")
		form := editorForm(e)
		form.Set("headline", "Unsaved headline, as typed")
		form.Set("summary", "The unsaved lede.")
		form.Set("bylines", "Nobody Yet Known\nAFP")
		form.Set("tags", "Brand new tag")
		form.Set("photo_id", itoa(photo))
		form.Set("photo_caption", "The quay at dawn.")
		form.Set("seo_title", "A title for search engines")
		form.Set("body", "First paragraph.\n\n# A subhead\n\n<script>alert(1)</script>")
		res := c.post("/admin/preview?article="+itoa(e.Article.ID), form)
		if res.status != 200 {
			t.Fatalf("preview: %d\n%.600s", res.status, res.body)
		}
		doc, tag := srcdocOf(t, res.body)
		for _, want := range []string{
			"<h1>Unsaved headline, as typed</h1>", `<p class="lede">The unsaved lede.</p>`,
			`<span class="byline">By <a href="/author/nobody-yet-known">Nobody Yet Known</a> and <a href="/author/afp">AFP</a></span>`,
			`<figure class="lead-photo">`, "The quay at dawn.", `<link rel="stylesheet" href="/static/style.`,
			`<meta name="robots" content="noindex, nofollow">`, "<h2", ">Brand new tag</a>",
			`<title>A title for search engines | The Test Gazette</title>`,
		} {
			if !strings.Contains(doc, want) {
				t.Errorf("the framed page lacks %q", want)
			}
		}
		if strings.Contains(doc, "<script>alert") || strings.Contains(doc, "Draft preview") {
			t.Error("the framed page holds the body's script, or a preview link's banner")
		}
		if !strings.Contains(tag, `sandbox="allow-same-origin"`) || strings.Contains(tag, "allow-scripts") {
			t.Errorf("the frame may run scripts: %s", tag)
		}
		// The search result and the card, beside it.
		for _, want := range []string{"A title for search engines | The Test Gazette",
			"http://news.example.org/news/world/saved-headline", "The unsaved lede.",
			`<img src="/media/`, "news.example.org", `id="preview-width-phone"`, `id="preview-width-desktop"`} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the preview page lacks %q", want)
			}
		}
		// Nothing was made for the preview.
		if _, err := st.AuthorBySlug(ctx, "nobody-yet-known"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("the preview made the author: %v", err)
		}
		if _, err := st.TagBySlug(ctx, "brand-new-tag"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("the preview made the tag: %v", err)
		}
		if got, _ := st.Editorial(ctx, e.Article.ID); got.Article.Headline != "Saved headline" {
			t.Errorf("the preview saved: %q", got.Article.Headline)
		}

		// The script's JSON: the same page, and the aside as HTML.
		c.header.Set("Accept", "application/json")
		res = c.post("/admin/preview?article="+itoa(e.Article.ID), form)
		var got map[string]string
		if err := json.Unmarshal([]byte(res.body), &got); err != nil || res.status != 200 {
			t.Fatalf("JSON preview: %d %v", res.status, err)
		}
		if got["page"] != doc || !strings.Contains(got["aside"], "A title for search engines") {
			t.Errorf("the JSON's page differs from the frame's, or its aside lacks the snippet:\n%.300s", got["aside"])
		}
		// A new story with no section yet still previews, and says why its
		// address is not the story's.
		c.header.Del("Accept")
		if res := c.post("/admin/preview", url.Values{"headline": {"No section yet"}, "body": {"Text."}}); res.status != 200 || !strings.Contains(res.body, "No section is chosen yet") {
			t.Errorf("a preview without a section: %d\n%.400s", res.status, res.body)
		}
		// Another contributor's story cannot be previewed by its number.
		if res := f.as(t, "other").post("/admin/preview?article="+itoa(e.Article.ID), form); res.status != http.StatusForbidden {
			t.Errorf("another contributor's preview of the story: %d, want 403", res.status)
		}
	})
}

// TestPreviewDates: a published story's preview keeps its publication
// time and, with "Substantive update" ticked, says "updated".
func TestPreviewDates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "editor", "Dated story")
		ed := f.as(t, "editor")
		if res := ed.post("/admin/articles/"+itoa(e.Article.ID)+"/publish", editorForm(e)); res.status != 303 {
			t.Fatalf("publish: %d", res.status)
		}
		e, _ = st.Editorial(ctx, e.Article.ID)
		form := editorForm(e)
		doc, _ := srcdocOf(t, ed.post("/admin/preview?article="+itoa(e.Article.ID), form).body)
		if !strings.Contains(doc, `<time datetime="`+e.Article.PublishedAt.UTC().Format(time.RFC3339)) || strings.Contains(doc, "updated") {
			t.Errorf("a published story's preview: not its own date, or updated:\n%.300s", doc[strings.Index(doc, "dates"):])
		}
		form.Set("updated", "1")
		doc, _ = srcdocOf(t, ed.post("/admin/preview?article="+itoa(e.Article.ID), form).body)
		if !strings.Contains(doc, "; updated <time") {
			t.Error("a substantive update's preview does not say updated")
		}
	})
}

var previewLinkRE = regexp.MustCompile(`http://news\.example\.org/preview/([A-Za-z0-9_-]+)`)

// TestPreviewLinksInTheNewsroom: a contributor makes a link to their own
// draft and a stranger without a session reads it; another contributor
// can neither make nor revoke one; the list names the maker and counts the
// openings; a lifetime out of bounds is refused, naming the field, and
// stores nothing; revoking ends it at once; both are in the audit log; a
// story out of its writer's hands takes no new link from them.
func TestPreviewLinksInTheNewsroom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "Story for the lawyer")
		base := "/admin/articles/" + itoa(e.Article.ID) + "/previews"
		me, other, anon := f.as(t, "contributor"), f.as(t, "other"), f.as(t, "")

		for _, days := range []string{"0", "31", "many"} {
			res := me.post(base, url.Values{"days": {days}})
			if res.status != 400 || !strings.Contains(res.body, "days") {
				t.Errorf("days=%s: %d, want 400 naming the days", days, res.status)
			}
		}
		if list, _ := st.PreviewLinks(ctx, e.Article.ID); len(list) != 0 {
			t.Fatalf("refused forms stored %d links", len(list))
		}
		if res := other.post(base, url.Values{"days": {"3"}}); res.status != 403 {
			t.Errorf("another contributor made a link: %d", res.status)
		}
		res := me.post(base, url.Values{"days": {"3"}, "note": {"For our lawyer"}})
		m := previewLinkRE.FindStringSubmatch(res.body)
		if res.status != http.StatusCreated || m == nil {
			t.Fatalf("making a link: %d\n%.600s", res.status, res.body)
		}
		token := m[1]
		if len(token) != 43 {
			t.Errorf("token of %d characters, want 43 (32 random bytes)", len(token))
		}
		list, _ := st.PreviewLinks(ctx, e.Article.ID)
		if len(list) != 1 || list[0].Note != "For our lawyer" || list[0].CreatedBy != f.users["contributor"].ID {
			t.Fatalf("stored: %+v", list)
		}
		if d := list[0].ExpiresAt.Sub(list[0].CreatedAt); d != 3*24*time.Hour {
			t.Errorf("a 3-day link lasts %v", d)
		}

		// A stranger without a session reads the draft.
		pub := anon.get("/preview/" + token)
		if pub.status != 200 || !strings.Contains(pub.body, "<h1>Story for the lawyer</h1>") || !strings.Contains(pub.body, "Draft preview — not published") {
			t.Fatalf("the link, without a session: %d\n%.400s", pub.status, pub.body)
		}
		if pub.header.Get("Cache-Control") != "private, no-store" || pub.header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("the link's headers: %v", pub.header)
		}
		page := me.get(base)
		testkit.ValidateHTMLBatch(t, map[string][]byte{"preview links, one just made": []byte(res.body), "preview links": []byte(page.body),
			"preview": []byte(me.post("/admin/preview?article="+itoa(e.Article.ID), editorForm(e)).body), "preview link": []byte(pub.body)})
		for _, want := range []string{"For our lawyer", "Contributor Person", "opened 1 time", "Open"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the list lacks %q", want)
			}
		}
		if strings.Contains(page.body, token) {
			t.Error("the list shows the token again")
		}
		if res := other.get(base); res.status != 403 {
			t.Errorf("another contributor's view of the list: %d", res.status)
		}

		revoke := base + "/" + itoa(list[0].ID) + "/revoke"
		if res := other.post(revoke, nil); res.status != 403 {
			t.Errorf("another contributor revoked: %d", res.status)
		}
		if res := me.post(revoke, nil); res.status != 303 {
			t.Fatalf("revoking: %d\n%.400s", res.status, res.body)
		}
		if res := anon.get("/preview/" + token); res.status != 410 || strings.Contains(res.body, "Story for the lawyer") {
			t.Errorf("a revoked link: %d", res.status)
		}
		if res := me.post(revoke, nil); res.status != 404 {
			t.Errorf("revoking twice: %d, want 404", res.status)
		}
		entries, _ := st.AuditLog(ctx, store.AuditFilter{Target: "article " + itoa(e.Article.ID)})
		var actions []string
		for _, a := range entries {
			actions = append(actions, a.Action)
		}
		if got := strings.Join(actions, " "); !strings.Contains(got, "preview-link.revoke preview-link") {
			t.Errorf("audit: %q, want the making and the revoking", got)
		}

		// Submitted, the story is the editors': its writer makes no more
		// links, an editor does.
		if res := me.post("/admin/articles/"+itoa(e.Article.ID)+"/submit", editorForm(e)); res.status != 303 {
			t.Fatalf("submit: %d", res.status)
		}
		if res := me.post(base, url.Values{"days": {"1"}}); res.status != 403 {
			t.Errorf("the writer made a link to a story in review: %d", res.status)
		}
		if res := f.as(t, "editor").post(base, url.Values{}); res.status != http.StatusCreated {
			t.Errorf("an editor's link with the default lifetime: %d", res.status)
		} else if list, _ := st.PreviewLinks(ctx, e.Article.ID); list[0].ExpiresAt.Sub(list[0].CreatedAt) != news.DefaultPreviewDays*24*time.Hour {
			t.Errorf("the default lifetime: %v", list[0].ExpiresAt.Sub(list[0].CreatedAt))
		}
	})
}
