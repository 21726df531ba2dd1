package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// The description checked from the other side: a client generated from
// openapi.json by oapi-codegen (client_gen_test.go), a generator of its
// own with its own reading of OpenAPI 3.1 (through kin-openapi), reads every
// read route of a real server. Each answer must parse into the types the
// generator made of the description, strictly (no field the description
// does not name), with the status and headers it says.

// TestGeneratedClientIsCurrent: the client was made from the description
// as it is, and is as the generator made it; after a change to
// openapi.json, go generate ./internal/api makes it again. Both files'
// sums are recorded, so neither a description changed without the client
// nor a client edited by hand (to make a test pass, say) goes unseen.
func TestGeneratedClientIsCurrent(t *testing.T) {
	rec, err := os.ReadFile("testdata/openapi.sha256")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(rec)), "\n") {
		sum, name, _ := strings.Cut(line, "  ")
		want[name] = sum
	}
	for _, name := range []string{"openapi.json", "client_gen_test.go"} {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(raw)
		if got := hex.EncodeToString(sum[:]); want[name] != got {
			t.Errorf("%s is not the one client_gen_test.go was generated from or as (sum %s, recorded %q): run go generate ./internal/api", name, got, want[name])
		}
	}
}

// strict decodes body into a T as the description reads it (readStrictly).
func strict[T any](t *testing.T, what string, body []byte) T {
	t.Helper()
	v, err := readStrictly[T](body)
	if err != nil {
		t.Errorf("%s: the answer does not read as the description's type %T: %v\n%.500s", what, v, err, body)
	}
	return v
}

// readStrictly decodes body into a T refusing what the description does
// not say: a field T lacks; a field the description requires (to which
// oapi-codegen gives no omitempty) left out; null where the description
// allows none (a field or an item that is not a pointer). encoding/json
// alone would take the last two without a word.
func readStrictly[T any](body []byte) (T, error) {
	var v T
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, err
	}
	var raw any
	if err := json.Unmarshal(body, &raw); err != nil {
		return v, err
	}
	return v, complete(reflect.TypeOf(v), raw, "")
}

// complete checks the decoded JSON value v against the generated type t:
// required fields present, null only in pointers.
func complete(t reflect.Type, v any, at string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil // read from a string or a number (time.Time)
		}
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			x, present := obj[name]
			switch {
			case !present && !strings.Contains(opts, "omitempty"):
				return fmt.Errorf("%s%s: the description requires it; the answer leaves it out", at, name)
			case !present:
			case x == nil && f.Type.Kind() != reflect.Pointer && f.Type.Kind() != reflect.Interface:
				return fmt.Errorf("%s%s: null, which the description does not allow", at, name)
			default:
				if err := complete(f.Type, x, at+name+"."); err != nil {
					return err
				}
			}
		}
	case reflect.Slice, reflect.Array:
		items, _ := v.([]any)
		for i, x := range items {
			if x == nil && t.Elem().Kind() != reflect.Pointer && t.Elem().Kind() != reflect.Interface {
				return fmt.Errorf("%s[%d]: null, which the description does not allow", at, i)
			}
			if err := complete(t.Elem(), x, fmt.Sprintf("%s[%d].", at, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		obj, _ := v.(map[string]any)
		for k, x := range obj {
			if err := complete(t.Elem(), x, at+k+"."); err != nil {
				return err
			}
		}
	}
	return nil
}

// TestReadStrictly: the strict reading refuses an answer that leaves out
// a field the description requires, or sends null where it allows none,
// which a plain decoding into the generated types takes silently.
func TestReadStrictly(t *testing.T) {
	full := `{"id":3,"name":"Sea","slug":"sea","url":"https://news.example.org/tag/sea","articles":4}`
	if _, err := readStrictly[Tag]([]byte(full)); err != nil {
		t.Errorf("a whole tag: %v", err)
	}
	if _, err := readStrictly[Tag]([]byte(`{"id":3,"name":"Sea","slug":"sea","url":"https://news.example.org/tag/sea"}`)); err != nil {
		t.Errorf("a tag without its optional count: %v", err)
	}
	for _, body := range []string{
		`{"id":3,"name":"Sea","slug":"sea"}`,
		`{"id":3,"name":null,"slug":"sea","url":"https://news.example.org/tag/sea"}`,
		`{"id":3,"name":"Sea","slug":"sea","url":"https://news.example.org/tag/sea","extra":1}`,
		`{"tags":[` + full + `,null]}`,
		`{"tags":[{"id":3}]}`,
	} {
		var err error
		if strings.HasPrefix(body, `{"tags"`) {
			_, err = readStrictly[TagList]([]byte(body))
		} else {
			_, err = readStrictly[Tag]([]byte(body))
		}
		if err == nil {
			t.Errorf("%s: read, want refused", body)
		}
	}
}

// bareTypes sends the generated client's requests and hands it each
// answer's media type without its parameters: where an operation has two
// media types for one status (JSON and ninjs), the generated code compares
// the Content-Type whole, and "application/json; charset=utf-8" is not
// "application/json" to it, though it is the same media type.
type bareTypes struct{}

func (bareTypes) Do(req *http.Request) (*http.Response, error) {
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if mt, _, err := mime.ParseMediaType(res.Header.Get("Content-Type")); err == nil {
		res.Header.Set("Content-Type", mt)
	}
	return res, nil
}

// answered checks a generated client's call: no error (the body parsed
// into the type of its status), the status wanted.
func answered(t *testing.T, what string, res interface{ StatusCode() int }, err error, want int) bool {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return false
	}
	if res.StatusCode() != want {
		t.Errorf("%s: status %d, want %d", what, res.StatusCode(), want)
		return false
	}
	return true
}

func TestGeneratedClientReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv, arts := readSite(t, s)
		c, err := NewClientWithResponses(srv.URL, WithHTTPClient(bareTypes{}))
		if err != nil {
			t.Fatal(err)
		}
		strike := arts["strike"]
		ninjs := ListArticlesParamsFormat("ninjs")
		perPage := 2

		// The list, page by page through next_cursor, newest first; the
		// draft never.
		var ids []int
		p := &ListArticlesParams{PerPage: &perPage}
		for range 5 {
			res, err := c.ListArticlesWithResponse(ctx, p)
			if !answered(t, "GET /api/v1/articles", res, err, http.StatusOK) || res.JSON200 == nil {
				t.FailNow()
			}
			strict[ArticleList](t, "GET /api/v1/articles", res.Body)
			if h := res.Headers200; h == nil || h.ETag == nil || *h.ETag == "" {
				t.Errorf("a list's ETag header is not read: %+v", h)
			}
			for _, a := range res.JSON200.Articles {
				ids = append(ids, a.Id)
			}
			if res.JSON200.NextCursor == nil {
				break
			}
			p.Cursor = res.JSON200.NextCursor
		}
		want := []int{int(arts["parade"].ID), int(arts["cup"].ID), int(arts["return"].ID), int(arts["budget"].ID), int(strike.ID)}
		if fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Errorf("the list through the client: %v, want %v", ids, want)
		}
		section := "news"
		res, err := c.ListArticlesWithResponse(ctx, &ListArticlesParams{Section: &section, Format: &ninjs})
		if answered(t, "GET /api/v1/articles?format=ninjs", res, err, http.StatusOK) {
			if res.ApplicationninjsJSON200 == nil || len(res.ApplicationninjsJSON200.Articles) != 2 {
				t.Errorf("the ninjs list: %.300s", res.Body)
			}
		}
		bad := "nowhere"
		res, err = c.ListArticlesWithResponse(ctx, &ListArticlesParams{Section: &bad})
		if answered(t, "GET /api/v1/articles?section=nowhere", res, err, http.StatusBadRequest) && (res.JSON400 == nil || res.JSON400.Error.Code != "invalid") {
			t.Errorf("a refused parameter: %.300s", res.Body)
		}

		// One article, as JSON and as ninjs; again with its ETag: 304.
		one, err := c.GetArticleWithResponse(ctx, int(strike.ID), nil)
		if answered(t, "GET /api/v1/articles/{id}", one, err, http.StatusOK) {
			a := strict[Article](t, "GET /api/v1/articles/{id}", one.Body)
			if a.Id != int(strike.ID) || a.Photo == nil || len(a.Photo.Variants) < 2 || len(a.Corrections) != 1 || a.Url != "https://news.example.org/news/europe/ferry-strike-ends" {
				t.Errorf("the article through the client: %+v", a)
			}
			if h := one.Headers200; h == nil || h.ETag == nil {
				t.Errorf("the article's ETag header is not read: %+v", h)
			} else {
				again, err := c.GetArticleWithResponse(ctx, int(strike.ID), &GetArticleParams{IfNoneMatch: h.ETag})
				answered(t, "GET /api/v1/articles/{id} with its ETag", again, err, http.StatusNotModified)
			}
		}
		nj, err := c.GetArticleWithResponse(ctx, int(strike.ID), &GetArticleParams{Format: (*GetArticleParamsFormat)(&ninjs)})
		if answered(t, "GET /api/v1/articles/{id}?format=ninjs", nj, err, http.StatusOK) {
			if n := nj.ApplicationninjsJSON200; n == nil || n.Pubstatus == nil || *n.Pubstatus != "usable" || n.AdditionalProperties["bodies"] == nil {
				t.Errorf("the ninjs item through the client: %.300s", nj.Body)
			}
		}
		missing, err := c.GetArticleWithResponse(ctx, int(arts["secret"].ID), nil)
		if answered(t, "GET /api/v1/articles/{id} of a draft", missing, err, http.StatusNotFound) && missing.JSON404 == nil {
			t.Errorf("a draft: %.300s", missing.Body)
		}

		// By address.
		lk, err := c.LookupArticleWithResponse(ctx, &LookupArticleParams{Path: "/news/europe/ferry-strike-ends"})
		if answered(t, "GET /api/v1/lookup", lk, err, http.StatusOK) && strict[Article](t, "GET /api/v1/lookup", lk.Body).Id != int(strike.ID) {
			t.Errorf("lookup: %.300s", lk.Body)
		}

		// The catalogue, the site, search, the description itself.
		secs, err := c.ListSectionsWithResponse(ctx, nil)
		if answered(t, "GET /api/v1/sections", secs, err, http.StatusOK) {
			tree := strict[SectionTree](t, "GET /api/v1/sections", secs.Body)
			if len(tree.Sections) != 2 || tree.Sections[0].Path != "news" || len(tree.Sections[0].Sections) != 1 {
				t.Errorf("sections: %+v", tree)
			}
		}
		tags, err := c.ListTagsWithResponse(ctx, nil)
		if answered(t, "GET /api/v1/tags", tags, err, http.StatusOK) {
			l := strict[TagList](t, "GET /api/v1/tags", tags.Body)
			if len(l.Tags) != 1 || l.Tags[0].Articles == nil || *l.Tags[0].Articles != 4 {
				t.Errorf("tags: %+v", l)
			}
		}
		authors, err := c.ListAuthorsWithResponse(ctx, nil)
		if answered(t, "GET /api/v1/authors", authors, err, http.StatusOK) && len(strict[AuthorList](t, "GET /api/v1/authors", authors.Body).Authors) != 2 {
			t.Errorf("authors: %.300s", authors.Body)
		}
		pages, err := c.ListPagesWithResponse(ctx, nil)
		if answered(t, "GET /api/v1/pages", pages, err, http.StatusOK) {
			l := strict[PageList](t, "GET /api/v1/pages", pages.Body)
			if len(l.Pages) != 1 || l.Pages[0].Url != "https://news.example.org/about" {
				t.Errorf("pages: %+v", l)
			}
		}
		site, err := c.GetSiteWithResponse(ctx, nil)
		if answered(t, "GET /api/v1/site", site, err, http.StatusOK) {
			st := strict[Site](t, "GET /api/v1/site", site.Body)
			if st.Name != "Harbour Times" || len(st.Mirrors) != 1 {
				t.Errorf("site: %+v", st)
			}
		}
		q := "ferry"
		found, err := c.SearchWithResponse(ctx, &SearchParams{Q: &q})
		if answered(t, "GET /api/v1/search", found, err, http.StatusOK) && strict[SearchAnswer](t, "GET /api/v1/search", found.Body).Total == 0 {
			t.Errorf("search: %.300s", found.Body)
		}
		doc, err := c.GetOpenAPIWithResponse(ctx)
		if answered(t, "GET /api/v1/openapi.json", doc, err, http.StatusOK) && (doc.JSON200 == nil || (*doc.JSON200)["openapi"] != "3.1.0") {
			t.Errorf("the description: %.100s", doc.Body)
		}
	})
}

