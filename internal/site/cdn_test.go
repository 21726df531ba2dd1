package site_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

const (
	ccKeyed = "public, max-age=60, s-maxage=3600, stale-while-revalidate=60, stale-if-error=86400"
	ccShort = "public, max-age=60, stale-while-revalidate=60, stale-if-error=86400"
)

// purgeReceiver is a purge hook's receiver: it keeps every body it gets,
// and answers the first failFirst requests with 503.
type purgeReceiver struct {
	srv       *httptest.Server
	mu        sync.Mutex
	bodies    [][]string
	failFirst int
	requests  int
}

func newPurgeReceiver(t *testing.T, failFirst int) *purgeReceiver {
	t.Helper()
	pr := &purgeReceiver{failFirst: failFirst}
	pr.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Keys []string `json:"keys"`
		}
		ct := r.Header.Get("Content-Type")
		err := json.NewDecoder(r.Body).Decode(&body)
		pr.mu.Lock()
		defer pr.mu.Unlock()
		pr.requests++
		if r.Method != http.MethodPost || ct != "application/json" || err != nil {
			t.Errorf("purge hook: %s with %q: %v", r.Method, ct, err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if pr.requests <= pr.failFirst {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		pr.bodies = append(pr.bodies, body.Keys)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(pr.srv.Close)
	return pr
}

// waitFor waits for a body holding key, and returns it.
func (pr *purgeReceiver) waitFor(t *testing.T, key string) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		pr.mu.Lock()
		for _, b := range pr.bodies {
			if slices.Contains(b, key) {
				pr.mu.Unlock()
				return b
			}
		}
		pr.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	t.Fatalf("no purge named %s; got %q", key, pr.bodies)
	return nil
}

// cdnSite is the distribution fixture served with a purge hook and a
// WebSub hub (each when its URL is set) and its change watcher running.
func cdnSite(t *testing.T, s *store.Store, purgeURL string, hubURL ...string) *httptest.Server {
	t.Helper()
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	im := &ingest.Importer{Store: s, Media: ms}
	for _, a := range distArticles {
		if _, err := im.ImportFile(ctx, distFixture(), a.file); err != nil {
			t.Fatalf("fixture: %v", err)
		}
	}
	cfg, err := site.NewConfig(distBase, nil, "Meridian 24")
	if err != nil {
		t.Fatal(err)
	}
	cfg.PollInterval = 10 * time.Millisecond
	if cfg.PurgeURL, err = site.ParsePurgeURL(purgeURL); err != nil {
		t.Fatal(err)
	}
	if len(hubURL) > 0 {
		if cfg.WebSubHub, err = site.ParseWebSubHub(hubURL[0]); err != nil {
			t.Fatal(err)
		}
	}
	si, err := site.New(cfg, s, ms, nil)
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go si.Watch(wctx)
	srv := httptest.NewServer(si.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func headersOf(t *testing.T, srv *httptest.Server, path string) (int, http.Header, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

// TestSurrogateKeys: every kind of public answer names what it shows, in
// both headers, and says how long a CDN may keep it.
func TestSurrogateKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		receiver := newPurgeReceiver(t, 0)
		srv := cdnSite(t, s, receiver.srv.URL+"/purge?token=secret")
		id := func(kind, ref string) string {
			t.Helper()
			var err error
			var key string
			switch kind {
			case "article":
				i := strings.LastIndexByte(ref, '/')
				var a *news.Article
				a, err = s.ArticleByPath(ctx, store.Full, ref[1:i], ref[i+1:])
				if a != nil {
					key = news.ArticleKey(a.ID)
				}
			case "section":
				var x news.Section
				x, err = s.SectionByPath(ctx, ref)
				key = news.SectionKey(x.ID)
			case "tag":
				var x news.Tag
				x, err = s.TagBySlug(ctx, ref)
				key = news.TagKey(x.ID)
			case "author":
				var x news.Author
				x, err = s.AuthorBySlug(ctx, ref)
				key = news.AuthorKey(x.ID)
			}
			if err != nil {
				t.Fatalf("%s %s: %v", kind, ref, err)
			}
			return key
		}
		treaty := id("article", "/news/europe/negotiators-agree-on-river-treaty")
		monsoon := id("article", "/news/asia/monsoon-arrives-early-in-the-delta")
		cup := id("article", "/sport/harbour-club-wins-the-cup")
		budget := id("article", "/news/council-budget-drops-fish-chips-tax")
		secretDraft := id("article", "/news/europe/secret-draft-about-the-treaty")
		newsSec, europe := id("section", "news"), id("section", "news/europe")
		rivers, diplomacy := id("tag", "rivers"), id("tag", "diplomacy")
		ilse, afp := id("author", "ilse-fontaine"), id("author", "afp")

		_, _, home := headersOf(t, srv, "/")
		asset := regexp.MustCompile(`/static/style\.[0-9a-f]+\.css`).FindString(home)
		if asset == "" {
			t.Fatal("no stylesheet on the home page")
		}

		tests := []struct {
			path   string
			status int
			cc     string
			want   []string // among the keys; nil: no keys at all
			not    []string
		}{
			{"/", 200, ccKeyed, []string{news.KeyHome, news.KeyLayout, news.KeySite, treaty, cup, ilse}, []string{secretDraft, news.KeySitemap}},
			{"/news/europe/negotiators-agree-on-river-treaty", 200, ccKeyed,
				[]string{treaty, europe, rivers, diplomacy, ilse, afp, news.KeyLayout, news.KeySite},
				[]string{newsSec, news.KeyHome, cup, secretDraft}},
			{"/news/", 200, ccKeyed, []string{newsSec, treaty, monsoon, budget, news.KeyLayout}, []string{cup, europe, news.KeyHome}},
			{"/news/europe/", 200, ccKeyed, []string{europe, treaty}, []string{budget, secretDraft}},
			{"/tag/rivers", 200, ccKeyed, []string{rivers, treaty, ilse, news.KeyLayout}, []string{cup, budget}},
			{"/author/ilse-fontaine", 200, ccKeyed, []string{ilse, treaty, budget, news.KeyLayout}, []string{cup}},
			{"/feed.json", 200, ccKeyed, []string{news.KeyHome, treaty, cup, news.KeySite}, []string{news.KeyLayout, secretDraft}},
			{"/news/europe/atom.xml", 200, ccKeyed, []string{europe, treaty, rivers, diplomacy}, []string{cup, news.KeyLayout}},
			{"/tag/rivers/rss.xml", 200, ccKeyed, []string{rivers, treaty, diplomacy, afp}, []string{cup}},
			{"/author/ilse-fontaine/feed.json", 200, ccKeyed, []string{ilse, treaty, budget}, []string{cup}},
			{"/sitemap.xml", 200, ccKeyed, []string{news.KeySitemap, news.KeySite}, []string{news.KeyLayout, treaty}},
			{"/sitemaps/pages.xml", 200, ccKeyed, []string{news.KeySitemap}, nil},
			{"/sitemaps/articles-1.xml", 200, ccKeyed, []string{news.KeySitemap}, nil},
			{"/news/europe/no-such-story", 404, ccKeyed, []string{news.KeyMissing, news.KeyLayout}, []string{europe}},
			{"/news", 301, ccKeyed, []string{news.KeyMissing}, nil},
			// Search results depend on every article: no keys, kept briefly.
			{"/search?q=treaty", 200, ccShort, nil, nil},
			{"/news-sitemap.xml", 200, ccShort, nil, nil},
			{asset, 200, "public, max-age=31536000, immutable", nil, nil},
		}
		for _, tt := range tests {
			status, h, body := headersOf(t, srv, tt.path)
			if status != tt.status {
				t.Errorf("GET %s: status %d, want %d\n%.300s", tt.path, status, tt.status, body)
				continue
			}
			if got := h.Get("Cache-Control"); got != tt.cc {
				t.Errorf("GET %s: Cache-Control %q, want %q", tt.path, got, tt.cc)
			}
			sk, ct := h.Get("Surrogate-Key"), h.Get("Cache-Tag")
			if tt.want == nil {
				if sk != "" || ct != "" {
					t.Errorf("GET %s: got keys %q, want none", tt.path, sk)
				}
				continue
			}
			if ct != strings.ReplaceAll(sk, " ", ",") {
				t.Errorf("GET %s: Cache-Tag %q is not Surrogate-Key %q with commas", tt.path, ct, sk)
			}
			keys := strings.Fields(sk)
			for _, k := range tt.want {
				if !slices.Contains(keys, k) {
					t.Errorf("GET %s: Surrogate-Key %q lacks %s", tt.path, sk, k)
				}
			}
			for _, k := range tt.not {
				if slices.Contains(keys, k) {
					t.Errorf("GET %s: Surrogate-Key %q names %s", tt.path, sk, k)
				}
			}
			if len(news.PurgeKeys(keys)) != len(keys) {
				t.Errorf("GET %s: Surrogate-Key %q repeats a key or holds a word that is not one", tt.path, sk)
			}
		}
	})
}

// TestCacheControlWithoutPurgeHook: with nothing to purge a CDN, a CDN may
// keep a page no longer than a browser, and readers are not sent keys no
// one will use.
func TestCacheControlWithoutPurgeHook(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv := cdnSite(t, s, "")
		for _, p := range []string{"/", "/news/europe/negotiators-agree-on-river-treaty", "/rss.xml", "/sitemap.xml"} {
			_, h, _ := headersOf(t, srv, p)
			if got := h.Get("Cache-Control"); got != ccShort {
				t.Errorf("GET %s: Cache-Control %q, want %q", p, got, ccShort)
			}
			if sk, ct := h.Get("Surrogate-Key"), h.Get("Cache-Tag"); sk != "" || ct != "" {
				t.Errorf("GET %s: Surrogate-Key %q, Cache-Tag %q without a purge hook; want none", p, sk, ct)
			}
		}
	})
}

