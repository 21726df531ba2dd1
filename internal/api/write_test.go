package api_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// writeFixture is a newsroom with three accounts, a section, and an API
// server over it.
type writeFixture struct {
	t     *testing.T
	s     *store.Store
	srv   *httptest.Server
	users map[news.Role]*news.User
	sec   news.Section
	n     int // stories made, so each has its own headline
	// ahead is how far the API's clock runs ahead of the real one (in
	// nanoseconds): a test moves it to pass an expiry without waiting.
	ahead atomic.Int64
}

func newWriteFixture(t *testing.T, s *store.Store, lim api.Limits) *writeFixture {
	t.Helper()
	f := &writeFixture{t: t, s: s, users: map[news.Role]*news.User{}}
	for _, role := range news.Roles {
		u := &news.User{Email: string(role) + "@example.org", Name: strings.ToUpper(string(role[:1])) + string(role[1:]), Role: role, PasswordHash: "x"}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		f.users[role] = u
	}
	var err error
	if f.sec, err = s.EnsureSectionPath(ctx, "news/europe"); err != nil {
		t.Fatal(err)
	}
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	base, _ := url.Parse("https://news.example.org")
	f.srv = httptest.NewServer(api.New(api.Config{BaseURL: base, Writes: api.Writes{Media: ms, Limits: lim,
		Now: func() time.Time { return time.Now().Add(time.Duration(f.ahead.Load())) }}}, s, nil).Handler())
	t.Cleanup(f.srv.Close)
	return f
}

// token makes a token for an account's role with the scopes given.
func (f *writeFixture) token(role news.Role, name string, expires time.Time, scopes ...news.Scope) (string, *news.APIToken) {
	f.t.Helper()
	secret, hash := auth.NewAPIToken()
	tok := &news.APIToken{Name: name, Scopes: scopes, CreatedBy: f.users[role].ID, ExpiresAt: expires}
	if err := f.s.CreateAPIToken(ctx, hash, tok); err != nil {
		f.t.Fatal(err)
	}
	return secret, tok
}

