package feed_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsdesk/newsdesk/internal/feed"
)

var published = time.Date(2026, 11, 27, 6, 30, 0, 0, time.UTC)

// sample is a feed with the awkward cases: markup and entities in titles,
// characters XML forbids, an item without authors or photo, a zone that is
// not UTC.
func sample() *feed.Feed {
	return &feed.Feed{
		Title:       "Meridian 24: News & <Views>",
		Description: "The latest.",
		Language:    "en",
		HomeURL:     "https://news.example.org/",
		FeedURL:     "https://news.example.org/rss.xml",
		Hub:         "https://hub.example.net/",
		Logo:        "https://news.example.org/logo.png",
		Publisher:   feed.Person{Name: "Meridian 24", URL: "https://news.example.org/"},
		Items: []feed.Item{
			{
				ID:          feed.TagURI("News.Example.org", published, "article", 7),
				URL:         "https://news.example.org/news/europe/treaty",
				Title:       `Treaty "signed" <at last> & sealed` + "\x00\x0b",
				Summary:     "Three countries\x1b sign.",
				ContentHTML: `<p>Fish &amp; chips <a href="https://news.example.org/x">x</a></p>` + "\n<p>]]> is not special here</p>",
				Published:   published.In(time.FixedZone("CET", 3600)),
				Updated:     published.Add(3 * time.Hour),
				Authors:     []feed.Person{{Name: "Ilse Fontaine", URL: "https://news.example.org/author/ilse-fontaine"}, {Name: "AFP", URL: "https://news.example.org/author/afp"}},
				Categories:  []string{"Diplomacy", "Rivers & Lakes"},
				Image: &feed.Image{URL: "https://news.example.org/media/ab/ab-1600.jpg", Type: "image/jpeg", Width: 1600, Height: 900, Length: 123456,
					Alt: "Delegates", Caption: `"Handshake"`, Credit: "AFP"},
			},
			{
				ID:        feed.TagURI("news.example.org", published, "article", 3),
				URL:       "https://news.example.org/sport/cup",
				Title:     "Cup final",
				Published: published.Add(-time.Hour),
			},
		},
	}
}

var writers = map[string]func(io.Writer, *feed.Feed) error{
	"rss": feed.WriteRSS, "atom": feed.WriteAtom, "json": feed.WriteJSON,
}

// TestFormatsReadBack writes the sample in each format and reads it back
// with gofeed: the fields survive, and the text XML cannot carry is gone.
func TestFormatsReadBack(t *testing.T) {
	for name, write := range writers {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := write(&buf, sample()); err != nil {
				t.Fatal(err)
			}
			if name != "json" {
				checkXML(t, name, buf.Bytes())
			} else if !json.Valid(buf.Bytes()) {
				t.Fatalf("not JSON:\n%s", buf.Bytes())
			}
			f, err := gofeed.NewParser().Parse(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatalf("gofeed: %v\n%s", err, buf.Bytes())
			}
			if f.Title != "Meridian 24: News & <Views>" || f.Language != "en" {
				t.Errorf("feed title %q, language %q", f.Title, f.Language)
			}
			if len(f.Items) != 2 {
				t.Fatalf("%d items", len(f.Items))
			}
			it := f.Items[0]
			if it.Title != `Treaty "signed" <at last> & sealed` {
				t.Errorf("title %q", it.Title)
			}
			if it.GUID != "tag:news.example.org,2026:article/7" {
				t.Errorf("id %q", it.GUID)
			}
			if it.PublishedParsed == nil || !it.PublishedParsed.Equal(published) {
				t.Errorf("published %v, want %v", it.PublishedParsed, published)
			}
			if it.Description != "Three countries sign." {
				t.Errorf("summary %q", it.Description)
			}
			if !strings.Contains(it.Content, `Fish &amp; chips <a href="https://news.example.org/x">`) || !strings.Contains(it.Content, "]]>") {
				t.Errorf("content %q", it.Content)
			}
			if fmt.Sprint(it.Categories) != "[Diplomacy Rivers & Lakes]" {
				t.Errorf("categories %q", it.Categories)
			}
			if it.Author == nil || it.Author.Name != "Ilse Fontaine" {
				t.Errorf("first author %+v", it.Author)
			}
			if name != "rss" && (len(it.Authors) != 2 || it.Authors[1].Name != "AFP") {
				t.Errorf("authors %+v", it.Authors)
			}
			if name == "rss" && (it.DublinCoreExt == nil || fmt.Sprint(it.DublinCoreExt.Creator) != "[Ilse Fontaine AFP]") {
				t.Errorf("dc:creator %+v", it.DublinCoreExt)
			}
			img := ""
			if it.Image != nil {
				img = it.Image.URL
			}
			for _, e := range it.Enclosures {
				if img == "" {
					img = e.URL
				}
				if e.Length != "123456" || e.Type != "image/jpeg" {
					t.Errorf("enclosure %+v", e)
				}
			}
			if img != "https://news.example.org/media/ab/ab-1600.jpg" {
				t.Errorf("image %q", img)
			}
			if f.Items[1].Author != nil || f.Items[1].Image != nil || len(f.Items[1].Enclosures) > 0 {
				t.Errorf("second item has author %v, image %v", f.Items[1].Author, f.Items[1].Image)
			}
		})
	}
}