// TestPurgeHook: a change seen by the watcher is POSTed to the hook with
// the keys of every page it touched (a moved story: both sections), each
// once, and a receiver that fails at first is tried again.
func TestPurgeHook(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		receiver := newPurgeReceiver(t, 1)
		srv := cdnSite(t, s, receiver.srv.URL+"/purge")
		// The page is cached by the site before the change.
		if status, _, _ := headersOf(t, srv, "/news/asia/"); status != 200 {
			t.Fatalf("/news/asia/: %d", status)
		}
		a, err := s.ArticleByPath(ctx, store.Full, "news/europe", "negotiators-agree-on-river-treaty")
		if err != nil {
			t.Fatal(err)
		}
		europe, _ := s.SectionByPath(ctx, "news/europe")
		asia, _ := s.SectionByPath(ctx, "news/asia")
		newsSec, _ := s.SectionByPath(ctx, "news")
		rivers, _ := s.TagBySlug(ctx, "rivers")
		err = s.InTx(ctx, func(tx *store.Store) error {
			a.Section = asia
			return tx.SaveArticle(ctx, a)
		})
		if err != nil {
			t.Fatal(err)
		}
		got := receiver.waitFor(t, news.ArticleKey(a.ID))
		for _, k := range []string{news.SectionKey(europe.ID), news.SectionKey(asia.ID), news.SectionKey(newsSec.ID),
			news.TagKey(rivers.ID), news.KeyHome, news.KeySitemap, news.KeyMissing} {
			if !slices.Contains(got, k) {
				t.Errorf("purge %q lacks %s", got, k)
			}
		}
		if len(news.PurgeKeys(got)) != len(got) {
			t.Errorf("purge %q repeats a key", got)
		}
		receiver.mu.Lock()
		if receiver.requests < 2 {
			t.Errorf("the receiver answered 503 first, and was asked %d times, want a retry", receiver.requests)
		}
		receiver.mu.Unlock()
		// By the time the CDN is told, the site serves the new front.
		_, h, body := headersOf(t, srv, "/news/asia/")
		if !strings.Contains(body, "Negotiators agree on river treaty") || !strings.Contains(h.Get("Surrogate-Key"), news.ArticleKey(a.ID)) {
			t.Errorf("/news/asia/ after the move lacks the story (keys %q)", h.Get("Surrogate-Key"))
		}
	})
}

