package markup

import (
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Headings: the page's h1 is the headline, so the body's top
		// heading is an h2 whatever level it was typed at.
		{"h1 becomes h2", "# Russia to supply weapons", "<h2>Russia to supply weapons</h2>\n"},
		{"top h2 stays h2", "## Reaction", "<h2>Reaction</h2>\n"},
		{"levels keep their distance", "# A\n\n## B\n\n#### C", "<h2>A</h2>\n<h3>B</h3>\n<h5>C</h5>\n"},
		{"h2 and h3 body", "## Reaction\n\n### Abroad", "<h2>Reaction</h2>\n<h3>Abroad</h3>\n"},
		{"deep levels capped at h6", "# A\n\n###### F", "<h2>A</h2>\n<h6>F</h6>\n"},
		{"lone h5 becomes h2", "##### Small", "<h2>Small</h2>\n"},
		{"setext level 1", "Headline\n========", "<h2>Headline</h2>\n"},
		{"setext level 2", "Subhead\n-------", "<h2>Subhead</h2>\n"},
		{"heading attributes are text", "# Title {#main .big}", "<h2>Title {#main .big}</h2>\n"},

		// Typographer.
		{"quotes and dashes",
			`"Quoted," she said -- it's 'fine' --- really...`,
			"<p>“Quoted,” she said – it’s ‘fine’ — really…</p>\n"},
		{"code keeps straight punctuation", "`\"a\" -- b`", "<p><code>&#34;a&#34; -- b</code></p>\n"},

		// GFM.
		{"table", "| Party | Seats |\n|:--|--:|\n| A | 12 |",
			"<table>\n<thead>\n<tr>\n<th align=\"left\">Party</th>\n<th align=\"right\">Seats</th>\n</tr>\n</thead>\n" +
				"<tbody>\n<tr>\n<td align=\"left\">A</td>\n<td align=\"right\">12</td>\n</tr>\n</tbody>\n</table>\n"},
		{"strikethrough", "~~corrected~~", "<p><del>corrected</del></p>\n"},
		{"fenced code with language", "```go\nx := 1 < 2\n```", "<pre><code class=\"language-go\">x := 1 &lt; 2\n</code></pre>\n"},
		{"ordered list start", "3. three\n4. four", "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n"},

		// Links.
		{"external link gets rel", "[AFP](https://www.afp.com/en)",
			`<p><a href="https://www.afp.com/en" rel="noopener noreferrer">AFP</a></p>` + "\n"},
		{"upper-case scheme is external", "[x](HTTP://example.com/)",
			`<p><a href="http://example.com/" rel="noopener noreferrer">x</a></p>` + "\n"},
		{"scheme-relative link is external", "[x](//example.com/a)",
			`<p><a href="//example.com/a" rel="noopener noreferrer">x</a></p>` + "\n"},
		{"relative link has no rel", "[earlier](/news/russia/earlier-story)",
			`<p><a href="/news/russia/earlier-story">earlier</a></p>` + "\n"},
		{"relative path and fragment", "[a](../b?c=d&e=f#g)",
			`<p><a href="../b?c=d&amp;e=f#g">a</a></p>` + "\n"},
		{"mailto has no rel", "[desk](mailto:desk@example.com)",
			`<p><a href="mailto:desk@example.com">desk</a></p>` + "\n"},
		{"link title", `[x](/a "The title")`, `<p><a href="/a" title="The title">x</a></p>` + "\n"},
		{"autolink", "<https://example.com/x>",
			`<p><a href="https://example.com/x" rel="noopener noreferrer">https://example.com/x</a></p>` + "\n"},
		{"email autolink", "<desk@example.com>", `<p><a href="mailto:desk@example.com">desk@example.com</a></p>` + "\n"},
		{"ftp link loses its link", "[x](ftp://example.com/f)", "<p>x</p>\n"},

		// Images.
		{"inline local image", `Map ![the front](/media/front.png "Front line") today`,
			`<p>Map <img src="/media/front.png" alt="the front" title="Front line" loading="lazy"> today</p>` + "\n"},
		{"external image keeps alt text", "See ![a *bold* map](https://cdn.example/x.png) here", "<p>See a bold map here</p>\n"},
		{"scheme-relative image keeps alt text", "![map](//cdn.example/x.png)", "<p>map</p>\n"},
		{"relative image without slash is dropped", "![map](media/x.png)", "<p>map</p>\n"},
		{"escaped slash makes it scheme-relative", `![map](/\/cdn.example/x.png)`, "<p>map</p>\n"},
		{"image path is percent-encoded", "![a](</media/a b.jpg>)",
			`<figure><img src="/media/a%20b.jpg" alt="a" loading="lazy"></figure>` + "\n"},

		// Figures.
		{"figure without title", "![Rescuers at the site](/media/rescue.jpg)",
			`<figure><img src="/media/rescue.jpg" alt="Rescuers at the site" loading="lazy"></figure>` + "\n"},
		{"figure with caption", `![Rescuers](/media/rescue.jpg "In this file photo taken on May 2")`,
			`<figure><img src="/media/rescue.jpg" alt="Rescuers" loading="lazy"><figcaption>In this file photo taken on May 2</figcaption></figure>` + "\n"},
		{"figure with caption and credit", `![Rescuers](/media/rescue.jpg "In this file photo taken on May 2 | AFP")`,
			`<figure><img src="/media/rescue.jpg" alt="Rescuers" loading="lazy"><figcaption>In this file photo taken on May 2 <small class="credit">AFP</small></figcaption></figure>` + "\n"},
		{"credit is after the last bar", `![a](/m.jpg "Left | right | Reuters")`,
			`<figure><img src="/m.jpg" alt="a" loading="lazy"><figcaption>Left | right <small class="credit">Reuters</small></figcaption></figure>` + "\n"},
		{"credit only", `![a](/m.jpg " | AP")`,
			`<figure><img src="/m.jpg" alt="a" loading="lazy"><figcaption><small class="credit">AP</small></figcaption></figure>` + "\n"},
		{"caption is escaped", `![a](/m.jpg "1 < 2 & <b>")`,
			`<figure><img src="/m.jpg" alt="a" loading="lazy"><figcaption>1 &lt; 2 &amp; &lt;b&gt;</figcaption></figure>` + "\n"},
		{"caption entities", `![a](/m.jpg "Caf&eacute; | Reuters")`,
			`<figure><img src="/m.jpg" alt="a" loading="lazy"><figcaption>Café <small class="credit">Reuters</small></figcaption></figure>` + "\n"},
		{"escaped bar is not a credit", `![a](/m.jpg "Either &#124; or \| both")`,
			`<figure><img src="/m.jpg" alt="a" loading="lazy"><figcaption>Either | or | both</figcaption></figure>` + "\n"},
		{"figure from a reference", "![a][p]\n\n[p]: /m.jpg \"Cap | AFP\"",
			`<figure><img src="/m.jpg" alt="a" loading="lazy"><figcaption>Cap <small class="credit">AFP</small></figcaption></figure>` + "\n"},
		{"image with text is not a figure", "![a](/m.jpg) and text",
			`<p><img src="/m.jpg" alt="a" loading="lazy"> and text</p>` + "\n"},
		{"linked image is not a figure", "[![a](/m.jpg)](/big.jpg)",
			`<p><a href="/big.jpg"><img src="/m.jpg" alt="a" loading="lazy"></a></p>` + "\n"},
		{"external image alone is not a figure", `![a](https://x.example/m.jpg "Cap")`, "<p>a</p>\n"},

		// Quotes.
		{"attributed with --", "> \"We will not stop,\" he said.\n>\n> -- Vladimir Putin",
			"<blockquote class=\"quote\">\n<p>“We will not stop,” he said.</p>\n<footer>— Vladimir Putin</footer>\n</blockquote>\n"},
		{"attributed with —", "> Quote.\n>\n> — Jane Doe, *minister*",
			"<blockquote class=\"quote\">\n<p>Quote.</p>\n<footer>— Jane Doe, <em>minister</em></footer>\n</blockquote>\n"},
		{"attributed with — and no space", "> Quote.\n>\n> —Jane Doe",
			"<blockquote class=\"quote\">\n<p>Quote.</p>\n<footer>— Jane Doe</footer>\n</blockquote>\n"},
		{"attributed with ---", "> Quote.\n>\n> --- Jane Doe",
			"<blockquote class=\"quote\">\n<p>Quote.</p>\n<footer>— Jane Doe</footer>\n</blockquote>\n"},
		{"attribution with a link", "> Quote.\n>\n> -- [Interfax](https://interfax.example/)",
			"<blockquote class=\"quote\">\n<p>Quote.</p>\n<footer>— <a href=\"https://interfax.example/\" rel=\"noopener noreferrer\">Interfax</a></footer>\n</blockquote>\n"},
		{"plain blockquote", "> Just a quote.",
			"<blockquote>\n<p>Just a quote.</p>\n</blockquote>\n"},
		{"dash inside the last paragraph", "> Quote\n> -- not an attribution",
			"<blockquote>\n<p>Quote\n– not an attribution</p>\n</blockquote>\n"},
		{"dash paragraph alone", "> -- Jane Doe",
			"<blockquote>\n<p>– Jane Doe</p>\n</blockquote>\n"},
		{"-- needs a space", "> Quote.\n>\n> --Jane",
			"<blockquote>\n<p>Quote.</p>\n<p>–Jane</p>\n</blockquote>\n"},
		{"a bare dash is not a name", "> Quote.\n>\n> —",
			"<blockquote>\n<p>Quote.</p>\n<p>—</p>\n</blockquote>\n"},
		{"nested quote", "> > Inner.\n> >\n> > — A\n>\n> — B",
			"<blockquote class=\"quote\">\n<blockquote class=\"quote\">\n<p>Inner.</p>\n<footer>— A</footer>\n</blockquote>\n<footer>— B</footer>\n</blockquote>\n"},

		// Raw HTML is dropped, text around it kept.
		{"inline HTML", "a <b>bold</b> move", "<p>a bold move</p>\n"},
		{"HTML block", "<div>\nhidden\n</div>\n\nshown", "<p>shown</p>\n"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.in)
			if err != nil {
				t.Fatalf("Render(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Render(%q)\ngot  %q\nwant %q", tt.in, got, tt.want)
			}
			if p := problems(got); p != nil {
				t.Errorf("Render(%q) = %q: %v", tt.in, got, p)
			}
		})
	}
}

