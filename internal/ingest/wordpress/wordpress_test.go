package wordpress

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
	"github.com/newsdesk/newsdesk/internal/news"
)

func byID(t *testing.T, items []*archive.Item) map[string]*archive.Item {
	t.Helper()
	m := map[string]*archive.Item{}
	for _, it := range items {
		if m[it.ID] != nil {
			t.Fatalf("item %s emitted twice", it.ID)
		}
		m[it.ID] = it
	}
	return m
}

func mustRead(t *testing.T, path string) (map[string]*archive.Item, []*archive.Item, *archive.Summary) {
	t.Helper()
	items, sum, err := readFile(t, path)
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return byID(t, items), items, sum
}

func terms(pairs ...string) []archive.Term {
	var ts []archive.Term
	for i := 0; i+1 < len(pairs); i += 2 {
		ts = append(ts, archive.Term{Slug: pairs[i], Name: pairs[i+1]})
	}
	return ts
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReadBlockEditorExport(t *testing.T) {
	items, order, _ := mustRead(t, "testdata/wp6-blocks.xml")

	var ids []string
	for _, it := range order {
		ids = append(ids, it.ID)
	}
	// Guest authors, attachments and menu items are not emitted; the
	// trash, the revision and the custom type are, with Skip.
	if want := []string{"301", "302", "303", "304", "305", "306", "501", "601"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("emitted %v, want %v", ids, want)
	}

	p := items["301"]
	checks := []struct {
		name      string
		got, want any
	}{
		{"Source", p.Source, "wordpress"},
		{"Kind", p.Kind, archive.Post},
		{"At", p.At, "line 185"},
		{"Site", p.Site, "https://ledger.example.org"},
		{"Title", p.Title, "Council approves the bridge – after a long night"},
		{"Slug", p.Slug, "bridge-vote"},
		{"Status", p.Status, news.Published},
		{"PublishedAt", p.PublishedAt, date("2024-04-11T18:30:00Z")},
		{"ModifiedAt", p.ModifiedAt, date("2024-04-12T08:00:00Z")},
		{"Summary", p.Summary, "The council voted to rebuild the old bridge & its ramps."},
		// Yoast's primary category (term 7) wins over the first; its
		// parent is in the path, not among the tags.
		{"Section", p.Section, terms("news", "News", "council", "Council & Courts")},
		{"Tags", p.Tags, terms("bridge", "Bridge", "budget-2024", "Budget 2024")},
		// Co-Authors Plus replaces dc:creator: a guest author, then a
		// user found by login.
		{"Authors", p.Authors, []archive.Person{
			{Slug: "ines-varga", Name: "Ines Varga", Bio: "Freelance photographer."},
			{Slug: "tobias-fenn", Name: "Tobias Fenn", Bio: "Covers the council & the courts."},
		}},
		{"Lead", p.Lead, &archive.Image{
			URL:     "https://ledger.example.org/wp-content/uploads/2024/04/bridge-dusk.jpg",
			Alt:     "A steel bridge lit by the setting sun",
			Caption: "The old bridge at dusk, seen from the east bank.",
			Credit:  "Ines Varga/Ledger", // from the serialized image_meta
		}},
		{"SEOTitle", p.SEOTitle, "Council approves the bridge – after a long night"},
		{"SEODescription", p.SEODescription, "Seven votes to two: the bridge will be rebuilt."},
		{"OldPaths", p.OldPaths, []string{"/2024/04/11/bridge-vote/", "/?p=301"}},
		{"Notes", p.Notes, []string{"dropped the [contact-form-7] shortcode"}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("post 301 %s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	for _, want := range []string{
		"<p>https://www.youtube.com/watch?v=abc123XYZ</p>\n\n<p>The debate, in full</p>",
		"<p>https://twitter.com/riverside/status/12345</p>",
		`<figcaption class="wp-element-caption">The bridge at dusk</figcaption></figure>`,
		`<figure class="wp-block-gallery has-nested-images columns-default is-cropped">`,
		`<figcaption class="wp-element-caption">The chamber</figcaption>`,
		`<table class="results"><tr><td>Yes</td>`,
	} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("post 301 HTML lacks %q:\n%s", want, p.HTML)
		}
	}
	for _, bad := range []string{"<!-- wp:", "<!-- /wp:", "wp-block-embed__wrapper", "[contact-form-7"} {
		if strings.Contains(p.HTML, bad) {
			t.Errorf("post 301 HTML keeps %q:\n%s", bad, p.HTML)
		}
	}

	ru := items["302"]
	if ru.Slug != "новости-недели" {
		t.Errorf("non-ASCII slug = %q, want it decoded", ru.Slug)
	}
	if want := terms("news", "News", "новости", "Новости"); !reflect.DeepEqual(ru.Section, want) {
		t.Errorf("Rank Math primary category: Section = %v, want %v", ru.Section, want)
	}
	if want := terms("opinion", "Opinion"); !reflect.DeepEqual(ru.Tags, want) {
		t.Errorf("other category as tag: Tags = %v, want %v", ru.Tags, want)
	}
	if ru.SEOTitle != "Новости недели" {
		t.Errorf("Rank Math title template = %q, want the title alone", ru.SEOTitle)
	}
	if ru.SEODescription != "" {
		t.Errorf("description with an unknown variable = %q, want empty", ru.SEODescription)
	}
	if want := []string{"/2024/04/12/новости-недели/", "/?p=302"}; !reflect.DeepEqual(ru.OldPaths, want) {
		t.Errorf("OldPaths = %q, want %q", ru.OldPaths, want)
	}
	if want := []archive.Person{{Slug: "tobias-fenn", Name: "Tobias Fenn", Bio: "Covers the council & the courts."}}; !reflect.DeepEqual(ru.Authors, want) {
		t.Errorf("dc:creator author = %v, want %v", ru.Authors, want)
	}

	private := items["303"]
	if private.Status != news.Draft || len(private.Notes) != 1 || !strings.Contains(private.Notes[0], "private") {
		t.Errorf("private post: status %q notes %q, want a draft with a note", private.Status, private.Notes)
	}
	locked := items["304"]
	if locked.Status != news.Draft || len(locked.Notes) != 1 || !strings.Contains(locked.Notes[0], "password") {
		t.Errorf("password post: status %q notes %q, want a draft with a note", locked.Status, locked.Notes)
	}
	if strings.Contains(strings.Join(locked.Notes, " "), "hunter2") {
		t.Error("a note shows the post's password")
	}

	skips := map[string]string{"305": "in the trash", "306": "a revision", "501": "a tribe_events, which is not imported"}
	for id, want := range skips {
		if items[id].Skip != want {
			t.Errorf("item %s Skip = %q, want %q", id, items[id].Skip, want)
		}
	}
	for id, it := range items {
		if _, skipped := skips[id]; !skipped && it.Skip != "" {
			t.Errorf("item %s skipped: %q", id, it.Skip)
		}
	}

	page := items["601"]
	if page.Kind != archive.Page || page.Section != nil || page.Slug != "about" {
		t.Errorf("page: kind %q section %v slug %q", page.Kind, page.Section, page.Slug)
	}
	if want := []string{"/about/", "/?page_id=601"}; !reflect.DeepEqual(page.OldPaths, want) {
		t.Errorf("page OldPaths = %q, want %q", page.OldPaths, want)
	}
}

func TestReadBlockEditorSummary(t *testing.T) {
	_, _, sum := mustRead(t, "testdata/wp6-blocks.xml")
	if sum.Source != "wordpress" || sum.SiteURL != "https://ledger.example.org" {
		t.Errorf("Source %q SiteURL %q", sum.Source, sum.SiteURL)
	}
	wantSections := [][]archive.Term{
		terms("news", "News"),
		terms("news", "News", "council", "Council & Courts"),
		terms("news", "News", "новости", "Новости"),
		terms("opinion", "Opinion"),
	}
	if !reflect.DeepEqual(sum.Sections, wantSections) {
		t.Errorf("Sections = %v, want %v", sum.Sections, wantSections)
	}
	if want := terms("bridge", "Bridge", "budget-2024", "Budget 2024"); !reflect.DeepEqual(sum.Tags, want) {
		t.Errorf("Tags = %v, want %v", sum.Tags, want)
	}
	wantPaths := map[string]string{
		"/feed/":                                   "feed:",
		"/category/news/":                          "section:news",
		"/category/news/feed/":                     "feed:section:news",
		"/category/news/council/":                  "section:news/council",
		"/category/news/council/feed/":             "feed:section:news/council",
		"/category/news/новости/":                  "section:news/новости",
		"/category/news/новости/feed/":             "feed:section:news/новости",
		"/category/opinion/":                       "section:opinion",
		"/category/opinion/feed/":                  "feed:section:opinion",
		"/tag/bridge/":                             "tag:bridge",
		"/tag/bridge/feed/":                        "feed:tag:bridge",
		"/tag/budget-2024/":                        "tag:budget-2024",
		"/tag/budget-2024/feed/":                   "feed:tag:budget-2024",
		"/?attachment_id=201":                      "item:301",
		"/?attachment_id=202":                      "item:301",
		"/2024/04/11/bridge-vote/bridge-dusk/":     "item:301",
		"/2024/04/11/bridge-vote/council-chamber/": "item:301",
	}
	if !reflect.DeepEqual(sum.OldPaths, wantPaths) {
		t.Errorf("OldPaths = %v\nwant %v", sum.OldPaths, wantPaths)
	}
	if want := map[string]int{"comments": 2, "attachments": 2}; !reflect.DeepEqual(sum.Counts, want) {
		t.Errorf("Counts = %v, want %v", sum.Counts, want)
	}
}

func TestReadClassicExport(t *testing.T) {
	items, _, sum := mustRead(t, "testdata/wp3-classic.xml")

	fair := items["20"]
	wantHTML := `<p>The county fair opened on Saturday.<br>
It runs until Monday.</p>
<figure><img class="size-large wp-image-11" title="fair-tent" src="http://gazette.example.com/blog/wp-content/uploads/2012/09/fair-tent-600x400.jpg" alt="A white tent on a field" width="600" height="400" /><figcaption>The big tent, <em>before the rain</em></figcaption></figure>
<p><strong>Opening hours:</strong></p>
<ul>
	<li>Saturday: 9 to 6</li>
	<li>Sunday: 10 to 5</li>
</ul>
<blockquote>
<p>It is the best fair in years.</p>
<p>Everyone says so.</p>
</blockquote>
<pre>line one

line two</pre>
<div class="gallery">
<figure><img src="http://gazette.example.com/blog/wp-content/uploads/2012/09/fair-cake.jpg" alt=""></figure>
<figure><img src="http://gazette.example.com/blog/wp-content/uploads/2012/09/fair-tent.jpg" alt="A white tent on a field"><figcaption>The big tent</figcaption></figure>
</div>
<p>http://www.youtube.com/watch?v=fairVID01</p>
<p>http://vimeo.com/123456</p>
<p><a href="http://gazette.example.com/blog/wp-content/uploads/2012/09/parade.mp4">http://gazette.example.com/blog/wp-content/uploads/2012/09/parade.mp4</a></p>
<p>Best cake ever. The jury agreed. [sic]</p>
<p>[gallery] is how you write a gallery.</p>`
	if fair.HTML != wantHTML {
		t.Errorf("classic body:\n%s\nwant\n%s", fair.HTML, wantHTML)
	}
	wantNotes := []string{
		"its featured image (attachment 99) is not in the export",
		"the [video] shortcode became a link to its file, http://gazette.example.com/blog/wp-content/uploads/2012/09/parade.mp4",
		"dropped the [pullquote] shortcode",
	}
	if !reflect.DeepEqual(fair.Notes, wantNotes) {
		t.Errorf("Notes = %q, want %q", fair.Notes, wantNotes)
	}
	// WXR 1.0's bare <category> lines are ignored; a category the
	// channel does not list still files the post.
	if want := terms("local", "Local"); !reflect.DeepEqual(fair.Section, want) {
		t.Errorf("Section = %v, want %v", fair.Section, want)
	}
	if want := terms("events", "Events", "fair", "fair"); !reflect.DeepEqual(fair.Tags, want) {
		t.Errorf("Tags = %v, want %v", fair.Tags, want)
	}
	// A blog in a folder: old addresses are relative to it.
	if want := []string{"/2012/09/01/county-fair/", "/?p=20"}; !reflect.DeepEqual(fair.OldPaths, want) {
		t.Errorf("OldPaths = %q, want %q", fair.OldPaths, want)
	}
	if want := []archive.Person{{Slug: "editor", Name: "Ada Brook"}}; !reflect.DeepEqual(fair.Authors, want) {
		t.Errorf("Authors = %v, want %v", fair.Authors, want)
	}

	harvest := items["21"]
	if !strings.Contains(harvest.HTML, "fair-cake.jpg") || !strings.Contains(harvest.HTML, "fair-tent.jpg") ||
		strings.Index(harvest.HTML, "fair-cake") > strings.Index(harvest.HTML, "fair-tent") {
		t.Errorf("[gallery ids] should show 12 then 11:\n%s", harvest.HTML)
	}
	if want := []string{"the gallery's image 77 is not in the export"}; !reflect.DeepEqual(harvest.Notes, want) {
		t.Errorf("Notes = %q, want %q", harvest.Notes, want)
	}
	// No GMT date: post_date in the site's zone (+02:00, learnt from
	// the posts that have both).
	if want := date("2012-10-05T10:00:00Z"); !harvest.PublishedAt.Equal(want) {
		t.Errorf("PublishedAt = %v, want %v", harvest.PublishedAt, want)
	}

	statuses := map[string]news.Status{"22": news.Scheduled, "23": news.Draft, "24": news.Review, "2": news.Published}
	for id, want := range statuses {
		if items[id].Status != want {
			t.Errorf("item %s Status = %q, want %q", id, items[id].Status, want)
		}
	}
	if want := date("2012-11-26T08:00:00Z"); !items["22"].PublishedAt.Equal(want) {
		t.Errorf("scheduled PublishedAt = %v, want %v", items["22"].PublishedAt, want)
	}
	if !items["23"].PublishedAt.IsZero() {
		t.Errorf("draft PublishedAt = %v, want zero", items["23"].PublishedAt)
	}
	if want := []archive.Person{{Slug: "someone-gone", Name: "someone-gone"}}; !reflect.DeepEqual(items["23"].Authors, want) {
		t.Errorf("unknown login: Authors = %v, want %v", items["23"].Authors, want)
	}
	contact := items["2"]
	if contact.Kind != archive.Page || contact.HTML != "<p>Write to us.</p>" ||
		!reflect.DeepEqual(contact.Notes, []string{"dropped the [contact-form] shortcode"}) {
		t.Errorf("page: kind %q HTML %q notes %q", contact.Kind, contact.HTML, contact.Notes)
	}

	if sum.SiteURL != "http://gazette.example.com/blog" {
		t.Errorf("SiteURL = %q", sum.SiteURL)
	}
	if got := sum.OldPaths["/category/events/"]; got != "section:events" {
		t.Errorf("a category met only on a post: /category/events/ → %q", got)
	}
	if got := sum.OldPaths["/2012/09/01/county-fair/fair-cake/"]; got != "item:20" {
		t.Errorf("attachment page → %q, want item:20", got)
	}
	if want := map[string]int{"comments": 1, "attachments": 3}; !reflect.DeepEqual(sum.Counts, want) {
		t.Errorf("Counts = %v, want %v", sum.Counts, want)
	}
}

func TestReadTruncatedExport(t *testing.T) {
	items, _, err := readFile(t, "testdata/truncated.xml")
	var se *archive.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a *archive.SyntaxError", err)
	}
	// The file stops in line 303, inside post 302.
	if se.At != "line 303" {
		t.Errorf("At = %q, want line 303", se.At)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	if !reflect.DeepEqual(ids, []string{"301"}) {
		t.Errorf("emitted %v, want only the whole post 301", ids)
	}
	if len(items) == 1 && !strings.Contains(items[0].HTML, "twitter.com") {
		t.Errorf("the post before the break is not whole: %q", items[0].HTML)
	}
}

func TestReadMalformedExport(t *testing.T) {
	items, _, err := readFile(t, "testdata/malformed.xml")
	var se *archive.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a *archive.SyntaxError", err)
	}
	if se.At != "line 345" || !strings.Contains(se.Error(), "closed by") {
		t.Errorf("err = %v, want line 345 naming the mismatched tag", se)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	if !reflect.DeepEqual(ids, []string{"301", "302"}) {
		t.Errorf("emitted %v, want 301 and 302, the items before the break", ids)
	}
}

// wxr wraps items (XML) in a WXR document.
func wxr(items string) string {
	return `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<link>https://site.example</link>
<wp:base_blog_url>https://site.example</wp:base_blog_url>
` + items + `
</channel>
</rss>
`
}

func readString(t *testing.T, doc string) ([]*archive.Item, *archive.Summary, error) {
	t.Helper()
	open := func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(doc)), nil }
	var items []*archive.Item
	sum, err := Read(context.Background(), open, func(it *archive.Item) error {
		items = append(items, it)
		return nil
	})
	return items, sum, err
}