// TestParsePurgeURL: --purge-url takes an absolute http(s) address.
func TestParsePurgeURL(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"", true},
		{"https://purge.example.net/hook?token=abc", true},
		{"http://user:pass@127.0.0.1:9000/purge", true},
		{"ftp://purge.example.net/", false},
		{"/purge", false},
		{"https://purge.example.net/#x", false},
	} {
		_, err := site.ParsePurgeURL(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParsePurgeURL(%q): err %v, want ok %v", tt.in, err, tt.ok)
		}
	}
}

// TestWebSubFromChangeKeys: the hub is told of the feeds a change's keys
// name: a story moved from one section to another changes the feeds of
// both, of the sections above, of its tags and authors, and the home feeds.
func TestWebSubFromChangeKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		var mu sync.Mutex
		topics := map[string]bool{}
		hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			mu.Lock()
			topics[r.PostForm.Get("hub.url")] = true
			mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
		}))
		defer hub.Close()
		cdnSite(t, s, "", hub.URL+"/hub")
		waitMarkOf(t, s, "websub", 0) // the watcher has read where the log is
		a, err := s.ArticleByPath(ctx, store.Full, "news/europe", "negotiators-agree-on-river-treaty")
		if err != nil {
			t.Fatal(err)
		}
		asia, _ := s.SectionByPath(ctx, "news/asia")
		if err := s.InTx(ctx, func(tx *store.Store) error { a.Section = asia; return tx.SaveArticle(ctx, a) }); err != nil {
			t.Fatal(err)
		}
		want := []string{"/rss.xml", "/feed.json", "/news/europe/rss.xml", "/news/asia/atom.xml", "/news/rss.xml",
			"/tag/rivers/rss.xml", "/tag/diplomacy/rss.xml", "/author/ilse-fontaine/rss.xml", "/author/afp/feed.json"}
		deadline := time.Now().Add(10 * time.Second)
		for {
			mu.Lock()
			var missing []string
			for _, p := range want {
				if !topics[distBase+p] {
					missing = append(missing, p)
				}
			}
			unwanted := topics[distBase+"/sport/rss.xml"]
			mu.Unlock()
			if unwanted {
				t.Fatalf("the hub was told of /sport/rss.xml, which did not change")
			}
			if len(missing) == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the hub was not told of %q", missing)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// TestPurgeSeesLateCommits: on PostgreSQL a change can commit after one
// with a higher id, and a late change and a newer one can both commit
// between two reads of the change log. The purge hook must name the keys
// of all, also when more newer ones than the reorder window holds land
// with it. The commits are made by hand through a connection of the
// test's own, in one transaction, so they land between the same two reads.
func TestPurgeSeesLateCommits(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		raw := storetest.RawDB(t, dsn)
		receiver := newPurgeReceiver(t, 0)
		cdnSite(t, s, receiver.srv.URL+"/purge")
		waitMark(t, s, 0) // the watcher has read the log once
		x, err := s.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		x++
		now := time.Now().UnixMicro()
		// Writer B commits x+1 while writer A holds x.
		if _, err := raw.ExecContext(ctx, `INSERT INTO changes (id, at, what) VALUES ($1, $2, $3)`, x+1, now, news.ArticleKey(9001)); err != nil {
			t.Fatal(err)
		}
		receiver.waitFor(t, news.ArticleKey(9001))
		// A commits x, and others x+2 to x+41, all before the next read:
		// more than the reorder window above x.
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		const newer = 40
		for id := x; id <= x+1+newer; id++ {
			if id == x+1 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO changes (id, at, what) VALUES ($1, $2, $3)`, id, now, news.ArticleKey(9000+id-x)); err != nil {
				t.Fatal(err)
			}
		}
		if store.IsPostgres(dsn) {
			// Ids given by hand do not move the sequence.
			if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('changes', 'id'), $1)`, x+1+newer); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		receiver.waitFor(t, news.ArticleKey(9000+1+newer))
		receiver.waitFor(t, news.ArticleKey(9002))
		receiver.waitFor(t, news.ArticleKey(9000))
	})
}

