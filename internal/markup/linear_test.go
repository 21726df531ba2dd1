package markup

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// quadratic are bodies built to take goldmark time that grows with the
// square of their length: each is a pattern repeated up to about the size
// limit. The first five took 4 to 40 seconds each before bounded.go.
var quadratic = []struct {
	name    string
	pattern string // repeated
	tail    string // repeated as often, after the pattern
}{
	{"emphasis *a_", "*a_", ""},
	{"links [a](", "[a](", ""},
	{"angle links [a](<", "[a](<", ""},
	{"nested blockquotes", "> ", ""},
	{"nested lists", "1. ", ""},
	{"link lines [a](", "[a](\n", ""},
	{"brackets [a(", "[a(", ""},
	{"bracket lines [a]", "[a]\n", ""},
	{"emphasis _*", "_*", ""},
	{"emphasis **a", "**a", ""},
	{"strikethrough ~~a", "~~a", ""},
	{"mixed delimiters *_~", "*a_b~c", ""},
	{"nested brackets", "[", "]"},
	{"nested images", "![", "](/a.png)"},
	{"nested emphasis", "*a ", "b* "},
	{"image in link", "[![a](/b.png)", "](c)"},
	{"open brackets", "[", ""},
	{"images ![", "![", ""},
	{"angle brackets", "<", ""},
	{"tags <a ", "<a ", ""},
	{"attributes <a href='", "<a href='", ""},
	{"backticks", "`", ""},
	{"code spans", "`a", ""},
	{"entities", "&amp;", ""},
	{"numeric entities", "&#", ""},
	{"backslashes", "\\", ""},
	{"footnote-like [^", "[^", ""},
	{"titles [a](b \"", "[a](b \"", ""},
	{"titles [a](b (", "[a](b (", ""},
	{"reference links [a][", "[a][", ""},
	{"definitions", "[a]: /b\n", ""},
	{"definitions with labels of 4 lines", "[a\nb\nc\nd]: /e\n", ""},
	{"indented lists", "- a\n  ", ""},
	{"list items", "- a\n", ""},
	{"quotes and dashes", "\"a' -- ", ""},
	{"table rows", "| a | *b | [c](", ""},
	{"quote runs", "a", "\""},
	{"apostrophe runs", "a", "'"},
	{"long destination", "[a](", "x"},
	{"paren destination", "[a](", "("},
}

// dense are bodies that make an element, or a block, for every few bytes:
// linear, but the most work per byte. Each is a pattern repeated up to
// about the size limit, then a tail repeated as often.
var dense = []struct {
	name    string
	pattern string
	tail    string
}{
	{"paragraphs", "a\n\n", ""},
	{"lines", "a\n", ""},
	{"hard breaks", "a  \n", ""},
	{"headings", "# a\n", ""},
	{"setext headings", "a\n-\n", ""},
	{"thematic breaks", "***\n", ""},
	{"fenced code", "```\na\n```\n", ""},
	{"html blocks", "<div>\n\n", ""},
	{"blockquote paragraphs", "> a\n\n", ""},
	{"attributed quotes", "> a\n>\n> -- b\n\n", ""},
	{"ordered items", "1. a\n", ""},
	{"nested items", "- a\n  - b\n", ""},
	{"quotes in items", "- > a\n", ""},
	{"links in items", "- [a](/b)\n", ""},
	{"table", "|a|\n|-|\n", "|b|\n"},
	{"small tables", "|a|\n|-|\n\n", ""},
	{"complete links", "[a](/b) ", ""},
	{"images", "![a](/b.png) ", ""},
	{"figures", "![a](/b.png \"c | d\")\n\n", ""},
	{"embeds", "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n", ""},
	{"autolinks", "<https://a.example> ", ""},
	{"emphasis *a*", "*a* ", ""},
	{"strong **a**", "**a** ", ""},
	{"code spans `a`", "`a` ", ""},
	{"entity storm", "&amp;&lt;&#35;&#x26;&copy;", ""},
	{"escapes", "\\*", ""},
	{"dashes and ellipses", "--...", ""},
	{"apostrophes", "a'b ", ""},
	{"brackets and emphasis", "[a(*a_", ""},
}

// shapedQuadratic are bodies built to take goldmark time that grows with
// the square of their length, which are no pattern repeated: each is
// built for a size.
var shapedQuadratic = []struct {
	name  string
	build func(size int) string
}{
	{"backtick runs of each length", backtickRunLines},
	{"definition label over every line", func(size int) string {
		return "[" + strings.Repeat("a\n", (size-2)/2) + "]"
	}},
	{"table 1,000 columns wide", func(size int) string {
		head := strings.Repeat("a|", 1000) + "\n" + strings.Repeat("-|", 1000) + "\n"
		return head + strings.Repeat("a\n", (size-len(head))/2)
	}},
	{"every kind of element, then paragraphs", func(size int) string {
		// About as much of each as the budget pays for (maxWork), in
		// all, then the most blocks for the bytes left.
		var b strings.Builder
		b.WriteString(strings.Repeat("- a\n", 2000) + "\n")
		b.WriteString(strings.Repeat("[a](/b) ", 1000) + "\n\n")
		b.WriteString(strings.Repeat("![a](/b.png) ", 600) + "\n\n")
		b.WriteString(strings.Repeat("*a* ", 2000) + "\n\n")
		b.WriteString(strings.Repeat("a's ", 6000) + "\n\n")
		b.WriteString("a|b\n-|-\n" + strings.Repeat("c|d\n", 500) + "\n")
		for b.Len()+3 <= size {
			b.WriteString("a\n\n")
		}
		return b.String()
	}},
	{"reference uses", func(size int) string {
		const def = "\n\n[a]: /b"
		return strings.Repeat("[a] ", (size-len(def))/4) + def
	}},
	{"definitions then an open title", func(size int) string {
		head := strings.Repeat("[a\nb\nc\nd]: /u\n", 63) + "[a]: /u '\n"
		return head + strings.Repeat("t\n", (size-len(head))/2)
	}},
}