// story saves a story of the role's account, moved to status st, through
// the newsroom's rules.
func (f *writeFixture) story(role news.Role, headline string, st news.Status) *news.Editorial {
	f.t.Helper()
	u := f.users[role]
	f.n++
	headline += " " + strconv.Itoa(f.n)
	var e *news.Editorial
	err := f.s.InTx(ctx, func(tx *store.Store) error {
		var err error
		e, _, err = newsroom.Save(ctx, tx, newsroom.Actor{User: u}, nil, newsroom.Edit{At: time.Now(),
			Content: news.RevisionContent{Headline: headline, Body: "Text of " + headline + ".", SectionID: f.sec.ID}})
		if err != nil || st == news.Draft {
			return err
		}
		ed := newsroom.Actor{User: f.users[news.Editor]}
		if st == news.Review || st == news.Published {
			if err := newsroom.MoveArticle(ctx, tx, ed, e.Article.ID, newsroom.Move{To: news.Review, Action: "submit", At: time.Now()}); err != nil {
				return err
			}
		}
		if st == news.Published || st == news.Scheduled {
			m := newsroom.Move{To: st, Action: "publish", At: time.Now(), PublishAt: time.Now().Add(time.Hour)}
			return newsroom.MoveArticle(ctx, tx, ed, e.Article.ID, m)
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	e, err = f.s.Editorial(ctx, e.Article.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

type wcall struct {
	method, path string
	token        string
	body         string
	ctype        string
	header       []string
}

// do makes a call and returns its answer, after checking it against the
// description (read_test.go).
func (f *writeFixture) do(c wcall) reply {
	f.t.Helper()
	rp := f.send(c)
	checkDescribed(f.t, c.method, c.path, rp)
	return rp
}

// send makes a call and returns its answer, unchecked: for the calls the
// description has no operation for (a preflight, a method not taken).
func (f *writeFixture) send(c wcall) reply {
	f.t.Helper()
	req, _ := http.NewRequest(c.method, f.srv.URL+c.path, strings.NewReader(c.body))
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.ctype != "" {
		req.Header.Set("Content-Type", c.ctype)
	} else if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(c.header); i += 2 {
		req.Header.Set(c.header[i], c.header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return reply{res.StatusCode, res.Header, body}
}

func errorOf(t *testing.T, rp reply) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(rp.body, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("not a JSON error (%d): %s", rp.status, rp.body)
	}
	return e
}

// photoUpload is a multipart body with a small JPEG in "photo".
func photoUpload(t *testing.T, shade uint8) (body, ctype string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, img, nil); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("photo", "pier.jpg")
	fw.Write(jb.Bytes())
	mw.WriteField("alt", "The pier at dawn")
	mw.Close()
	return b.String(), mw.FormDataContentType()
}

// endpoint is one write of the API, prepared on fresh state, with the
// scope it needs and the status it answers when allowed.
type endpoint struct {
	name  string
	scope news.Scope
	ok    int
	prep  func(f *writeFixture) (wcall, func() string) // the call, and a view of the state it may change
}

func articleState(f *writeFixture, id int64) func() string {
	return func() string {
		e, err := f.s.Editorial(ctx, id)
		if err != nil {
			return err.Error()
		}
		return string(e.Article.Status) + " r" + strconv.Itoa(e.Revision) + " c" + strconv.Itoa(len(e.Article.Corrections))
	}
}

func ifMatch(e *news.Editorial) []string {
	return []string{"If-Match", `"` + strconv.Itoa(e.Revision) + `"`}
}

var endpoints = []endpoint{
	{"create", news.ScopeWriteArticles, 201, func(f *writeFixture) (wcall, func() string) {
		f.n++
		return wcall{method: "POST", path: "/api/v1/articles", body: `{"headline":"Ferries run again ` + strconv.Itoa(f.n) + `","body":"Text.","section":"news/europe"}`},
			func() string { n, _ := f.s.CountArticles(ctx); return strconv.Itoa(n[news.Draft]) }
	}},
	{"patch", news.ScopeWriteArticles, 200, func(f *writeFixture) (wcall, func() string) {
		e := f.story(news.Editor, "Patch me", news.Draft)
		return wcall{method: "PATCH", path: "/api/v1/articles/" + itoa(int(e.Article.ID)), body: `{"summary":"Short."}`, header: ifMatch(e)}, articleState(f, e.Article.ID)
	}},
	{"put", news.ScopeWriteArticles, 200, func(f *writeFixture) (wcall, func() string) {
		e := f.story(news.Editor, "Put me", news.Draft)
		return wcall{method: "PUT", path: "/api/v1/articles/" + itoa(int(e.Article.ID)), body: `{"headline":"Put me again ` + strconv.Itoa(f.n) + `","section":"news/europe"}`, header: ifMatch(e)}, articleState(f, e.Article.ID)
	}},
	{"submit", news.ScopeWriteArticles, 200, func(f *writeFixture) (wcall, func() string) {
		e := f.story(news.Editor, "Submit me", news.Draft)
		return wcall{method: "POST", path: "/api/v1/articles/" + itoa(int(e.Article.ID)) + "/submit"}, articleState(f, e.Article.ID)
	}},
	{"publish", news.ScopePublish, 200, func(f *writeFixture) (wcall, func() string) {
		e := f.story(news.Editor, "Publish me", news.Review)
		return wcall{method: "POST", path: "/api/v1/articles/" + itoa(int(e.Article.ID)) + "/publish"}, articleState(f, e.Article.ID)
	}},
	{"schedule", news.ScopePublish, 200, func(f *writeFixture) (wcall, func() string) {
		e := f.story(news.Editor, "Schedule me", news.Review)
		at := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
		return wcall{method: "POST", path: "/api/v1/articles/" + itoa(int(e.Article.ID)) + "/schedule", body: `{"publish_at":"` + at + `"}`}, articleState(f, e.Article.ID)
	}},
	{"unpublish", news.ScopePublish, 200, func(f *writeFixture) (wcall, func() string) {
		e := f.story(news.Editor, "Unpublish me", news.Published)
		return wcall{method: "POST", path: "/api/v1/articles/" + itoa(int(e.Article.ID)) + "/unpublish"}, articleState(f, e.Article.ID)
	}},
	{"correction", news.ScopePublish, 201, func(f *writeFixture) (wcall, func() string) {
		e := f.story(news.Editor, "Correct me", news.Published)
		return wcall{method: "POST", path: "/api/v1/articles/" + itoa(int(e.Article.ID)) + "/corrections", body: `{"text":"An earlier version misnamed the pier."}`}, articleState(f, e.Article.ID)
	}},
	{"media", news.ScopeUploadMedia, 201, func(f *writeFixture) (wcall, func() string) {
		f.n++
		body, ct := photoUpload(f.t, uint8(f.n*7))
		return wcall{method: "POST", path: "/api/v1/media", body: body, ctype: ct},
			func() string { ps, _ := f.s.LibraryPhotos(ctx, 100, 0); return strconv.Itoa(len(ps)) }
	}},
}

// TestEveryScopeEveryWrite: each write is allowed to a token with its
// scope alone, and refused with 403 insufficient_scope, changing nothing,
// to a token with any other single scope or none of its own.
func TestEveryScopeEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		for _, ep := range endpoints {
			for _, sc := range news.Scopes {
				// Each with read:drafts too: the stories are another's
				// drafts, which a token that cannot read them may not
				// change either (TestWritesNeedToSeeTheDraft).
				scopes := []news.Scope{sc}
				if sc != news.ScopeReadDrafts {
					scopes = append(scopes, news.ScopeReadDrafts)
				}
				secret, _ := f.token(news.Admin, "bot-"+ep.name+"-"+string(sc), time.Time{}, scopes...)
				c, state := ep.prep(f)
				c.token = secret
				before := state()
				rp := f.do(c)
				if sc == ep.scope {
					if rp.status != ep.ok {
						t.Errorf("%s with %s: %d, want %d\n%s", ep.name, sc, rp.status, ep.ok, rp.body)
					} else if state() == before {
						t.Errorf("%s with %s: answered %d but changed nothing (%s)", ep.name, sc, rp.status, before)
					}
					continue
				}
				if rp.status != http.StatusForbidden || errorOf(t, rp).Error.Code != "insufficient_scope" ||
					!strings.Contains(rp.header.Get("WWW-Authenticate"), `scope="`+string(ep.scope)+`"`) {
					t.Errorf("%s with %s: %d %s %q, want 403 insufficient_scope naming %s", ep.name, sc, rp.status, rp.body, rp.header.Get("WWW-Authenticate"), ep.scope)
				}
				if after := state(); after != before {
					t.Errorf("%s with %s: refused, yet the state went from %s to %s", ep.name, sc, before, after)
				}
			}
		}
	})
}

// TestTokenActsWithinItsCreatorsRole: a token with every scope can do only
// what its creator's role allows: a contributor's cannot publish, correct,
// or edit another's draft, but can write, submit its own and upload.
func TestTokenActsWithinItsCreatorsRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		want := map[news.Role]map[string]int{
			news.Contributor: {"create": 201, "patch": 403, "put": 403, "submit": 403, "publish": 403, "schedule": 403, "unpublish": 403, "correction": 403, "media": 201},
			news.Editor:      {"create": 201, "patch": 200, "put": 200, "submit": 200, "publish": 200, "schedule": 200, "unpublish": 200, "correction": 201, "media": 201},
		}
		for role, codes := range want {
			secret, _ := f.token(role, "all-"+string(role), time.Time{}, news.Scopes...)
			for _, ep := range endpoints {
				c, state := ep.prep(f) // the stories are an editor's: a contributor's token may not touch them
				c.token = secret
				before := state()
				rp := f.do(c)
				if rp.status != codes[ep.name] {
					t.Errorf("%s's token, %s: %d, want %d\n%s", role, ep.name, rp.status, codes[ep.name], rp.body)
				}
				if rp.status == 403 {
					if errorOf(t, rp).Error.Code != news.EFORBIDDEN {
						t.Errorf("%s's token, %s: code %s, want forbidden", role, ep.name, rp.body)
					}
					if state() != before {
						t.Errorf("%s's token, %s: refused, yet the state changed", role, ep.name)
					}
				}
			}
		}
		// A contributor's token edits and files its own draft.
		secret, _ := f.token(news.Contributor, "own", time.Time{}, news.ScopeWriteArticles, news.ScopePublish)
		own := f.story(news.Contributor, "My own story", news.Draft)
		id := itoa(int(own.Article.ID))
		if rp := f.do(wcall{method: "PATCH", path: "/api/v1/articles/" + id, token: secret, body: `{"summary":"Mine."}`, header: ifMatch(own)}); rp.status != 200 {
			t.Errorf("a contributor's token on their own draft: %d %s", rp.status, rp.body)
		}
		if rp := f.do(wcall{method: "POST", path: "/api/v1/articles/" + id + "/submit", token: secret}); rp.status != 200 {
			t.Errorf("a contributor's token submitting their own draft: %d %s", rp.status, rp.body)
		}
		if rp := f.do(wcall{method: "POST", path: "/api/v1/articles/" + id + "/publish", token: secret}); rp.status != 403 {
			t.Errorf("a contributor's token with publish, publishing: %d, want 403", rp.status)
		}
		// Changing a published story takes publish as well.
		pub := f.story(news.Editor, "Live story", news.Published)
		writer, _ := f.token(news.Editor, "writer-only", time.Time{}, news.ScopeWriteArticles)
		rp := f.do(wcall{method: "PATCH", path: "/api/v1/articles/" + itoa(int(pub.Article.ID)), token: writer, body: `{"summary":"Live."}`, header: ifMatch(pub)})
		if rp.status != 403 || errorOf(t, rp).Error.Code != "insufficient_scope" {
			t.Errorf("changing a published story with write:articles alone: %d %s, want 403 insufficient_scope", rp.status, rp.body)
		}
	})
}

