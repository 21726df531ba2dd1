package site_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// previewSite is a site with the treaty story (published, with a photo)
// and a draft, and no sample newsroom: previews need no more.
func previewSite(t *testing.T, s *store.Store) (*site.Site, *httptest.Server) {
	t.Helper()
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	var jpg bytes.Buffer
	jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 1200, 675)), nil)
	files := fstest.MapFS{
		"treaty.md":  {Data: []byte(fixture)},
		"draft.md":   {Data: []byte(draftFixture)},
		"treaty.jpg": {Data: jpg.Bytes()},
	}
	im := &ingest.Importer{Store: s, Media: ms}
	for _, name := range []string{"treaty.md", "draft.md"} {
		if _, err := im.ImportFile(ctx, files, name); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := site.NewConfig("https://news.example.org", nil, "Meridian 24")
	if err != nil {
		t.Fatal(err)
	}
	si, err := site.New(cfg, s, ms, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(si.Handler())
	t.Cleanup(srv.Close)
	return si, srv
}

// TestRenderPreview: a preview is the article page itself (its headline,
// lede, bylines, photo figure and stylesheet), says noindex, and its
// search result and social card are the page's own <title>, meta
// description and Open Graph: the editor's search texts in the snippet,
// the story as written on the card.
func TestRenderPreview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		si, _ := previewSite(t, s)
		a, err := s.ArticleByPath(ctx, store.Full, "news/europe", "negotiators-agree-on-river-treaty-after-all-night-talks")
		if err != nil {
			t.Fatal(err)
		}
		a.Headline = "Unsaved headline <b>as typed</b>"
		a.SEOTitle, a.SEODescription = "Treaty signed: what it means", "Search engines' own description."
		p, err := si.RenderPreview(ctx, a, site.DraftBanner)
		if err != nil {
			t.Fatal(err)
		}
		page := string(p.Page)
		mustContain(t, "preview", page,
			`<h1>Unsaved headline &lt;b&gt;as typed&lt;/b&gt;</h1>`,
			`<p class="lede">Three countries sign a deal`,
			`<span class="byline">By <a href="/author/ilse-fontaine">Ilse Fontaine</a> and <a href="/author/afp">AFP</a></span>`,
			`<figure class="lead-photo">`, `<img src="/media/`,
			`<link rel="stylesheet" href="/static/style.`,
			`<meta name="robots" content="noindex, nofollow">`,
			`<p class="search-problem preview-banner" role="note">Draft preview — not published</p>`,
			`<title>Treaty signed: what it means | Meridian 24</title>`)
		if got := strings.Index(page, "preview-banner"); got < 0 || got > strings.Index(page, "<h1>") {
			t.Error("the banner is not above the headline")
		}
		want := site.Snippet{Title: "Treaty signed: what it means | Meridian 24",
			URL: "https://news.example.org/news/europe/negotiators-agree-on-river-treaty-after-all-night-talks", Description: "Search engines' own description."}
		if p.Snippet != want {
			t.Errorf("snippet: %+v\nwant %+v", p.Snippet, want)
		}
		c := p.Card
		if c.Title != a.Headline || !strings.HasPrefix(c.Description, "Three countries") || c.Site != "news.example.org" ||
			!strings.HasPrefix(c.Image, "https://news.example.org/media/") || !strings.HasPrefix(c.ImagePath, "/media/") ||
			c.ImageWidth == 0 || !c.Large || c.ImageAlt != "Delegates shake hands across a long table" {
			t.Errorf("card: %+v", c)
		}
		// The card is what the page's tags say.
		mustContain(t, "preview", page, `<meta property="og:image" content="`+c.Image+`">`)

		// Without the editor's texts, the headline and summary serve.
		a.SEOTitle, a.SEODescription = "", ""
		p, _ = si.RenderPreview(ctx, a, "")
		if p.Snippet.Title != a.Headline+" | Meridian 24" || !strings.HasPrefix(p.Snippet.Description, "Three countries") {
			t.Errorf("snippet without search texts: %+v", p.Snippet)
		}
		if bytes.Contains(p.Page, []byte("preview-banner")) {
			t.Error("a banner on a preview asked for without one")
		}
	})
}

