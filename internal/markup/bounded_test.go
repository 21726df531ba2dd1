package markup

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// stockMarkdown is markdown with goldmark's own parsers: what bodies
// rendered to before bounded.go.
var stockMarkdown = sync.OnceValue(func() goldmark.Markdown { return newMarkdown(false) })

// renderWith renders src with md, before sanitizing.
func renderWith(t testing.TB, md goldmark.Markdown, src string) string {
	t.Helper()
	source := []byte(src)
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, source, md.Parser().Parse(text.NewReader(source))); err != nil {
		t.Fatalf("render %q: %v", src, err)
	}
	return buf.String()
}

// sameAsGoldmarkSeeds are inputs where the bounded parsers' work shows:
// emphasis and strikethrough in every arrangement, links whose destination
// fails or succeeds in every way, nested containers.
var sameAsGoldmarkSeeds = []string{
	"*a* **b** ***c*** _d_ __e__ ~f~ ~~g~~ ~~~h~~~ *i_ _j* *k **l** m*",
	"**a*b* *c**d ***e** f* _a_b_ a*b*c a_b_c *(a)* _(b)_ **a***b*",
	"*a [b* c](/u) d* [*e*](/v \"t\") ![*f* _g_](/i.png) *[h*](/w)",
	"*a ~~b* c~~ ~~d *e~~ f* ~a~~ ~~b~ a~~~b~~~c",
	"[a](b) [a](<b>) [a](<b) [a](b \"t\") [a](b 't') [a](b (t)) [a]( b ) [a]()",
	"[a](b\n\"t\") [a](\nb) [a](b\n) [a](b \"t\n\") [a](b \"t\" x) [a](b(c)d) [a](b(c) [a](b\\)c)",
	"[a](<b\\>c>) [a](<b>c) [a](<>) [a](< b >) [a](b)c) [x]: /r\n\n[x](y [x] [x][] [x](<z",
	"[a](b[c](d)e) [a]([b](c)) ![a](b [c](d) \"t\") [a](b\\(c) [a](\\(b) [a](b\\\\)",
	"> a\n> > b\n> > > c\n\n- a\n  - b\n    - c\n\n1. a\n   1. b\n",
	"> - a\n>   > b\n>   > - c *d*\n>   >   ~~e~~ [f](g)",
	"| a | *b* |\n|---|---|\n| [c](d) | ~~e~~ _f_ |\n| *g | h* |",
	"`*a*` *b `c*` d* [a](`b`) *a\nb* _c\n_d",
	strings.Repeat("> ", maxContainerDepth-1) + "a\n" + strings.Repeat("- ", maxContainerDepth-1) + "b\n" + strings.Repeat("1. ", maxContainerDepth-1) + "c",
	"[a]: /u\n[b]: /v \"t\"\n[c]:\n/w\n'x\ny'\n[d]: <z> (q)\ntext [a] [b][] [c][d] [e]\n\n[f]: /g\n  [h]: /i\n    [j]: /k\n[f] [h] [j]",
	strings.Repeat("[", maxOpenLabels-1) + "a" + strings.Repeat("](/u)", maxOpenLabels-1),
	strings.Repeat("![", maxOpenLabels-1) + "a" + strings.Repeat("](/u.png)", maxOpenLabels-1),
	strings.Repeat("[r]: /u\n", maxRefLines) + "[r] text",
	"a" + strings.Repeat("\"", 40) + " b " + strings.Repeat("'", 20) + "c" + strings.Repeat("\"", 17) + "\n" + strings.Repeat("'", 16) + "90s " + strings.Repeat("\"", 30),
	"\"" + strings.Repeat("\"", longRun) + "a\"\" 'twas '" + strings.Repeat("'", longRun+3) + "em Monitor 21" + strings.Repeat("\"", longRun),
	"a` b`` c`` d` e``` f`\ng``\nh`` i ``` j `\\` k` ` l ```` m",
	"a`b\n`` c\n```\nd `` e\n> f ` g\n> h ` i\n\n- j `\n  k` l\n\n\t- m ``\n\t  n``",
	"| a ` | b `` |\n|---|---|\n| c `\\|` d | e `` f |\n| ` | `` |",
	"[a `b](c)` [d ``](e) ``f](g)` `h [i]`(j)` \\`k` \\``l` m``` ````n````` ``o``",
	"a" + strings.Repeat("`", 3) + "b\nc" + strings.Repeat("`", 4) + "d\n" + strings.Repeat("`", 3) + "\ne\n" + strings.Repeat("`", 4),
	"[a\nb]: /u\n[c\nd\ne\nf]: /v 't\nu'\n[g]: /w\n[a b] [c d e f] [g]\n\n[h\\]\ni\nj\nk]: /x\n[h\\] i j k]",
	"[0]:\n[", "[a]:\n[\nb\nc\nd\ne\n[f]\n[g]: /h\n[g]",
	strings.Repeat("[a]: /u\n", maxRefLines-1) + "[b\nc\nd\ne]: /v\n" + strings.Repeat("[f]: /w\n", maxRefLines+1) + "[a] [b c d e] [f]",
	strings.Repeat("*a_", 50), strings.Repeat("[a](", 50), strings.Repeat("[a](<", 50), strings.Repeat("_*", 50),
}

