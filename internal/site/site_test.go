package site_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

var ctx = context.Background()

// fixture is an article the tests know everything about, imported beside
// the sample newsroom.
const fixture = `---
title: "Negotiators agree on river treaty after all-night talks"
date: 2026-11-27T06:30:00Z
lastmod: 2026-11-27T09:45:00Z
section: news/europe
summary: "Three countries sign a deal on sharing the Vessa's water."
authors: ["Ilse Fontaine", "AFP"]
tags: ["Diplomacy", "Rivers"]
image:
  src: treaty.jpg
  alt: "Delegates shake hands across a long table"
  caption: "In this photo taken on November 26, 2026, delegates close the talks."
  credit: "AFP"
corrections:
  - date: 2026-11-27T11:00:00Z
    text: "An earlier version gave the wrong length of the talks."
---
The deal was struck at dawn.

# What the treaty says

> The river belongs to all of us.
>
> — Minister Anja Roth
`

const draftFixture = `---
title: "Secret draft about the treaty"
section: news/europe
draft: true
summary: "Not for readers yet."
---
Unfinished.
`

type testSite struct {
	srv   *httptest.Server
	store *store.Store
}

func newTestSite(t *testing.T, s *store.Store) testSite {
	t.Helper()
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	im := &ingest.Importer{Store: s, Media: ms}
	results, err := im.ImportTree(ctx, demo.Content, "content")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("sample newsroom: %v", r.Err)
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, 1200, 675))
	var jpg bytes.Buffer
	jpeg.Encode(&jpg, img, nil)
	extra := fstest.MapFS{
		"treaty.md":  {Data: []byte(fixture)},
		"draft.md":   {Data: []byte(draftFixture)},
		"treaty.jpg": {Data: jpg.Bytes()},
	}
	for _, name := range []string{"treaty.md", "draft.md"} {
		if _, err := im.ImportFile(ctx, extra, name); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := site.NewConfig("https://news.example.org", []string{"https://mirror-one.example.net", "http://exampleonion.onion"}, "Meridian 24")
	if err != nil {
		t.Fatal(err)
	}
	si, err := site.New(cfg, s, ms, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(si.Handler())
	t.Cleanup(srv.Close)
	return testSite{srv: srv, store: s}
}

// get fetches a path and returns the status, headers and (decoded) body.
func (ts testSite) get(t *testing.T, path string) (int, http.Header, string) {
	t.Helper()
	res, err := http.Get(ts.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, string(b)
}

func mustContain(t *testing.T, page, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", page, w)
		}
	}
}

func mustNotContain(t *testing.T, page, body string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(body, w) {
			t.Errorf("%s: must not contain %q", page, w)
		}
	}
}

const articlePath = "/news/europe/negotiators-agree-on-river-treaty-after-all-night-talks"

func testArticlePage(t *testing.T, ts testSite) {
	status, h, body := ts.get(t, articlePath)
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	if ct := h.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type: %q", ct)
	}
	mustContain(t, "article", body,
		// breadcrumb nav, each level a link
		`<nav class="crumbs" aria-label="Breadcrumb">`, `<a href="/news/">News</a>`, `<a href="/news/europe/">Europe</a>`,
		// the headline as the only h1, the summary
		`<h1>Negotiators agree on river treaty after all-night talks</h1>`,
		`Three countries sign a deal on sharing the Vessa&#39;s water.`,
		// bylines: a person and an agency, linked
		`<a href="/author/ilse-fontaine">Ilse Fontaine</a>`, `<a href="/author/afp">AFP</a>`,
		// publication and update times
		`<time datetime="2026-11-27T06:30:00Z">`, `updated <time datetime="2026-11-27T09:45:00Z">`,
		// the lead photo with caption and credit
		`<figure class="lead-photo">`, `alt="Delegates shake hands across a long table"`, `width="`, `height="`, `srcset="/media/`, `sizes="`,
		`<figcaption>In this photo taken on November 26, 2026, delegates close the talks. <span class="credit">(AFP)</span></figcaption>`,
		// the body: a subhead from h2, an attributed quote
		`<h2`, `What the treaty says`, `<blockquote class="quote">`, `Minister Anja Roth`,
		// corrections with their times
		`<time datetime="2026-11-27T11:00:00Z">`, `An earlier version gave the wrong length of the talks.`,
		// tags
		`<a href="/tag/diplomacy" rel="tag">Diplomacy</a>`, `<a href="/tag/rivers" rel="tag">Rivers</a>`,
		// share links that load nothing, and a copy link
		`https://x.com/intent/post?url=https%3A%2F%2Fnews.example.org%2Fnews%2Feurope%2F`, `https://www.facebook.com/sharer/sharer.php?u=`,
		`https://t.me/share/url?url=`, `https://wa.me/?text=`, `mailto:?subject=`, `<label for="share-url">Copy link</label>`,
		// related articles from the same section
		`More from Europe`,
		// the mirror notice
		`can also be accessed at the following alternate addresses`, `https://mirror-one.example.net`+articlePath, `exampleonion.onion`,
		// canonical on the primary address, structured data
		`<link rel="canonical" href="https://news.example.org`+articlePath+`">`,
		`"@type":"NewsArticle"`, `"@type":"BreadcrumbList"`,
		`<meta property="og:type" content="article">`,
	)
	if n := strings.Count(body, "<h1"); n != 1 {
		t.Errorf("article has %d h1 elements, want 1", n)
	}
	mustNotContain(t, "article", body, "Secret draft")
	checkNoThirdPartyLoads(t, "article", body)
	checkJSONLD(t, "article", body)
}

