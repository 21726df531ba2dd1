package site_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// feedScopes are the fixture's feeds and the articles each must hold,
// newest first: a section's feed holds its subsections' articles; no feed
// holds the draft (which shares a section, a tag and an author with them).
var feedScopes = []struct {
	base  string
	files []string
}{
	{"/", []string{"a7-ferry.md", "a3-cup.md", "a1-treaty.md", "a4-budget.md", "a2-monsoon.md", "a6-festival.md"}},
	{"/news/", []string{"a7-ferry.md", "a1-treaty.md", "a4-budget.md", "a2-monsoon.md"}},
	{"/news/europe/", []string{"a7-ferry.md", "a1-treaty.md"}},
	{"/sport/", []string{"a3-cup.md"}},
	{"/tag/rivers/", []string{"a1-treaty.md"}},
	{"/tag/diplomacy/", []string{"a1-treaty.md", "a4-budget.md"}},
	{"/author/ilse-fontaine/", []string{"a1-treaty.md", "a4-budget.md"}},
	{"/author/reuters/", []string{"a6-festival.md"}},
}

func fixtureArticle(t *testing.T, file string) distArticle {
	t.Helper()
	for _, a := range distArticles {
		if a.file == file {
			return a
		}
	}
	t.Fatalf("no fixture %s", file)
	return distArticle{}
}

// TestFeedsReadByGofeed parses every feed of every scope with gofeed, an
// independent consumer, and checks each item against the fixture.
func TestFeedsReadByGofeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{hub: "https://hub.example.net/"})
		for _, sc := range feedScopes {
			for _, name := range []string{"rss.xml", "atom.xml", "feed.json"} {
				path := sc.base + name
				t.Run(strings.ReplaceAll(strings.Trim(path, "/"), "/", "_"), func(t *testing.T) {
					res, body := ds.fetch(t, path)
					if res.StatusCode != http.StatusOK {
						t.Fatalf("status %d", res.StatusCode)
					}
					wantType := map[string]string{"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml", "feed.json": "application/feed+json"}[name]
					if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, wantType) {
						t.Errorf("Content-Type %q, want %s", ct, wantType)
					}
					if _, err := http.ParseTime(res.Header.Get("Last-Modified")); err != nil {
						t.Errorf("Last-Modified %q: %v", res.Header.Get("Last-Modified"), err)
					}
					f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
					if err != nil {
						t.Fatalf("gofeed cannot read it: %v\n%s", err, body)
					}
					if f.FeedLink != abs(path) {
						t.Errorf("feed link %q, want %q", f.FeedLink, abs(path))
					}
					checkItems(t, f, sc.files)
					if name != "feed.json" {
						wellFormed(t, path, body)
						xmllint(t, path, body)
					}
				})
			}
		}
	})
}

// checkItems compares a parsed feed's items with the fixture articles
// files, in order.
func checkItems(t *testing.T, f *gofeed.Feed, files []string) {
	t.Helper()
	var got []string
	for _, it := range f.Items {
		got = append(got, it.Link)
	}
	var want []string
	for _, file := range files {
		want = append(want, abs(fixtureArticle(t, file).path))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("items:\n got %q\nwant %q", got, want)
	}
	ids := map[string]bool{}
	for i, it := range f.Items {
		a := fixtureArticle(t, files[i])
		if it.Title != a.title {
			t.Errorf("%s: title %q, want %q", a.file, it.Title, a.title)
		}
		if it.PublishedParsed == nil || !it.PublishedParsed.Equal(a.published) {
			t.Errorf("%s: published %v, want %v", a.file, it.PublishedParsed, a.published)
		}
		if !strings.HasPrefix(it.GUID, "tag:news.example.org,2026:article/") || ids[it.GUID] {
			t.Errorf("%s: id %q is not a unique tag: URI", a.file, it.GUID)
		}
		ids[it.GUID] = true
		if !slices.Equal(it.Categories, a.tags) {
			t.Errorf("%s: categories %q, want %q", a.file, it.Categories, a.tags)
		}
		if !slices.Equal(itemAuthors(f, it), a.authors) {
			t.Errorf("%s: authors %q, want %q", a.file, itemAuthors(f, it), a.authors)
		}
		img := itemImage(f, it)
		if a.photo != (img != "") {
			t.Errorf("%s: image %q, want one: %v", a.file, img, a.photo)
		}
		if img != "" && !strings.HasPrefix(img, distBase+"/media/") {
			t.Errorf("%s: image %q is not an absolute URL on the site", a.file, img)
		}
		if it.Content == "" || it.Description == "" {
			t.Errorf("%s: content %d bytes, summary %q: want both", a.file, len(it.Content), it.Description)
		}
		if strings.Contains(it.Content, `href="/`) || strings.Contains(it.Content, `src="/`) {
			t.Errorf("%s: content has relative URLs: %s", a.file, it.Content)
		}
	}
}

