package site_test

import (
	"html"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// hostileStory's headline tries to add recipients and a body to the
// e-mail share link, and hides a right-to-left override, as do its byline
// and its summary.
const hostileStory = `---
title: "Harbour reopens&cc=boss@example.net&bcc=spy@example.net&body=Click here \u202Efdp.exe"
slug: harbour-reopens
date: 2026-11-20T08:15:00Z
section: news
summary: "Ferries run again \u2066from Port Alder\u2069."
authors: ["Ana \u202ERuiz"]
---
Body.
`

var mailtoRE = regexp.MustCompile(`href="(mailto:[^"]*)"`)

// TestHostileHeadlineOnTheArticlePage imports the story as an operator
// would and reads its page as a reader: the e-mail link carries the
// subject and body only, and no bidirectional control reached the page.
func TestHostileHeadlineOnTheArticlePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ms, err := media.OpenStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ms.Close() })
		im := &ingest.Importer{Store: s, Media: ms}
		if _, err := im.ImportFile(ctx, fstest.MapFS{"s.md": {Data: []byte(hostileStory)}}, "s.md"); err != nil {
			t.Fatal(err)
		}
		cfg, err := site.NewConfig("https://news.example.org", nil, "Meridian 24")
		if err != nil {
			t.Fatal(err)
		}
		si, err := site.New(cfg, s, ms, nil)
		if err != nil {
			t.Fatal(err)
		}
		ts := testSite{srv: httptest.NewServer(si.Handler()), store: s}
		t.Cleanup(ts.srv.Close)
		status, _, body := ts.get(t, "/news/harbour-reopens")
		if status != 200 {
			t.Fatalf("status %d", status)
		}
		m := mailtoRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no mailto: link on the page")
		}
		u, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range q {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"body", "subject"}) || len(q["body"]) != 1 {
			t.Errorf("mailto: link %s has parameters %q, want body and subject once each", m[1], keys)
		}
		if want := "Harbour reopens&cc=boss@example.net&bcc=spy@example.net&body=Click here fdp.exe"; q.Get("subject") != want {
			t.Errorf("subject %q, want %q", q.Get("subject"), want)
		}
		for _, r := range body {
			if r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 {
				t.Errorf("the page holds %U", r)
			}
		}
		for _, want := range []string{"Ana Ruiz", "Ferries run again from Port Alder."} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
	})
}
