package site_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

var (
	ldBlock  = regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`)
	metaTag  = regexp.MustCompile(`<meta (?:property|name)="([^"]+)" content="([^"]*)">`)
	linkTag  = regexp.MustCompile(`<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">`)
	urlMetas = map[string]bool{"og:url": true, "og:image": true, "twitter:image": true}
)

// structured returns a page's JSON-LD blocks by @type.
func structured(t *testing.T, page string, body []byte) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, m := range ldBlock.FindAllSubmatch(body, -1) {
		var v map[string]any
		if err := json.Unmarshal(m[1], &v); err != nil {
			t.Fatalf("%s: JSON-LD does not parse: %v\n%s", page, err, m[1])
		}
		if v["@context"] != "https://schema.org" {
			t.Errorf("%s: @context %v", page, v["@context"])
		}
		out[v["@type"].(string)] = v
	}
	return out
}

// metas returns a page's meta properties and names; repeated ones joined
// with "|".
func metas(body []byte) map[string]string {
	out := map[string]string{}
	for _, m := range metaTag.FindAllSubmatch(body, -1) {
		k, v := string(m[1]), unescapeHTML(string(m[2]))
		if prev, ok := out[k]; ok {
			v = prev + "|" + v
		}
		out[k] = v
	}
	return out
}

func unescapeHTML(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#39;", "'", "&#34;", `"`, "&lt;", "<", "&gt;", ">", "&quot;", `"`).Replace(s)
}