// TestSameAsGoldmark checks that the bounded parsers render the seeds, and
// the hostile and ordinary inputs of the other tests, as goldmark's own do.
func TestSameAsGoldmark(t *testing.T) {
	inputs := append([]string{benchArticle()}, sameAsGoldmarkSeeds...)
	inputs = append(inputs, fuzzSeeds...)
	for _, tt := range hostileTests {
		inputs = append(inputs, tt.in)
	}
	for _, in := range inputs {
		if got, want := renderWith(t, markdown(), in), renderWith(t, stockMarkdown(), in); got != want {
			t.Errorf("%q:\n got %q\nwant %q", in, got, want)
		}
	}
}

// FuzzSameAsGoldmark looks for an input that the bounded parsers render
// differently from goldmark's own. Inputs nested deeper than
// maxContainerDepth are left out: there they differ on purpose.
func FuzzSameAsGoldmark(f *testing.F) {
	for _, s := range sameAsGoldmarkSeeds {
		f.Add(s)
	}
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4096 || longLabel(src) || strings.Count(src, ">")+strings.Count(src, "-")+strings.Count(src, "*")+strings.Count(src, "+")+strings.Count(src, ".")+strings.Count(src, ")") >= maxContainerDepth && deepContainers(src) {
			return
		}
		if got, want := renderWith(t, markdown(), src), renderWith(t, stockMarkdown(), src); got != want {
			t.Errorf("%q:\n got %q\nwant %q", src, got, want)
		}
	})
}

// longLabel reports whether some "[" in src is closed by the next "]"
// more than maxLabelLines lines on: a definition's label over that many
// lines is text on purpose (goldmark takes it). A backslash before a
// punctuation character escapes it, as in a label.
func longLabel(src string) bool {
	for i := strings.IndexByte(src, '['); i >= 0; {
		lines, next := 0, -1
	scan:
		for j := i + 1; j < len(src); j++ {
			switch src[j] {
			case '\\':
				if j+1 < len(src) && util.IsPunct(src[j+1]) {
					j++
				}
			case '\n':
				lines++
			case '[':
				next = j
				break scan
			case ']':
				if lines >= maxLabelLines {
					return true
				}
				break scan
			}
		}
		if next < 0 {
			k := strings.IndexByte(src[i+1:], '[')
			if k < 0 {
				return false
			}
			next = i + 1 + k
		}
		i = next
	}
	return false
}

// TestLongLabelNoDefinition: a definition whose label runs over more than
// maxLabelLines lines is text, and the definitions before it are taken.
func TestLongLabelNoDefinition(t *testing.T) {
	src := "[a]: /u\n[b\nc\nd\ne\nf]: /v\n\n[a] [b c d e f]"
	got, err := Render(src)
	if err != nil {
		t.Fatal(err)
	}
	want := "<p>[b\nc\nd\ne\nf]: /v</p>\n<p><a href=\"/u\">a</a> [b c d e f]</p>\n"
	if got != want {
		t.Errorf("Render(%q) = %q, want %q", src, got, want)
	}
}

// deepContainers reports whether goldmark's own parser nests blockquotes
// and list items in src maxContainerDepth deep.
func deepContainers(src string) bool {
	doc := stockMarkdown().Parser().Parse(text.NewReader([]byte(src)))
	return depthOf(doc) >= maxContainerDepth
}