// TestTokensRefused: no token, a malformed, unknown, expired or revoked
// one, or one whose account is disabled, gets 401 with a stable code and
// the Bearer challenge; a revocation holds at once on every instance (two
// servers over one database).
func TestTokensRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		other := httptest.NewServer(api.New(api.Config{BaseURL: &url.URL{Scheme: "https", Host: "news.example.org"}}, s, nil).Handler())
		defer other.Close()
		create := `{"headline":"Refused","section":"news/europe"}`
		good, tok := f.token(news.Editor, "good", time.Time{}, news.ScopeWriteArticles)
		soon, _ := f.token(news.Editor, "soon", time.Now().Add(time.Second), news.ScopeWriteArticles)
		disabledSecret, _ := f.token(news.Contributor, "of-disabled", time.Time{}, news.ScopeWriteArticles)
		u := f.users[news.Contributor]
		u.Disabled = true
		if err := s.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		unknown, _ := auth.NewAPIToken()
		for _, c := range []struct {
			name, header, code string
		}{
			{"none", "", "unauthorized"},
			{"not bearer", "Basic " + good, "invalid_token"},
			{"malformed", "Bearer nd_short", "invalid_token"},
			{"unknown", "Bearer " + unknown, "invalid_token"},
			{"disabled account", "Bearer " + disabledSecret, "invalid_token"},
		} {
			rp := f.do(wcall{method: "POST", path: "/api/v1/articles", body: create, header: []string{"Authorization", c.header}})
			if rp.status != 401 || errorOf(t, rp).Error.Code != c.code || !strings.HasPrefix(rp.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s: %d %s %q, want 401 %s with a Bearer challenge", c.name, rp.status, rp.body, rp.header.Get("WWW-Authenticate"), c.code)
			}
		}
		// A bad token is refused on reads too, rather than read as none.
		if rp := f.do(wcall{method: "GET", path: "/api/v1/search?q=x", token: unknown}); rp.status != 401 {
			t.Errorf("a read with an unknown token: %d, want 401", rp.status)
		}
		f.ahead.Store(int64(2 * time.Second)) // "soon" expires on the API's clock
		if rp := f.do(wcall{method: "POST", path: "/api/v1/articles", body: create, token: soon}); rp.status != 401 || errorOf(t, rp).Error.Code != "token_expired" {
			t.Errorf("an expired token: %d %s", rp.status, rp.body)
		}
		if rp := f.do(wcall{method: "POST", path: "/api/v1/articles", body: create, token: good}); rp.status != 201 {
			t.Fatalf("the good token: %d %s", rp.status, rp.body)
		}
		if err := s.RevokeAPIToken(ctx, tok.ID, f.users[news.Admin].ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		for _, srv := range []string{f.srv.URL, other.URL} {
			req, _ := http.NewRequest("POST", srv+"/api/v1/articles", strings.NewReader(create))
			req.Header.Set("Authorization", "Bearer "+good)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			checkDescribed(t, "POST", "/api/v1/articles", reply{res.StatusCode, res.Header, body})
			if res.StatusCode != 401 || !strings.Contains(string(body), `"token_revoked"`) {
				t.Errorf("a revoked token on %s: %d %s", srv, res.StatusCode, body)
			}
		}
		if got, _ := s.APIToken(ctx, tok.ID); got.LastUsedAt.IsZero() {
			t.Error("the token's last use was not recorded")
		}
	})
}