// backtickRunLines is about size bytes: lines "a`", "a“", "a```" and so on
// (no two runs of one length, so none closes another), then lines "a".
// goldmark searched every line after each run for its closer, making a node
// for each: 6 s at the size limit.
func backtickRunLines(size int) string {
	var b strings.Builder
	for n := 1; n <= 400 && b.Len()+n+2 <= size; n++ {
		b.WriteString("a" + strings.Repeat("`", n) + "\n")
	}
	for b.Len()+2 <= size {
		b.WriteString("a\n")
	}
	return b.String()
}

// quadraticBodies returns the body of each quadratic case, of about size
// bytes, by name, and with dense set, of each dense case after them.
func quadraticBodies(size int, withDense bool) []struct{ name, src string } {
	var bodies []struct{ name, src string }
	for _, q := range quadratic {
		bodies = append(bodies, struct{ name, src string }{q.name, quadraticBody(q.pattern, q.tail, size)})
	}
	for _, q := range shapedQuadratic {
		bodies = append(bodies, struct{ name, src string }{q.name, q.build(size)})
	}
	if withDense {
		for _, q := range dense {
			bodies = append(bodies, struct{ name, src string }{q.name, quadraticBody(q.pattern, q.tail, size)})
		}
	}
	return bodies
}

// quadraticBody returns the body of a quadratic case, about size bytes.
func quadraticBody(pattern, tail string, size int) string {
	n := size / (len(pattern) + len(tail))
	return strings.Repeat(pattern, n) + strings.Repeat(tail, n)
}

// TestRenderLinear renders each quadratic body at the size limit: each
// takes tens of milliseconds. The budget is generous so that a busy machine
// does not fail the test; before bounded.go the first five took 4 to 40 s.
func TestRenderLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 11 MB of Markdown")
	}
	const budget = 2 * time.Second
	for _, q := range quadraticBodies(maxBodySize-16, false) {
		t.Run(q.name, func(t *testing.T) {
			src := q.src
			start := time.Now()
			if _, err := Render(src); err != nil {
				t.Fatal(err)
			}
			_ = Text(src)
			if d := time.Since(start); d > budget {
				t.Errorf("Render and Text of %d bytes of %s took %v, more than %v", len(src), q.name, d, budget)
			}
		})
	}
}

// BenchmarkRenderQuadratic renders each quadratic and dense body at the
// size limit. The goal is under 100 ms for any. Besides the wall time it reports the
// process's CPU time per rendering (cpu-ms/op, garbage collection
// included), which other work on a shared machine does not inflate.
func BenchmarkRenderQuadratic(b *testing.B) {
	for _, q := range quadraticBodies(maxBodySize-16, true) {
		src := q.src
		b.Run(q.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := Render(src); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// FuzzRenderLinear looks for a shape of body whose rendering time grows
// faster than its length: the body is a repeated k times then b repeated k
// times, rendered for a small k and for four times k. Linear time makes the
// second about four times slower; the test fails at more than twelve,
// which quadratic time is. Run it on an idle machine: a busy one makes the
// timings noisy. (Render's and Text's time budget at the size limit is
// TestRenderLinear's.)
func FuzzRenderLinear(f *testing.F) {
	for _, q := range quadratic {
		f.Add(q.pattern, q.tail)
	}
	for _, q := range dense {
		f.Add(q.pattern, q.tail)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		unit := len(a) + len(b)
		if unit == 0 || unit > 64 {
			return
		}
		small := quadraticBody(a, b, 16<<10)
		large := quadraticBody(a, b, 64<<10)
		// A busy machine can slow one measurement down: it takes
		// three in a row to fail.
		var ts, tl time.Duration
		for range 3 {
			ts, tl = renderTime(small), renderTime(large)
			if tl <= 12*ts || tl <= 50*time.Millisecond {
				return
			}
		}
		t.Errorf("%q then %q: %d bytes took %v, %d bytes %v: more than linear", a, b, len(small), ts, len(large), tl)
	})
}

// renderTime is the shortest of three renderings of src, with its Text.
func renderTime(src string) time.Duration {
	best := time.Duration(1 << 62)
	for range 3 {
		start := time.Now()
		_, _ = Render(src)
		_ = Text(src)
		best = min(best, time.Since(start))
	}
	return best
}
