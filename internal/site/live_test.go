package site_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// liveSite serves a site over s that follows the change log, as serve
// does, and returns it with a published story in news/.
func liveSite(t *testing.T, s *store.Store) (testSite, *news.Article) {
	t.Helper()
	if err := s.SetSettings(ctx, map[string]string{news.SettingTimeZone: "Europe/Berlin"}); err != nil {
		t.Fatal(err)
	}
	var a *news.Article
	err := s.InTx(ctx, func(tx *store.Store) error {
		sec, err := tx.EnsureSectionPath(ctx, "news")
		if err != nil {
			return err
		}
		a = &news.Article{Headline: "Earthquake shakes the coast", Slug: "earthquake-shakes-the-coast", Section: sec, Status: news.Published,
			PublishedAt: time.Date(2026, 12, 8, 6, 0, 0, 0, time.UTC), Summary: "A strong earthquake hit the coast at dawn.",
			Body: "- Key point: the quake struck at 06:00.", BodyHTML: "<ul><li>Key point: the quake struck at 06:00.</li></ul>"}
		return tx.SaveArticle(ctx, a)
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := site.NewConfig("https://news.example.org", nil, "Meridian 24")
	if err != nil {
		t.Fatal(err)
	}
	cfg.PollInterval = 10 * time.Millisecond
	si, err := site.New(cfg, s, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go si.Watch(wctx)
	srv := httptest.NewServer(si.Handler())
	t.Cleanup(srv.Close)
	return testSite{srv: srv, store: s}, a
}

// postUpdate adds an update as the newsroom would store it.
func postUpdate(t *testing.T, s *store.Store, articleID int64, body, byline string, at time.Time) news.LiveUpdate {
	t.Helper()
	html, err := markup.Render(body)
	if err != nil {
		t.Fatal(err)
	}
	u := news.LiveUpdate{ArticleID: articleID, Body: body, BodyHTML: html, Byline: byline, Created: at}
	if err := s.AddLiveUpdate(ctx, &u); err != nil {
		t.Fatal(err)
	}
	return u
}

// waitForPage fetches path until its body holds want: the page cache
// learns of a change through the change log, a poll away. It fails when
// the page never shows it, which is what a missed purge looks like.
func waitForPage(t *testing.T, ts testSite, path, want string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, _, body := ts.get(t, path)
		if strings.Contains(body, want) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never showed %q; last:\n%s", path, want, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ldOfType returns the page's JSON-LD blocks of a @type.
func ldOfType(t *testing.T, body, typ string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, b := range ldRE.FindAllStringSubmatch(body, -1) {
		var v map[string]any
		if err := json.Unmarshal([]byte(b[1]), &v); err != nil {
			t.Fatalf("JSON-LD does not parse: %v", err)
		}
		if v["@type"] == typ {
			out = append(out, v)
		}
	}
	return out
}

// TestLivePage: a live story's page shows its key points, then its
// updates, pinned first and then newest first, each under its own anchor
// with its time in the site's zone; its structured data is a
// LiveBlogPosting; each new update purges the cached page; an ended story
// keeps every update and says when it ended. The page is valid HTML.
func TestLivePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ts, a := liveSite(t, s)
		path := a.URL()
		_, _, body := ts.get(t, path)
		mustNotContain(t, "story not live", body, "Live updates", "LiveBlogPosting")
		if len(ldOfType(t, body, "NewsArticle")) != 1 {
			t.Errorf("story not live: want one NewsArticle block")
		}

		start := time.Date(2026, 12, 8, 6, 5, 0, 0, time.UTC)
		if err := s.StartCoverage(ctx, a.ID, start); err != nil {
			t.Fatal(err)
		}
		first := postUpdate(t, s, a.ID, "Rescue teams **reach** the harbour.", "Ana Lind", start.Add(10*time.Minute))
		second := postUpdate(t, s, a.ID, "Aftershock felt inland.", "", start.Add(20*time.Minute))
		third := postUpdate(t, s, a.ID, "Schools closed <script>alert(1)</script> today.", "Ben Okafor", start.Add(30*time.Minute))
		if err := s.PinLiveUpdate(ctx, first.ID, true); err != nil {
			t.Fatal(err)
		}
		body = waitForPage(t, ts, path, `class="live-update pinned" id="`+first.Anchor()+`"`)
		mustContain(t, "live story", body,
			`<strong class="live-badge">Live</strong>`,
			`<h2 class="key-points">Key points</h2>`,
			"Key point: the quake struck at 06:00.",
			`<strong>reach</strong>`,
			`href="#`+second.Anchor()+`"`,
			"Ana Lind", "Ben Okafor",
			// 06:15 UTC is 07:15 in Berlin.
			`<time datetime="2026-12-08T06:15:00Z">8 December 2026, 07:15 CET</time>`,
		)
		mustNotContain(t, "live story", body, "<script>alert")
		i1, i2, i3 := strings.Index(body, `id="`+first.Anchor()+`"`), strings.Index(body, `id="`+second.Anchor()+`"`), strings.Index(body, `id="`+third.Anchor()+`"`)
		if !(i1 >= 0 && i1 < i3 && i3 < i2) {
			t.Errorf("order on the page: pinned first at %d, then newest (third) at %d, then second at %d", i1, i3, i2)
		}
		if !(strings.Index(body, "Key point:") < i1) {
			t.Error("the key points are not above the updates")
		}
		if n := len(ldOfType(t, body, "NewsArticle")); n != 0 {
			t.Errorf("live story: %d NewsArticle blocks, want none (a LiveBlogPosting instead)", n)
		}
		blogs := ldOfType(t, body, "LiveBlogPosting")
		if len(blogs) != 1 {
			t.Fatalf("live story: %d LiveBlogPosting blocks, want 1", len(blogs))
		}
		lb := blogs[0]
		if lb["coverageStartTime"] != "2026-12-08T06:05:00Z" || lb["headline"] != a.Headline {
			t.Errorf("LiveBlogPosting: coverageStartTime %v, headline %v", lb["coverageStartTime"], lb["headline"])
		}
		if _, ok := lb["coverageEndTime"]; ok {
			t.Error("LiveBlogPosting of a running story has a coverageEndTime")
		}
		ups, _ := lb["liveBlogUpdate"].([]any)
		if len(ups) != 3 {
			t.Fatalf("liveBlogUpdate: %d entries, want 3", len(ups))
		}
		u0 := ups[0].(map[string]any)
		if u0["@type"] != "BlogPosting" || u0["url"] != "https://news.example.org"+path+"#"+first.Anchor() ||
			u0["datePublished"] != "2026-12-08T06:15:00Z" || u0["articleBody"] != "Rescue teams reach the harbour." || u0["headline"] == "" {
			t.Errorf("liveBlogUpdate[0]: %v", u0)
		}

		// A new update purges the cached page: the next requests show it.
		ts.get(t, path) // cached now
		fourth := postUpdate(t, s, a.ID, "Power is back in the old town.", "", start.Add(50*time.Minute))
		body = waitForPage(t, ts, path, `id="`+fourth.Anchor()+`"`)
		if i4 := strings.Index(body, `id="`+fourth.Anchor()+`"`); !(strings.Index(body, `id="`+first.Anchor()+`"`) < i4 && i4 < strings.Index(body, `id="`+third.Anchor()+`"`)) {
			t.Error("the newest update is not right below the pinned one")
		}
		// A deleted one leaves.
		if err := s.DeleteLiveUpdate(ctx, second.ID, start.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(15 * time.Second)
		for strings.Contains(body, `id="`+second.Anchor()+`"`) {
			if time.Now().After(deadline) {
				t.Fatal("a deleted update stayed on the page")
			}
			time.Sleep(20 * time.Millisecond)
			_, _, body = ts.get(t, path)
		}
		testkit.ValidateHTML(t, "live story", []byte(body))

		end := start.Add(3 * time.Hour)
		if err := s.EndCoverage(ctx, a.ID, end); err != nil {
			t.Fatal(err)
		}
		body = waitForPage(t, ts, path, "Live coverage ended")
		mustNotContain(t, "ended story", body, `class="live-badge"`)
		mustContain(t, "ended story", body, `id="`+first.Anchor()+`"`, `id="`+third.Anchor()+`"`, `id="`+fourth.Anchor()+`"`)
		blogs = ldOfType(t, body, "LiveBlogPosting")
		if len(blogs) != 1 || blogs[0]["coverageEndTime"] != "2026-12-08T09:05:00Z" {
			t.Errorf("ended story: LiveBlogPosting %v", blogs)
		}
		if ups, _ := blogs[0]["liveBlogUpdate"].([]any); len(ups) != 3 {
			t.Errorf("ended story: %d updates in its structured data, want 3", len(ups))
		}
	})
}