// TestIfMatch: a change names the revision it is based on; without it 428,
// with a stale one 412, and either way nothing changes. PATCH keeps the
// fields it does not name; PUT empties them.
func TestIfMatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		secret, _ := f.token(news.Editor, "sync", time.Time{}, news.ScopeWriteArticles)
		rp := f.do(wcall{method: "POST", path: "/api/v1/articles", token: secret,
			body: `{"headline":"Tide tables","summary":"When the tide turns.","body":"First text.","section":"news/europe","tags":["Sea"," sea ","Tides"]}`})
		if rp.status != 201 || rp.header.Get("ETag") != `"1"` || rp.header.Get("Location") == "" {
			t.Fatalf("create: %d %v %s", rp.status, rp.header, rp.body)
		}
		var made struct {
			ID       int64    `json:"id"`
			Revision int      `json:"revision"`
			Status   string   `json:"status"`
			Tags     []string `json:"tags"`
			Section  string   `json:"section"`
		}
		json.Unmarshal(rp.body, &made)
		if made.Status != "draft" || made.Section != "news/europe" || strings.Join(made.Tags, ",") != "Sea,Tides" {
			t.Errorf("created: %s", rp.body)
		}
		path := "/api/v1/articles/" + itoa(int(made.ID))
		state := articleState(f, made.ID)
		if rp := f.do(wcall{method: "PATCH", path: path, token: secret, body: `{"body":"Second text."}`}); rp.status != 428 || errorOf(t, rp).Error.Field != "If-Match" {
			t.Errorf("no If-Match: %d %s, want 428 naming If-Match", rp.status, rp.body)
		}
		rp = f.do(wcall{method: "PATCH", path: path, token: secret, body: `{"body":"Second text."}`, header: []string{"If-Match", `"1"`}})
		if rp.status != 200 || rp.header.Get("ETag") != `"2"` {
			t.Fatalf("PATCH at the current revision: %d %s", rp.status, rp.body)
		}
		e, _ := s.Editorial(ctx, made.ID)
		if e.Article.Body != "Second text." || e.Article.Summary != "When the tide turns." || len(e.Article.Tags) != 2 {
			t.Errorf("PATCH changed more or less than the body: %+v", e.Article)
		}
		before := state()
		rp = f.do(wcall{method: "PATCH", path: path, token: secret, body: `{"body":"Stale text."}`, header: []string{"If-Match", `"1"`}})
		if rp.status != 412 || errorOf(t, rp).Error.Code != "precondition_failed" {
			t.Errorf("a stale If-Match: %d %s, want 412", rp.status, rp.body)
		}
		if state() != before {
			t.Errorf("a stale change changed the article: %s, then %s", before, state())
		}
		if revs, _ := s.Revisions(ctx, made.ID); len(revs) != 2 {
			t.Errorf("a stale change left a revision: %d revisions, want 2", len(revs))
		}
		rp = f.do(wcall{method: "PUT", path: path, token: secret, body: `{"headline":"Tide tables","section":"news/europe"}`, header: []string{"If-Match", `"2"`}})
		if rp.status != 200 {
			t.Fatalf("PUT: %d %s", rp.status, rp.body)
		}
		if e, _ := s.Editorial(ctx, made.ID); e.Article.Body != "" || e.Article.Summary != "" || len(e.Article.Tags) != 0 {
			t.Errorf("PUT kept fields it did not send: %+v", e.Article)
		}
		if rp := f.do(wcall{method: "POST", path: path + "/submit", token: secret, header: []string{"If-Match", `"1"`}}); rp.status != 412 {
			t.Errorf("submit with a stale If-Match: %d, want 412", rp.status)
		}
	})
}