// TestStructuredDataAndCards checks the JSON-LD, Open Graph, Twitter card
// and autodiscovery links of every page type.
func TestStructuredDataAndCards(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{settings: map[string]string{site.SettingLogo: "/media/logo.png", site.SettingTwitter: "meridian24",
			site.SettingSameAs: "https://social.example.net/@meridian24"}})
		article := fixtureArticle(t, "a1-treaty.md")
		pages := []struct {
			path    string
			types   []string
			ogType  string
			card    string
			feedFor string // the scope whose feeds the page links first
		}{
			{"/", []string{"WebSite", "NewsMediaOrganization"}, "website", "summary", "/"},
			{"/news/europe/", []string{"BreadcrumbList", "CollectionPage"}, "website", "summary", "/news/europe/"},
			{"/tag/rivers", []string{"BreadcrumbList", "CollectionPage"}, "website", "summary", "/tag/rivers/"},
			{"/author/ilse-fontaine", []string{"BreadcrumbList", "Person"}, "website", "summary", "/author/ilse-fontaine/"},
			{"/author/afp", []string{"BreadcrumbList", "Organization"}, "website", "summary", "/author/afp/"},
			{article.path, []string{"NewsArticle", "BreadcrumbList"}, "article", "summary_large_image", "/news/europe/"},
		}
		docs := map[string][]byte{}
		for _, p := range pages {
			body := ds.get(t, p.path)
			docs[p.path] = body
			ld := structured(t, p.path, body)
			for _, typ := range p.types {
				if ld[typ] == nil {
					t.Errorf("%s: no %s in its JSON-LD (has %v)", p.path, typ, keys(ld))
				}
			}
			m := metas(body)
			if m["og:type"] != p.ogType || m["twitter:card"] != p.card || m["twitter:site"] != "@meridian24" || m["og:site_name"] != "Meridian 24" {
				t.Errorf("%s: og:type %q, twitter:card %q, twitter:site %q, og:site_name %q; want %s, %s, @meridian24, Meridian 24",
					p.path, m["og:type"], m["twitter:card"], m["twitter:site"], m["og:site_name"], p.ogType, p.card)
			}
			if m["og:url"] != abs(p.path) {
				t.Errorf("%s: og:url %q", p.path, m["og:url"])
			}
			for k, v := range m {
				if urlMetas[k] && !strings.HasPrefix(v, distBase+"/") {
					t.Errorf("%s: %s %q is not an absolute URL on the site", p.path, k, v)
				}
			}
			if p.ogType != "article" && m["article:published_time"] != "" {
				t.Errorf("%s: article:published_time on a page that is not an article", p.path)
			}
			links := linkTag.FindAllSubmatch(body, -1)
			if len(links) < 3 {
				t.Fatalf("%s: %d alternate links, want the feeds", p.path, len(links))
			}
			wantTypes := []string{"application/rss+xml", "application/atom+xml", "application/feed+json"}
			for i, typ := range wantTypes {
				if string(links[i][1]) != typ || string(links[i][2]) != abs(p.feedFor+[]string{"rss.xml", "atom.xml", "feed.json"}[i]) {
					t.Errorf("%s: alternate link %d is %s %s", p.path, i, links[i][1], links[i][2])
				}
				// Every link found leads to a feed.
				if res, _ := ds.fetch(t, strings.TrimPrefix(string(links[i][2]), distBase)); res.StatusCode != 200 {
					t.Errorf("%s: its feed link %s answers %d", p.path, links[i][2], res.StatusCode)
				}
			}
		}

		// The article in detail.
		body := docs[article.path]
		na := structured(t, article.path, body)["NewsArticle"]
		if na["headline"] != article.title || na["url"] != abs(article.path) {
			t.Errorf("NewsArticle headline %v, url %v", na["headline"], na["url"])
		}
		for _, k := range []string{"datePublished", "dateModified"} {
			s, _ := na[k].(string)
			if _, err := time.Parse(time.RFC3339, s); err != nil || !strings.HasSuffix(s, "Z") {
				t.Errorf("NewsArticle %s %q: want RFC 3339 with its zone", k, s)
			}
		}
		if na["datePublished"] != "2026-11-27T06:30:00Z" || na["dateModified"] != "2026-11-27T11:00:00Z" {
			t.Errorf("NewsArticle dates %v, %v", na["datePublished"], na["dateModified"])
		}
		authors, _ := na["author"].([]any)
		if len(authors) != 2 {
			t.Fatalf("NewsArticle authors: %v", na["author"])
		}
		for i, want := range []struct{ typ, name, url string }{
			{"Person", "Ilse Fontaine", abs("/author/ilse-fontaine")}, {"Organization", "AFP", abs("/author/afp")},
		} {
			a := authors[i].(map[string]any)
			if a["@type"] != want.typ || a["name"] != want.name || a["url"] != want.url {
				t.Errorf("author %d: %v, want %+v", i, a, want)
			}
		}
		pub, _ := na["publisher"].(map[string]any)
		logo, _ := pub["logo"].(map[string]any)
		if pub["name"] != "Meridian 24" || logo["url"] != abs("/media/logo.png") {
			t.Errorf("publisher %v", pub)
		}
		images, _ := na["image"].([]any)
		// The lead photo's three crops (crops_test.go checks them).
		if len(images) != 3 || !strings.HasPrefix(images[0].(map[string]any)["url"].(string), distBase+"/media/") {
			t.Errorf("image %v", na["image"])
		}
		if sec, _ := na["articleSection"].([]any); len(sec) != 2 || sec[0] != "News" || sec[1] != "Europe" {
			t.Errorf("articleSection %v", na["articleSection"])
		}
		if kw, _ := na["keywords"].([]any); len(kw) != 2 || kw[0] != "Diplomacy" {
			t.Errorf("keywords %v", na["keywords"])
		}
		corr, _ := na["correction"].([]any)
		if len(corr) != 1 || corr[0].(map[string]any)["text"] != "An earlier version gave the wrong length of the talks." {
			t.Errorf("correction %v", na["correction"])
		}
		bc := structured(t, article.path, body)["BreadcrumbList"]
		items, _ := bc["itemListElement"].([]any)
		var trail []string
		for _, it := range items {
			trail = append(trail, it.(map[string]any)["item"].(string))
		}
		if strings.Join(trail, " ") != abs("/")+" "+abs("/news/")+" "+abs("/news/europe/")+" "+abs(article.path) {
			t.Errorf("breadcrumb %q", trail)
		}
		m := metas(body)
		for k, want := range map[string]string{
			"article:published_time": "2026-11-27T06:30:00Z", "article:modified_time": "2026-11-27T11:00:00Z",
			"article:section": "Europe", "article:tag": "Diplomacy|Rivers", "og:image:width": "1200", "og:image:height": "675",
		} {
			if m[k] != want {
				t.Errorf("%s = %q, want %q", k, m[k], want)
			}
		}
		home := structured(t, "/", docs["/"])
		action, _ := home["WebSite"]["potentialAction"].(map[string]any)
		target, _ := action["target"].(map[string]any)
		if action["@type"] != "SearchAction" || target["urlTemplate"] != abs("/search?q={search_term_string}") || action["query-input"] != "required name=search_term_string" {
			t.Errorf("SearchAction %v", action)
		}
		org := home["NewsMediaOrganization"]
		if same, _ := org["sameAs"].([]any); len(same) != 2 || same[0] != "https://x.com/meridian24" {
			t.Errorf("sameAs %v", org["sameAs"])
		}
		testkit.ValidateHTMLBatch(t, docs)
	})
}

func keys(m map[string]map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
