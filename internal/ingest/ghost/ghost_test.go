package ghost

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
	"github.com/newsdesk/newsdesk/internal/news"
)

// readFile reads a fixture with Read and returns every item emitted.
func readFile(t *testing.T, name string) ([]*archive.Item, *archive.Summary, error) {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return readBytes(data)
}

func readBytes(data []byte) ([]*archive.Item, *archive.Summary, error) {
	var items []*archive.Item
	open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	sum, err := Read(context.Background(), open, func(it *archive.Item) error {
		items = append(items, it)
		return nil
	})
	return items, sum, err
}

func byID(items []*archive.Item) map[string]*archive.Item {
	m := map[string]*archive.Item{}
	for _, it := range items {
		m[it.ID] = it
	}
	return m
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// want is what one item must hold; the body is checked by fragments.
type want struct {
	kind        archive.Kind
	status      news.Status
	title, slug string
	published   time.Time
	modified    time.Time
	summary     string
	section     []archive.Term
	tags        []archive.Term
	authors     []archive.Person
	lead        *archive.Image
	seoTitle    string
	seoDesc     string
	skip        string
	oldPaths    []string
	notes       []string // each a fragment of one note
	body        []string // fragments of the HTML, in order
	notBody     []string
}

func checkItem(t *testing.T, it *archive.Item, w want) {
	t.Helper()
	if it == nil {
		t.Fatal("not emitted")
	}
	if it.Source != "ghost" {
		t.Errorf("Source = %q", it.Source)
	}
	if !strings.HasPrefix(it.At, "offset ") {
		t.Errorf("At = %q, want offset N", it.At)
	}
	if it.Skip != w.skip {
		t.Errorf("Skip = %q, want %q", it.Skip, w.skip)
	}
	if w.skip != "" {
		return
	}
	if it.Kind != w.kind || it.Status != w.status || it.Title != w.title || it.Slug != w.slug {
		t.Errorf("kind, status, title, slug = %q %q %q %q, want %q %q %q %q", it.Kind, it.Status, it.Title, it.Slug, w.kind, w.status, w.title, w.slug)
	}
	if !it.PublishedAt.Equal(w.published) || !it.ModifiedAt.Equal(w.modified) {
		t.Errorf("published, modified = %v %v, want %v %v", it.PublishedAt, it.ModifiedAt, w.published, w.modified)
	}
	if it.Summary != w.summary {
		t.Errorf("Summary = %q, want %q", it.Summary, w.summary)
	}
	if !reflect.DeepEqual(it.Section, w.section) {
		t.Errorf("Section = %v, want %v", it.Section, w.section)
	}
	if len(it.Tags) != 0 || len(w.tags) != 0 {
		if !reflect.DeepEqual(it.Tags, w.tags) {
			t.Errorf("Tags = %v, want %v", it.Tags, w.tags)
		}
	}
	if !reflect.DeepEqual(it.Authors, w.authors) {
		t.Errorf("Authors = %v, want %v", it.Authors, w.authors)
	}
	if !reflect.DeepEqual(it.Lead, w.lead) {
		t.Errorf("Lead = %+v, want %+v", it.Lead, w.lead)
	}
	if it.SEOTitle != w.seoTitle || it.SEODescription != w.seoDesc {
		t.Errorf("SEO = %q %q, want %q %q", it.SEOTitle, it.SEODescription, w.seoTitle, w.seoDesc)
	}
	if !reflect.DeepEqual(it.OldPaths, w.oldPaths) {
		t.Errorf("OldPaths = %v, want %v", it.OldPaths, w.oldPaths)
	}
	if len(it.Notes) != len(w.notes) {
		t.Errorf("Notes = %q, want %d like %q", it.Notes, len(w.notes), w.notes)
	} else {
		for i, n := range w.notes {
			if !strings.Contains(it.Notes[i], n) {
				t.Errorf("Notes[%d] = %q, want it to say %q", i, it.Notes[i], n)
			}
		}
	}
	rest := it.HTML
	for _, f := range w.body {
		i := strings.Index(rest, f)
		if i < 0 {
			t.Errorf("body lacks %q (in order) in\n%s", f, it.HTML)
			break
		}
		rest = rest[i+len(f):]
	}
	for _, f := range w.notBody {
		if strings.Contains(it.HTML, f) {
			t.Errorf("body has %q:\n%s", f, it.HTML)
		}
	}
}

func TestGhost3Mobiledoc(t *testing.T) {
	items, sum, err := readFile(t, "ghost3.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 5 {
		t.Fatalf("%d items, want 5", len(items))
	}
	mara := archive.Person{Slug: "mara", Name: "Mara Quist", Bio: "Covers the port."}
	got := byID(items)
	for id, w := range map[string]want{
		"5e7a0000000000000000a001": {
			kind: archive.Post, status: news.Published, title: "Harbour fees to rise", slug: "harbour-fees",
			published: date("2020-03-20T10:00:00Z"), modified: date("2020-03-21T10:30:00Z"),
			summary: "The board voted.",
			// t9 comes first by sort_order but is internal; harbour (1) before money (2).
			section:  []archive.Term{{Slug: "harbour", Name: "Harbour"}},
			tags:     []archive.Term{{Slug: "money", Name: "Money"}},
			authors:  []archive.Person{mara, {Slug: "ola-berg", Name: "Ola Berg"}},
			lead:     &archive.Image{URL: "/content/images/2020/03/board.jpg"},
			seoTitle: "Harbour fees rise 4%", seoDesc: "The board voted on Tuesday.",
			oldPaths: []string{"/harbour-fees/"},
			notes:    []string{"code injection (head)", "callout card"},
			body: []string{
				"<p>The harbour board met on <em>Tuesday</em> and <strong>voted</strong>.</p>",
				"<h2>What changes</h2>",
				"<ul><li>Fees rise by 4%</li><li><s>Night berths</s> close</li></ul>",
				"<blockquote>We had no choice,<br>said the chair.</blockquote>",
				`<figure><img src="/content/images/2020/03/harbour.jpg" alt="The harbour at dawn"><figcaption>The harbour <em>at dawn</em></figcaption></figure>`,
				"<hr>",
				`<p>A <strong>markdown</strong> card with a <a href="https://example.org/">link</a>.</p>`,
				"<table>", "<td>1</td>", "</table>",
				`<p><a href="https://example.org/minutes" rel="noopener">Minutes <code>here</code></a>.</p>`,
				"<p>https://www.youtube.com/watch?v=abc123</p>",
				"<p>Read this first</p>",
			},
			notBody: []string{"<iframe", "<p></p>"},
		},
		"5e7a0000000000000000a002": {
			kind: archive.Page, status: news.Published, title: "About us", slug: "about",
			published: date("2020-01-01T00:00:00Z"), modified: date("2020-01-02T00:00:00Z"),
			tags:     []archive.Term{{Slug: "money", Name: "Money"}}, // a page has no section
			authors:  []archive.Person{mara},
			oldPaths: []string{"/about/"},
			body:     []string{"<p>We are a small harbour paper.</p>"},
		},
		"5e7a0000000000000000a003": {
			kind: archive.Post, status: news.Draft, title: "Paid story", slug: "paid-story",
			published: date("2020-02-01T00:00:00Z"), modified: date("2020-02-01T00:00:00Z"),
			authors:  []archive.Person{mara}, // from author_id: no posts_authors row
			oldPaths: []string{"/paid-story/"},
			notes:    []string{`members only (visibility "paid")`},
		},
		"5e7a0000000000000000a004": {
			kind: archive.Post, status: news.Scheduled, title: "Next week", slug: "next-week",
			published: date("2020-03-29T08:00:00Z"), modified: date("2020-03-22T00:00:00Z"),
			authors:  []archive.Person{mara},
			oldPaths: []string{"/next-week/"},
		},
		"5e7a0000000000000000a005": {skip: "has no title"},
	} {
		t.Run(id, func(t *testing.T) { checkItem(t, got[id], w) })
	}

	wantSum := &archive.Summary{
		Source:   "ghost",
		Sections: [][]archive.Term{{{Slug: "harbour", Name: "Harbour"}}},
		Tags:     []archive.Term{{Slug: "harbour", Name: "Harbour"}, {Slug: "money", Name: "Money"}},
		OldPaths: map[string]string{
			"/rss/":             "feed:",
			"/tag/harbour/":     "tag:harbour",
			"/tag/harbour/rss/": "feed:tag:harbour",
			"/tag/money/":       "tag:money",
			"/tag/money/rss/":   "feed:tag:money",
		},
		// One post's and the site's own.
		Counts: map[string]int{"code injections": 2},
	}
	if !reflect.DeepEqual(sum, wantSum) {
		t.Errorf("summary\n got %+v\nwant %+v", sum, wantSum)
	}
}

func TestGhost5Lexical(t *testing.T) {
	items, sum, err := readFile(t, "ghost5.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("%d items, want 3", len(items))
	}
	ines := archive.Person{Slug: "ines", Name: "Ines Kalt", Bio: "Transport desk."}
	got := byID(items)
	for id, w := range map[string]want{
		"6650000000000000000b0001": {
			kind: archive.Post, status: news.Published, title: "Ferry times change", slug: "ferry-times",
			published: date("2024-05-10T09:00:00Z"), modified: date("2024-05-11T09:00:00Z"),
			summary: "New routes from June.",
			section: []archive.Term{{Slug: "transport", Name: "Transport"}},
			tags:    []archive.Term{{Slug: "summer", Name: "Summer"}},
			authors: []archive.Person{ines},
			// From posts_meta; the caption's HTML made text.
			lead:     &archive.Image{URL: "/content/images/2024/05/lead.jpg", Alt: "A ferry leaving port", Caption: "Photo: Port & Co"},
			seoTitle: "Ferry timetable 2024", seoDesc: "All the new routes.",
			oldPaths: []string{"/ferry-times/"},
			notes:    []string{"code injection (foot)", "toggle card", "email card"},
			body: []string{
				`<p>Ferry <strong><em>times</em></strong><br><a href="/timetable/">see the table</a></p>`,
				"<h3>Routes</h3>",
				"<ol><li><s>North</s></li><li><code>South</code></li></ol>",
				"<blockquote><u>Mind the gap.</u></blockquote>",
				`<figure><img src="/content/images/2024/05/ferry.jpg" alt="The ferry"><figcaption>`, "Morning run", "</figcaption></figure>",
				`<div class="gallery"><figure><img src="/content/images/2024/05/a.jpg" alt="Deck"></figure><figure><img src="/content/images/2024/05/b.jpg" alt=""><figcaption>Bridge</figcaption></figure></div>`,
				"<p>Two views</p>",
				"<p>https://example.net/ferries</p>",
				`<pre><code class="language-go">if a &lt; b { go() }</code></pre>`,
				"<table><tr><td>07:00</td></tr></table>",
				"<hr>",
				"<p>Why late?</p><p>Fog.</p>",
			},
			notBody: []string{"__GHOST_URL__", "Only for subscribers"},
		},
		"6650000000000000000b0002": {
			kind: archive.Page, status: news.Published, title: "Contact", slug: "contact",
			published: date("2024-01-01T00:00:00Z"), modified: date("2024-01-01T00:00:00Z"),
			authors:  []archive.Person{ines},
			oldPaths: []string{"/contact/"},
			// The html column wins over the (empty) lexical one.
			body: []string{`<p>Write to <a href="/desk/">the desk</a>.</p>`},
		},
		"6650000000000000000b0003": {
			kind: archive.Post, status: news.Draft, title: "Newsletter only", slug: "newsletter-only",
			published: date("2024-02-01T00:00:00Z"), modified: date("2024-02-01T00:00:00Z"),
			oldPaths: []string{"/newsletter-only/"},
			notes:    []string{"email only", `visibility "members"`},
			body:     []string{"<p>Hi</p>"},
		},
	} {
		t.Run(id, func(t *testing.T) { checkItem(t, got[id], w) })
	}
	wantCounts := map[string]int{"members": 3, "newsletters": 1, "comments": 1, "code injections": 1}
	if !reflect.DeepEqual(sum.Counts, wantCounts) {
		t.Errorf("Counts = %v, want %v", sum.Counts, wantCounts)
	}
	if len(sum.Tags) != 2 || sum.OldPaths["/tag/hash-newsletter/"] != "" {
		t.Errorf("internal tag in the summary: %v %v", sum.Tags, sum.OldPaths)
	}
}

func TestOldForm(t *testing.T) {
	// {"meta":…,"data":…} without "db", numeric ids, page as 0, dates in
	// milliseconds, no posts_authors: the form of the oldest exports.
	items, sum, err := readFile(t, "old.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	checkItem(t, items[0], want{
		kind: archive.Post, status: news.Published, title: "Old times", slug: "old-times",
		published: date("2015-01-01T00:00:00Z"), modified: date("2015-01-01T00:00:00Z"),
		section:  []archive.Term{{Slug: "archive", Name: "Archive"}},
		authors:  []archive.Person{{Slug: "first", Name: "First Editor"}},
		oldPaths: []string{"/old-times/"},
		body:     []string{"<p>Old</p>"},
	})
	if items[0].ID != "1" {
		t.Errorf("ID = %q", items[0].ID)
	}
	if len(sum.Sections) != 1 {
		t.Errorf("Sections = %v", sum.Sections)
	}
}