// TestCorrectionIfMatch: a correction honours If-Match as the workflow's
// steps do: one based on a revision the story has left is 412 and adds
// nothing; at the current revision, or without If-Match, it is added.
func TestCorrectionIfMatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		secret, _ := f.token(news.Editor, "corrector", time.Time{}, news.ScopeWriteArticles, news.ScopePublish)
		pub := f.story(news.Editor, "Pier reopens", news.Published)
		path := "/api/v1/articles/" + itoa(int(pub.Article.ID))
		rp := f.do(wcall{method: "PATCH", path: path, token: secret, body: `{"summary":"The pier reopens on Monday."}`, header: ifMatch(pub)})
		if rp.status != 200 {
			t.Fatalf("PATCH: %d %s", rp.status, rp.body)
		}
		now := rp.header.Get("ETag")
		state := articleState(f, pub.Article.ID)
		before := state()
		rp = f.do(wcall{method: "POST", path: path + "/corrections", token: secret, body: `{"text":"The pier is in the north."}`, header: ifMatch(pub)})
		if rp.status != 412 || errorOf(t, rp).Error.Code != "precondition_failed" || errorOf(t, rp).Error.Field != "If-Match" {
			t.Errorf("a correction with a stale If-Match: %d %s, want 412", rp.status, rp.body)
		}
		if state() != before {
			t.Errorf("a stale correction changed the article: %s, then %s", before, state())
		}
		if rp := f.do(wcall{method: "POST", path: path + "/corrections", token: secret, body: `{"text":"x"}`, header: []string{"If-Match", "3"}}); rp.status != 400 {
			t.Errorf("an If-Match that is not a quoted revision: %d %s, want 400", rp.status, rp.body)
		}
		rp = f.do(wcall{method: "POST", path: path + "/corrections", token: secret, body: `{"text":"The pier is in the north."}`, header: []string{"If-Match", now}})
		if rp.status != 201 {
			t.Errorf("a correction at the current revision: %d %s", rp.status, rp.body)
		}
		rp = f.do(wcall{method: "POST", path: path + "/corrections", token: secret, body: `{"text":"It opened at nine."}`})
		if rp.status != 201 {
			t.Errorf("a correction without If-Match: %d %s", rp.status, rp.body)
		}
		if e, _ := s.Editorial(ctx, pub.Article.ID); len(e.Article.Corrections) != 2 {
			t.Errorf("%d corrections, want 2", len(e.Article.Corrections))
		}
	})
}