// TestGeneratedClientWrites: the write API through the generated client,
// with a token: a draft made, changed at its revision (and refused at a
// stale one), published and corrected, each answer read into the
// description's types.
func TestGeneratedClientWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newWriteFixture(t, s, api.Limits{})
		secret, _ := f.token(news.Editor, "generated-client", time.Time{}, news.ScopeWriteArticles, news.ScopePublish)
		bearer := WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+secret)
			return nil
		})
		c, err := NewClientWithResponses(f.srv.URL, WithHTTPClient(bareTypes{}), bearer)
		if err != nil {
			t.Fatal(err)
		}
		headline, body, section := "Ferries run again", "The first boat left at six.", "news/europe"
		made, err := c.CreateArticleWithResponse(ctx, ArticleInput{Headline: &headline, Body: &body, Section: &section})
		if !answered(t, "POST /api/v1/articles", made, err, http.StatusCreated) || made.JSON201 == nil {
			t.FailNow()
		}
		a := strict[EditorialArticle](t, "POST /api/v1/articles", made.Body)
		if a.Status != "draft" || a.Revision != 1 || a.Section != section {
			t.Errorf("created: %+v", a)
		}
		summary := "Services resume."
		stale, err := c.PatchArticleWithResponse(ctx, a.Id, &PatchArticleParams{IfMatch: `"7"`}, ArticleInput{Summary: &summary})
		if answered(t, "PATCH at a stale revision", stale, err, http.StatusPreconditionFailed) && (stale.JSON412 == nil || stale.JSON412.Error.Code != "precondition_failed") {
			t.Errorf("a stale PATCH: %.300s", stale.Body)
		}
		changed, err := c.PatchArticleWithResponse(ctx, a.Id, &PatchArticleParams{IfMatch: `"1"`}, ArticleInput{Summary: &summary})
		if answered(t, "PATCH", changed, err, http.StatusOK) && strict[EditorialArticle](t, "PATCH", changed.Body).Summary != summary {
			t.Errorf("patched: %.300s", changed.Body)
		}
		pub, err := c.PublishArticleWithResponse(ctx, a.Id, nil)
		if answered(t, "POST .../publish", pub, err, http.StatusOK) {
			if p := strict[EditorialArticle](t, "POST .../publish", pub.Body); p.Status != "published" || p.Url == nil {
				t.Errorf("published: %+v", p)
			}
		}
		cor, err := c.CorrectArticleWithResponse(ctx, a.Id, nil, CorrectionInput{Text: "The first boat left at seven."})
		if answered(t, "POST .../corrections", cor, err, http.StatusCreated) && len(strict[EditorialArticle](t, "POST .../corrections", cor.Body).Corrections) != 1 {
			t.Errorf("corrected: %.300s", cor.Body)
		}
	})
}
