package site_test

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The distribution tests (feeds, sitemaps, structured data, oEmbed) use a
// small newsroom of their own, not the sample one, so that every article
// in it, and every byte of the golden files, is known here.

const distBase = "https://news.example.org"

// distNow is the tests' clock: the Google News sitemap's window of 48
// hours ends here.
var distNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// distArticle is what the tests expect of one fixture article.
type distArticle struct {
	file      string
	path      string
	title     string
	published time.Time
	authors   []string
	tags      []string
	photo     bool
	draft     bool
}

var distArticles = []distArticle{
	{file: "a1-treaty.md", path: "/news/europe/negotiators-agree-on-river-treaty", title: "Negotiators agree on river treaty",
		published: time.Date(2026, 11, 27, 6, 30, 0, 0, time.UTC), authors: []string{"Ilse Fontaine", "AFP"}, tags: []string{"Diplomacy", "Rivers"}, photo: true},
	{file: "a2-monsoon.md", path: "/news/asia/monsoon-arrives-early-in-the-delta", title: "Monsoon arrives early in the delta",
		published: time.Date(2026, 11, 25, 4, 0, 0, 0, time.UTC), authors: []string{"Ravi Menon"}, tags: []string{"Weather"}},
	{file: "a3-cup.md", path: "/sport/harbour-club-wins-the-cup", title: "Harbour club wins the cup",
		published: time.Date(2026, 11, 28, 9, 15, 0, 0, time.UTC), authors: []string{"Tomás Ruiz"}, tags: []string{"Football"}, photo: true},
	{file: "a4-budget.md", path: "/news/council-budget-drops-fish-chips-tax", title: `Council budget drops "fish & chips" tax <for now>`,
		published: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), authors: []string{"Ilse Fontaine"}, tags: []string{"Diplomacy", "Local politics"}},
	{file: "a5-draft.md", path: "/news/europe/secret-draft-about-the-treaty", title: "Secret draft about the treaty",
		authors: []string{"Ilse Fontaine", "Hidden Writer"}, tags: []string{"Rivers", "Unpublished topic"}, draft: true},
	{file: "a6-festival.md", path: "/culture/film-festival-opens-by-the-sea", title: "Film festival opens by the sea",
		published: time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC), authors: []string{"Reuters"}, tags: []string{"Film"}},
	{file: "a7-ferry.md", path: "/news/europe/ferry-strike-ends", title: "Ferry strike ends",
		published: time.Date(2026, 11, 28, 11, 59, 0, 0, time.UTC)},
}

// distFixture is the newsroom's files, as the importer reads them.
func distFixture() fstest.MapFS {
	return fstest.MapFS{
		"a1-treaty.md": {Data: []byte(`---
title: "Negotiators agree on river treaty"
date: 2026-11-27T06:30:00Z
lastmod: 2026-11-27T09:45:00Z
section: news/europe
summary: "Three countries sign a deal on sharing the Vessa's water."
authors: ["Ilse Fontaine", "AFP"]
tags: ["Diplomacy", "Rivers"]
image:
  src: treaty.jpg
  alt: "Delegates shake hands across a long table"
  caption: "Delegates close the talks on November 26, 2026."
  credit: "AFP"
corrections:
  - date: 2026-11-27T11:00:00Z
    text: "An earlier version gave the wrong length of the talks."
---
The deal was struck at dawn, after [the monsoon story](/news/asia/monsoon-arrives-early-in-the-delta) raised the stakes.

# What the treaty says

> The river belongs to all of us.
>
> — Minister Anja Roth
`)},
		"a2-monsoon.md": {Data: []byte(`---
title: "Monsoon arrives early in the delta"
date: 2026-11-25T04:00:00Z
section: news/asia
summary: "Rains came three weeks ahead of the usual date."
authors: ["Ravi Menon"]
tags: ["Weather"]
---
Farmers moved their seedlings to higher ground.
`)},
		"a3-cup.md": {Data: []byte(`---
title: "Harbour club wins the cup"
date: 2026-11-28T10:15:00+01:00
section: sport
summary: "A late goal settles the final."
authors: ["Tomás Ruiz"]
tags: ["Football"]
image:
  src: cup.png
  alt: "Players lift a silver cup"
  credit: "Tomás Ruiz/Meridian 24"
---
The crowd stayed long after the whistle.
`)},
		"a4-budget.md": {Data: []byte(`---
title: 'Council budget drops "fish & chips" tax <for now>'
slug: council-budget-drops-fish-chips-tax
date: 2026-11-26T12:00:00Z
section: news
summary: "The levy on takeaways is shelved until spring."
authors: ["Ilse Fontaine"]
tags: ["Diplomacy", "Local politics"]
---
Councillors voted 12 to 9. Fish & chips shops <em>welcomed</em> it.
`)},
		"a5-draft.md": {Data: []byte(`---
title: "Secret draft about the treaty"
section: news/europe
draft: true
summary: "Not for readers yet."
authors: ["Ilse Fontaine", "Hidden Writer"]
tags: ["Rivers", "Unpublished topic"]
---
Unfinished.
`)},
		"a6-festival.md": {Data: []byte(`---
title: "Film festival opens by the sea"
date: 2026-11-20T18:00:00Z
section: culture
summary: "Forty films from twelve countries."
authors: ["Reuters"]
tags: ["Film"]
---
The first screening sold out.
`)},
		"a7-ferry.md": {Data: []byte(`---
title: "Ferry strike ends"
date: 2026-11-28T11:59:00Z
section: news/europe
summary: "Crossings resume tonight."
---
Unions accepted the offer.
`)},
		"treaty.jpg": {Data: fixtureImage(1200, 675, "jpeg")},
		"cup.png":    {Data: fixtureImage(800, 800, "png")},
	}
}

