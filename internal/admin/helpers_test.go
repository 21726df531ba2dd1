package admin

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/netx"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
)

var ctx = context.Background()

const password = "correct horse battery staple"

// passwordHash is hashed once: argon2id is slow on purpose.
var passwordHash = sync.OnceValue(func() string { return auth.HashPassword(password) })

// syncBuffer collects log lines from concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fixture is a newsroom and public site over one store, served over HTTP,
// with an account of each role (and a second contributor).
type fixture struct {
	st    *store.Store
	ms    *media.Store
	adm   *Admin
	site  *site.Site
	srv   *httptest.Server
	logs  *syncBuffer
	users map[string]*news.User // "contributor", "other", "editor", "admin"
}

func newFixture(t testing.TB, st *store.Store) *fixture {
	t.Helper()
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	f := &fixture{st: st, ms: ms, logs: &syncBuffer{}, users: map[string]*news.User{}}
	log := slog.New(slog.NewTextHandler(f.logs, nil))
	cfg, err := site.NewConfig("http://news.example.org", nil, "The Test Gazette")
	if err != nil {
		t.Fatal(err)
	}
	if f.site, err = site.New(cfg, st, ms, log); err != nil {
		t.Fatal(err)
	}
	proxies, _ := netx.ParseProxies([]string{"10.0.0.0/8"})
	f.adm, err = New(Config{BaseURL: cfg.BaseURL, SiteName: cfg.Name, Proxies: proxies, Changed: f.site.Changed, Preview: f.site.RenderPreview}, st, ms, log)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/admin/", f.adm.Handler())
	mux.Handle("/", f.site.Handler())
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	for _, x := range []struct {
		key  string
		role news.Role
	}{{"contributor", news.Contributor}, {"other", news.Contributor}, {"editor", news.Editor}, {"admin", news.Admin}} {
		u := &news.User{Email: x.key + "@example.org", Name: strings.ToUpper(x.key[:1]) + x.key[1:] + " Person", Role: x.role, PasswordHash: passwordHash()}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		f.users[x.key] = u
	}
	if _, err := st.EnsureSectionPath(ctx, "news/world"); err != nil {
		t.Fatal(err)
	}
	return f
}

// client is a browser stand-in: it keeps one session cookie and does not
// follow redirects, so tests see them.
type client struct {
	t      testing.TB
	base   string
	cookie *http.Cookie
	header http.Header
	hc     *http.Client
}

func (f *fixture) anon(t testing.TB) *client {
	return &client{t: t, base: f.srv.URL, header: http.Header{}, hc: &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// as returns a client signed in as one of the fixture's users, through a
// session made directly in the store (logging in is tested on its own).
func (f *fixture) as(t testing.TB, who string) *client {
	t.Helper()
	c := f.anon(t)
	if who == "" {
		return c
	}
	token, hash := auth.NewToken()
	sess := &news.Session{UserID: f.users[who].ID, ExpiresAt: time.Now().Add(time.Hour)}
	if err := f.st.CreateSession(ctx, hash, sess); err != nil {
		t.Fatal(err)
	}
	c.cookie = &http.Cookie{Name: cookiePlain, Value: token}
	return c
}

type response struct {
	status int
	header http.Header
	body   string
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.Name == cookiePlain || ck.Name == cookieSecure {
			if ck.MaxAge < 0 || ck.Value == "" {
				c.cookie = nil
			} else {
				c.cookie = &http.Cookie{Name: ck.Name, Value: ck.Value}
			}
		}
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// postFile posts a multipart form with one file in the field "photo".
func (c *client) postFile(path string, form url.Values, name string, data []byte) response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if data != nil {
		fw, _ := mw.CreateFormFile("photo", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// location is where a redirect leads, without the server's address.
func (r response) location() string { return r.header.Get("Location") }

// testJPEG is a small photo.
func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// draft saves a draft through the store, as user who.
func (f *fixture) draft(t testing.TB, who, headline string) *news.Editorial {
	t.Helper()
	sec, err := f.st.SectionByPath(ctx, "news/world")
	if err != nil {
		t.Fatal(err)
	}
	e := &news.Editorial{Article: &news.Article{Headline: headline, Slug: news.Slugify(headline), Section: sec, Body: "The text of " + headline + ".",
		BodyHTML: "<p>The text of " + headline + ".</p>", Status: news.Draft}, CreatedBy: f.users[who].ID}
	err = f.st.InTx(ctx, func(tx *store.Store) error {
		_, err := tx.SaveEditorial(ctx, e, store.Save{UserID: f.users[who].ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// editorForm is the editor's fields for an article, as the page fills them.
func editorForm(e *news.Editorial) url.Values {
	f := formOf(news.ContentOf(e), e.Revision)
	return url.Values{"headline": {f.Headline}, "slug": {f.Slug}, "summary": {f.Summary}, "body": {f.Body},
		"section": {itoa(f.SectionID)}, "base": {itoa(int64(f.Base))}, "bylines": {f.Bylines}, "tags": {f.Tags},
		"photo_id": {itoa(f.PhotoID)}, "photo_alt": {f.PhotoAlt}, "photo_caption": {f.PhotoCaption}, "photo_credit": {f.PhotoCredit},
		"seo_title": {f.SEOTitle}, "seo_description": {f.SEODescription}}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func newFixtureMedia(t *testing.T) *media.Store {
	t.Helper()
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	return ms
}

func newServer(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func noRedirects() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}