func TestTruncated(t *testing.T) {
	data, _ := os.ReadFile("testdata/truncated.json")
	items, sum, err := readBytes(data)
	var se *archive.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a SyntaxError", err)
	}
	// It names the start of the post it cuts through.
	at := bytes.LastIndexByte(data[:bytes.Index(data, []byte(`"6650000000000000000b0002"`))], '{')
	if se.At != offset(int64(at)) {
		t.Errorf("At = %q, want offset %d", se.At, at)
	}
	if !strings.Contains(se.Error(), "posts[1]") || !strings.Contains(se.Error(), "truncated") {
		t.Errorf("error = %q", se)
	}
	if sum != nil {
		t.Error("a summary for a broken export")
	}
	// The post before the break is emitted whole, and says that the
	// tables after the posts were never reached.
	if len(items) != 1 || items[0].Title != "Ferry times change" || items[0].Skip != "" {
		t.Fatalf("items = %v", items)
	}
	if !strings.Contains(items[0].HTML, "Routes") {
		t.Error("the first post's body is cut")
	}
	if n := items[0].Notes; len(n) == 0 || !strings.Contains(n[len(n)-1], "breaks off at "+se.At) {
		t.Errorf("notes = %q", n)
	}
}

func TestMalformed(t *testing.T) {
	data, _ := os.ReadFile("testdata/malformed.json")
	items, _, err := readBytes(data)
	var se *archive.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a SyntaxError", err)
	}
	// The missing comma is noticed at the next key.
	contact := bytes.Index(data, []byte(`"slug": "contact"`))
	bad := contact + bytes.Index(data[contact:], []byte(`"mobiledoc"`))
	if se.At != offset(int64(bad)) {
		t.Errorf("At = %q, want offset %d", se.At, bad)
	}
	if len(items) != 1 || items[0].Title != "Ferry times change" {
		t.Errorf("items = %v", items)
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		skip       string // the first item's Skip
		err        string // else Read's error
	}{
		{"title a number", `{"db":[{"data":{"posts":[{"id":"a","title":7}]}}]}`, "posts[0].title: a number where text was expected", ""},
		{"post not an object", `{"data":{"posts":[["x"]]}}`, "posts[0]: array where an object was expected", ""},
		{"no id", `{"data":{"posts":[{"title":"T"}]}}`, "has no id", ""},
		{"bad date", `{"data":{"posts":[{"id":"a","title":"T","published_at":"yesterday"}]}}`, `published_at: "yesterday" is not a date`, ""},
		{"page a string", `{"data":{"posts":[{"id":"a","title":"T","page":"yes"}]}}`, "posts[0].page: text where true or false was expected", ""},
		{"bad mobiledoc", `{"data":{"posts":[{"id":"a","title":"T","mobiledoc":"{"}]}}`, "mobiledoc: not a Mobiledoc document", ""},
		{"unknown tag and author", `{"data":{"posts":[{"id":"a","title":"T"}],"tags":[],"users":[],"posts_tags":[{"post_id":"a","tag_id":"gone"}],"posts_authors":[{"post_id":"a","author_id":"left"}]}}`, "", ""},
		{"tag name a list", `{"data":{"tags":[{"id":"t","name":[]}]}}`, "", "offset 17: tags[0].name: a list where text was expected"},
		{"posts an object", `{"data":{"posts":{}}}`, "", "offset 17: data.posts: an object where a list was expected"},
		{"no data", `{"meta":{"exported_on":1}}`, "", `no "data"`},
		{"not an object", `[1,2]`, "", "offset 0: the export is a list, not an object"},
		{"trailing data", `{"data":{}} {}`, "", "more data after the end"},
		{"empty", ``, "", "offset 0: the export ends in the middle"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, _, err := readBytes([]byte(tc.json))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("err = %v, want %q", err, tc.err)
				}
				var se *archive.SyntaxError
				if !errors.As(err, &se) {
					t.Errorf("err = %T, want a SyntaxError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.skip == "" {
				want := []string{`its tag "gone" is not among the export's tags: left out`, `its author "left" is not among the export's users: left out`}
				if len(items) != 1 || items[0].Skip != "" || !reflect.DeepEqual(items[0].Notes, want) {
					t.Errorf("items = %+v, want notes %q", items, want)
				}
				return
			}
			if len(items) != 1 || !strings.Contains(items[0].Skip, tc.skip) {
				t.Errorf("items = %+v, want one skipped for %q", items, tc.skip)
			}
		})
	}
}

