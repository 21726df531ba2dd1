package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/testkit"
	"github.com/newsdesk/newsdesk/web"
)

// roundTripBodies are the bodies the editor must carry through unchanged,
// besides the sample newsroom's: every block of the dialect, and the
// escapes and corners a writer or an importer produces.
var roundTripBodies = []string{
	"",
	"One paragraph.",
	"# Top\n\nText.\n\n## Below\n\n### Further\n\nMore.",
	"### Only an h3\n\nIt becomes the page's h2.",
	"##### Deep\n\n###### Deeper\n\nText.",
	"Soft\nline\nbreaks and a hard one  \nhere, and another\\\nthere.",
	"**bold**, *italic*, _also italic_, ***both***, ~~struck~~, `code`, and **bold *nested italic* bold**.",
	"A [link](https://example.org/a_b?c=d&e=f \"its title\"), [a local one](/news/world/), <https://example.org/auto>, <mailto:desk@example.org>, and [parens](https://example.org/a_(b)).",
	"[javascript](javascript:alert(1)) keeps its words.",
	"Escapes: \\*not italic\\*, \\_not\\_, 2 \\* 3, a \\# b, \\[not a link\\](x), back\\\\slash, AT&T, &amp; &copy; &#169; 5 < 6 > 4, <notatag, a <b>tag</b> dropped.",
	"1986\\. A good year.\n\n\\- not a list\n\n\\+ nor this\n\n\\> nor a quote\n\n\\# nor a heading",
	"- one\n- two\n  - two a\n  - two b\n    1. deep\n    2. deeper\n- three",
	"1. first\n2. second\n\n   with a second paragraph\n3. third",
	"7. starts at seven\n8. eight",
	"- tight\n- list\n\n\n* another\n* list",
	"- loose\n\n- list",
	"> A plain quote\n> over two lines.",
	"> We will rebuild the harbour by spring.\n>\n> — Mara Lindqvist, mayor of Port Alder",
	"> Quoted.\n>\n> -- Someone *important*",
	"> Quoted.\n>\n> --- Three dashes",
	"> — Not an attribution, alone.",
	"> First paragraph.\n>\n> Second paragraph.\n>\n> —Jane Doe",
	"> Nested:\n>\n> > inner quote\n> >\n> > — Inner Person\n>\n> — Outer Person",
	"![Ferries at a quay](/media/ab/abcdef-1280.jpg \"Ferries at dawn | AFP\")",
	"![Only alt](/media/ab/abcdef-640.jpg)",
	"![A caption with a | bar](/media/x.jpg \"Caption with \\\"quotes\\\" and \\| a bar | Jane Doe/Newsdesk\")",
	"![Foreign](https://example.org/x.jpg \"never loaded\")",
	"Text with an inline ![image](/media/i.png) in it.",
	"![alt *with* emphasis & [brackets]](/media/y.jpg \"AT&T &amp; co | Credit\")",
	"https://www.youtube.com/watch?v=dQw4w9WgXcQ",
	"<https://x.com/newsdesk/status/1234567890>",
	"Before.\n\nhttps://vimeo.com/123456\n\nAfter https://www.youtube.com/watch?v=dQw4w9WgXcQ in a sentence.",
	"https://example.org/not-a-provider",
	"| Indicator | Latest | A year ago |\n|:---|---:|:---:|\n| Inflation | 3.1% | 5.2% |\n| Jobs | **up** | `n/a` |\n| Pipe \\| in cell | [link](https://example.org) | |",
	"| a | b |\n| - | - |",
	"Above\n\n---\n\nBelow\n\n***\n\n___",
	"```\ncode block\n  indented\n```\n\n    indented code\n\n~~~go\nfunc main() {}\n~~~",
	"<div>raw html block</div>\n\nText <span>with</span> inline html.\n\n<!-- a comment -->",
	"Setext Heading\n==============\n\nAnother\n-------",
	"[ref link][r] and [r].\n\n[r]: https://example.org/ref \"Ref title\"",
	"Trailing spaces   \n\nand\ttabs\tinside.",
	"Unicode: «guillemets», “curly”, em—dash, ellipsis…, Ünïcödé, 日本語, עברית.",
	"Straight \"quotes\" and 'single' -- dashes --- and ... dots",
	"*   star list\n*   items\n\n+ plus\n+ items",
	"Line ending with two spaces at the end of the paragraph  ",
	"A paragraph\n# heading right after\ntext",
	"- ![in a list](/media/l.jpg \"cap | cred\")\n- item",
	"> ![in a quote](/media/q.jpg \"cap | cred\")",
	"Emphasis with_underscores_inside words and snake_case_names.",
	"**Bold at end**\n\n*Italic at start* of a line.",
	"A line with a trailing backslash\\",
	"Numbers: 1) not a list here because it is mid-sentence.\n\n1) but this is",
}