func TestReadItemWithoutIDOrType(t *testing.T) {
	items, _, err := readString(t, wxr(`
<item><title>No id</title><wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>
<item><title>No type</title><wp:post_id>9</wp:post_id><wp:status>publish</wp:status></item>
<item><title>Fine</title><wp:post_id>10</wp:post_id><wp:post_type>post</wp:post_type><wp:status>draft</wp:status></item>`))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("emitted %d items, want 3", len(items))
	}
	if !strings.Contains(items[0].Skip, "wp:post_id") || items[0].At != "line 7" {
		t.Errorf("no id: Skip %q At %q", items[0].Skip, items[0].At)
	}
	if !strings.Contains(items[1].Skip, "wp:post_type") {
		t.Errorf("no type: Skip %q", items[1].Skip)
	}
	if items[2].Skip != "" || items[2].Status != news.Draft {
		t.Errorf("fine item: Skip %q Status %q", items[2].Skip, items[2].Status)
	}
}

func TestReadFieldsTrimmedAndDecoded(t *testing.T) {
	items, _, err := readString(t, wxr(`
<item>
  <title>  Fish &amp;amp; chips &#8217;n&nbsp;peas  </title>
  <wp:post_id> 7 </wp:post_id>
  <wp:post_type>post</wp:post_type>
  <wp:status>auto-draft</wp:status>
</item>
<item>
  <title><![CDATA[ <em>Bold</em> claims &amp; facts ]]></title>
  <wp:post_id>8</wp:post_id>
  <wp:post_type> post </wp:post_type>
  <wp:status>publish</wp:status>
  <wp:post_date_gmt>2020-01-02 03:04:05</wp:post_date_gmt>
  <excerpt:encoded><![CDATA[<p>One&nbsp;line.</p><p>Two.</p>]]></excerpt:encoded>
</item>`))
	if err != nil {
		t.Fatal(err)
	}
	if items[0].Skip != "an automatic draft" || items[0].ID != "7" {
		t.Errorf("auto-draft: ID %q Skip %q", items[0].ID, items[0].Skip)
	}
	if items[1].Title != "Bold claims & facts" {
		t.Errorf("Title = %q", items[1].Title)
	}
	if items[1].Summary != "One line. Two." {
		t.Errorf("Summary = %q", items[1].Summary)
	}
}