// fixtureImage draws a picture that is the same on every run, so photo
// variants, and the sizes feeds give for them, are too.
func fixtureImage(w, h int, format string) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), 255})
		}
	}
	var b bytes.Buffer
	if format == "png" {
		png.Encode(&b, img)
	} else {
		jpeg.Encode(&b, img, &jpeg.Options{Quality: 85})
	}
	return b.Bytes()
}

// testClock is a clock a test can move.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

type distOptions struct {
	hub         string // a WebSub hub URL
	sitemapSize int
	settings    map[string]string
}

// distSite is a running site over the fixture newsroom.
type distSite struct {
	srv   *httptest.Server
	site  *site.Site
	store *store.Store
	im    *ingest.Importer
	clock *testClock
	// mediaDir is the media store's folder.
	mediaDir string
}

func newDistSite(t testing.TB, s *store.Store, opt distOptions) *distSite {
	t.Helper()
	mediaDir := t.TempDir()
	ms, err := media.OpenStore(mediaDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	im := &ingest.Importer{Store: s, Media: ms}
	fsys := distFixture()
	for _, a := range distArticles {
		if _, err := im.ImportFile(ctx, fsys, a.file); err != nil {
			t.Fatalf("fixture: %v", err)
		}
	}
	keys := make([]string, 0, len(opt.settings))
	for k := range opt.settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := s.SetSetting(ctx, k, opt.settings[k]); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := site.NewConfig(distBase, []string{"https://mirror.example.net"}, "Meridian 24")
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: distNow}
	cfg.Now = clock.Now
	cfg.SitemapSize = opt.sitemapSize
	cfg.PollInterval = 10 * time.Millisecond
	if opt.hub != "" {
		if cfg.WebSubHub, err = site.ParseWebSubHub(opt.hub); err != nil {
			t.Fatal(err)
		}
	}
	si, err := site.New(cfg, s, ms, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(si.Handler())
	t.Cleanup(srv.Close)
	return &distSite{srv: srv, site: si, store: s, im: im, clock: clock, mediaDir: mediaDir}
}

// publish imports one more article and tells the site, as the newsroom
// does after a change it commits.
func (ds *distSite) publish(t *testing.T, name, md string) {
	t.Helper()
	if _, err := ds.im.ImportFile(ctx, fstest.MapFS{name: {Data: []byte(md)}}, name); err != nil {
		t.Fatal(err)
	}
	ds.site.Changed()
}

// fetch GETs a path with extra request headers, and returns the answer
// with its body read (gzip is undone by the transport when it asked).
func (ds *distSite) fetch(t testing.TB, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", ds.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

// get fetches a path that must answer 200.
func (ds *distSite) get(t testing.TB, path string) []byte {
	t.Helper()
	res, b := ds.fetch(t, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200\n%s", path, res.StatusCode, b)
	}
	return b
}

// wellFormed decodes a whole XML document, token by token, and returns
// the root element's name and the namespaces declared on it.
func wellFormed(t *testing.T, name string, doc []byte) (xml.Name, map[string]string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var root xml.Name
	ns := map[string]string{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok && root.Local == "" {
			root = se.Name
			for _, a := range se.Attr {
				if a.Name.Space == "xmlns" {
					ns[a.Name.Local] = a.Value
				} else if a.Name.Space == "" && a.Name.Local == "xmlns" {
					ns[""] = a.Value
				}
			}
		}
	}
	return root, ns
}

// xmllint checks a document with libxml2's parser, a second, independent
// reader. Under CI a missing xmllint fails the test; elsewhere it skips.
func xmllint(t *testing.T, name string, doc []byte) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("xmllint is not installed (Debian: libxml2-utils)")
		}
		t.Skip("xmllint is not installed (Debian: libxml2-utils)")
	}
	cmd := exec.Command(bin, "--noout", "--nonet", "-")
	cmd.Stdin = bytes.NewReader(doc)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("xmllint finds %s broken: %v\n%s", name, err, out)
	}
}

// abs is a path on the fixture site's primary address.
func abs(path string) string { return distBase + path }

// sameURL compares URLs as strings after parsing, so an escaped and an
// unescaped form of the same path agree.
func sameURL(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.String() == ub.String()
}

// mustHave fails unless every want is in got.
func mustHave(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}