var loadAttr = regexp.MustCompile(`(?i)<(img|script|link|iframe|source|video|audio|embed|object)\b[^>]*>`)
var urlInAttr = regexp.MustCompile(`(?i)\b(src|srcset|href|data)="([^"]*)"`)

// checkNoThirdPartyLoads fails if anything the page would load (images,
// scripts, stylesheets, frames) comes from another origin. Plain links may
// point anywhere: following one is the reader's choice.
func checkNoThirdPartyLoads(t *testing.T, page, body string) {
	t.Helper()
	for _, tag := range loadAttr.FindAllString(body, -1) {
		if strings.HasPrefix(strings.ToLower(tag), "<link") && !strings.Contains(tag, "stylesheet") && !strings.Contains(tag, "icon") && !strings.Contains(tag, "preload") {
			continue
		}
		for _, m := range urlInAttr.FindAllStringSubmatch(tag, -1) {
			for _, u := range strings.Split(m[2], ",") {
				u = strings.TrimSpace(u)
				if strings.HasPrefix(u, "//") || strings.Contains(u, "://") || strings.HasPrefix(u, "data:") {
					t.Errorf("%s loads %q from another origin: %s", page, u, tag)
				}
			}
		}
	}
}

var ldRE = regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`)

func checkJSONLD(t *testing.T, page, body string) {
	t.Helper()
	blocks := ldRE.FindAllStringSubmatch(body, -1)
	if len(blocks) == 0 {
		t.Errorf("%s: no JSON-LD", page)
	}
	for _, b := range blocks {
		var v map[string]any
		if err := json.Unmarshal([]byte(b[1]), &v); err != nil {
			t.Errorf("%s: JSON-LD does not parse: %v\n%s", page, err, b[1])
		}
	}
}

func testEveryPageType(t *testing.T, ts testSite) {
	pages := map[string][]string{
		"/":                     {`<a href="` + articlePath + `">`, `<nav class="sections" aria-label="Sections">`, `<a href="/news/">News</a>`},
		"/news/":                {`<h1>News</h1>`, `<a href="` + articlePath + `">`, `<a href="/news/europe/">Europe</a>`},
		"/news/europe/":         {`<h1>Europe</h1>`, `<a href="` + articlePath + `">`, `<a href="/news/">News</a>`},
		"/tag/diplomacy":        {`<h1>Diplomacy</h1>`, `<a href="` + articlePath + `">`},
		"/author/ilse-fontaine": {`<h1>Ilse Fontaine</h1>`, `<a href="` + articlePath + `">`},
		"/author/afp":           {`<h1>AFP</h1>`, `Agency`},
		articlePath:             {`<h1>Negotiators`},
	}
	docs := map[string][]byte{}
	for path, wants := range pages {
		status, _, body := ts.get(t, path)
		if status != 200 {
			t.Errorf("%s: status %d", path, status)
			continue
		}
		mustContain(t, path, body, wants...)
		mustNotContain(t, path, body, "Secret draft")
		checkNoThirdPartyLoads(t, path, body)
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("%s: %d h1 elements, want 1", path, n)
		}
		docs[path] = []byte(body)
	}
	status, _, body := ts.get(t, "/no/such/page")
	if status != 404 || !strings.Contains(body, "We could not find that page") {
		t.Errorf("unknown path: status %d", status)
	}
	docs["404"] = []byte(body)
	testkit.ValidateHTMLBatch(t, docs)
}

func testDraftsAreNotPublic(t *testing.T, ts testSite) {
	if status, _, _ := ts.get(t, "/news/europe/secret-draft-about-the-treaty"); status != 404 {
		t.Errorf("draft: status %d, want 404", status)
	}
	for _, p := range []string{"/", "/news/", "/news/europe/"} {
		_, _, body := ts.get(t, p)
		mustNotContain(t, p, body, "Secret draft")
	}
}

func testSectionPagination(t *testing.T, ts testSite) {
	s := ts.store
	sec, _ := s.SectionByPath(ctx, "news")
	secs, _ := s.Sections(ctx)
	var ids []int64
	for _, x := range secs {
		if x.ID == sec.ID || x.ParentID == sec.ID {
			ids = append(ids, x.ID)
		}
	}
	all, err := s.PublishedArticles(ctx, store.ArticleFilter{SectionIDs: ids, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	next := "/news/"
	seen := map[string]bool{}
	cardRE := regexp.MustCompile(`<h3><a href="([^"]+)">`)
	nextRE := regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	for pages := 0; next != ""; pages++ {
		if pages > 20 {
			t.Fatal("pagination does not end")
		}
		status, _, body := ts.get(t, strings.ReplaceAll(next, "&amp;", "&"))
		if status != 200 {
			t.Fatalf("%s: status %d", next, status)
		}
		for _, m := range cardRE.FindAllStringSubmatch(body, -1) {
			if seen[m[1]] {
				t.Errorf("%s listed twice", m[1])
			}
			seen[m[1]] = true
		}
		next = ""
		if m := nextRE.FindStringSubmatch(body); m != nil {
			next = m[1]
		}
	}
	if len(seen) != len(all) {
		t.Errorf("paged through %d articles, want %d", len(seen), len(all))
	}
	if status, _, _ := ts.get(t, "/news/?after=garbage"); status != 400 {
		t.Errorf("bad cursor: status %d, want 400", status)
	}
}

