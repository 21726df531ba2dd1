package admin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// direct sends a request straight to the newsroom's handler, with c's
// session, without a network between: a body the server refuses early
// cannot then be lost to a connection closed while it was being sent.
// length -1 sends the body as if chunked, with no length known in advance.
func (c *client) direct(h http.Handler, method, path, contentType string, body []byte, length int64, accept string) response {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.ContentLength = length
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

// routeTargets are the things a route's path names, made once per test.
type routeTargets struct {
	article *news.Editorial // a draft of the contributor's
	photo   news.Media
	section news.Section
	author  news.Author
	tag     news.Tag
	inv     *news.Invitation
	page    *news.Page // a standing page, a draft
	sessID  int64      // a session of the contributor's
	user    int64      // the other contributor's account
	asset   string     // the newsroom's style sheet's name
	// a webhook endpoint, and a delivery to it
	hook, delivery int64
	token          int64 // an API token of the admin's
	budget         int64 // a budget line given to the contributor
}

func (f *fixture) routeTargets(t testing.TB) *routeTargets {
	t.Helper()
	st := f.st
	rt := &routeTargets{article: f.draft(t, "contributor", "The contributor's own draft"), user: f.users["other"].ID,
		asset: strings.TrimPrefix(f.adm.css, "/admin/static/")}
	var err error
	if rt.section, err = st.SectionByPath(ctx, "news/world"); err != nil {
		t.Fatal(err)
	}
	if rt.author, err = st.EnsureAuthor(ctx, "Route Author"); err != nil {
		t.Fatal(err)
	}
	if rt.tag, err = st.EnsureTag(ctx, "Route tag"); err != nil {
		t.Fatal(err)
	}
	rt.photo = news.Media{Hash: strings.Repeat("cd", 32), Type: "image/jpeg", Size: 1, Width: 640, Height: 480}
	if err := st.SaveMedia(ctx, &rt.photo); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPhotoDefaults(ctx, rt.photo.ID, "Alt words", "Caption words", "Credit words"); err != nil {
		t.Fatal(err)
	}
	rt.page = &news.Page{Slug: "route-page", Title: "Route page", Body: "Text.", BodyHTML: "<p>Text.</p>", Status: news.Draft}
	if err := st.SavePage(ctx, rt.page, ""); err != nil {
		t.Fatal(err)
	}
	hook := &news.WebhookEndpoint{URL: "https://hooks.example.com/route", Events: []string{news.EventAddressesChanged}, Secret: "whsec_cm91dGU="}
	if err := st.CreateWebhookEndpoint(ctx, hook); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(ctx, news.SettingOnion, "http://route-targets.onion"); err != nil {
		t.Fatal(err)
	}
	ds, err := st.WebhookDeliveries(ctx, hook.ID, 1, 0)
	if err != nil || len(ds) != 1 {
		t.Fatalf("a delivery: %v, %v", ds, err)
	}
	rt.hook, rt.delivery = hook.ID, ds[0].ID
	tok := &news.APIToken{Name: "route token", Scopes: []news.Scope{news.ScopeWriteArticles}, CreatedBy: f.users["admin"].ID}
	if _, h := auth.NewAPIToken(); st.CreateAPIToken(ctx, h, tok) != nil {
		t.Fatal("an API token")
	}
	rt.token = tok.ID
	rt.inv = &news.Invitation{Role: news.Contributor, ExpiresAt: time.Now().Add(time.Hour)}
	_, h := auth.NewToken()
	if err := st.CreateInvitation(ctx, h, rt.inv); err != nil {
		t.Fatal(err)
	}
	f.as(t, "contributor")
	sessions, err := st.Sessions(ctx, f.users["contributor"].ID)
	if err != nil || len(sessions) == 0 {
		t.Fatalf("sessions: %v, %v", sessions, err)
	}
	rt.sessID = sessions[0].ID
	line := &news.BudgetLine{SlugLine: "ROUTE-LINE", AssigneeID: f.users["contributor"].ID, SectionID: rt.section.ID,
		DueAt: time.Now().Add(time.Hour), Stored: news.BudgetAssigned}
	if err := st.CreateBudgetLine(ctx, line); err != nil {
		t.Fatal(err)
	}
	rt.budget = line.ID
	return rt
}

// path fills a route pattern's wildcards with the targets' ids.
func (rt *routeTargets) path(t testing.TB, pattern string) string {
	t.Helper()
	_, p, ok := strings.Cut(pattern, " ")
	if !ok {
		p = pattern
	}
	ids := map[string]int64{"articles": rt.article.Article.ID, "sections": rt.section.ID, "authors": rt.author.ID, "tags": rt.tag.ID,
		"media": rt.photo.ID, "editor/photos": rt.photo.ID, "invitations": rt.inv.ID, "account/sessions": rt.sessID, "users": rt.user,
		"pages": rt.page.ID, "webhooks": rt.hook, "tokens": rt.token, "budget": rt.budget}
	if strings.HasPrefix(p, "/admin/webhooks/deliveries/") {
		p = strings.Replace(p, "{id}", itoa(rt.delivery), 1)
	}
	for prefix, id := range ids {
		if strings.HasPrefix(p, "/admin/"+prefix+"/") {
			p = strings.Replace(p, "{id}", itoa(id), 1)
		}
	}
	// {link}: a preview link that does not exist (answered 404).
	// {update}: a live update that does not exist (answered 404).
	p = strings.NewReplacer("{n}", "1", "{link}", "1", "{update}", "1", "{token}", "not-a-token", "{name}", rt.asset, "{$}", "").Replace(p)
	if strings.Contains(p, "{") {
		t.Fatalf("route %s: no target for %s; say in routeTargets what fills it", pattern, p)
	}
	return p
}

// leastRole is the least trusted account that may perform an action: ""
// for the public pages.
func (f *fixture) leastRole(action auth.Action) string {
	switch {
	case action == public:
		return ""
	case action == signedIn || auth.Can(news.Contributor, action):
		return "contributor"
	case auth.Can(news.Editor, action):
		return "editor"
	}
	return "admin"
}

// snapshot is everything a newsroom form can change, as text: two equal
// snapshots mean nothing stored changed. Sessions are compared by id only
// (using one records when it was last seen).
func (f *fixture) snapshot(t testing.TB) string {
	t.Helper()
	st := f.st
	var b strings.Builder
	add := func(name string, v any, err error) {
		if err != nil {
			t.Fatalf("snapshot: %s: %v", name, err)
		}
		j, _ := json.Marshal(v)
		fmt.Fprintf(&b, "%s: %s\n", name, j)
	}
	settings, err := st.Settings(ctx)
	add("settings", settings, err)
	photos, err := st.LibraryPhotos(ctx, 500, 0)
	add("photos", photos, err)
	list, err := st.DeskArticles(ctx, store.DeskFilter{Scope: news.EveryArticle(), Limit: 500})
	add("articles", len(list), err)
	for _, e := range list {
		full, err := st.Editorial(ctx, e.Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		add("article", struct {
			C           news.RevisionContent
			Status      news.Status
			Rev         int
			At          time.Time
			Corrections []news.Correction
		}{news.ContentOf(full), full.Article.Status, full.Revision, full.PublishAt, full.Article.Corrections}, nil)
		for _, u := range f.users {
			as, err := st.LatestAutosave(ctx, u.ID, e.Article.ID)
			if news.ErrorCode(err) == news.ENOTFOUND {
				err = nil
			}
			add("autosave", as, err)
		}
	}
	for _, u := range f.users {
		as, err := st.LatestAutosave(ctx, u.ID, 0)
		if news.ErrorCode(err) == news.ENOTFOUND {
			err = nil
		}
		add("autosave of a new story", as, err)
	}
	secs, err := st.Sections(ctx)
	add("sections", secs, err)
	authors, _, err := st.Authors(ctx)
	add("authors", authors, err)
	tags, _, err := st.Tags(ctx)
	add("tags", tags, err)
	top, err := st.TopStoryIDs(ctx)
	add("top", top, err)
	pages, err := st.Pages(ctx)
	add("pages", pages, err)
	for _, p := range pages {
		revs, err := st.PageRevisions(ctx, p.ID)
		add("page revisions", len(revs), err)
	}
	users, err := st.Users(ctx)
	add("users", users, err)
	invs, err := st.Invitations(ctx, time.Now())
	add("invitations", invs, err)
	for _, u := range users {
		ss, err := st.Sessions(ctx, u.ID)
		var ids []int64
		for _, s := range ss {
			ids = append(ids, s.ID)
		}
		slices.Sort(ids)
		add("sessions of "+u.Email, ids, err)
	}
	tokens, err := st.APITokens(ctx)
	add("API tokens", tokens, err)
	audit, err := st.AuditLog(ctx, store.AuditFilter{Limit: 1000})
	add("audit", len(audit), err)
	last, err := st.LastChange(ctx)
	add("change log", last, err)
	return b.String()
}

// badBody is a request body no form reader may take as a form.
type badBody struct {
	name        string
	contentType string
	body        []byte
	length      int64 // -1: sent without a length
	accept      string
	want        int
	says        []string // in the answer
}

// badBodies are the bodies sent to a route whose form may hold max bytes.
func badBodies(fm form) []badBody {
	// The field is "caption", "mirrors" or "body" on the routes where the
	// bug was found; any field name fills a form as well.
	big := []byte("caption=" + strings.Repeat("x", int(fm.max)))
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	mw.WriteField("body", strings.Repeat("y", int(fm.max)))
	mw.Close()
	limit := sizeText(fm.max)
	const urlenc = "application/x-www-form-urlencoded"
	return []badBody{
		{"url-encoded, too large", urlenc, big, int64(len(big)), "", 413, []string{fm.name, limit}},
		{"url-encoded, too large, no length", urlenc, big, -1, "", 413, []string{fm.name, limit}},
		{"multipart, too large, no length", mw.FormDataContentType(), mp.Bytes(), -1, "", 413, []string{fm.name, limit}},
		{"multipart, too large", mw.FormDataContentType(), mp.Bytes(), int64(mp.Len()), "", 413, []string{fm.name, limit}},
		{"url-encoded, too large, for the script", urlenc, big, -1, "application/json", 413, []string{`"error"`, fm.name, limit}},
		{"url-encoded, a bad escape", urlenc, []byte("name=ok&caption=%zz&mirrors=x"), -1, "", 400, []string{fm.name, "could not be read"}},
		{"multipart, broken", "multipart/form-data; boundary=XYZ", []byte("--XYZ\r\nno header here\r\n\r\nvalue\r\n"), -1, "", 400, []string{fm.name, "could not be read"}},
		{"multipart, no boundary", "multipart/form-data", []byte("--XYZ\r\n"), -1, "", 400, []string{fm.name, "could not be read"}},
		{"not a form", "text/plain", []byte("name=x&caption=y"), -1, "", 415, []string{fm.name, "text/plain"}},
		{"JSON", "application/json", []byte(`{"name":"x"}`), -1, "", 415, []string{fm.name, "application/json"}},
		{"no content type", "", []byte("name=x&caption=y"), -1, "", 415, []string{fm.name}},
	}
}

// TestEveryPostRouteRefusesBadBodies sends every route of the newsroom
// that takes a body (read from the route table, so a new one cannot be
// left out) bodies that are too large, broken, or not forms, as an account
// that may use it, and checks each is refused with a message naming the
// form (and the limit), and that nothing stored changed.
func TestEveryPostRouteRefusesBadBodies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		if err := st.SetSettings(ctx, map[string]string{news.SettingName: "The Test Gazette", news.SettingMirrors: "https://mirror-one.example.net"}); err != nil {
			t.Fatal(err)
		}
		targets := f.routeTargets(t)
		h := f.adm.Handler()
		var tried []string
		for _, rt := range f.adm.routes() {
			method, _, ok := strings.Cut(rt.pattern, " ")
			if !ok || method == http.MethodGet {
				continue
			}
			if rt.form.max <= 0 || rt.form.name == "" {
				t.Errorf("%s takes a body but names no form and limit", rt.pattern)
				continue
			}
			tried = append(tried, rt.pattern)
			p := targets.path(t, rt.pattern)
			who := f.leastRole(rt.action)
			// A session of its own: a logout that got through cannot
			// then sign the next route out.
			c := f.as(t, who)
			for _, b := range badBodies(rt.form) {
				before := f.snapshot(t)
				res := c.direct(h, method, p, b.contentType, b.body, b.length, b.accept)
				if res.status != b.want {
					t.Errorf("%s as %q, %s: status %d, want %d\n%.400s", rt.pattern, who, b.name, res.status, b.want, res.body)
					continue
				}
				for _, s := range b.says {
					if !strings.Contains(res.body, s) {
						t.Errorf("%s, %s: the answer does not say %q:\n%.600s", rt.pattern, b.name, s, res.body)
					}
				}
				if b.accept == "application/json" && !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
					t.Errorf("%s, %s: the script got %q, not JSON", rt.pattern, b.name, res.header.Get("Content-Type"))
				}
				if after := f.snapshot(t); after != before {
					t.Errorf("%s, %s: refused, but the store changed:\nbefore:\n%s\nafter:\n%s", rt.pattern, b.name, before, after)
				}
			}
		}
		if len(tried) < 30 {
			t.Errorf("only %d routes with a body tried: %v", len(tried), tried)
		}
	})
}

