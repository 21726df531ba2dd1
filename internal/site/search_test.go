package site_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// newSearchSite is the sample newsroom with the test fixtures, served with
// five results to a page so that a few dozen stories make several pages.
func newSearchSite(t *testing.T, s *store.Store) testSite {
	t.Helper()
	ts := newTestSite(t, s) // imports the sample newsroom and the fixtures
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	cfg, err := site.NewConfig("https://news.example.org", nil, "Meridian 24")
	if err != nil {
		t.Fatal(err)
	}
	cfg.PageSize = 5
	si, err := site.New(cfg, s, ms, nil)
	if err != nil {
		t.Fatal(err)
	}
	watchCtx, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	go si.Watch(watchCtx)
	srv := httptest.NewServer(si.Handler())
	t.Cleanup(srv.Close)
	ts.srv = srv
	return ts
}

var (
	resultLink = regexp.MustCompile(`<h2><a href="(/[^"]+)">`)
	countLine  = regexp.MustCompile(`<p class="search-count" role="status">([^<]*)`)
)

func TestSearchPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ts := newSearchSite(t, s)
		pages := map[string][]byte{}
		get := func(path string, wantStatus int) string {
			t.Helper()
			status, h, body := ts.get(t, path)
			if status != wantStatus {
				t.Errorf("GET %s: status %d, want %d", path, status, wantStatus)
			}
			if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("GET %s: Content-Type %q", path, ct)
			}
			pages[path] = []byte(body)
			return body
		}

		// Every page has the search box, labelled.
		home := get("/", http.StatusOK)
		mustContain(t, "home", home, `<form class="site-search" action="/search" method="get" role="search"`,
			`<label for="site-search-q" class="visually-hidden">Search stories</label>`, `<input id="site-search-q" type="search" name="q"`)

		empty := get("/search", http.StatusOK)
		mustContain(t, "/search", empty, `<h1>Search</h1>`, `<input id="search-q" type="search" name="q" value=""`,
			`<option value="news/europe">– Europe</option>`, `Latest stories`, `<meta name="robots" content="noindex, follow">`)
		mustNotContain(t, "/search", empty, `rel="canonical"`)

		// A word in the fixture's headline: found and marked; the draft
		// about the same treaty is not.
		found := get("/search?q=treaty", http.StatusOK)
		mustContain(t, "/search?q=treaty", found, `<h2><a href="`+articlePath+`">Negotiators agree on river <mark>treaty</mark> after all-night talks</a></h2>`,
			`<input id="search-q" type="search" name="q" value="treaty"`, `<title>“treaty”: search | Meridian 24</title>`)
		mustNotContain(t, "/search?q=treaty", found, "Secret draft", "Not for readers")
		if m := countLine.FindStringSubmatch(found); m == nil || !strings.HasPrefix(m[1], "3 stories") {
			t.Errorf("/search?q=treaty: count line %q, want 3 stories (the fixture and two sample ones)", m)
		}

		// Stems and phrases.
		mustContain(t, "agreeing", get("/search?q=agreeing", http.StatusOK), `<mark>agree</mark>`)
		phrase := get("/search?q=%22river+treaty%22", http.StatusOK)
		mustContain(t, "a phrase", phrase, `<mark>river treaty</mark>`, `1 story`)

		// Filters: section (with subsections) and dates.
		mustContain(t, "in news", get("/search?q=treaty&section=news", http.StatusOK), articlePath, `<option value="news" selected>News</option>`)
		none := get("/search?q=treaty&section=sport", http.StatusOK)
		mustContain(t, "in sport", none, `No stories match “treaty”`, `Search all sections and dates</a>`, `href="/search?q=treaty"`)
		mustContain(t, "dated", get("/search?q=treaty&from=2026-11-27&to=2026-11-27", http.StatusOK), articlePath, `value="2026-11-27"`)
		mustNotContain(t, "dated before", get("/search?q=treaty&to=2026-11-26", http.StatusOK), articlePath)

		// Nothing found: advice, sections to browse, the latest stories.
		nothing := get("/search?q=%22zebra+crossing%22+xylophone", http.StatusOK)
		mustContain(t, "nothing", nothing, `No stories match`, `leave out the quotes`, `Browse the sections`, `Latest stories`)

		// Filters that mean nothing: said on the page, with a 400.
		bad := get("/search?q=treaty&from=yesterday", http.StatusBadRequest)
		mustContain(t, "a bad date", bad, `role="alert">from: &#34;yesterday&#34; is not a date`)
		mustContain(t, "no such section", get("/search?q=treaty&section=no-such-section", http.StatusBadRequest), `There is no section`)
		get("/search?q=treaty&page=0", http.StatusBadRequest)

		// Common words alone search for nothing, and say so.
		mustContain(t, "the", get("/search?q=the+and+of", http.StatusOK), `holds no words to search for`, `Very common words are left out`)

		// Pagination: pages of five that do not overlap, with links.
		seen := map[string]int{}
		for page := 1; page <= 3; page++ {
			body := get(fmt.Sprintf("/search?q=said&page=%d", page), http.StatusOK)
			links := resultLink.FindAllStringSubmatch(body, -1)
			if len(links) != 5 {
				t.Errorf("page %d of said: %d results, want 5", page, len(links))
			}
			for _, l := range links {
				if p, dup := seen[l[1]]; dup {
					t.Errorf("%s is on page %d and on page %d", l[1], p, page)
				}
				seen[l[1]] = page
			}
			prev := `href="/search?q=said" rel="prev"`
			if page > 2 {
				prev = fmt.Sprintf(`href="/search?page=%d&amp;q=said" rel="prev"`, page-1)
			}
			if page > 1 {
				mustContain(t, "said, page "+fmt.Sprint(page), body, prev, fmt.Sprintf(`<ol class="search-results" start="%d">`, (page-1)*5+1))
			}
			mustContain(t, "said, page "+fmt.Sprint(page), body, fmt.Sprintf(`href="/search?page=%d&amp;q=said" rel="next"`, page+1))
		}
		mustContain(t, "past the end", get("/search?q=said&page=999", http.StatusOK), "No more results", `Back to the first page`)

		// Whatever the input, a page: never a 500, and nothing of the
		// input reaches the page unescaped.
		hostile := []string{`<script>alert(1)</script>`, `"`, `"""`, `NEAR(treaty`, `treaty*`, `^treaty`, `headline:treaty`,
			`treaty & !talks | x`, `%ff%fe`, strings.Repeat("treaty ", 1500), strings.Repeat(`"(`, 3000), "\x00treaty"}
		for _, q := range hostile {
			path := "/search?q=" + url.QueryEscape(q)
			if strings.HasPrefix(q, "%") {
				path = "/search?q=" + q
			}
			body := get(path, http.StatusOK)
			mustNotContain(t, fmt.Sprintf("q=%.30q", q), body, "<script>alert", "</mark><mark")
		}
		xss := get("/search?q="+url.QueryEscape(`treaty <b>bold</b>`), http.StatusOK)
		mustContain(t, "markup in the query", xss, `value="treaty &lt;b&gt;bold&lt;/b&gt;"`)
		mustNotContain(t, "markup in the query", xss, "<b>bold")

		// Search answers bypass the page cache (which sets an ETag on what
		// it keeps), so made-up queries cannot push other pages out of it;
		// other pages are still cached. A CDN may keep an answer briefly.
		for i := range 2 {
			_, h, _ := ts.get(t, "/search?q=treaty")
			if h.Get("ETag") != "" {
				t.Errorf("search, request %d: ETag %q: want it not cached", i+1, h.Get("ETag"))
			}
			if cc := h.Get("Cache-Control"); !regexp.MustCompile(`\bmax-age=([1-9]|[1-9][0-9]|[1-2][0-9][0-9]|300)\b`).MatchString(cc) {
				t.Errorf("search: Cache-Control %q, want a max-age of five minutes at most", cc)
			}
		}
		if _, h, _ := ts.get(t, "/"); h.Get("ETag") == "" {
			t.Error("the home page has no ETag: want it cached")
		}

		if s.Engine() == "sqlite" {
			docs := map[string][]byte{}
			for _, p := range []string{"/search", "/search?q=treaty", "/search?q=agreeing", "/search?q=%22zebra+crossing%22+xylophone",
				"/search?q=treaty&from=yesterday", "/search?q=said&page=2", "/search?q=said&page=999", "/search?q=the+and+of",
				"/search?q=treaty&section=sport", "/search?q=" + url.QueryEscape(`<script>alert(1)</script>`)} {
				docs[p] = pages[p]
			}
			testkit.ValidateHTMLBatch(t, docs)
		}
	})
}