func testHTTPBehaviour(t *testing.T, ts testSite) {
	_, h, body := ts.get(t, "/")
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
		t.Errorf("headers: %v", h)
	}
	// The stylesheet: one, hashed, cached for a year.
	css := regexp.MustCompile(`<link rel="stylesheet" href="(/static/style\.[0-9a-f]{12}\.css)">`).FindStringSubmatch(body)
	if css == nil {
		t.Fatal("no hashed stylesheet link")
	}
	status, ch, _ := ts.get(t, css[1])
	if status != 200 || !strings.Contains(ch.Get("Cache-Control"), "max-age=31536000") || !strings.HasPrefix(ch.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet: %d %v", status, ch)
	}

	// gzip when asked for.
	req, _ := http.NewRequest("GET", ts.srv.URL+articlePath, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("no gzip: %v", res.Header)
	} else {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(zr)
		if !strings.Contains(string(b), "<h1>Negotiators") {
			t.Error("gzipped body does not decode to the page")
		}
	}
	res.Body.Close()

	// HEAD: headers, no body.
	res, err = http.Head(ts.srv.URL + articlePath)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || len(b) != 0 || res.Header.Get("Content-Type") == "" {
		t.Errorf("HEAD: %d, %d bytes", res.StatusCode, len(b))
	}

	// Methods the site does not take.
	res, err = http.Post(ts.srv.URL+articlePath, "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", res.StatusCode)
	}

	// Paths that try to leave the media folder, and odd paths.
	for _, p := range []string{"/media/../newsdesk.db", "/media/%2e%2e/newsdesk.db", "/media/originals/x", "/static/../web.go", "/news/../../etc/passwd", "/news//x"} {
		if status, _, body := ts.get(t, p); status == 200 || strings.Contains(body, "SQLite") {
			t.Errorf("%s: status %d", p, status)
		}
	}
	// The media a page names are served.
	_, _, page := ts.get(t, articlePath)
	img := regexp.MustCompile(`<img src="(/media/[^"]+)"`).FindStringSubmatch(page)
	if img == nil {
		t.Fatal("no lead image")
	}
	status, mh, _ := ts.get(t, img[1])
	if status != 200 || !strings.HasPrefix(mh.Get("Content-Type"), "image/") {
		t.Errorf("%s: %d %v", img[1], status, mh)
	}
	// robots.txt
	status, _, robots := ts.get(t, "/robots.txt")
	if status != 200 || !strings.Contains(robots, "Disallow: /admin/") {
		t.Errorf("robots.txt: %d %q", status, robots)
	}
	// A section without its slash is redirected.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err = client.Get(ts.srv.URL + "/news")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 301 || res.Header.Get("Location") != "/news/" {
		t.Errorf("/news: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestSite imports the sample newsroom and the fixtures once per engine,
// then checks every page family against it.
func TestSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ts := newTestSite(t, s)
		t.Run("ArticlePage", func(t *testing.T) { testArticlePage(t, ts) })
		t.Run("EveryPageType", func(t *testing.T) { testEveryPageType(t, ts) })
		t.Run("DraftsAreNotPublic", func(t *testing.T) { testDraftsAreNotPublic(t, ts) })
		t.Run("SectionPagination", func(t *testing.T) { testSectionPagination(t, ts) })
		t.Run("HTTPBehaviour", func(t *testing.T) { testHTTPBehaviour(t, ts) })
	})
}