// TestOversizeSettingsKeepMirrors is the settings form of issue 14: a
// url-encoded form over its limit once answered "Saved." and blanked the
// name, language and every mirror, so /mirrors.json lost them.
func TestOversizeSettingsKeepMirrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		adm := f.as(t, "admin")
		form := url.Values{"name": {"The Test Gazette"}, "language": {"en-GB"},
			"mirrors": {"https://mirror-one.example.net\nhttps://mirror-two.example.net"}}
		if res := adm.post("/admin/settings", form); res.status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%.300s", res.status, res.body)
		}
		before, _ := st.Settings(ctx)
		form.Set("description", strings.Repeat("A long description. ", 4000)) // 80 KB
		res := adm.post("/admin/settings", form)
		if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "settings form") || !strings.Contains(res.body, "64 KB") {
			t.Errorf("an oversize settings form: %d, want 413 naming the form and its limit\n%.500s", res.status, res.body)
		}
		after, _ := st.Settings(ctx)
		if fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("the settings changed:\n%v\nwant\n%v", after, before)
		}
		mirrors := f.anon(t).get("/mirrors.json")
		if !strings.Contains(mirrors.body, "mirror-two.example.net") {
			t.Errorf("/mirrors.json lost the mirrors:\n%s", mirrors.body)
		}
	})
}

