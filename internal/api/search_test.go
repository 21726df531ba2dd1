package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

var ctx = context.Background()

// answer is the search answer as an app reads it.
type answer struct {
	Query   string   `json:"query"`
	Ignored []string `json:"ignored"`
	Total   int      `json:"total"`
	More    bool     `json:"more"`
	Page    int      `json:"page"`
	PerPage int      `json:"per_page"`
	Pages   int      `json:"pages"`
	Prev    string   `json:"prev"`
	Next    string   `json:"next"`
	Results []struct {
		ID           int64   `json:"id"`
		URL          string  `json:"url"`
		Headline     string  `json:"headline"`
		HeadlineHTML string  `json:"headline_html"`
		Snippet      string  `json:"snippet"`
		SnippetHTML  string  `json:"snippet_html"`
		Score        float64 `json:"score"`
		Section      struct {
			Path string `json:"path"`
			URL  string `json:"url"`
		} `json:"section"`
		Bylines     []json.RawMessage `json:"bylines"`
		PublishedAt time.Time         `json:"published_at"`
	} `json:"results"`
}

type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"error"`
}

func newAPI(t *testing.T, s *store.Store) *httptest.Server {
	t.Helper()
	day := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	err := s.InTx(ctx, func(tx *store.Store) error {
		for i, st := range []struct {
			path, headline, body string
			status               news.Status
		}{
			{"news/europe", "Harbour <wall> & the storm", "The harbour wall held through the night.", news.Published},
			{"news/asia", "Typhoon reaches the harbour", "Boats sheltered in the harbour.", news.Published},
			{"sport", "Harbour Rovers win", "The harbour club won 2-0.", news.Published},
			{"news/europe", "Harbour plans leaked", "A draft about the harbour.", news.Draft},
		} {
			sec, err := tx.EnsureSectionPath(ctx, st.path)
			if err != nil {
				return err
			}
			a := &news.Article{Headline: st.headline, Slug: news.Slugify(st.headline), Section: sec, Status: st.status,
				Body: st.body, BodyHTML: "<p>" + st.body + "</p>"}
			if st.status == news.Published {
				a.PublishedAt = day.Add(time.Duration(i) * time.Hour)
			}
			if err := tx.SaveArticle(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://news.example.org")
	srv := httptest.NewServer(api.New(api.Config{BaseURL: base}, s, nil).Handler())
	t.Cleanup(srv.Close)
	return srv
}

// call fetches path and decodes the JSON answer into v, checking the
// status and that the answer is JSON.
func call(t *testing.T, srv *httptest.Server, method, path string, wantStatus int, v any) http.Header {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != wantStatus {
		t.Errorf("%s %s: status %d, want %d; body %s", method, path, res.StatusCode, wantStatus, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Errorf("%s %s: not JSON: %v\n%s", method, path, err, body)
	}
	return res.Header
}

func TestSearchAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv := newAPI(t, s)

		var a answer
		h := call(t, srv, "GET", "/api/v1/search?q=harbour", http.StatusOK, &a)
		if h.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("CORS header %q, want *", h.Get("Access-Control-Allow-Origin"))
		}
		if a.Query != "harbour" || a.Total != 3 || len(a.Results) != 3 || a.More || a.Page != 1 || a.Pages != 1 {
			t.Fatalf("q=harbour: %+v; want the 3 published stories on one page", a)
		}
		top := a.Results[0]
		for _, r := range a.Results {
			if strings.Contains(r.Headline, "wall") {
				top = r
			}
		}
		// Every character of the headline is escaped before the marks are
		// added.
		if top.Headline != "Harbour <wall> & the storm" ||
			top.HeadlineHTML != "<mark>Harbour</mark> &lt;wall&gt; &amp; the storm" {
			t.Errorf("first result %q / %q", top.Headline, top.HeadlineHTML)
		}
		if top.URL != "https://news.example.org/news/europe/harbour-wall-the-storm" || top.Section.Path != "news/europe" ||
			top.Section.URL != "https://news.example.org/news/europe/" || len(top.Bylines) != 0 || top.PublishedAt.IsZero() {
			t.Errorf("first result %+v", top)
		}
		if !strings.Contains(top.SnippetHTML, "<mark>harbour</mark>") || strings.Contains(top.Snippet, "<mark>") {
			t.Errorf("snippet %q / %q", top.Snippet, top.SnippetHTML)
		}
		for i := 1; i < len(a.Results); i++ {
			if a.Results[i].Score > a.Results[i-1].Score {
				t.Errorf("results out of order: %v then %v", a.Results[i-1].Score, a.Results[i].Score)
			}
		}
		for _, r := range a.Results {
			if strings.Contains(r.Headline, "leaked") {
				t.Errorf("a draft in public results: %q", r.Headline)
			}
		}

		// Filters and pages.
		call(t, srv, "GET", "/api/v1/search?q=harbour&section=news", http.StatusOK, &a)
		if a.Total != 2 {
			t.Errorf("section news (and its subsections): total %d, want 2", a.Total)
		}
		call(t, srv, "GET", "/api/v1/search?q=harbour&to=2026-10-31", http.StatusOK, &a)
		if a.Total != 0 || a.Results == nil {
			t.Errorf("before the stories: %+v, want none (and an empty list, not null)", a)
		}
		var p1, p2, p3 answer
		call(t, srv, "GET", "/api/v1/search?q=harbour&per_page=2", http.StatusOK, &p1)
		if len(p1.Results) != 2 || p1.Pages != 2 || p1.Prev != "" ||
			p1.Next != "https://news.example.org/api/v1/search?page=2&per_page=2&q=harbour" {
			t.Errorf("page 1 of 2: %d results, pages %d, prev %q, next %q", len(p1.Results), p1.Pages, p1.Prev, p1.Next)
		}
		call(t, srv, "GET", "/api/v1/search?q=harbour&per_page=2&page=2", http.StatusOK, &p2)
		if len(p2.Results) != 1 || p2.Next != "" || p2.Prev != "https://news.example.org/api/v1/search?page=1&per_page=2&q=harbour" {
			t.Errorf("page 2 of 2: %d results, prev %q, next %q", len(p2.Results), p2.Prev, p2.Next)
		}
		call(t, srv, "GET", "/api/v1/search?q=harbour&per_page=2&page=9", http.StatusOK, &p3)
		if len(p3.Results) != 0 || p3.Total != 3 {
			t.Errorf("past the last page: %d results, total %d", len(p3.Results), p3.Total)
		}
		seen := map[int64]bool{}
		for _, r := range append(p1.Results, p2.Results...) {
			if seen[r.ID] {
				t.Errorf("story %d on both pages", r.ID)
			}
			seen[r.ID] = true
		}

		// Empty and hostile queries: always an answer, never an error.
		for _, q := range []string{"", " ", `"`, `NEAR(harbour`, `harbour*`, `^harbour`, `headline:harbour`, `harbour & !x | y`,
			"\xff\xfe", "\x00", strings.Repeat("harbour ", 1500), strings.Repeat(`"(`, 3000), "the and of"} {
			var got answer
			call(t, srv, "GET", "/api/v1/search?q="+url.QueryEscape(q), http.StatusOK, &got)
			if got.Results == nil {
				t.Errorf("q=%.30q: results is null, want a list", q)
			}
		}
		call(t, srv, "GET", "/api/v1/search?q=the+and", http.StatusOK, &a)
		if a.Total != 0 || len(a.Ignored) != 2 {
			t.Errorf("common words only: total %d, ignored %q", a.Total, a.Ignored)
		}
	})
}

func TestSearchAPIErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv := newAPI(t, s)
		tests := []struct {
			method, path string
			status       int
			code, field  string
		}{
			{"GET", "/api/v1/search?q=x&from=yesterday", 400, "invalid", "from"},
			{"GET", "/api/v1/search?q=x&from=2026-02-01&to=2026-01-01", 400, "invalid", "to"},
			{"GET", "/api/v1/search?q=x&section=no-such", 400, "invalid", "section"},
			{"GET", "/api/v1/search?q=x&section=Bad%20Path", 400, "invalid", "section"},
			{"GET", "/api/v1/search?q=x&page=0", 400, "invalid", "page"},
			{"GET", "/api/v1/search?q=x&per_page=500", 400, "invalid", "per_page"},
			{"GET", "/api/v1/nothing", 404, "not_found", ""},
			{"GET", "/api/", 404, "not_found", ""},
			{"POST", "/api/v1/search?q=x", 405, "method_not_allowed", ""},
			{"DELETE", "/api/v1/search", 405, "method_not_allowed", ""},
		}
		for _, tt := range tests {
			var e apiError
			h := call(t, srv, tt.method, tt.path, tt.status, &e)
			if e.Error.Code != tt.code || e.Error.Field != tt.field || e.Error.Message == "" {
				t.Errorf("%s %s: error %+v, want code %q field %q and a message", tt.method, tt.path, e.Error, tt.code, tt.field)
			}
			if tt.status == 405 && h.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: Allow %q", tt.method, tt.path, h.Get("Allow"))
			}
		}
	})
}