// TestIfMatchForms: If-Match as RFC 9110 writes it: a list of tags holds
// when one of them is the current revision, "*" when the story exists
// (the steps and corrections, where If-Match is optional); a PATCH must
// still name a revision, since "*" would overwrite what it has not seen.
// A weak tag of a revision is read as that revision (a proxy that
// compresses answers weakens their tags).
func TestIfMatchForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		secret, _ := f.token(news.Editor, "forms", time.Time{}, news.ScopeWriteArticles, news.ScopePublish)
		pub := f.story(news.Editor, "Harbour opens", news.Published)
		path := "/api/v1/articles/" + itoa(int(pub.Article.ID))
		cur := pub.Revision
		q := func(n int) string { return `"` + itoa(n) + `"` }
		for _, tt := range []struct {
			method, path, body, header string
			want                       int
		}{
			{"POST", "/corrections", `{"text":"It opens at nine."}`, `*`, 201},
			{"POST", "/corrections", `{"text":"It opens at ten."}`, q(cur+5) + ", " + q(cur), 201},
			{"POST", "/corrections", `{"text":"It opens at eleven."}`, q(cur+5) + "," + q(cur+6), 412},
			{"POST", "/corrections", `{"text":"It opens at noon."}`, `W/` + q(cur), 201},
			{"POST", "/corrections", `{"text":"x"}`, q(cur) + ", 3", 400},
			{"POST", "/corrections", `{"text":"It opens at one."}`, ", " + q(cur) + ",", 201},
			{"POST", "/corrections", `{"text":"x"}`, ", ,", 400},
			{"POST", "/corrections", `{"text":"x"}`, q(cur) + ", *", 400},
			{"PATCH", "", `{"summary":"Opens today."}`, `*`, 400},
			{"PATCH", "", `{"summary":"Opens today."}`, q(cur+9) + ", " + q(cur), 200},
			{"POST", "/unpublish", ``, q(cur+9) + ", " + q(cur+1), 200},
			{"POST", "/publish", ``, `*`, 200},
			{"POST", "/unpublish", ``, q(cur), 412},
		} {
			c := wcall{method: tt.method, path: path + tt.path, token: secret, body: tt.body, header: []string{"If-Match", tt.header}}
			if rp := f.do(c); rp.status != tt.want {
				t.Errorf("%s %s with If-Match: %s: %d %s, want %d", tt.method, tt.path, tt.header, rp.status, rp.body, tt.want)
			}
		}
		if e, _ := s.Editorial(ctx, pub.Article.ID); len(e.Article.Corrections) != 4 || e.Article.Status != news.Published {
			t.Errorf("%d corrections, %s; want 4, published", len(e.Article.Corrections), e.Article.Status)
		}
	})
}

// TestWriteBodies: every refusal of a body is a JSON error naming the field
// at fault, and writes nothing.
func TestWriteBodies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		secret, _ := f.token(news.Editor, "bodies", time.Time{}, news.ScopeWriteArticles, news.ScopePublish, news.ScopeUploadMedia)
		for _, c := range []struct {
			name, body, ctype string
			status            int
			field             string
		}{
			{"unknown field", `{"headline":"X","section":"news/europe","colour":"red"}`, "", 400, "colour"},
			{"wrong type", `{"headline":7}`, "", 400, "headline"},
			{"not JSON", `{"headline":`, "", 400, "body"},
			{"two values", `{"headline":"X","section":"news/europe"} {}`, "", 400, "body"},
			{"empty", ``, "application/json", 400, "body"},
			{"no section", `{"headline":"X"}`, "", 400, "section"},
			{"unknown section", `{"headline":"X","section":"nowhere"}`, "", 400, "section"},
			{"no headline", `{"section":"news/europe"}`, "", 400, "title"},
			{"not JSON type", `headline=X`, "application/x-www-form-urlencoded", 415, "body"},
			{"too large", `{"headline":"X","body":"` + strings.Repeat("a", 1<<20) + `"}`, "", 413, "body"},
		} {
			rp := f.do(wcall{method: "POST", path: "/api/v1/articles", token: secret, body: c.body, ctype: c.ctype})
			if rp.status != c.status || errorOf(t, rp).Error.Field != c.field {
				t.Errorf("%s: %d %.300s, want %d naming %q", c.name, rp.status, rp.body, c.status, c.field)
			}
		}
		if n, _ := s.CountArticles(ctx); n[news.Draft] != 0 {
			t.Errorf("refused bodies made %d drafts", n[news.Draft])
		}
		pub := f.story(news.Editor, "Corrected", news.Published)
		rp := f.do(wcall{method: "POST", path: "/api/v1/articles/" + itoa(int(pub.Article.ID)) + "/corrections", token: secret, body: `{"text":"  "}`})
		if rp.status != 400 || errorOf(t, rp).Error.Field != "text" {
			t.Errorf("an empty correction: %d %s", rp.status, rp.body)
		}
		rp = f.do(wcall{method: "POST", path: "/api/v1/articles/" + itoa(int(pub.Article.ID)) + "/schedule", token: secret, body: `{"publish_at":"2001-01-01T00:00:00Z"}`})
		if rp.status != 400 || errorOf(t, rp).Error.Field != "publish_at" {
			t.Errorf("a schedule in the past: %d %s", rp.status, rp.body)
		}
		rp = f.do(wcall{method: "POST", path: "/api/v1/articles/" + itoa(int(pub.Article.ID)) + "/publish", token: secret})
		if rp.status != 409 {
			t.Errorf("publishing a published story: %d %s, want 409", rp.status, rp.body)
		}
		rp = f.do(wcall{method: "POST", path: "/api/v1/media", token: secret, body: "not a photo", ctype: "multipart/form-data; boundary=x"})
		if rp.status != 400 {
			t.Errorf("a broken upload: %d %s", rp.status, rp.body)
		}
	})
}