// TestSearchFindsNewStories checks that a story published after the page
// was first cached is found at once.
func TestSearchFindsNewStories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ts := newSearchSite(t, s)
		_, _, before := ts.get(t, "/search?q=quokka+sanctuary")
		mustContain(t, "before", before, "No stories match")
		ms, err := media.OpenStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer ms.Close()
		im := &ingest.Importer{Store: s, Media: ms}
		md := "---\ntitle: \"Quokka sanctuary opens\"\ndate: 2026-11-28T10:00:00Z\nsection: news\n---\nThe first animals arrived.\n"
		if _, err := im.ImportFile(ctx, mapFile("keepers.md", md), "keepers.md"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 5*time.Second, "the new story in the search results", func() bool {
			_, _, body := ts.get(t, "/search?q=quokka+sanctuary")
			return strings.Contains(body, `<a href="/news/quokka-sanctuary-opens"><mark>Quokka</mark> <mark>sanctuary</mark> opens</a>`)
		})
	})
}

// TestSearchHostileStories: stories that hide, in a photo's alt text,
// Markdown that took goldmark time growing with the square of its length
// (issue 14: 27-54 s of CPU per search that matched one) are found and
// shown at the speed of any other. The budget is generous for a busy
// machine; before the fix each search took minutes.
func TestSearchHostileStories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ts := newSearchSite(t, s)
		ms, err := media.OpenStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer ms.Close()
		im := &ingest.Importer{Store: s, Media: ms}
		for i, pattern := range []string{"*a_", "[a](", "_*"} {
			md := fmt.Sprintf("---\ntitle: \"Ferry crossing %d resumes\"\ndate: 2026-11-28T10:00:00Z\nsection: news\n---\n"+
				"The ferry resumed its crossings ![%s](/media/ferry.jpg) on Monday.\n", i, strings.Repeat(pattern, 190000/len(pattern)))
			name := fmt.Sprintf("ferry-%d.md", i)
			if _, err := im.ImportFile(ctx, mapFile(name, md), name); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		_, _, body := ts.get(t, "/search?q=ferry+crossings")
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("the search took %v", d)
		}
		mustContain(t, "results", body, "The <mark>ferry</mark> resumed its <mark>crossings</mark> on Monday.")
	})
}
