package site_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

var oembedLink = regexp.MustCompile(`<link rel="alternate" type="application/json\+oembed" title="[^"]*" href="([^"]+)">`)

type oembedAnswer struct {
	Version         string `json:"version"`
	Type            string `json:"type"`
	Title           string `json:"title"`
	AuthorName      string `json:"author_name"`
	AuthorURL       string `json:"author_url"`
	ProviderName    string `json:"provider_name"`
	ProviderURL     string `json:"provider_url"`
	ThumbnailURL    string `json:"thumbnail_url"`
	ThumbnailWidth  int    `json:"thumbnail_width"`
	ThumbnailHeight int    `json:"thumbnail_height"`
	HTML            string `json:"html"`
	Width           int    `json:"width"`
	Height          int    `json:"height"`
}

func TestOEmbed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{})
		a := fixtureArticle(t, "a1-treaty.md")

		// Discovery: the article page names its oEmbed URL, and it works.
		m := oembedLink.FindSubmatch(ds.get(t, a.path))
		if m == nil {
			t.Fatal("the article page has no oEmbed discovery link")
		}
		disc := strings.ReplaceAll(string(m[1]), "&amp;", "&")
		if !strings.HasPrefix(disc, distBase+"/oembed?url=") {
			t.Fatalf("discovery link %q", disc)
		}
		res, body := ds.fetch(t, strings.TrimPrefix(disc, distBase))
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("discovered URL: %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		var got oembedAnswer
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		if got.Version != "1.0" || got.Type != "rich" || got.Title != a.title || got.AuthorName != "Ilse Fontaine, AFP" ||
			got.AuthorURL != abs("/author/ilse-fontaine") || got.ProviderName != "Meridian 24" || got.ProviderURL != abs("/") ||
			got.Width <= 0 || got.Height <= 0 {
			t.Errorf("answer %+v", got)
		}
		if !strings.HasPrefix(got.ThumbnailURL, distBase+"/media/") || got.ThumbnailWidth != 640 || got.ThumbnailHeight != 360 {
			t.Errorf("thumbnail %s %dx%d, want the 640-wide copy", got.ThumbnailURL, got.ThumbnailWidth, got.ThumbnailHeight)
		}
		mustHave(t, "card", got.HTML, `<blockquote class="newsdesk-embed"`, `<a href="`+abs(a.path)+`">`+a.title+`</a>`)
		if strings.Contains(got.HTML, "<script") || strings.Contains(got.HTML, "<iframe") {
			t.Errorf("the card loads something: %s", got.HTML)
		}

		q := func(u string, extra string) string { return "/oembed?url=" + url.QueryEscape(u) + extra }
		// Bounds are kept; the card escapes the headline.
		_, body = ds.fetch(t, q(abs(a.path), "&maxwidth=400&maxheight=300"))
		var small oembedAnswer
		json.Unmarshal(body, &small)
		if small.Width > 400 || small.Height > 300 || small.ThumbnailWidth > 400 || small.ThumbnailWidth == 0 {
			t.Errorf("with maxwidth 400: %dx%d, thumbnail %d wide", small.Width, small.Height, small.ThumbnailWidth)
		}
		budget := fixtureArticle(t, "a4-budget.md")
		_, body = ds.fetch(t, q(abs(budget.path), ""))
		var esc oembedAnswer
		json.Unmarshal(body, &esc)
		if !strings.Contains(esc.HTML, "&lt;for now&gt;") || strings.Contains(esc.HTML, "<for now>") {
			t.Errorf("the card does not escape the headline: %s", esc.HTML)
		}

		for _, tc := range []struct {
			path   string
			status int
		}{
			{q("https://mirror.example.net"+a.path, ""), 200},                    // a mirror is this site too
			{q(abs(a.path), "&format=json"), 200},                                //
			{q(abs(a.path), "&format=xml"), http.StatusNotImplemented},           //
			{q("https://elsewhere.example.com"+a.path, ""), http.StatusNotFound}, // not this site
			{q(abs("/news/europe/secret-draft-about-the-treaty"), ""), http.StatusNotFound},
			{q(abs("/news/europe/"), ""), http.StatusNotFound},
			{q(abs("/news/europe/no-such-story"), ""), http.StatusNotFound},
			{q("javascript:alert(1)", ""), http.StatusNotFound},
			{"/oembed", http.StatusBadRequest},
			{q(abs(a.path), "&maxwidth=-3"), http.StatusBadRequest},
		} {
			if res, body := ds.fetch(t, tc.path); res.StatusCode != tc.status {
				t.Errorf("%s: status %d, want %d\n%s", tc.path, res.StatusCode, tc.status, body)
			}
		}
	})
}
