package site_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// The sitemap documents, decoded with their namespaces.
type sitemapIndexDoc struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemap"`
}

type urlsetDoc struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string   `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string   `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		Images  []string `xml:"http://www.google.com/schemas/sitemap-image/1.1 image>loc"`
		News    *struct {
			Name     string `xml:"publication>name"`
			Language string `xml:"publication>language"`
			Date     string `xml:"publication_date"`
			Title    string `xml:"title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

func decodeXML(t *testing.T, path string, body []byte, v any) {
	t.Helper()
	wellFormed(t, path, body)
	if err := xml.Unmarshal(body, v); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, body)
	}
	xmllint(t, path, body)
}

// TestSitemapPieces: with pieces of 10, 23 more articles make four article
// sitemaps; the index names each with its lastmod, and every published
// article is in exactly one of them, the drafts in none.
func TestSitemapPieces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{sitemapSize: 10})
		for i := range 23 {
			name := fmt.Sprintf("bulk-%02d.md", i)
			ds.publish(t, name, fmt.Sprintf("---\ntitle: \"Bulletin number %d\"\ndate: 2026-10-%02dT08:00:00Z\nsection: news/asia\n---\nText.\n", i, i+1))
		}
		var index sitemapIndexDoc
		decodeXML(t, "/sitemap.xml", ds.get(t, "/sitemap.xml"), &index)
		var names []string
		for _, sm := range index.Sitemaps {
			names = append(names, strings.TrimPrefix(sm.Loc, distBase))
			if _, err := time.Parse(time.RFC3339, sm.LastMod); err != nil {
				t.Errorf("%s: lastmod %q: %v", sm.Loc, sm.LastMod, err)
			}
		}
		want := []string{"/sitemaps/pages.xml", "/sitemaps/articles-1.xml", "/sitemaps/articles-2.xml", "/sitemaps/articles-3.xml"}
		if !slices.Equal(names, want) {
			t.Fatalf("index names %q, want %q", names, want)
		}

		seen := map[string]int{}
		for i, p := range want[1:] {
			var set urlsetDoc
			decodeXML(t, p, ds.get(t, p), &set)
			if n, wantN := len(set.URLs), []int{10, 10, 9}[i]; n != wantN {
				t.Errorf("%s: %d URLs, want %d", p, n, wantN)
			}
			for _, u := range set.URLs {
				seen[strings.TrimPrefix(u.Loc, distBase)]++
				if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
					t.Errorf("%s: lastmod %q", u.Loc, u.LastMod)
				}
			}
		}
		for _, a := range distArticles {
			if n := seen[a.path]; (a.draft && n != 0) || (!a.draft && n != 1) {
				t.Errorf("%s is in %d article sitemaps", a.path, n)
			}
		}
		if len(seen) != 6+23 {
			t.Errorf("%d articles in the sitemaps, want 29", len(seen))
		}
		for _, p := range []string{"/sitemaps/articles-4.xml", "/sitemaps/articles-0.xml", "/sitemaps/articles-01.xml", "/sitemaps/other.xml"} {
			if res, _ := ds.fetch(t, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", p, res.StatusCode)
			}
		}
	})
}

// TestSitemapImagesAndPages: article sitemaps carry their photos; the pages
// sitemap names the home page, every section, and only the tags and
// authors with something published.
func TestSitemapImagesAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{})
		var set urlsetDoc
		decodeXML(t, "articles-1", ds.get(t, "/sitemaps/articles-1.xml"), &set)
		images := map[string][]string{}
		for _, u := range set.URLs {
			images[strings.TrimPrefix(u.Loc, distBase)] = u.Images
		}
		for _, a := range distArticles {
			if a.draft {
				continue
			}
			im := images[a.path]
			if a.photo != (len(im) == 1) || (len(im) == 1 && !strings.HasPrefix(im[0], distBase+"/media/")) {
				t.Errorf("%s: images %q, want a photo: %v", a.path, im, a.photo)
			}
		}

		var pages urlsetDoc
		decodeXML(t, "pages", ds.get(t, "/sitemaps/pages.xml"), &pages)
		var locs []string
		for _, u := range pages.URLs {
			locs = append(locs, strings.TrimPrefix(u.Loc, distBase))
		}
		for _, want := range []string{"/", "/news/", "/news/europe/", "/news/asia/", "/sport/", "/culture/", "/tag/rivers", "/tag/local-politics", "/author/ilse-fontaine", "/author/afp", "/author/tomas-ruiz"} {
			if !slices.Contains(locs, want) {
				t.Errorf("pages sitemap lacks %s", want)
			}
		}
		for _, bad := range []string{"/tag/unpublished-topic", "/author/hidden-writer"} {
			if slices.Contains(locs, bad) {
				t.Errorf("pages sitemap names %s, which has nothing published", bad)
			}
		}
		robots := string(ds.get(t, "/robots.txt"))
		mustHave(t, "robots.txt", robots, "\nSitemap: https://news.example.org/sitemap.xml\n", "\nSitemap: https://news.example.org/news-sitemap.xml\n")
	})
}

// TestNewsSitemapWindow: the Google News sitemap holds exactly the
// articles published in the 48 hours up to the clock, and follows the
// clock without any change to the content.
func TestNewsSitemapWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{})
		inWindow := func() []string {
			t.Helper()
			var set urlsetDoc
			decodeXML(t, "/news-sitemap.xml", ds.get(t, "/news-sitemap.xml"), &set)
			var out []string
			for _, u := range set.URLs {
				out = append(out, strings.TrimPrefix(u.Loc, distBase))
				if u.News == nil || u.News.Name != "Meridian 24" || u.News.Language != "en" || u.News.Title == "" {
					t.Errorf("%s: news element %+v", u.Loc, u.News)
				} else if _, err := time.Parse(time.RFC3339, u.News.Date); err != nil {
					t.Errorf("%s: publication_date %q", u.Loc, u.News.Date)
				}
			}
			return out
		}
		expect := func(now time.Time) []string {
			var out []string
			for _, file := range []string{"a7-ferry.md", "a3-cup.md", "a1-treaty.md", "a4-budget.md", "a2-monsoon.md", "a6-festival.md"} {
				a := fixtureArticle(t, file)
				if !a.published.Before(now.Add(-48*time.Hour)) && !a.published.After(now) {
					out = append(out, a.path)
				}
			}
			return out
		}
		for _, now := range []time.Time{
			distNow,                         // the budget story is exactly 48 hours old: in
			distNow.Add(time.Second),        // and now out
			distNow.Add(-150 * time.Minute), // before the cup final was published
			time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), // only the festival
			time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),   // nothing
		} {
			ds.clock.Set(now)
			got, want := inWindow(), expect(now)
			if !slices.Equal(got, want) {
				t.Errorf("at %v: got %q, want %q", now, got, want)
			}
		}
		ds.clock.Set(distNow)
		res, body := ds.fetch(t, "/news-sitemap.xml", "Accept-Encoding", "gzip")
		etag := res.Header.Get("ETag")
		if etag == "" || len(body) == 0 || res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("news sitemap: ETag %q, %d bytes, encoding %q", etag, len(body), res.Header.Get("Content-Encoding"))
		}
		if res, _ := ds.fetch(t, "/news-sitemap.xml", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
			t.Errorf("news sitemap with its ETag: %d, want 304", res.StatusCode)
		}
	})
}