// TestWritesAudited: every write made with a token is in the audit log
// under the token's name and its creator's.
func TestWritesAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		secret, _ := f.token(news.Editor, "deploy-bot", time.Time{}, news.ScopeWriteArticles, news.ScopePublish, news.ScopeUploadMedia)
		rp := f.do(wcall{method: "POST", path: "/api/v1/articles", token: secret, body: `{"headline":"Audited","body":"Text.","section":"news/europe"}`})
		if rp.status != 201 {
			t.Fatalf("create: %d %s", rp.status, rp.body)
		}
		var made struct{ ID int64 }
		json.Unmarshal(rp.body, &made)
		p := "/api/v1/articles/" + itoa(int(made.ID))
		steps := []wcall{
			{method: "PATCH", path: p, body: `{"summary":"Now with a summary."}`, header: []string{"If-Match", `"1"`}},
			{method: "POST", path: p + "/publish"},
			{method: "POST", path: p + "/corrections", body: `{"text":"A date was wrong."}`},
			{method: "POST", path: p + "/unpublish"},
		}
		for _, c := range steps {
			c.token = secret
			if rp := f.do(c); rp.status >= 300 {
				t.Fatalf("%s %s: %d %s", c.method, c.path, rp.status, rp.body)
			}
		}
		body, ct := photoUpload(t, 90)
		if rp := f.do(wcall{method: "POST", path: "/api/v1/media", token: secret, body: body, ctype: ct}); rp.status != 201 {
			t.Fatalf("upload: %d %s", rp.status, rp.body)
		}
		log, err := s.AuditLog(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i := len(log) - 1; i >= 0; i-- {
			e := log[i]
			if e.UserName != "token: deploy-bot (by Editor)" || e.UserID != f.users[news.Editor].ID {
				t.Errorf("entry %s by %q (user %d), want the token's name", e.Action, e.UserName, e.UserID)
			}
			got = append(got, e.Action)
		}
		if want := "create save publish correction unpublish media.upload"; strings.Join(got, " ") != want {
			t.Errorf("audit log: %q, want %q", strings.Join(got, " "), want)
		}
	})
}

// TestLimits: a token's calls beyond its burst are answered 429 with
// Retry-After, and so are an address's.
func TestLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		f := newWriteFixture(t, s, api.Limits{TokenBurst: 3, TokenPerSecond: 0.5, AddrBurst: 5, AddrPerSecond: 0.01, Now: func() time.Time { return now }})
		secret, _ := f.token(news.Editor, "busy", time.Time{}, news.ScopeReadDrafts)
		for i := range 3 {
			if rp := f.do(wcall{method: "GET", path: "/api/v1/search?q=x", token: secret}); rp.status != 200 {
				t.Fatalf("call %d within the burst: %d %s", i, rp.status, rp.body)
			}
		}
		rp := f.do(wcall{method: "GET", path: "/api/v1/search?q=x", token: secret})
		if rp.status != 429 || rp.header.Get("Retry-After") != "2" || errorOf(t, rp).Error.Code != "rate_limited" {
			t.Errorf("past the token's burst: %d %q %s, want 429 with Retry-After: 2", rp.status, rp.header.Get("Retry-After"), rp.body)
		}
		now = now.Add(2 * time.Second)
		if rp := f.do(wcall{method: "GET", path: "/api/v1/search?q=x", token: secret}); rp.status != 200 {
			t.Errorf("after waiting: %d", rp.status)
		}
		// The address has spent 5 by now; writes without a token count too.
		rp = f.do(wcall{method: "POST", path: "/api/v1/articles", body: `{}`})
		if rp.status != 429 || rp.header.Get("Retry-After") == "" {
			t.Errorf("past the address's burst: %d %s", rp.status, rp.body)
		}
		// Reads without a token are the cache's and are not limited here.
		if rp := f.do(wcall{method: "GET", path: "/api/v1/search?q=x"}); rp.status != 200 {
			t.Errorf("a public read: %d", rp.status)
		}
	})
}