// itemAuthors reads every author gofeed found: RSS's dc:creator list
// (gofeed's Authors keeps the first only), Atom's and JSON Feed's authors.
func itemAuthors(f *gofeed.Feed, it *gofeed.Item) []string {
	var out []string
	if f.FeedType == "rss" {
		if it.DublinCoreExt != nil {
			out = it.DublinCoreExt.Creator
		}
		return out
	}
	for _, p := range it.Authors {
		out = append(out, p.Name)
	}
	return out
}

// itemImage is the lead photo's URL as each format carries it.
func itemImage(f *gofeed.Feed, it *gofeed.Item) string {
	if it.Image != nil && strings.Contains(it.Image.URL, "/media/") {
		return it.Image.URL
	}
	for _, e := range it.Enclosures {
		if strings.HasPrefix(e.Type, "image/") {
			return e.URL
		}
	}
	return ""
}

// TestFeedDetails checks what gofeed's common model leaves out: the media
// and enclosure sizes, the WebSub hub in all three formats, and the
// stability of ids across an edit that changes the slug.
func TestFeedDetails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{hub: "https://hub.example.net/"})
		rss := string(ds.get(t, "/rss.xml"))
		mustHave(t, "rss", rss,
			`<atom:link href="https://hub.example.net/" rel="hub"/>`,
			`<atom:link href="https://news.example.org/rss.xml" rel="self" type="application/rss+xml"/>`,
			`medium="image" width="1200" height="675"`, `<media:credit>AFP</media:credit>`,
			`<enclosure url="https://news.example.org/media/`, `<pubDate>Fri, 27 Nov 2026 06:30:00 +0000</pubDate>`)
		mustHave(t, "atom", string(ds.get(t, "/atom.xml")), `<link rel="hub" href="https://hub.example.net/"/>`,
			`<link rel="enclosure" type="image/jpeg"`, `<updated>2026-11-27T11:00:00Z</updated>`)
		mustHave(t, "json", string(ds.get(t, "/feed.json")), `"hubs": [`, `"type": "WebSub"`, `"url": "https://hub.example.net/"`)

		// An unknown tag or author has no feed; a known name that is not a
		// feed under a tag is 404 too.
		for _, p := range []string{"/tag/no-such-tag/rss.xml", "/author/nobody/atom.xml", "/tag/rivers/rss.txt", "/no-section/rss.xml"} {
			if res, _ := ds.fetch(t, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", p, res.StatusCode)
			}
		}

		before := feedIDs(t, ds, "/atom.xml")
		// The same article, edited as the newsroom will: a new headline
		// and slug, hence a new address, keep its id.
		a, err := s.ArticleByPath(ctx, store.Full, "news/europe", "ferry-strike-ends")
		if err != nil {
			t.Fatal(err)
		}
		a.Headline, a.Slug = "Ferry strike ends after talks", "ferry-strike-ends-after-talks"
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a) }); err != nil {
			t.Fatal(err)
		}
		ds.site.Changed()
		atom := string(ds.get(t, "/atom.xml"))
		mustHave(t, "atom after the edit", atom, "/news/europe/ferry-strike-ends-after-talks")
		after := feedIDs(t, ds, "/atom.xml")
		if !slices.Equal(before, after) {
			t.Errorf("ids changed with an edit:\n%q\n%q", before, after)
		}
	})
}

