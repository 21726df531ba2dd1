package ghost

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestRenderMobiledoc(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
		notes           []string
	}{
		{"markups nest and close by count",
			`{"version":"0.3.1","markups":[["strong"],["a",["href","/x","onclick","evil()"]]],"sections":[[1,"p",[[0,[0,1],1,"bold link"],[0,[],1," bold"],[0,[],0," plain"]]]]}`,
			`<p><strong><a href="/x">bold link</a> bold</strong> plain</p>`, nil},
		{"an unknown markup opens nothing but still closes",
			`{"version":"0.3.1","markups":[["span"],["em"]],"sections":[[1,"p",[[0,[1,0],1,"a"],[0,[],1,"b"]]]]}`,
			`<p><em>ab</em></p>`, nil},
		{"markups left open are closed",
			`{"version":"0.3.1","markups":[["em"]],"sections":[[1,"h3",[[0,[0],0,"x"]]]]}`,
			`<h3><em>x</em></h3>`, nil},
		{"text is escaped",
			`{"version":"0.3.1","sections":[[1,"p",[[0,[],0,"<script>&"]]]]}`,
			`<p>&lt;script&gt;&amp;</p>`, nil},
		{"aside and pull-quote are quotes, an unknown tag a paragraph",
			`{"version":"0.3.1","sections":[[1,"aside",[[0,[],0,"a"]]],[1,"pull-quote",[[0,[],0,"b"]]],[1,"marquee",[[0,[],0,"c"]]]]}`,
			`<blockquote>a</blockquote><blockquote>b</blockquote><p>c</p>`, nil},
		{"ordered list and image section",
			`{"version":"0.3.1","sections":[[3,"ol",[[[0,[],0,"one"]],[[0,[],0,"two"]]]],[2,"/i.jpg"]]}`,
			`<ol><li>one</li><li>two</li></ol><figure><img src="/i.jpg" alt=""></figure>`, nil},
		{"a card index out of range",
			`{"version":"0.3.1","cards":[],"sections":[[10,3]]}`,
			``, []string{"a card section points at no card"}},
		{"gallery and code cards",
			`{"version":"0.3.1","cards":[["gallery",{"images":[{"src":"/a.jpg","alt":"A","caption":"<b>c</b>"}],"caption":"All"}],["code",{"code":"<x>","language":"html"}]],"sections":[[10,0],[10,1]]}`,
			`<div class="gallery"><figure><img src="/a.jpg" alt="A"><figcaption><b>c</b></figcaption></figure></div><p>All</p><pre><code class="language-html">&lt;x&gt;</code></pre>`, nil},
		{"an old markdown card",
			`{"version":"0.3.1","cards":[["card-markdown",{"cardName":"card-markdown","markdown":"# Hi"}]],"sections":[[10,0]]}`,
			"<h1>Hi</h1>\n", nil},
		{"a button card becomes a link",
			`{"version":"0.3.1","cards":[["button",{"buttonText":"Subscribe","buttonUrl":"/signup/"}]],"sections":[[10,0]]}`,
			`<p><a href="/signup/">Subscribe</a></p>`, []string{"a button card is not carried over: its text is kept"}},
		{"a video card without words",
			`{"version":"0.3.1","cards":[["video",{"src":"/v.mp4"}]],"sections":[[10,0]]}`,
			``, []string{"a video card is not carried over"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, notes, err := renderMobiledoc(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if !reflect.DeepEqual(notes, tc.notes) {
				t.Errorf("notes = %q, want %q", notes, tc.notes)
			}
		})
	}
	if _, _, err := renderMobiledoc(`{"version":"0.2.0","sections":[[],[]]}`); err == nil || !strings.Contains(err.Error(), "0.2.0") {
		t.Errorf("version 0.2.0: err = %v", err)
	}
}

