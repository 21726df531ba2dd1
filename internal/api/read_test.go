package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// The OpenAPI description's schemas and IPTC's ninjs 2.1 schema, compiled
// once. OpenAPI 3.1's schemas are JSON Schema 2020-12, so each answer's
// body is checked against the schema the description gives for its path,
// status and media type.
var (
	openapiDoc map[string]any
	compiler   *jsonschema.Compiler
	ninjsValid *jsonschema.Schema
)

const openapiURL = "https://newsdesk.test/openapi.json"

func init() {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(raw, &openapiDoc); err != nil {
		panic("openapi.json: " + err.Error())
	}
	doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	compiler = jsonschema.NewCompiler()
	compiler.DefaultDraft(jsonschema.Draft2020)
	compiler.AssertFormat()
	if err := compiler.AddResource(openapiURL, doc); err != nil {
		panic(err)
	}
	ninjsRaw, err := os.ReadFile("testdata/ninjs-schema_2.1.json")
	if err != nil {
		panic(err)
	}
	ninjsDoc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(ninjsRaw))
	if err := compiler.AddResource("http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json", ninjsDoc); err != nil {
		panic(err)
	}
	// A place's geojson refers to the GeoJSON schema online; tests run
	// offline and write no places, so any value stands for it.
	if err := compiler.AddResource("https://geojson.org/schema/GeoJSON.json", true); err != nil {
		panic(err)
	}
	if ninjsValid, err = compiler.Compile("http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"); err != nil {
		panic(err)
	}
}

// describedSchema finds the schema the description gives for an answer:
// the path's operation (matched with its {params}), the status, the
// media type.
func describedSchema(t *testing.T, method, path string, status int, ctype string) *jsonschema.Schema {
	t.Helper()
	paths := openapiDoc["paths"].(map[string]any)
	for pattern, item := range paths {
		re := "^" + regexp.MustCompile(`\\\{[a-z_]+\\\}`).ReplaceAllString(regexp.QuoteMeta(pattern), `[^/]+`) + "$"
		if !regexp.MustCompile(re).MatchString(path) {
			continue
		}
		op, ok := item.(map[string]any)[strings.ToLower(method)].(map[string]any)
		if !ok {
			t.Fatalf("%s %s: the description has no %s operation", method, path, method)
		}
		resp, ok := op["responses"].(map[string]any)[itoa(status)].(map[string]any)
		if !ok {
			t.Fatalf("%s %s: status %d is not described", method, path, status)
		}
		ptr := "#/paths/" + strings.ReplaceAll(strings.ReplaceAll(pattern, "~", "~0"), "/", "~1") + "/" + strings.ToLower(method) + "/responses/" + itoa(status)
		if ref, ok := resp["$ref"].(string); ok {
			ptr = ref
			resp = openapiDoc["components"].(map[string]any)["responses"].(map[string]any)[ref[strings.LastIndex(ref, "/")+1:]].(map[string]any)
		}
		content, _ := resp["content"].(map[string]any)
		mt, _, _ := strings.Cut(ctype, ";")
		if status == 304 {
			return nil
		}
		if _, ok := content[mt]; !ok {
			t.Fatalf("%s %s %d: media type %q is not described", method, path, status, mt)
		}
		sch, err := compiler.Compile(openapiURL + ptr + "/content/" + strings.ReplaceAll(mt, "/", "~1") + "/schema")
		if err != nil {
			t.Fatalf("compiling the schema of %s %s %d: %v", method, path, status, err)
		}
		return sch
	}
	t.Fatalf("%s %s: no path of the description matches", method, path)
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// reply is an answer as the tests see it.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// get asks srv and checks the answer against the description (and, for
// ninjs, against IPTC's schema), whatever its status.
func get(t *testing.T, srv *httptest.Server, path string, header ...string) reply {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	rp := reply{res.StatusCode, res.Header, body}
	checkDescribed(t, "GET", path, rp)
	return rp
}

// checkDescribed checks an answer to method on path (with its query, if
// any) against the description, whatever its status: reads' and writes'
// alike.
func checkDescribed(t *testing.T, method, path string, rp reply) {
	t.Helper()
	u, _ := url.Parse(path)
	sch := describedSchema(t, method, u.Path, rp.status, rp.header.Get("Content-Type"))
	if sch == nil {
		return
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(rp.body))
	if err != nil {
		t.Fatalf("%s %s: not JSON: %v\n%s", method, path, err, rp.body)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("%s %s (%d): the answer does not match the description: %v\n%.2000s", method, path, rp.status, err, rp.body)
	}
	if strings.HasPrefix(rp.header.Get("Content-Type"), "application/ninjs+json") {
		var items []any
		if m, ok := v.(map[string]any); ok && m["articles"] != nil {
			items = m["articles"].([]any)
		} else {
			items = []any{v}
		}
		for _, it := range items {
			if err := ninjsValid.Validate(it); err != nil {
				t.Errorf("%s %s: not valid ninjs 2.1: %v", method, path, err)
			}
		}
	}
}

func decode[T any](t *testing.T, rp reply) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rp.body, &v); err != nil {
		t.Fatalf("decoding %s: %v", rp.body, err)
	}
	return v
}