func depthOf(n ast.Node) int {
	d := 0
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		d = max(d, depthOf(c))
	}
	if n.Kind() == ast.KindBlockquote || n.Kind() == ast.KindListItem {
		d++
	}
	return d
}

// fit is how many elements costing each the budget pays for, after
// fixed: a body's first paragraph is a block (cost[block]), and so is the
// paragraph in each list item or blockquote.
func fit(each, fixed int) int { return (maxWork - fixed) / each }

// inline is a paragraph of pattern repeated as often as the budget pays
// for, each costing each, then apostrophes (quote) for what is left of it,
// so that one element more is one too many.
func inline(pattern string, each int) string {
	n := fit(each, cost[block])
	left := maxWork - cost[block] - n*each
	return strings.Repeat(pattern, n) + strings.Repeat("x's ", left/cost[quote])
}

// TestBudget: a body with as many elements of a kind as its budget pays
// for renders as goldmark's own parsers render it, and with one more, the
// one more is text.
func TestBudget(t *testing.T) {
	p := cost[block] // the one paragraph of a body of inline elements
	tests := []struct {
		name        string
		at          string // as many elements as the budget pays for, or nearly
		more        string // one element more
		elements    string // what each element renders to
		count       int    // how many of them the body has
		moreRenders string // what the one more renders to, at the end
	}{
		{
			"list items",
			strings.Repeat("- a\n", fit(cost[item]+cost[block], 0)), "- b\n",
			"<li>", fit(cost[item]+cost[block], 0), "<li>a\n- b</li>\n</ul>\n",
		},
		{
			"blockquotes",
			strings.Repeat("> a\n\n", fit(cost[blockquote]+cost[block], 0)), "> b\n",
			"<blockquote>", fit(cost[blockquote]+cost[block], 0), "<blockquote>\n<p>a\nb</p>\n</blockquote>\n",
		},
		{
			"quotes in items",
			strings.Repeat("- > a\n", fit(cost[item]+cost[blockquote]+cost[block], 0)), "- b\n",
			"<blockquote>", fit(cost[item]+cost[blockquote]+cost[block], 0), "<li>\n<blockquote>\n<p>a\n- b</p>\n</blockquote>\n</li>\n</ul>\n",
		},
		{
			"paragraphs",
			strings.Repeat("a\n\n", fit(cost[block], 0)), "# b\n\nc\n",
			"<p>", fit(cost[block], 0), "<p>a\n# b\nc</p>\n",
		},
		{
			"headings and breaks",
			strings.Repeat("## a\n***\n", fit(2*cost[block], 0)), "```\nb\n```\n",
			"<h2", fit(2*cost[block], 0), "<hr>\n<p>```\nb\n```</p>\n",
		},
		{
			"raw HTML",
			inline("<b>a</b> ", 2*cost[rawHTML]), "<i>",
			"<b>", 0, "x’s &lt;i&gt;</p>\n",
		},
		{
			"links and images",
			inline("[a](/u) ![i](/i.png) ", cost[link]+cost[image]), "[b](/v)",
			`="/`, 2 * fit(cost[link]+cost[image], p), "x’s [b](/v)</p>\n",
		},
		{
			"autolinks",
			inline("<https://example.com/a> ", cost[link]), "[b](/v)",
			"<a ", fit(cost[link], p), "x’s [b](/v)</p>\n",
		},
		{
			"emphasis and code spans",
			inline("*a* `c` ", 2*cost[run]+cost[span]), "**b**",
			"<em>", fit(2*cost[run]+cost[span], p), "x’s **b**</p>\n",
		},
		{
			"strikethrough",
			inline("~~a~~ ", 2*cost[run]), "~b~",
			"<del>", fit(2*cost[run], p), "x’s ~b~</p>\n",
		},
		{
			"table cells",
			"a|b\n-|-\n" + strings.Repeat("c|d\n", (fit(cost[cell], p)-1)/3-1), "e|f\n",
			"<table>", 0, "c|d\ne|f</p>\n",
		},
		{
			"tables",
			strings.Repeat("a|b\n-|-\n\n", fit(4*cost[cell]+cost[block], 0)), "c|d\n-|-\n",
			"<table>", fit(4*cost[cell]+cost[block], 0), "</table>\n<p>c|d\n-|-</p>\n",
		},
		{
			"typography",
			strings.Repeat("it's ", fit(cost[quote], p)), "b's",
			"’", fit(cost[quote], p), " b&#39;s</p>\n",
		},
		{
			"embeds",
			strings.Repeat("https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n", fit(cost[embed]+cost[block], 0)), "https://youtu.be/dQw4w9WgXcQ\n",
			`<figure class="embed `, fit(cost[embed]+cost[block], 0), "<p>https://youtu.be/dQw4w9WgXcQ</p>\n",
		},
		{
			"shared",
			strings.Repeat("*a* ", fit(cost[run], 0)/4) + "\n\n" + strings.Repeat("[a](/u) ", fit(cost[link], 0)/2-1), "[b](/v)",
			"<a ", fit(cost[link], 0)/2 - 1, " [b](/v)</p>\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := renderWith(t, markdown(), tt.at), renderWith(t, stockMarkdown(), tt.at); got != want {
				t.Errorf("within the budget, renders differently from goldmark's own parsers:\n got ...%q\nwant ...%q", tail(got), tail(want))
			}
			out, err := Render(tt.at + tt.more)
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(out, tt.elements); n != tt.count {
				t.Errorf("one more than the budget pays for: %d %q, want %d", n, tt.elements, tt.count)
			}
			if !strings.HasSuffix(out, tt.moreRenders) {
				t.Errorf("one more than the budget pays for: ends %q, want %q", tail(out), tt.moreRenders)
			}
		})
	}
}