// checkXML decodes a document with encoding/xml and checks it with
// xmllint when it is there (under CI it must be).
func checkXML(t *testing.T, name string, doc []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed: %v\n%s", name, err, doc)
		}
	}
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is not installed (Debian: libxml2-utils)")
		}
		t.Log("xmllint is not installed; checked with encoding/xml only")
		return
	}
	cmd := exec.Command(bin, "--noout", "--nonet", "-")
	cmd.Stdin = bytes.NewReader(doc)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("xmllint: %s: %v\n%s", name, err, out)
	}
}

// TestNamespaces: each document's root is in its spec's namespace, and
// each extension element in its own.
func TestNamespaces(t *testing.T) {
	type elem struct{ space, local string }
	docs := map[string]func() []byte{
		"rss": func() []byte { var b bytes.Buffer; feed.WriteRSS(&b, sample()); return b.Bytes() },
		"atom": func() []byte {
			var b bytes.Buffer
			feed.WriteAtom(&b, sample())
			return b.Bytes()
		},
		"index": func() []byte {
			var b bytes.Buffer
			feed.WriteSitemapIndex(&b, []feed.SitemapRef{{Loc: "https://news.example.org/sitemaps/pages.xml", LastMod: published}})
			return b.Bytes()
		},
		"urlset": func() []byte {
			var b bytes.Buffer
			u := feed.NewURLSet(&b)
			u.Add(feed.URL{Loc: "https://news.example.org/a", LastMod: published, Images: []string{"https://news.example.org/media/x.jpg"}})
			u.Close()
			return b.Bytes()
		},
		"news": func() []byte {
			var b bytes.Buffer
			feed.WriteNewsSitemap(&b, feed.NewsPublication{Name: "Meridian 24", Language: "en-GB"},
				[]feed.NewsArticle{{Loc: "https://news.example.org/a", Title: "A & B", Published: published}})
			return b.Bytes()
		},
	}
	want := map[string][]elem{
		"rss": {{"", "rss"}, {"http://www.w3.org/2005/Atom", "link"}, {"http://purl.org/rss/1.0/modules/content/", "encoded"},
			{"http://purl.org/dc/elements/1.1/", "creator"}, {"http://search.yahoo.com/mrss/", "content"}, {"http://search.yahoo.com/mrss/", "credit"}},
		"atom":   {{"http://www.w3.org/2005/Atom", "feed"}, {"http://www.w3.org/2005/Atom", "entry"}},
		"index":  {{"http://www.sitemaps.org/schemas/sitemap/0.9", "sitemapindex"}, {"http://www.sitemaps.org/schemas/sitemap/0.9", "lastmod"}},
		"urlset": {{"http://www.sitemaps.org/schemas/sitemap/0.9", "urlset"}, {"http://www.google.com/schemas/sitemap-image/1.1", "image"}, {"http://www.google.com/schemas/sitemap-image/1.1", "loc"}},
		"news": {{"http://www.sitemaps.org/schemas/sitemap/0.9", "urlset"}, {"http://www.google.com/schemas/sitemap-news/0.9", "news"},
			{"http://www.google.com/schemas/sitemap-news/0.9", "publication_date"}},
	}
	for name, make := range docs {
		doc := make()
		checkXML(t, name, doc)
		seen := map[elem]bool{}
		var root elem
		d := xml.NewDecoder(bytes.NewReader(doc))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok {
				e := elem{se.Name.Space, se.Name.Local}
				if root == (elem{}) {
					root = e
				}
				seen[e] = true
			}
		}
		if root != want[name][0] {
			t.Errorf("%s: root %v, want %v", name, root, want[name][0])
		}
		for _, e := range want[name][1:] {
			if !seen[e] {
				t.Errorf("%s: no element %s in namespace %q", name, e.local, e.space)
			}
		}
	}
}