type article struct {
	ID          int64  `json:"id"`
	URL         string `json:"url"`
	Headline    string `json:"headline"`
	BodyHTML    string `json:"body_html"`
	BodyText    string `json:"body_text"`
	Section     struct{ Path string }
	Photo       *struct{ Variants []struct{ URL string } }
	Tags        []struct{ Slug string }
	Corrections []struct{ Text string }
}

type list struct {
	Articles   []article `json:"articles"`
	NextCursor string    `json:"next_cursor"`
	Next       string    `json:"next"`
}

// readSite is a site of six stories (one a draft), a photo, a standing
// page, served by the site's host matching and page cache as serve does.
func readSite(t *testing.T, s *store.Store) (*httptest.Server, map[string]*news.Article) {
	t.Helper()
	apiH, _, arts := readHandlers(t, s)
	srv := httptest.NewServer(apiH)
	t.Cleanup(srv.Close)
	return srv, arts
}

// readHandlers builds readSite's site and returns the API as serve mounts
// it (behind the site's host matching) and the site's own handler.
func readHandlers(t testing.TB, s *store.Store) (apiH, siteH http.Handler, arts map[string]*news.Article) {
	t.Helper()
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	hash := strings.Repeat("ab", 32)
	photo := &news.Media{Hash: hash, Type: "image/jpeg", Size: 1000, Width: 1600, Height: 900, Name: "harbour.jpg"}
	arts = map[string]*news.Article{}
	err := s.InTx(ctx, func(tx *store.Store) error {
		if err := tx.SaveMedia(ctx, photo); err != nil {
			return err
		}
		ana, err := tx.EnsureAuthor(ctx, "Ana Ruiz")
		if err != nil {
			return err
		}
		afp, err := tx.EnsureAuthor(ctx, "AFP")
		if err != nil {
			return err
		}
		afp.Agency = true
		ferries, err := tx.EnsureTag(ctx, "Ferries")
		if err != nil {
			return err
		}
		for i, st := range []struct {
			key, path, headline string
			status              news.Status
		}{
			{"strike", "news/europe", "Ferry strike ends", news.Published},
			{"budget", "news", "Budget passes", news.Published},
			{"return", "news/europe", "Ferries return", news.Published},
			{"cup", "sport", "Cup final", news.Published},
			{"parade", "sport", "Cup parade", news.Published},
			{"secret", "news/europe", "Secret ferry plan", news.Draft},
		} {
			sec, err := tx.EnsureSectionPath(ctx, st.path)
			if err != nil {
				return err
			}
			a := &news.Article{Headline: st.headline, Slug: news.Slugify(st.headline), Section: sec, Status: st.status,
				Summary: "About " + st.headline, Body: "The **" + st.headline + "** story.",
				BodyHTML: `<p>The <strong>` + st.headline + `</strong> story. <a href="/news/">More</a></p>` +
					`<figure><img src="/media/ab/` + hash + `-640.jpg" alt="The harbour" loading="lazy"><figcaption>Boats</figcaption></figure>`,
				Bylines: []news.Author{ana}, Tags: []news.Tag{ferries}}
			if st.key == "cup" {
				a.Bylines = []news.Author{afp}
				a.Tags = nil
			}
			if st.key == "strike" {
				a.Photo = &news.Photo{Media: *photo, Alt: "Boats in the harbour", Caption: "The harbour at dawn", Credit: "AFP"}
			}
			if st.status == news.Published {
				a.PublishedAt = t0.Add(time.Duration(i) * time.Hour)
			}
			if err := tx.SaveArticle(ctx, a); err != nil {
				return err
			}
			arts[st.key] = a
		}
		return tx.SavePage(ctx, &news.Page{Slug: "about", Title: "About us", Status: news.Published, PublishedAt: t0,
			Body: "We report.", BodyHTML: "<p>We report. <a href=\"/contact\">Write</a></p>"}, "")
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddCorrections(ctx, arts["strike"].ID, []news.Correction{{At: t0.Add(time.Hour), Text: "It lasted two days."}}); err != nil {
		t.Fatal(err)
	}
	cfg, err := site.NewConfig("https://news.example.org", []string{"https://mirror.example.net"}, "Harbour Times")
	if err != nil {
		t.Fatal(err)
	}
	cfg.PollInterval = time.Hour
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	st, err := site.New(cfg, s, ms, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := api.New(api.Config{BaseURL: cfg.BaseURL, Site: st, PageSize: 2}, s, nil)
	return st.WithHosts(a.Handler()), st.Handler(), arts
}

func TestReadAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv, arts := readSite(t, s)

		// Pages of two, by cursor, newest first; the draft never.
		var ids []int64
		path := "/api/v1/articles"
		for range 5 {
			l := decode[list](t, get(t, srv, path))
			for _, a := range l.Articles {
				ids = append(ids, a.ID)
			}
			if l.Next == "" {
				break
			}
			if !strings.HasPrefix(l.Next, "https://news.example.org/api/v1/articles?") || l.NextCursor == "" {
				t.Fatalf("next %q, cursor %q", l.Next, l.NextCursor)
			}
			path = strings.TrimPrefix(l.Next, "https://news.example.org")
		}
		want := []int64{arts["parade"].ID, arts["cup"].ID, arts["return"].ID, arts["budget"].ID, arts["strike"].ID}
		if !equal(ids, want) {
			t.Errorf("all articles by cursor: %v, want %v", ids, want)
		}

		// Filters.
		for _, tt := range []struct {
			query string
			want  []int64
		}{
			{"section=news&per_page=50", []int64{arts["return"].ID, arts["budget"].ID, arts["strike"].ID}},
			{"section=news&subsections=false", []int64{arts["budget"].ID}},
			{"tag=ferries&per_page=50", []int64{arts["parade"].ID, arts["return"].ID, arts["budget"].ID, arts["strike"].ID}},
			{"author=afp", []int64{arts["cup"].ID}},
			{"published_since=2026-11-01T11:00:00Z&published_until=2026-11-01T12:00:00Z", []int64{arts["cup"].ID, arts["return"].ID}},
			{"published_until=2026-10-31", nil},
		} {
			l := decode[list](t, get(t, srv, "/api/v1/articles?"+tt.query))
			var got []int64
			for _, a := range l.Articles {
				got = append(got, a.ID)
			}
			if !equal(got, tt.want) {
				t.Errorf("?%s: %v, want %v", tt.query, got, tt.want)
			}
		}

		// One article, whole, on the address asked.
		strike := arts["strike"]
		one := decode[article](t, get(t, srv, "/api/v1/articles/"+itoa(int(strike.ID))))
		if one.URL != "https://news.example.org/news/europe/ferry-strike-ends" || one.BodyText != "The Ferry strike ends story." ||
			len(one.Corrections) != 1 || len(one.Tags) != 1 || one.Photo == nil || len(one.Photo.Variants) < 2 {
			t.Errorf("article: %+v", one)
		}
		for _, frag := range []string{`href="https://news.example.org/news/"`, `src="https://news.example.org/media/ab/`,
			`srcset="https://news.example.org/media/ab/`, `, https://news.example.org/media/ab/`} {
			if !strings.Contains(one.BodyHTML, frag) {
				t.Errorf("body_html lacks %s: %s", frag, one.BodyHTML)
			}
		}
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/articles/"+itoa(int(strike.ID)), nil)
		req.Host = "mirror.example.net"
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var m article
		json.NewDecoder(res.Body).Decode(&m)
		res.Body.Close()
		if !strings.HasPrefix(m.URL, "https://mirror.example.net/") || !strings.Contains(m.BodyHTML, `src="https://mirror.example.net/media/`) {
			t.Errorf("on the mirror: url %q, body %s", m.URL, m.BodyHTML)
		}

		// By address, and by an address it had before.
		if got := decode[article](t, get(t, srv, "/api/v1/lookup?path=/news/europe/ferry-strike-ends")); got.ID != strike.ID {
			t.Errorf("lookup: %d, want %d", got.ID, strike.ID)
		}
		if got := decode[article](t, get(t, srv, "/api/v1/lookup?path="+url.QueryEscape("https://news.example.org/news/europe/ferry-strike-ends"))); got.ID != strike.ID {
			t.Errorf("lookup of a whole URL: %d", got.ID)
		}

		// Not public: 404, as for nothing at all.
		for _, p := range []string{"/api/v1/articles/" + itoa(int(arts["secret"].ID)), "/api/v1/articles/99999", "/api/v1/articles/x",
			"/api/v1/lookup?path=/news/europe/secret-ferry-plan", "/api/v1/lookup?path=/nowhere"} {
			if rp := get(t, srv, p); rp.status != 404 || bytes.Contains(rp.body, []byte("Secret")) {
				t.Errorf("%s: %d %s, want 404", p, rp.status, rp.body)
			}
		}

		// ninjs, by Accept or by format, valid against IPTC's schema (get
		// checks); a list too.
		n := get(t, srv, "/api/v1/articles/"+itoa(int(strike.ID)), "Accept", "application/ninjs+json")
		if ct := n.header.Get("Content-Type"); ct != "application/ninjs+json; charset=utf-8" {
			t.Errorf("ninjs by Accept: Content-Type %q", ct)
		}
		item := decode[map[string]any](t, n)
		if item["uri"] != "tag:news.example.org,2026:article/"+itoa(int(strike.ID)) || item["type"] != "text" || item["associations"] == nil {
			t.Errorf("ninjs item: %v", item)
		}
		if rp := get(t, srv, "/api/v1/articles?format=ninjs&per_page=50"); len(decode[struct{ Articles []any }](t, rp).Articles) != 5 {
			t.Errorf("ninjs list: %.300s", rp.body)
		}
		// The JSON and the ninjs answers are two entries of the cache.
		if rp := get(t, srv, "/api/v1/articles/"+itoa(int(strike.ID))); rp.header.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("JSON after ninjs: %q", rp.header.Get("Content-Type"))
		}

		// The catalogue.
		secs := decode[map[string][]map[string]any](t, get(t, srv, "/api/v1/sections"))["sections"]
		if len(secs) != 2 || secs[0]["path"] != "news" || len(secs[0]["sections"].([]any)) != 1 {
			t.Errorf("sections: %v", secs)
		}
		tags := decode[map[string][]map[string]any](t, get(t, srv, "/api/v1/tags"))["tags"]
		if len(tags) != 1 || tags[0]["articles"].(float64) != 4 {
			t.Errorf("tags: %v (the draft's use is not counted)", tags)
		}
		authors := decode[map[string][]map[string]any](t, get(t, srv, "/api/v1/authors"))["authors"]
		if len(authors) != 2 || authors[0]["agency"] != true {
			t.Errorf("authors: %v", authors)
		}
		pages := decode[map[string][]map[string]any](t, get(t, srv, "/api/v1/pages"))["pages"]
		if len(pages) != 1 || pages[0]["url"] != "https://news.example.org/about" || !strings.Contains(pages[0]["body_html"].(string), "https://news.example.org/contact") {
			t.Errorf("pages: %v", pages)
		}
		st := decode[map[string]any](t, get(t, srv, "/api/v1/site"))
		if st["name"] != "Harbour Times" || st["language"] != "en" || len(st["mirrors"].([]any)) != 1 {
			t.Errorf("site: %v", st)
		}
	})
}