func TestRenderLexical(t *testing.T) {
	for _, tc := range []struct {
		name, children, want string
		notes                []string
	}{
		{"all the text formats",
			`{"type":"paragraph","children":[{"type":"text","text":"x","format":255}]}`,
			`<p><strong><em><s><u><code><sub><sup><mark>x</mark></sup></sub></code></u></s></em></strong></p>`, nil},
		{"nested list and a link with rel",
			`{"type":"list","listType":"bullet","children":[{"type":"listitem","children":[{"type":"autolink","url":"https://a.example/?q=1&r=2","rel":"noreferrer","children":[{"type":"text","text":"a"}]},{"type":"list","listType":"number","children":[{"type":"listitem","children":[{"type":"text","text":"b"}]}]}]}]}`,
			`<ul><li><a href="https://a.example/?q=1&amp;r=2" rel="noreferrer">a</a><ol><li>b</li></ol></li></ul>`, nil},
		{"a heading with a strange tag, an empty paragraph, an aside",
			`{"type":"heading","tag":"h9","children":[{"type":"text","text":"H"}]},{"type":"paragraph","children":[]},{"type":"aside","children":[{"type":"text","text":"q"}]}`,
			`<h2>H</h2><blockquote>q</blockquote>`, nil},
		{"an unknown element keeps its text",
			`{"type":"table-ish","children":[{"type":"text","text":"t"}]}`,
			`t`, []string{"a table-ish block is kept as its text"}},
		{"callout and paywall",
			`{"type":"callout","calloutEmoji":"💡","calloutText":"<p>Tip &amp; trick</p>"},{"type":"paywall"}`,
			`<p>Tip &amp; trick</p>`, []string{"a callout card is not carried over: its text is kept", "the paywall card (where members-only content began) is left out"}},
		{"an embed without an address, a bookmark's address from its metadata",
			`{"type":"embed","html":"<iframe></iframe>"},{"type":"bookmark","metadata":{"url":"https://b.example/"}}`,
			`<p>https://b.example/</p>`, []string{"an embed card without an address is left out"}},
		{"an image linked, its caption kept as HTML",
			`{"type":"image","src":"/i.jpg","alt":"\"A\"","href":"https://x.example/","caption":"<i>c</i>"}`,
			`<figure><a href="https://x.example/"><img src="/i.jpg" alt="&#34;A&#34;"></a><figcaption><i>c</i></figcaption></figure>`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, notes, err := renderLexical(`{"root":{"type":"root","children":[` + tc.children + `]}}`)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if !reflect.DeepEqual(notes, tc.notes) {
				t.Errorf("notes = %q, want %q", notes, tc.notes)
			}
		})
	}
	for _, bad := range []string{`[]`, `{}`, `{"root":3}`} {
		if _, _, err := renderLexical(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestPlainText(t *testing.T) {
	for in, want := range map[string]string{
		`<span style="white-space: pre-wrap;">Photo: </span><a href="https://e.example">Port &amp; Co</a>`: "Photo: Port & Co",
		"Line one<br>line two":           "Line one line two",
		"<p>A</p><p>B</p>":               "A B",
		"3 < 4 and 5 > 2":                "3 < 4 and 5 > 2",
		"<script>alert(1)</script>Hello": "alert(1)Hello",
		"unclosed <b":                    "unclosed",
		"":                               "",
	} {
		if got := plainText(in); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRenderLongMarkdownCard checks that a Markdown card longer than
// maxCardMarkdown goes through internal/markup's bounded parsers (a hostile
// one would otherwise take goldmark's own parsers minutes), without the
// HTML written in it, and says so.
func TestRenderLongMarkdownCard(t *testing.T) {
	md := "<b>raw</b> **bold**\n\n" + strings.Repeat("*a_", (maxCardMarkdown/3)+10)
	doc := `{"version":"0.3.1","cards":[["markdown",{"markdown":` + strconvQuote(md) + `}]],"sections":[[10,0]]}`
	out, notes, err := renderMobiledoc(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "<strong>bold</strong>") || strings.Contains(out, "<b>raw</b>") {
		t.Errorf("long card rendered as %q…", out[:min(len(out), 200)])
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "without the HTML") {
		t.Errorf("notes %q", notes)
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