// TestReadDrafts: a story that is not public is read only with a token
// that has read:drafts and whose creator may see every story; the answer
// is then private.
func TestReadDrafts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		draft := f.story(news.Contributor, "Embargoed", news.Draft)
		path := "/api/v1/articles/" + itoa(int(draft.Article.ID))
		reader, _ := f.token(news.Editor, "reader", time.Time{}, news.ScopeReadDrafts)
		writer, _ := f.token(news.Editor, "writer", time.Time{}, news.ScopeWriteArticles)
		contrib, _ := f.token(news.Contributor, "contrib", time.Time{}, news.ScopeReadDrafts)
		for _, c := range []struct {
			name, token string
			status      int
		}{{"no token", "", 404}, {"write:articles", writer, 404}, {"a contributor's read:drafts", contrib, 404}, {"an editor's read:drafts", reader, 200}} {
			rp := f.do(wcall{method: "GET", path: path, token: c.token})
			if rp.status != c.status {
				t.Errorf("%s: %d, want %d", c.name, rp.status, c.status)
			}
			if rp.status == 200 && rp.header.Get("Cache-Control") != "private, no-store" {
				t.Errorf("%s: a draft answered with Cache-Control %q", c.name, rp.header.Get("Cache-Control"))
			}
		}
	})
}

// TestNinjsPubStatus: in ninjs, a story read with read:drafts says what a
// partner may do with it: a draft, one in review or a scheduled one is
// "withheld", one taken down "canceled", a public one "usable"; each item
// valid against IPTC's schema (f.do checks).
func TestNinjsPubStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		reader, _ := f.token(news.Editor, "reader", time.Time{}, news.ScopeReadDrafts)
		down := f.story(news.Editor, "Taken down", news.Published)
		err := s.InTx(ctx, func(tx *store.Store) error {
			return newsroom.MoveArticle(ctx, tx, newsroom.Actor{User: f.users[news.Editor]}, down.Article.ID,
				newsroom.Move{To: news.Draft, Action: "unpublish", At: time.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			e    *news.Editorial
			want string
		}{
			{"a draft", f.story(news.Editor, "Draft", news.Draft), "withheld"},
			{"in review", f.story(news.Editor, "Review", news.Review), "withheld"},
			{"scheduled", f.story(news.Editor, "Scheduled", news.Scheduled), "withheld"},
			{"taken down", down, "canceled"},
			{"published", f.story(news.Editor, "Published", news.Published), "usable"},
		} {
			rp := f.do(wcall{method: "GET", path: "/api/v1/articles/" + itoa(int(c.e.Article.ID)), token: reader,
				header: []string{"Accept", "application/ninjs+json"}})
			if rp.status != 200 {
				t.Fatalf("%s: %d %s", c.name, rp.status, rp.body)
			}
			var item struct{ PubStatus string }
			if err := json.Unmarshal(rp.body, &item); err != nil || item.PubStatus != c.want {
				t.Errorf("%s: pubstatus %q (%v), want %q", c.name, item.PubStatus, err, c.want)
			}
		}
	})
}

// TestWritesNeedToSeeTheDraft: a token that cannot read another's draft
// (no read:drafts) cannot change it or move it either, and learns nothing
// of it: 404 as for GET, before If-Match is compared, and nothing changes;
// its creator's own drafts it can.
func TestWritesNeedToSeeTheDraft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		secret, _ := f.token(news.Editor, "no-drafts", time.Time{}, news.ScopeWriteArticles, news.ScopePublish)
		other := f.story(news.Admin, "Someone else's draft", news.Draft)
		id := itoa(int(other.Article.ID))
		for _, c := range []wcall{
			{method: "PATCH", path: "/api/v1/articles/" + id, token: secret, body: `{}`, header: ifMatch(other)},
			{method: "PATCH", path: "/api/v1/articles/" + id, token: secret, body: `{}`, header: []string{"If-Match", `"99"`}},
			{method: "POST", path: "/api/v1/articles/" + id + "/submit", token: secret},
			{method: "POST", path: "/api/v1/articles/" + id + "/publish", token: secret},
		} {
			rp := f.do(c)
			if rp.status != http.StatusNotFound || strings.Contains(string(rp.body), "Someone else") || strings.Contains(string(rp.body), "revision") {
				t.Errorf("%s %s: %d %s, want 404 telling nothing", c.method, c.path, rp.status, rp.body)
			}
		}
		if e, _ := s.Editorial(ctx, other.Article.ID); e.Article.Status != news.Draft || e.Revision != other.Revision {
			t.Errorf("the draft changed: %s, revision %d", e.Article.Status, e.Revision)
		}
	})
}