func TestReadAPICaching(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv, arts := readSite(t, s)
		p := "/api/v1/articles/" + itoa(int(arts["strike"].ID))
		first := get(t, srv, p)
		etag := first.header.Get("ETag")
		if !regexp.MustCompile(`^"[0-9a-f]{24}"$`).MatchString(etag) {
			t.Fatalf("ETag %q, want a strong tag", etag)
		}
		if cc := first.header.Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=60") {
			t.Errorf("Cache-Control %q", cc)
		}
		if first.header.Get("Access-Control-Allow-Origin") != "*" || first.header.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("CORS: %v", first.header)
		}
		if v := first.header.Get("Vary"); !strings.Contains(v, "Accept") {
			t.Errorf("Vary %q: the answer depends on Accept", v)
		}
		// A hit, then a 304 with no body.
		again := get(t, srv, p)
		if !bytes.Equal(again.body, first.body) || again.header.Get("ETag") != etag {
			t.Errorf("a second read differs")
		}
		nm := get(t, srv, p, "If-None-Match", etag)
		if nm.status != 304 || len(nm.body) != 0 {
			t.Errorf("If-None-Match: %d, %d bytes", nm.status, len(nm.body))
		}
		if rp := get(t, srv, p, "If-None-Match", `"other"`); rp.status != 200 {
			t.Errorf("another tag: %d", rp.status)
		}

		// Preflight.
		req, _ := http.NewRequest("OPTIONS", srv.URL+"/api/v1/articles", nil)
		req.Header.Set("Origin", "https://app.example.com")
		req.Header.Set("Access-Control-Request-Method", "GET")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 204 || res.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "GET") {
			t.Errorf("preflight: %d %v", res.StatusCode, res.Header)
		}
	})
}

func TestReadAPIErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv, _ := readSite(t, s)
		for _, tt := range []struct {
			path  string
			field string
		}{
			{"/api/v1/articles?section=nowhere", "section"},
			{"/api/v1/articles?section=news&subsections=maybe", "subsections"},
			{"/api/v1/articles?tag=nothing", "tag"},
			{"/api/v1/articles?author=nobody", "author"},
			{"/api/v1/articles?published_since=yesterday", "published_since"},
			{"/api/v1/articles?published_since=2026-11-02&published_until=2026-11-01", "published_until"},
			{"/api/v1/articles?sort=random", "sort"},
			{"/api/v1/articles?per_page=0", "per_page"},
			{"/api/v1/articles?cursor=bogus", "cursor"},
			// A cursor of one order is refused in the other.
			{"/api/v1/articles?sort=updated&cursor=cC4xNzYxOTg3NjAwMDAwMDAwLjM", "cursor"},
			{"/api/v1/articles?format=xml", "format"},
			{"/api/v1/lookup", "path"},
			{"/api/v1/lookup?path=news", "path"},
		} {
			rp := get(t, srv, tt.path)
			e := decode[struct {
				Error struct{ Code, Field, Message string }
			}](t, rp)
			if rp.status != 400 || e.Error.Code != "invalid" || e.Error.Field != tt.field || e.Error.Message == "" {
				t.Errorf("%s: %d %+v, want 400 invalid on %s", tt.path, rp.status, e.Error, tt.field)
			}
		}
	})
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