func TestByteOrderMark(t *testing.T) {
	data, _ := os.ReadFile("testdata/malformed.json")
	bom := append([]byte("\xef\xbb\xbf"), data...)
	if !Sniff(bom[:512]) {
		t.Error("Sniff refuses an export with a byte order mark")
	}
	_, _, want := readBytes(data)
	items, _, err := readBytes(bom)
	var se, wantSE *archive.SyntaxError
	if !errors.As(err, &se) || !errors.As(want, &wantSE) {
		t.Fatalf("err = %v", err)
	}
	// The same break, three bytes further into the file.
	var n, wantN int64
	fmt.Sscanf(se.At, "offset %d", &n)
	fmt.Sscanf(wantSE.At, "offset %d", &wantN)
	if n != wantN+3 || len(items) != 1 {
		t.Errorf("At = %q with %d items, want offset %d and 1", se.At, len(items), wantN+3)
	}
}

func TestEmitErrorStops(t *testing.T) {
	data, _ := os.ReadFile("testdata/ghost3.json")
	stop := errors.New("disk full")
	n := 0
	_, err := Read(context.Background(), func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, func(*archive.Item) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("err = %v after %d items, want emit's own error after 1", err, n)
	}
}

func TestCanceled(t *testing.T) {
	data, _ := os.ReadFile("testdata/ghost3.json")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Read(ctx, func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, func(*archive.Item) error { t.Error("emitted after cancel"); return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestSniff(t *testing.T) {
	head := func(name string) []byte {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b[:min(len(b), 512)]
	}
	for _, tc := range []struct {
		name string
		head []byte
		want bool
	}{
		{"ghost 3", head("ghost3.json"), true},
		{"ghost 5", head("ghost5.json"), true},
		{"old form", head("old.json"), true},
		{"truncated", head("truncated.json"), true},
		{"data first", []byte(`{"db":[{"data":{"posts":[{"id":"x","html":"<p>`), true},
		{"compact", []byte(`{"db":[{"meta":{"exported_on":1716000000000,"version":"5.8`), true},
		{"json api", []byte(`{"data":{"type":"articles","id":"1"},"meta":{"total":1}}`), false},
		{"meta without exported_on", []byte(`{"meta":{"version":"1"},"data":{"items":[]}}`), false},
		{"a list", []byte(`[{"db":[]}]`), false},
		{"wordpress", []byte(`<?xml version="1.0" encoding="UTF-8" ?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">`), false},
		{"markdown", []byte("---\ntitle: x\n---\nHello"), false},
		{"empty", nil, false},
	} {
		if got := Sniff(tc.head); got != tc.want {
			t.Errorf("%s: Sniff = %v, want %v", tc.name, got, tc.want)
		}
	}
}