// TestPreviewLinkPage opens /preview/{token} as a stranger would: the
// draft's saved text under a banner, never cached, not indexed, no
// referrer; a change shows at once; a mistyped, expired or revoked link,
// and a withdrawn story, show nothing of it; a published one leads to its
// page.
func TestPreviewLinkPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, srv := previewSite(t, s)
		draft, err := s.ArticleByPath(ctx, store.Full, "news/europe", "secret-draft-about-the-treaty")
		if err != nil {
			t.Fatal(err)
		}
		pub, err := s.ArticleByPath(ctx, store.Full, "news/europe", "negotiators-agree-on-river-treaty-after-all-night-talks")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		link := func(a *news.Article, expires time.Time) (string, *news.PreviewLink) {
			tok, hash := auth.NewToken()
			l := &news.PreviewLink{ArticleID: a.ID, CreatedAt: now, ExpiresAt: expires}
			if err := s.CreatePreviewLink(ctx, hash, l); err != nil {
				t.Fatal(err)
			}
			return tok, l
		}
		hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		get := func(path string) (*http.Response, string) {
			t.Helper()
			res, err := hc.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var b bytes.Buffer
			b.ReadFrom(res.Body)
			return res, b.String()
		}
		private := func(what string, res *http.Response) {
			t.Helper()
			h := res.Header
			if h.Get("Cache-Control") != "private, no-store" || h.Get("X-Robots-Tag") != "noindex, nofollow" ||
				h.Get("Referrer-Policy") != "no-referrer" || h.Get("Surrogate-Key") != "" {
				t.Errorf("%s: headers %v", what, h)
			}
		}

		tok, l := link(draft, now.Add(time.Hour))
		if len(tok) != 43 {
			t.Fatalf("a token of %d characters, want 43 (32 random bytes)", len(tok))
		}
		res, body := get("/preview/" + tok)
		if res.StatusCode != 200 {
			t.Fatalf("an open link: %d\n%.400s", res.StatusCode, body)
		}
		private("an open link", res)
		mustContain(t, "preview link", body, "<h1>Secret draft about the treaty</h1>", "Draft preview — not published",
			`<meta name="robots" content="noindex, nofollow">`, "Unfinished.")

		// A change to the saved text shows on the next request: nothing
		// kept the page.
		draft.Headline = "Secret draft, rewritten"
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, draft) }); err != nil {
			t.Fatal(err)
		}
		if _, body := get("/preview/" + tok); !strings.Contains(body, "<h1>Secret draft, rewritten</h1>") {
			t.Errorf("the second opening shows the old text:\n%.400s", body)
		}
		if got, _ := s.PreviewLinkByToken(ctx, auth.HashToken(tok)); got.Uses != 2 || got.LastUsedAt.IsZero() {
			t.Errorf("after two openings: %d uses, last %v", got.Uses, got.LastUsedAt)
		}

		// One character off, or a token of another length: no such link.
		off := tok[:42] + string("AB"[strings.IndexByte("A", tok[42])+1])
		for _, p := range []string{off, tok[:42], tok + "A", "x"} {
			res, body := get("/preview/" + p)
			if res.StatusCode != 404 || strings.Contains(body, "Secret draft") {
				t.Errorf("/preview/%s: %d, want 404 showing nothing", p, res.StatusCode)
			}
			private("a wrong token", res)
		}

		if err := s.RevokePreviewLink(ctx, draft.ID, l.ID, 0, now); err != nil {
			t.Fatal(err)
		}
		res, body = get("/preview/" + tok)
		if res.StatusCode != 410 || !strings.Contains(body, "revoked") || strings.Contains(body, "Secret draft") {
			t.Errorf("a revoked link: %d\n%.400s", res.StatusCode, body)
		}
		private("a revoked link", res)

		old, _ := link(draft, now.Add(-time.Second))
		res, body = get("/preview/" + old)
		if res.StatusCode != 410 || !strings.Contains(body, "expired") || strings.Contains(body, "Secret draft") {
			t.Errorf("an expired link: %d\n%.400s", res.StatusCode, body)
		}
		private("an expired link", res)

		out, _ := link(pub, now.Add(time.Hour))
		res, _ = get("/preview/" + out)
		if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), pub.URL()) {
			t.Errorf("a published story's link: %d to %q, want 303 to %s", res.StatusCode, res.Header.Get("Location"), pub.URL())
		}
		private("a published story's link", res)

		// Taken down after publication: the link no longer shows it.
		pub.Status = news.Draft
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, pub) }); err != nil {
			t.Fatal(err)
		}
		res, body = get("/preview/" + out)
		if res.StatusCode != 410 || !strings.Contains(body, "withdrawn") || strings.Contains(body, "Negotiators") {
			t.Errorf("a withdrawn story's link: %d\n%.400s", res.StatusCode, body)
		}
	})
}
