package search

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/markup"
)

// marked renders spans with [brackets] around matches, for readable tests.
func marked(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		if s.Match {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestHighlight(t *testing.T) {
	tests := []struct{ query, text, want string }{
		{"recognize", "Officials are recognizing the new border; it was recognized.", "Officials are [recognizing] the new border; it was [recognized]."},
		{"cafe", "The Café on the square", "The [Café] on the square"},
		{"café", "a cafe, cafés and CAFES", "a [cafe], [cafés] and [CAFES]"},
		{`"grain corridor"`, "The grain corridor reopened; grain prices and the corridor", "The [grain corridor] reopened; grain prices and the corridor"},
		{`"minister of the interior" police`, "The Minister of the Interior met police; the minister", "The [Minister of the Interior] met [police]; the minister"},
		{"e-mail", "by e-mail or by mail", "by [e-mail] or by mail"},
		{"port", "<b>Port</b> & portal", "<b>[Port]</b> & portal"},
		{"nothing", "No match here.", "No match here."},
		{"", "No query.", "No query."},
	}
	for _, tt := range tests {
		if got := marked(Parse(tt.query).Highlight(tt.text)); got != tt.want {
			t.Errorf("Parse(%q).Highlight(%q) =\n\t%q\nwant\n\t%q", tt.query, tt.text, got, tt.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	body := "The council met on Monday.\n\n![A photo of the harbour](/media/x.jpg \"Caption | AFP\")\n\n" +
		"# What happened\n\n" +
		"In a long session that lasted well into the night, after hours of argument about budgets, schools, roads, the old library and " +
		"the future of the ferry service to the islands, the councillors finally voted to rebuild the **harbour wall** before winter, " +
		"a decision that the [mayor](https://example.org) welcomed and that fishermen had demanded for years.\n\n" +
		"> “We waited too long,” said one fisherman.\n>\n> — Ole Brandt\n"
	tests := []struct {
		name, query, summary, want string
	}{
		{"body paragraph, cut to end at its end, Markdown gone", "harbour wall", "The council decides.",
			"… old library and the future of the ferry service to the islands, the councillors finally voted to rebuild the [harbour] [wall] before winter, a decision that the mayor welcomed and that fishermen had demanded for years."},
		{"the summary when it matches as well", "council", "The council decides.", "The [council] decides."},
		{"a phrase", `"harbour wall"`, "", "… old library and the future of the ferry service to the islands, the councillors finally voted to rebuild the [harbour wall] before winter, a decision that the mayor welcomed and that fishermen had demanded for years."},
		{"a quote", "waited", "Summary.", "“We [waited] too long,” said one fisherman. — Ole Brandt"},
		{"no match in the text: the summary", "headline", "The council decides.", "The council decides."},
		{"no match and no summary: the body's start", "headline", "", "The council met on Monday."},
		{"photos are not prose", "caption", "", "The council met on Monday."},
	}
	for _, tt := range tests {
		if got := marked(Parse(tt.query).Snippet(tt.summary, body)); got != tt.want {
			t.Errorf("%s: got\n\t%q\nwant\n\t%q", tt.name, got, tt.want)
		}
	}
}

func TestSnippetLength(t *testing.T) {
	body := strings.Repeat("word ", 500) + "target " + strings.Repeat("word ", 500)
	spans := Parse("target").Snippet("", body)
	text := marked(spans)
	if n := len(strings.Fields(text)); n > SnippetWords+2 {
		t.Errorf("snippet has %d words, want at most %d and the two ellipses", n, SnippetWords)
	}
	if !strings.Contains(text, "[target]") || !strings.HasPrefix(text, "… ") || !strings.HasSuffix(text, " …") {
		t.Errorf("snippet %q: want the match, cut on both sides", text)
	}
}

func BenchmarkSnippet(b *testing.B) {
	var body strings.Builder
	for i := range 40 {
		body.WriteString("Officials in the regional capital said on Tuesday that talks on the new grain corridor had stalled again, ")
		body.WriteString("after a week in which both delegations traded accusations over the inspection of cargo ships.\n\n")
		if i == 30 {
			body.WriteString("The harbour master recognized the problem.\n\n")
		}
	}
	q := Parse("harbour recognize")
	for b.Loop() {
		q.Snippet("A summary about the talks.", body.String())
	}
}

// FuzzPlainText checks the shortcut for plain paragraphs: whatever the
// block, its text is what markup.Text makes of it.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"Plain words, and more.", "A *word*", "[link](/x)", "1. item", "- item", "a -- b", "it's",
		"“quoted”", "# Heading", "Line one\nline two", "    code", "a  \nb", "x<y", "AT&T", "e=mc2", "a\tb", "Ünïcödé ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.Contains(s, "\n\n") || len(s) > 2000 {
			return // blocks() never gives one
		}
		s = strings.TrimSpace(s)
		if got, want := plainText(s), markup.Text(s); got != want {
			t.Fatalf("plainText(%q) = %q, markup.Text = %q", s, got, want)
		}
	})
}