// hostileTests are bodies written to get script, styles or foreign requests
// into a page, and what each must render to. FuzzRender starts from them.
var hostileTests = []struct {
	in, want string
}{
	{"<script>alert(1)</script>", ""},
	{"Hi <script>alert(1)</script> there", "<p>Hi alert(1) there</p>\n"},
	{"<img src=x onerror=alert(1)>", ""},
	{`Look <img src="/media/a.jpg" onerror="alert(1)"> here`, "<p>Look  here</p>\n"},
	{"[x](javascript:alert(1))", "<p>x</p>\n"},
	{"[x](JaVaScRiPt:alert(1))", "<p>x</p>\n"},
	{"[x](<java\tscript:alert(1)>)", "<p>x</p>\n"},
	{"[x](vbscript:msgbox(1))", "<p>x</p>\n"},
	{"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "<p>x</p>\n"},
	{"[x](&#106;avascript:alert(1))", "<p>x</p>\n"},
	{"[x](&#x6A;avascript&#x3A;alert(1))", "<p>x</p>\n"},
	{"[x](javascript&colon;alert(1))", "<p>x</p>\n"},
	{"[x](java&#9;script:alert(1))", "<p>x</p>\n"},
	{"[x][r]\n\n[r]: javascript:alert(1)", "<p>x</p>\n"},
	// An autolink with a bad scheme stays as the words typed.
	{"<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n"},
	{`<a href="javascript:alert(1)">x</a>`, "<p>x</p>\n"},
	{`<iframe src="https://evil.example/"></iframe>`, ""},
	{"<style>body{display:none}</style>", ""},
	{`<p style="color:red">x</p>`, ""},
	{`a <span style="position:fixed">b</span> c`, "<p>a b c</p>\n"},
	{"![a](https://evil.example/x.png)", "<p>a</p>\n"},
	{"![a](//evil.example/x.png)", "<p>a</p>\n"},
	{`![a](\\evil.example/x.png)`, "<p>a</p>\n"},
	{`![a](/\evil.example/x.png)`, // a path on this site: "/%5Cevil.example/x.png"
		`<figure><img src="/%5Cevil.example/x.png" alt="a" loading="lazy"></figure>` + "\n"},
	{"![a](/&#x2F;evil.example/x.png)", "<p>a</p>\n"},
	{"![a](data:image/png;base64,iVBORw0KGgo=)", "<p>a</p>\n"},
	{"![a](javascript:alert(1))", "<p>a</p>\n"},
	{"![a](HTTPS://evil.example/x.png)", "<p>a</p>\n"},
	{"![a](<\t//evil.example/x.png>)", "<p>a</p>\n"},
	{`![a](/media/x.png "\" onerror=\"alert(1)")`,
		`<figure><img src="/media/x.png" alt="a" loading="lazy"><figcaption>&#34; onerror=&#34;alert(1)</figcaption></figure>` + "\n"},
	{`text ![a" onerror="alert(1)](/media/x.png) text`,
		`<p>text <img src="/media/x.png" alt="a&#34; onerror=“alert(1)" loading="lazy"> text</p>` + "\n"},
	{`[a](/x "\" onmouseover=\"alert(1)")`, `<p><a href="/x" title="&#34; onmouseover=&#34;alert(1)">a</a></p>` + "\n"},
	{`<object data="x.swf"></object>`, ""},
	{`<embed src="x.swf">`, ""},
	{`<form action="/x"><input name="y"></form>`, ""},
	{"<svg onload=alert(1)>", ""},
	{`<img src="/media/a.jpg" srcset="https://evil.example/x.png 2x">`, ""},
	{"<h1>Big</h1>", ""},
	{"`<script>alert(1)</script>`", "<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>\n"},
	{"<!-- c --><script>alert(1)</script>", ""},
	{"&lt;script&gt;alert(1)&lt;/script&gt;", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"},
	{"```\"><script>alert(1)</script>\nx\n```", "<pre><code>x\n</code></pre>\n"},
	{"```js\" onclick=\"alert(1)\nx\n```", "<pre><code>x\n</code></pre>\n"},
}

func TestRenderHostile(t *testing.T) {
	for _, tt := range hostileTests {
		got, err := Render(tt.in)
		if err != nil {
			t.Errorf("Render(%q): %v", tt.in, err)
			continue
		}
		if p := problems(got); p != nil {
			t.Errorf("Render(%q) = %q: %v", tt.in, got, p)
		}
		if got != tt.want {
			t.Errorf("Render(%q)\ngot  %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestProblems checks the checker: each of these must be caught.
func TestProblems(t *testing.T) {
	for _, out := range []string{
		`<script>x</script>`,
		`<p onclick="x">a</p>`,
		`<p style="color:red">a</p>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<a href=" JaVa&#x09;Script:alert(1)">x</a>`,
		`<a href="data:text/html,x">x</a>`,
		`<img src="https://evil.example/x.png">`,
		`<img src="//evil.example/x.png">`,
		`<img src="/\evil.example/x.png">`,
		`<img src="/a.png" srcset="https://evil.example/x.png">`,
		`<h1>x</h1>`,
		`<iframe src="/x"></iframe>`,
		`<div>x</div>`,
		`<p>a <b</p>`,
	} {
		if problems(out) == nil {
			t.Errorf("problems(%q) = nil, want some", out)
		}
	}
}

func TestRenderTooLarge(t *testing.T) {
	fits := strings.Repeat("word ", maxBodySize/5)
	if _, err := Render(fits); err != nil {
		t.Errorf("Render of %d bytes: %v", len(fits), err)
	}
	over := fits + strings.Repeat("x", maxBodySize-len(fits)+1)
	got, err := Render(over)
	if err == nil || got != "" {
		t.Errorf("Render of %d bytes = %d bytes, %v; want an error", len(over), len(got), err)
	}
}

func TestTextTooLarge(t *testing.T) {
	line := strings.Repeat("a", 99) + "\n"
	src := strings.Repeat(line, maxBodySize/len(line)+10)
	got := Text(src)
	if want := maxBodySize / len(line) * 100; len(got) > want {
		t.Errorf("Text of %d bytes is %d bytes long, want at most %d", len(src), len(got), want)
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"markup goes", "# Head\n\nSome **bold** and [a link](/x).\n\n- one\n- two", "Head Some bold and a link. one two"},
		{"white space folds", "a\n   b\t\tc  \n\nd  \ne", "a b c d e"},
		{"typography", `"Yes," he said -- twice`, "“Yes,” he said – twice"},
		{"entities and escapes", `AT&amp;T \*not emphasis\* &copy; &#8364;`, "AT&T *not emphasis* © €"},
		{"less-than stays", "1 < 2 & 3 > 2", "1 < 2 & 3 > 2"},
		{"code span is literal", "run `a &amp; \\*b`", "run a &amp; \\*b"},
		{"code block", "```\nx := 1\ny := 2\n```", "x := 1 y := 2"},
		{"images and figures left out", "Before ![alt](/a.jpg) after\n\n![fig](/b.jpg \"Cap | AFP\")\n\nEnd", "Before after End"},
		{"external image alt stays", "See ![a map](https://x.example/m.png).", "See a map."},
		{"raw HTML left out", "a <b>b</b> c\n\n<div>\nhidden\n</div>", "a b c"},
		{"attributed quote", "> Quote.\n>\n> -- Jane Doe", "Quote. — Jane Doe"},
		{"table cells apart", "| a | b |\n|---|---|\n| c | d |", "a b c d"},
		{"autolink", "<https://example.com>", "https://example.com"},
		{"invalid UTF-8 is replaced", "a\xffb", "a\uFFFDb"},
		{"empty", "", ""},
		{"only space", " \n\t ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"One two three four five", 100, "One two three four five"},
		{"One two three four five", 23, "One two three four five"},
		{"One two three four five", 22, "One two three four…"},
		{"One two three four five", 14, "One two three…"},
		{"One two three four five", 13, "One two…"},
		{"One two three four five", 1, "…"},
		{"One two three four five", 0, ""},
		{"One two three four five", -5, ""},
		{"Supercalifragilistic word", 6, "Super…"},
		{"Москва — столица России", 10, "Москва…"},
		{"He said, then left", 9, "He said…"},
		{"**Bold** text and [link](/x) here", 15, "Bold text and…"},
		{"", 10, ""},
	}
	for _, tt := range tests {
		got := Excerpt(tt.in, tt.n)
		if got != tt.want {
			t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
		if tt.n >= 0 && utf8.RuneCountInString(got) > tt.n {
			t.Errorf("Excerpt(%q, %d) = %q: %d runes", tt.in, tt.n, got, utf8.RuneCountInString(got))
		}
	}
}

func TestClassifyURL(t *testing.T) {
	tests := []struct {
		in   string
		want urlKind
	}{
		{"https://example.com", urlExternal},
		{"HtTp://example.com", urlExternal},
		{"//example.com", urlExternal},
		{`\\example.com`, urlExternal},
		{`/\example.com`, urlExternal},
		{"/news/x", urlInternal},
		{"news/x", urlInternal},
		{"#top", urlInternal},
		{"?q=a:b", urlInternal},
		{"a/b:c", urlInternal},
		{"", urlInternal},
		{"mailto:a@b.c", urlInternal},
		{"MAILTO:a@b.c", urlInternal},
		{"javascript:alert(1)", urlUnsafe},
		{"JAVASCRIPT:alert(1)", urlUnsafe},
		{"vbscript:x", urlUnsafe},
		{"data:text/html,x", urlUnsafe},
		{"file:///etc/passwd", urlUnsafe},
		{"java\tscript:x", urlUnsafe},
		{" javascript:x", urlUnsafe},
		{"\x01javascript:x", urlUnsafe},
	}
	for _, tt := range tests {
		if got := classifyURL([]byte(tt.in)); got != tt.want {
			t.Errorf("classifyURL(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestLocalPath checks isLocalPath, and that the policy's pattern says the
// same thing.
func TestLocalPath(t *testing.T) {
	pattern := regexp.MustCompile(localPathPattern)
	tests := []struct {
		in   string
		want bool
	}{
		{"/", true},
		{"/media/a.jpg", true},
		{"/media/a%20b.jpg?w=640#x", true},
		{"/a//b", true},
		{"", false},
		{"media/a.jpg", false},
		{"//evil.example/a.jpg", false},
		{`/\evil.example/a.jpg`, false},
		{`/media\a.jpg`, false},
		{"/media/a b.jpg", false},
		{"/media/\ta.jpg", false},
		{"/media/é.jpg", false},
		{"https://evil.example/a.jpg", false},
		{"data:image/png;base64,x", false},
	}
	for _, tt := range tests {
		if got := isLocalPath([]byte(tt.in)); got != tt.want {
			t.Errorf("isLocalPath(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if got := pattern.MatchString(tt.in); got != tt.want {
			t.Errorf("localPathPattern matches %q = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestRenderConcurrent is for -race: one goldmark instance and one policy
// serve every caller.
func TestRenderConcurrent(t *testing.T) {
	src := benchArticle()
	want, err := Render(src)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				got, err := Render(src)
				if err != nil || got != want {
					t.Errorf("concurrent Render differs (err %v)", err)
					return
				}
				_ = Text(src)
			}
		})
	}
	wg.Wait()
	if !strings.Contains(want, `<blockquote class="quote">`) || !strings.Contains(want, "<figure>") {
		t.Errorf("bench article renders no quote or figure")
	}
}