func TestTagURI(t *testing.T) {
	got := feed.TagURI("News.Example.org", time.Date(2026, 1, 1, 0, 30, 0, 0, time.FixedZone("", 3600)), "article", 123)
	// 00:30 at +01:00 is still 2025 in UTC.
	if want := "tag:news.example.org,2025:article/123"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestAbsoluteHTML(t *testing.T) {
	base, _ := url.Parse("https://news.example.org/news/europe/treaty")
	for _, tc := range []struct{ in, want string }{
		{`<a href="/news/">x</a>`, `<a href="https://news.example.org/news/">x</a>`},
		{`<a href="other-story">x</a>`, `<a href="https://news.example.org/news/europe/other-story">x</a>`},
		{`<a href="#part-2">x</a>`, `<a href="https://news.example.org/news/europe/treaty#part-2">x</a>`},
		{`<img src="/media/ab/c.jpg" alt="a">`, `<img src="https://news.example.org/media/ab/c.jpg" alt="a">`},
		{`<blockquote cite="/x?a=1&amp;b=2">`, `<blockquote cite="https://news.example.org/x?a=1&amp;b=2">`},
		{`<a href="https://elsewhere.example.com/">x</a>`, `<a href="https://elsewhere.example.com/">x</a>`},
		{`<a href="//cdn.example.com/x">x</a>`, `<a href="//cdn.example.com/x">x</a>`},
		{`<a href="mailto:desk@example.org">x</a>`, `<a href="mailto:desk@example.org">x</a>`},
	} {
		if got := feed.AbsoluteHTML(tc.in, base); got != tc.want {
			t.Errorf("AbsoluteHTML(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestNewsLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"en": "en", "en-GB": "en", "pt_BR": "pt", "FR": "fr", "zh": "zh-cn", "zh-Hans-CN": "zh-cn", "zh-Hant": "zh-tw", "zh-TW": "zh-tw", "zh-HK": "zh-tw", "ast": "ast",
	} {
		if got := feed.NewsLanguage(in); got != want {
			t.Errorf("NewsLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLimits(t *testing.T) {
	u := feed.NewURLSet(io.Discard)
	for i := range feed.MaxURLs {
		if err := u.Add(feed.URL{Loc: fmt.Sprintf("https://news.example.org/%d", i)}); err != nil {
			t.Fatalf("URL %d: %v", i+1, err)
		}
	}
	if err := u.Add(feed.URL{Loc: "https://news.example.org/one-too-many"}); !errors.Is(err, feed.ErrFull) {
		t.Errorf("URL %d: %v, want ErrFull", feed.MaxURLs+1, err)
	}
	if err := u.Close(); err != nil {
		t.Fatal(err)
	}
	list := make([]feed.NewsArticle, feed.MaxNewsURLs+1)
	if err := feed.WriteNewsSitemap(io.Discard, feed.NewsPublication{}, list); !errors.Is(err, feed.ErrFull) {
		t.Errorf("news sitemap of %d: %v, want ErrFull", len(list), err)
	}
}

func TestHubPublish(t *testing.T) {
	var got []url.Values
	status := http.StatusAccepted
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		got = append(got, r.PostForm)
		w.WriteHeader(status)
	}))
	defer srv.Close()
	h := &feed.Hub{URL: srv.URL}
	if err := h.Publish(context.Background(), "https://news.example.org/rss.xml"); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Get("hub.mode") != "publish" || got[0].Get("hub.url") != "https://news.example.org/rss.xml" {
		t.Errorf("hub got %v", got)
	}
	status = http.StatusBadRequest
	if err := h.Publish(context.Background(), "https://news.example.org/rss.xml"); err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("a 400 from the hub: %v, want an error naming it", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := h.Publish(ctx, "https://news.example.org/rss.xml"); err == nil {
		t.Error("a cancelled publish succeeded")
	}
}