func feedIDs(t *testing.T, ds *distSite, path string) []string {
	t.Helper()
	f, err := gofeed.NewParser().Parse(bytes.NewReader(ds.get(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range f.Items {
		out = append(out, it.GUID)
	}
	return out
}

// TestFeedConditionalGET: the page cache answers If-None-Match with 304,
// and a publish changes the ETag and the feed at once.
func TestFeedConditionalGET(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{})
		for _, p := range []string{"/rss.xml", "/news/atom.xml", "/tag/rivers/feed.json", "/sitemap.xml", "/sitemaps/articles-1.xml"} {
			res, _ := ds.fetch(t, p)
			etag := res.Header.Get("ETag")
			if etag == "" {
				t.Fatalf("%s: no ETag", p)
			}
			res, body := ds.fetch(t, p, "If-None-Match", etag)
			if res.StatusCode != http.StatusNotModified || len(body) != 0 {
				t.Errorf("%s with its ETag: status %d, %d bytes; want 304, none", p, res.StatusCode, len(body))
			}
		}

		res, _ := ds.fetch(t, "/news/europe/rss.xml")
		etag := res.Header.Get("ETag")
		ds.publish(t, "late.md", `---
title: "Border reopens at midnight"
date: 2026-11-28T11:30:00Z
section: news/europe
summary: "Trucks queue for miles."
tags: ["Rivers"]
---
Customs officers returned to their posts.
`)
		for _, p := range []string{"/news/europe/rss.xml", "/rss.xml", "/news/atom.xml", "/tag/rivers/feed.json"} {
			res, body := ds.fetch(t, p, "If-None-Match", etag)
			if res.StatusCode != http.StatusOK || res.Header.Get("ETag") == etag {
				t.Errorf("%s after a publish: status %d, ETag %s (was %s)", p, res.StatusCode, res.Header.Get("ETag"), etag)
			}
			if !strings.Contains(string(body), "Border reopens at midnight") {
				t.Errorf("%s does not show the new article at once", p)
			}
		}
	})
}

// hubRecorder is a WebSub hub on loopback that records what it is told.
type hubRecorder struct {
	mu     sync.Mutex
	topics map[string]bool
	bad    []string
	block  chan struct{} // when not nil, answers wait for it to close
}

func (h *hubRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	block := h.block
	h.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-r.Context().Done():
			return
		}
	}
	r.ParseForm()
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case r.Method != http.MethodPost:
		h.bad = append(h.bad, "method "+r.Method)
	case r.Header.Get("Content-Type") != "application/x-www-form-urlencoded":
		h.bad = append(h.bad, "content type "+r.Header.Get("Content-Type"))
	case r.PostForm.Get("hub.mode") != "publish":
		h.bad = append(h.bad, "hub.mode "+r.PostForm.Get("hub.mode"))
	default:
		h.topics[r.PostForm.Get("hub.url")] = true
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *hubRecorder) has(topics ...string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, t := range topics {
		if !h.topics[t] {
			return false
		}
	}
	return true
}

