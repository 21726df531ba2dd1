package site

import (
	"bytes"
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// fragCases are values that exercise every rule of the escapers: markup,
// quotes, entities, "+", NUL, invalid UTF-8, percent signs valid and not,
// schemes safe and not, and the reserved and unreserved URL characters.
var fragCases = []string{
	"", "plain", "Council budget drops \"fish & chips\" tax <for now>", "it's 1+1", "a\x00b", "\xff\xfe<", "é ü 東京 \u2028",
	"/news/europe/", "https://news.example.org/a?b=c&d=e+f#g", "HTTPS://X.ORG/", "mailto:?subject=a%20b&body=https:%2F%2Fx",
	"javascript:alert(1)", "JavaScript:x", "data:text/html,<script>", "vbscript:x", "//evil.example/x", "/a:b", "a/b:c",
	"%", "%4", "%41", "%4g", "%%41", "100%", "a b\tc\nd", "(x)'y'\"z\"", "!#$&*+,/:;=?@[]-._~", "`{}|\\^",
	"#ZgotmplZ", "&amp;", "&#43;", "x>y<z",
}

// templateOutput runs html/template with v in context tmpl (which has one
// {{.}}) and returns what it wrote for the value, without the markup
// around it.
func templateOutput(t testing.TB, tmpl *template.Template, before, after, v string) string {
	t.Helper()
	var b bytes.Buffer
	if err := tmpl.Execute(&b, v); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, before) || !strings.HasSuffix(out, after) {
		t.Fatalf("template wrote %q", out)
	}
	return out[len(before) : len(out)-len(after)]
}

// fragContexts are the places frag writes values into, with the method
// that writes there.
var fragContexts = []struct {
	name          string
	before, after string
	write         func(*frag, string)
}{
	{"element text", "<p>", "</p>", (*frag).text},
	{"meta content", `<meta property="og:title" content="`, `">`, (*frag).text},
	{"title attribute", `<link rel="alternate" title="`, `">`, (*frag).text},
	{"datetime attribute", `<time datetime="`, `">`, (*frag).text},
	{"aria-label", `<a aria-label="`, `">`, (*frag).text},
	{"aria-labelledby", `<section aria-labelledby="s-`, `">`, (*frag).text},
	{"id", `<h2 id="s-`, `">`, (*frag).text},
	{"a href", `<a href="`, `">`, (*frag).url},
	{"link href", `<link rel="alternate" href="`, `">`, (*frag).url},
}

// checkFrag compares frag with html/template for v in every context.
func checkFrag(t *testing.T, tmpls []*template.Template, v string) {
	t.Helper()
	for i, c := range fragContexts {
		want := templateOutput(t, tmpls[i], c.before, c.after, v)
		f := newFrag(0)
		c.write(f, v)
		if got := string(f.html()); got != want {
			t.Errorf("%s, %q:\n got %q\nwant %q", c.name, v, got, want)
		}
	}
}

func fragTemplates(t testing.TB) []*template.Template {
	t.Helper()
	var out []*template.Template
	for _, c := range fragContexts {
		out = append(out, template.Must(template.New(c.name).Parse(c.before+"{{.}}"+c.after)))
	}
	return out
}

// TestFragEscapesAsHTMLTemplate proves that a value frag writes is
// escaped exactly as html/template escapes it in the same place, for
// hostile values and for thousands of random ones made of the characters
// the escapers treat specially.
func TestFragEscapesAsHTMLTemplate(t *testing.T) {
	tmpls := fragTemplates(t)
	for _, v := range fragCases {
		checkFrag(t, tmpls, v)
	}
	const alphabet = "aZ09-._~!#$&*+,/:;=?@[]%\"'<>() \x00\xc3\xa9\xff`\\fF"
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		// Some start with a scheme, to reach the URL filter.
		v := string(b)
		switch r.IntN(4) {
		case 0:
			v = "http:" + v
		case 1:
			v = "javascript:" + v
		}
		checkFrag(t, tmpls, v)
	}
}

// FuzzFrag is TestFragEscapesAsHTMLTemplate with values from the fuzzer:
// go test -fuzz FuzzFrag ./internal/site/
func FuzzFrag(f *testing.F) {
	for _, v := range fragCases {
		f.Add(v)
	}
	tmpls := fragTemplates(f)
	f.Fuzz(func(t *testing.T, v string) { checkFrag(t, tmpls, v) })
}

// TestCardListIsTheCardsTemplate: cardList writes what the "cards"
// template writes, cards rendered and kept alike, and with no card.
func TestCardListIsTheCardsTemplate(t *testing.T) {
	s, _ := newCardSite(t)
	cards := newCards(cardArticles())
	for _, tt := range []struct {
		name  string
		cards []card
	}{{"rendered", cards}, {"kept", cards}, {"one", cards[1:2]}, {"none", nil}} {
		var want bytes.Buffer
		if err := s.pages["list"].ExecuteTemplate(&want, "cards", tt.cards); err != nil {
			t.Fatal(err)
		}
		if got := s.cardList(tt.cards); string(got) != want.String() {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.name, got, want.String())
		}
	}
}