// waitMark waits until the purge hook's mark is at least id: a watcher
// that has read the change log once has set it.
func waitMark(t *testing.T, s *store.Store, id int64) { waitMarkOf(t, s, "purge", id) }

// waitMarkOf waits until the mark name is at least id.
func waitMarkOf(t *testing.T, s *store.Store, name string, id int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m, ok, err := s.Mark(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if ok && m >= id {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the %s mark is %d (%v), want %d or more", name, m, ok, id)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPurgeCatchesUpAfterRestart: changes made while no instance runs (an
// import from the command line during a restart, or a change that commits
// late below the last one purged, on PostgreSQL) are purged by the next
// instance to start, from the mark the last one recorded. Change rows are
// written by hand through the test's own connection, each with its own key.
func TestPurgeCatchesUpAfterRestart(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		raw := storetest.RawDB(t, dsn)
		receiver := newPurgeReceiver(t, 0)
		cfg, err := site.NewConfig(distBase, nil, "Meridian 24")
		if err != nil {
			t.Fatal(err)
		}
		cfg.PollInterval = 10 * time.Millisecond
		if cfg.PurgeURL, err = site.ParsePurgeURL(receiver.srv.URL + "/purge"); err != nil {
			t.Fatal(err)
		}
		start := func() (stop func()) {
			si, err := site.New(cfg, s, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			wctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { si.Watch(wctx); close(done) }()
			return func() { cancel(); <-done }
		}
		commit := func(id int64, key string) {
			t.Helper()
			if _, err := raw.ExecContext(ctx, `INSERT INTO changes (id, at, what) VALUES ($1, $2, $3)`, id, time.Now().UnixMicro(), key); err != nil {
				t.Fatal(err)
			}
			if store.IsPostgres(dsn) {
				if _, err := raw.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('changes', 'id'), (SELECT MAX(id) FROM changes))`); err != nil {
					t.Fatal(err)
				}
			}
		}
		x, err := s.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		x++
		stop := start()
		waitMark(t, s, 0) // the instance has read the log and set the mark
		// B commits x+1 while A holds x; the instance purges it and
		// moves its mark, then stops.
		commit(x+1, news.ArticleKey(9001))
		receiver.waitFor(t, news.ArticleKey(9001))
		waitMark(t, s, x+1)
		stop()
		// A commits x while no instance runs, and nothing newer.
		commit(x, news.ArticleKey(9000))
		stop = start()
		receiver.waitFor(t, news.ArticleKey(9000))
		stop()
		// A change while no instance runs, above the mark.
		commit(x+2, news.ArticleKey(9002))
		stop = start()
		defer stop()
		receiver.waitFor(t, news.ArticleKey(9002))
	})
}