// TestLongCaptionKeepsPhotoWords is the photo form of issue 14: a caption
// too long for the form once wiped the alt text, caption and credit.
func TestLongCaptionKeepsPhotoWords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		m := news.Media{Hash: strings.Repeat("ef", 32), Type: "image/jpeg", Size: 1, Width: 640, Height: 480}
		if err := st.SaveMedia(ctx, &m); err != nil {
			t.Fatal(err)
		}
		if err := st.SetPhotoDefaults(ctx, m.ID, "Divers at the harbour", "The harbour at dawn", "Agency"); err != nil {
			t.Fatal(err)
		}
		ed := f.as(t, "editor")
		res := ed.post("/admin/media/"+itoa(m.ID), url.Values{"alt": {"Divers"}, "caption": {strings.Repeat("c", 70<<10)}, "credit": {"Agency"}})
		if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "photo details form") {
			t.Errorf("a long caption: %d, want 413 naming the form\n%.500s", res.status, res.body)
		}
		p, err := st.LibraryPhoto(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Alt != "Divers at the harbour" || p.Caption != "The harbour at dawn" || p.Credit != "Agency" {
			t.Errorf("the photo's words changed: %q, %q, %q", p.Alt, p.Caption, p.Credit)
		}
		// A form that leaves a field out keeps that field's words.
		if res := ed.post("/admin/media/"+itoa(m.ID), url.Values{"caption": {"The harbour at noon"}}); res.status != http.StatusSeeOther {
			t.Fatalf("a caption alone: %d\n%.300s", res.status, res.body)
		}
		if p, _ := st.LibraryPhoto(ctx, m.ID); p.Alt != "Divers at the harbour" || p.Caption != "The harbour at noon" || p.Credit != "Agency" {
			t.Errorf("after saving the caption alone: %q, %q, %q", p.Alt, p.Caption, p.Credit)
		}
	})
}