// TestBylinesAndTimesAreTheTemplates: bylinesHTML and timeHTML write what
// the "bylines" template and a <time> with the "datetime" and "date" or
// "shortdate" functions write, for no, one, two and three authors with
// names to escape, and a time in another zone.
func TestBylinesAndTimesAreTheTemplates(t *testing.T) {
	s, _ := newCardSite(t)
	tmpl, err := s.pages["list"].Clone()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmpl.Parse(`{{define "bylinesAndTimes"}}{{template "bylines" .Authors}}|<time datetime="{{datetime .At}}">{{date .At}}</time>|<time datetime="{{datetime .At}}">{{shortdate .At}}</time>{{end}}`); err != nil {
		t.Fatal(err)
	}
	authors := cardArticles()[0].Bylines
	authors = append(authors, news.Author{ID: 4, Slug: "x", Name: `<b>"Bold" & 'co' +1</b>`})
	at := time.Date(2026, 1, 2, 23, 30, 0, 0, time.FixedZone("EST", -5*3600))
	for n := range len(authors) + 1 {
		data := struct {
			Authors []news.Author
			At      time.Time
		}{authors[:n], at}
		var want bytes.Buffer
		if err := tmpl.ExecuteTemplate(&want, "bylinesAndTimes", data); err != nil {
			t.Fatal(err)
		}
		f := newFrag(0)
		bylinesHTML(f, data.Authors)
		f.raw("|")
		timeHTML(f, at, s.zone(), dateLayout)
		f.raw("|")
		timeHTML(f, at, s.zone(), shortDateLayout)
		if got := string(f.html()); got != want.String() {
			t.Errorf("%d authors:\ngot  %q\nwant %q", n, got, want.String())
		}
	}
}

// TestSrcsetEscapesAsHTMLTemplate: a srcset frag writes is what
// html/template writes, for the photo sets of this package (written as
// they are) and for values it must not vouch for.
func TestSrcsetEscapesAsHTMLTemplate(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`<img srcset="{{.}}">`))
	set, ok := photoSetOf(news.Media{Hash: strings.Repeat("ab", 32), Type: "image/jpeg", Width: 1600, Height: 900}, 640)
	if !ok || !srcsetAsIs(set.srcset) {
		t.Fatalf("the photo set %q is not written as it is", set.srcset)
	}
	cases := []string{set.srcset, "", "a.jpg", "a.jpg 1x", "/a.jpg 320w, /b.jpg 640w", " /a.jpg  320w ,/b.jpg", ",,", "a.jpg x-y",
		"javascript:alert(1) 1x", "/a.jpg 320w, data:x 2x", `/a".jpg 1x`, "/a.jpg 1x&", "/a b.jpg", "/a.jpg, /b+c.jpg 2x", "/é.jpg 1x", "a.jpg 1.5x"}
	const alphabet = "aZ09/._- ,:&+\"x"
	r := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		b := make([]byte, r.IntN(14))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	asIs := 0
	for _, v := range cases {
		want := templateOutput(t, tmpl, `<img srcset="`, `">`, v)
		f := newFrag(0)
		f.srcset(v)
		if got := string(f.html()); got != want {
			t.Errorf("%q:\n got %q\nwant %q", v, got, want)
		}
		if srcsetAsIs(v) {
			asIs++
		}
	}
	if asIs < 100 || asIs == len(cases) {
		t.Errorf("%d of %d values written as they are: the cases do not test both ways", asIs, len(cases))
	}
}

// TestCrumbsAndLeadPhotoAreTheTemplates: crumbsHTML writes what the
// "crumbs" template writes, and leadPhotoHTML what article.html wrote for
// the lead photo, with and without caption and credit.
func TestCrumbsAndLeadPhotoAreTheTemplates(t *testing.T) {
	s, _ := newCardSite(t)
	tmpl, err := s.pages["article"].Clone()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmpl.Parse(`{{define "leadBefore"}}
  {{- with .}}
  <figure class="lead-photo">
    <img src="{{.Src}}" srcset="{{.SrcSet}}" sizes="{{leadSizes}}" width="{{.Width}}" height="{{.Height}}" alt="{{.Alt}}" fetchpriority="high">
    {{- if or .Caption .Credit}}
    <figcaption>{{.Caption}}{{with .Credit}} <span class="credit">({{.}})</span>{{end}}</figcaption>
    {{- end}}
  </figure>
  {{- end}}{{end}}`); err != nil {
		t.Fatal(err)
	}
	crumbs := []navItem{{Name: "News & <views>", URL: "/news/"}, {Name: "Europe's", URL: "/news/europe/", Current: true}}
	for n := range len(crumbs) + 1 {
		var want bytes.Buffer
		if err := tmpl.ExecuteTemplate(&want, "crumbs", crumbs[:n]); err != nil {
			t.Fatal(err)
		}
		if got := string(crumbsHTML(crumbs[:n])); got != want.String() {
			t.Errorf("%d crumbs:\ngot  %q\nwant %q", n, got, want.String())
		}
	}
	photo := newPhotoView(cardArticles()[0].Photo, 1280)
	for _, tt := range []struct {
		name            string
		caption, credit string
	}{{"no caption or credit", "", ""}, {"caption", `Delegates "meet" & talk`, ""}, {"credit", "", "AFP <Paris>"}, {"both", "At dawn.", "Reuters"}} {
		p := *photo
		p.Caption, p.Credit = tt.caption, tt.credit
		var want bytes.Buffer
		if err := tmpl.ExecuteTemplate(&want, "leadBefore", &p); err != nil {
			t.Fatal(err)
		}
		if got := string(leadPhotoHTML(&p)); got != want.String() {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.name, got, want.String())
		}
	}
	if leadPhotoHTML(nil) != "" {
		t.Errorf("a lead photo without a photo")
	}
}