// TestEditorRoundTripInChromium carries every body of the sample newsroom
// and roundTripBodies through the editor's Markdown reader and writer, in
// Chromium, and checks that the Markdown it writes renders
// (internal/markup) to the same HTML as the Markdown it read, and that
// writing it again changes nothing.
func TestEditorRoundTripInChromium(t *testing.T) {
	bodies := append([]string(nil), roundTripBodies...)
	names := make([]string, len(bodies))
	for i := range bodies {
		names[i] = "case " + itoa(int64(i))
	}
	demo, err := filepath.Glob("../demo/content/*/*/*.md")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../demo/content/*/*.md")
	demo = append(demo, more...)
	if len(demo) < 40 {
		t.Fatalf("found %d sample stories, want the newsroom's 40 and more", len(demo))
	}
	for _, p := range demo {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, stripFrontMatter(string(b)))
		names = append(names, p)
	}

	ctx := editorPage(t)
	in, _ := json.Marshal(bodies)
	var out []string
	run := func(js string, v *[]string) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		var err error
		if *v, err = chromedp.Run(c, chromedp.Evaluate[[]string](js)); err != nil {
			t.Fatal(err)
		}
	}
	run(`(function(){ const e = window.newsdeskEditor; return `+string(in)+`.map(function(md){ return e.serializeMarkdown(e.parseMarkdown(md)); }); })()`, &out)
	if len(out) != len(bodies) {
		t.Fatalf("%d bodies came back of %d", len(out), len(bodies))
	}
	again, _ := json.Marshal(out)
	var twice []string
	run(`(function(){ const e = window.newsdeskEditor; return `+string(again)+`.map(function(md){ return e.serializeMarkdown(e.parseMarkdown(md)); }); })()`, &twice)

	for i, md := range bodies {
		want, err := markup.Render(md)
		if err != nil {
			t.Fatal(err)
		}
		got, err := markup.Render(out[i])
		if err != nil {
			t.Fatal(err)
		}
		if normHTML(got) != normHTML(want) {
			t.Errorf("%s: the editor's Markdown renders differently.\nin:\n%s\nout:\n%s\nwant HTML:\n%s\ngot HTML:\n%s", names[i], md, out[i], want, got)
			continue
		}
		if twice[i] != out[i] {
			t.Errorf("%s: writing the editor's Markdown again changes it:\nonce:\n%s\ntwice:\n%s", names[i], out[i], twice[i])
		}
	}
}

var htmlSpace = regexp.MustCompile(`\s+`)

// normHTML folds white space, which HTML does too outside <pre>: the
// editor joins a paragraph's soft line breaks into spaces.
func normHTML(s string) string {
	s = htmlSpace.ReplaceAllString(s, " ")
	s = strings.ReplaceAll(s, "> <", "><")
	s = strings.ReplaceAll(s, " </", "</")
	s = strings.ReplaceAll(s, "> ", ">")
	return strings.TrimSpace(s)
}

func stripFrontMatter(s string) string {
	if rest, ok := strings.CutPrefix(s, "---\n"); ok {
		if i := strings.Index(rest, "\n---\n"); i >= 0 {
			return rest[i+len("\n---\n"):]
		}
	}
	return s
}

// editorPage opens a blank page that loads the editor's bundle, and
// returns the tab.
func editorPage(t *testing.T) context.Context {
	t.Helper()
	js, err := web.Static.ReadFile("static/editor.js")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /editor.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(js)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html lang="en"><title>editor</title><script src="/editor.js" defer></script>
<form id="editor"><div class="field body-field"><label for="body">Body</label><textarea id="body" name="body"></textarea></div></form><p>ready</p>`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	ctx := testkit.BrowserContext(t)
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, chromedp.Navigate(srv.URL+"/"), chromedp.WaitReady(chromedp.CSS(".rich-body"))); err != nil {
		t.Fatal(err)
	}
	return ctx
}