// TestWebSubPing: after a publish, the change watcher tells the hub about
// the home feeds and those of the article's sections, tags and authors;
// a hub that hangs delays nothing a reader sees.
func TestWebSubPing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		hub := &hubRecorder{topics: map[string]bool{}}
		hubSrv := httptest.NewServer(hub) // on loopback
		t.Cleanup(hubSrv.Close)
		ds := newDistSite(t, s, distOptions{hub: hubSrv.URL + "/hub"})
		wctx, stop := context.WithCancel(ctx)
		defer stop()
		go ds.site.Watch(wctx)
		waitMarkOf(t, s, "websub", 0) // the watcher's first read sets its starting point

		if _, err := ds.im.ImportFile(ctx, mapFile("quake.md", `---
title: "Tremor shakes the capital"
date: 2026-11-28T11:45:00Z
section: news/asia
tags: ["Earthquakes"]
authors: ["Ravi Menon"]
---
No damage was reported.
`), "quake.md"); err != nil {
			t.Fatal(err)
		}
		want := []string{}
		for _, base := range []string{"/", "/news/", "/news/asia/", "/tag/earthquakes/", "/author/ravi-menon/"} {
			for _, f := range []string{"rss.xml", "atom.xml", "feed.json"} {
				want = append(want, abs(base+f))
			}
		}
		waitFor(t, 5*time.Second, "the hub to hear of every changed feed", func() bool { return hub.has(want...) })
		hub.mu.Lock()
		if len(hub.bad) > 0 {
			t.Errorf("malformed publish requests: %q", hub.bad)
		}
		if hub.topics[abs("/sport/rss.xml")] {
			t.Error("the hub was told of an untouched section's feed")
		}
		hub.mu.Unlock()

		// A hub that never answers: publishing and reading go on.
		block := make(chan struct{})
		hub.mu.Lock()
		hub.block = block
		hub.mu.Unlock()
		defer close(block)
		for i, title := range []string{"First after the outage", "Second after the outage"} {
			start := time.Now()
			name := "late" + string(rune('a'+i)) + ".md"
			if _, err := ds.im.ImportFile(ctx, mapFile(name, "---\ntitle: \""+title+"\"\ndate: 2026-11-28T11:5"+string(rune('0'+i))+":00Z\nsection: sport\n---\nText.\n"), name); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 3*time.Second, "the feed to show "+title, func() bool {
				return strings.Contains(string(ds.get(t, "/sport/rss.xml")), title)
			})
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("%q took %v to reach the feed with a hanging hub", title, d)
			}
		}
	})
}

func TestParseWebSubHub(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"", true}, {"https://pubsubhubbub.appspot.com/", true}, {"http://127.0.0.1:9000/hub", true},
		{"ftp://hub.example.net/", false}, {"/hub", false}, {"https://user:pw@hub.example.net/", false}, {"hub.example.net", false},
	} {
		u, err := site.ParseWebSubHub(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseWebSubHub(%q): %v, %v; want ok %v", tc.in, u, err, tc.ok)
		}
		if tc.in == "" && u != nil {
			t.Errorf("ParseWebSubHub(\"\") = %v, want nil", u)
		}
	}
}

func mapFile(name, content string) fstest.MapFS {
	return fstest.MapFS{name: {Data: []byte(content)}}
}

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWebSubCatchesUpAfterRestart: a change made while no instance runs is
// announced to the hub by the next instance to start, from the mark the
// last one recorded.
func TestWebSubCatchesUpAfterRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		hub := &hubRecorder{topics: map[string]bool{}}
		hubSrv := httptest.NewServer(hub)
		t.Cleanup(hubSrv.Close)
		cfg, err := site.NewConfig(distBase, nil, "Meridian 24")
		if err != nil {
			t.Fatal(err)
		}
		cfg.PollInterval = 10 * time.Millisecond
		if cfg.WebSubHub, err = site.ParseWebSubHub(hubSrv.URL + "/hub"); err != nil {
			t.Fatal(err)
		}
		start := func() (stop func()) {
			si, err := site.New(cfg, s, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			wctx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { si.Watch(wctx); close(done) }()
			return func() { cancel(); <-done }
		}
		stop := start()
		waitMarkOf(t, s, "websub", 0) // it has read the log
		stop()
		// A change while no instance runs ("site": the home feeds), then
		// a new instance.
		if err := s.SetSettings(ctx, map[string]string{news.SettingName: "Meridian Twenty-Four"}); err != nil {
			t.Fatal(err)
		}
		if hub.has(abs("/rss.xml")) {
			t.Fatal("the hub heard of the change before any instance ran")
		}
		stop = start()
		defer stop()
		waitFor(t, 10*time.Second, "the hub to hear of the change made while no instance ran", func() bool {
			return hub.has(abs("/rss.xml"), abs("/atom.xml"), abs("/feed.json"))
		})
	})
}