func TestReadStopsOnEmitError(t *testing.T) {
	stop := errors.New("stop here")
	open := func() (io.ReadCloser, error) { return os.Open("testdata/wp6-blocks.xml") }
	n := 0
	_, err := Read(context.Background(), open, func(*archive.Item) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("err = %v after %d items, want emit's error after 1", err, n)
	}
}

func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	open := func() (io.ReadCloser, error) { return os.Open("testdata/wp6-blocks.xml") }
	_, err := Read(ctx, open, func(*archive.Item) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestReadNotAnExport(t *testing.T) {
	for name, doc := range map[string]string{
		"html":  "<html><body>hi</body></html>",
		"empty": "",
	} {
		_, _, err := readString(t, doc)
		var se *archive.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: err = %v, want a SyntaxError", name, err)
		}
	}
}

func TestReadControlCharactersAndBadUTF8(t *testing.T) {
	items, _, err := readString(t, wxr("<item><title>Tab\x0bbed \xff title</title><wp:post_id>3</wp:post_id><wp:post_type>post</wp:post_type><wp:status>draft</wp:status></item>"))
	if err != nil {
		t.Fatal(err)
	}
	if items[0].Title != "Tabbed \uFFFD title" {
		t.Errorf("Title = %q", items[0].Title)
	}
}