// TestOversizePreview is the preview of issue 14: 30 MB once answered 200
// with an empty preview.
func TestOversizePreview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		body := []byte("body=" + strings.Repeat("word ", 6<<20)) // 30 MB
		c, h := f.as(t, "contributor"), f.adm.Handler()
		for _, length := range []int64{int64(len(body)), -1} {
			for _, accept := range []string{"", "application/json"} {
				res := c.direct(h, "POST", "/admin/preview", "application/x-www-form-urlencoded", body, length, accept)
				if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "preview form") || !strings.Contains(res.body, "22 MB") {
					t.Errorf("a 30 MB preview (length %d, accept %q): %d, want 413 naming the form and its limit\n%.300s", length, accept, res.status, res.body)
				}
			}
		}
	})
}

// TestOversizeArticleKeepsText checks what a writer whose story is too big
// is told: the save is refused whole, the stored text stays, and the page
// says the text is still in the editor and leads back to it.
func TestOversizeArticleKeepsText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "A story that grew")
		form := editorForm(e)
		form.Set("body", strings.Repeat("A paragraph that goes on. ", 1<<20)) // 26 MB
		res := f.as(t, "contributor").post("/admin/articles/"+itoa(e.Article.ID), form)
		if res.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("an oversize save: %d, want 413\n%.300s", res.status, res.body)
		}
		for _, s := range []string{"article form", "nothing was saved", "still in the editor", `href="/admin/articles/` + itoa(e.Article.ID) + `"`} {
			if !strings.Contains(res.body, s) {
				t.Errorf("the answer does not say %q:\n%.1000s", s, res.body)
			}
		}
		got, _ := st.Editorial(ctx, e.Article.ID)
		if got.Article.Body != e.Article.Body || got.Revision != e.Revision {
			t.Errorf("the stored text changed: revision %d", got.Revision)
		}
		// The autosave of a text too long for it says so to the script.
		big := url.Values{"headline": {"x"}, "body": {strings.Repeat("y", 3<<20)}}
		c := f.as(t, "contributor")
		c.header.Set("Accept", "application/json")
		res = c.post("/admin/articles/"+itoa(e.Article.ID)+"/autosave", big)
		var answer map[string]string
		if err := json.Unmarshal([]byte(res.body), &answer); err != nil || res.status != http.StatusRequestEntityTooLarge || !strings.Contains(answer["error"], "too long to autosave") {
			t.Errorf("an oversize autosave: %d %q (%v)", res.status, res.body, err)
		}
	})
}

// TestEditorStatesItsLimits checks the editor and the photo library tell
// the page's script how large a form may be, so it can refuse to send one
// that is too large and keep the text on screen.
func TestEditorStatesItsLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := f.as(t, "contributor")
		// The library's form takes several photos at once: its limit is
		// the route's (maxUpload), the editor's one photo and its text.
		for p, max := range map[string]int64{"/admin/articles/new": f.adm.maxForm(), "/admin/media": f.adm.maxUpload()} {
			want := fmt.Sprintf(`data-max-form="%d" data-max-photo="%d"`, max, f.adm.limits().MaxBytes)
			if res := c.get(p); !strings.Contains(res.body, want) {
				t.Errorf("%s does not state its limits (%s)", p, want)
			}
		}
	})
}