func tail(s string) string { return s[max(len(s)-80, 0):] }

// longRead is a story at the size limit written the way the longest
// stories are: 1,400 paragraphs, 40 subheads, 800 links, 2,000 emphases,
// thousands of quotes and apostrophes, a list of 300 items, a table of 100
// rows of 5 columns, 20 quotations with attributions.
func longRead() string {
	words := strings.Fields("the minister said on Tuesday that talks had stalled again after a week " +
		"in which both delegations traded accusations over inspection of cargo ships at three ports")
	var b strings.Builder
	w := 0
	word := func() string { w++; return words[w%len(words)] }
	b.WriteString("| a | b | c | d | e |\n|---|---|---|---|---|\n")
	for range 100 {
		b.WriteString("| " + word() + " | " + word() + " | 1.5 | 2 | " + word() + " |\n")
	}
	b.WriteString("\n")
	for range 300 {
		b.WriteString("- " + word() + " " + word() + " " + word() + "\n")
	}
	b.WriteString("\n")
	for i := 0; b.Len() < maxBodySize-400; i++ {
		switch {
		case i%35 == 0:
			b.WriteString("## " + word() + " " + word() + "\n\n")
		case i%70 == 1:
			b.WriteString("> \"" + word() + " " + word() + "\" -- " + word() + "\n>\n> -- A spokesman, to reporters\n\n")
		}
		for j := range 26 {
			switch {
			case j == 3 && i%7 < 4:
				b.WriteString("[" + word() + "](https://example.org/" + word() + ") ")
			case j == 9 || j == 17:
				b.WriteString("*" + word() + "* ")
			case j == 12:
				b.WriteString("the ministry's \"" + word() + "\" ")
			default:
				b.WriteString(word() + " ")
			}
		}
		b.WriteString(word() + ".\n\n")
	}
	return b.String()
}

// TestLongReadWithinBudget: the longest story anyone writes spends less
// than the budget, so it renders as goldmark's own parsers render it,
// every element in it.
func TestLongReadWithinBudget(t *testing.T) {
	src := longRead()
	if n := len(strings.Fields(src)); n < 38000 {
		t.Fatalf("the long read has %d words, want about 40,000", n)
	}
	md := markdown()
	pc := parser.NewContext()
	md.Parser().Parse(text.NewReader([]byte(src)), parser.WithContext(pc))
	spent := workOf(pc).spent
	t.Logf("%d bytes, %d words: %d of the budget's %d", len(src), len(strings.Fields(src)), spent, maxWork)
	if spent > maxWork*3/4 {
		t.Errorf("a long read spends %d of %d: too close to the budget", spent, maxWork)
	}
	if got, want := renderWith(t, md, src), renderWith(t, stockMarkdown(), src); got != want {
		t.Errorf("renders differently from goldmark's own parsers")
	}
}