func TestReadLatin1Export(t *testing.T) {
	doc := strings.Replace(wxr("<item><title>Caf\xe9</title><wp:post_id>3</wp:post_id><wp:post_type>post</wp:post_type><wp:status>draft</wp:status></item>"), "UTF-8", "ISO-8859-1", 1)
	items, _, err := readString(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	if items[0].Title != "Café" {
		t.Errorf("Title = %q", items[0].Title)
	}
}

func TestSniff(t *testing.T) {
	head := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b[:min(len(b), 4096)]
	}
	cases := []struct {
		name string
		head []byte
		want bool
	}{
		{"WordPress 6", head("testdata/wp6-blocks.xml"), true},
		{"WordPress 3", head("testdata/wp3-classic.xml"), true},
		{"WXR 1.0", []byte(`<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.0/"><channel>`), true},
		{"RSS naming the address in a link", []byte(`<?xml version="1.0"?><rss version="2.0"><channel><link>http://wordpress.org/export/1.2/</link>`), false},
		{"RSS without the namespace", []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>`), false},
		{"Atom", []byte(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">`), false},
		{"Ghost", []byte(`{"db":[{"meta":{"exported_on":1,"version":"5.0.0"}}]}`), false},
		{"Markdown", []byte("---\ntitle: x\n---\nhttp://wordpress.org/export/1.2/"), false},
	}
	for _, c := range cases {
		if got := Sniff(c.head); got != c.want {
			t.Errorf("Sniff(%s) = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSniffNeedsNoName(t *testing.T) {
	b, err := os.ReadFile("testdata/wp6-blocks.xml")
	if err != nil {
		t.Fatal(err)
	}
	// A BOM and CRLF line ends, as an export that went through Windows.
	b = append([]byte("\xef\xbb\xbf"), bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))...)
	if !Sniff(b[:2048]) {
		t.Error("Sniff missed an export with a BOM and CRLF")
	}
}
