package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPassages(t *testing.T) {
	body := "The council met on *Monday*.\n\n![A photo](/media/x.jpg \"Caption | AFP\")\n\n" +
		"# What happened\n\nThe [mayor](https://example.org) spoke,\nat length.\n\n" +
		"> “We waited,” he said.\n>\n> — Ole Brandt\n\nA photo ![inline](/m.jpg) in a sentence."
	want := "The council met on Monday.\nWhat happened\nThe mayor spoke, at length.\n“We waited,” he said. — Ole Brandt\nA photo in a sentence."
	if got := Passages(body); got != want {
		t.Errorf("Passages:\n got %q\nwant %q", got, want)
	}

	long := strings.Repeat("é word ", MaxPassage/4)
	got := Passages("Short.\n\n" + long)
	first, second, _ := strings.Cut(got, "\n")
	if first != "Short." || len(second) > MaxPassage || len(second) < MaxPassage/2 || !utf8.ValidString(second) || strings.HasSuffix(second, " ") {
		t.Errorf("a passage of %d bytes became %d bytes (%q...): want it cut to at most %d at a space", len(long), len(second), second[:min(len(second), 20)], MaxPassage)
	}
}

// TestSnippetTextParsesNoMarkdown: SnippetText takes its passages as plain
// text, as stored: it parses no Markdown, whatever they hold, so that a
// search's snippets cost the same for any story.
func TestSnippetTextParsesNoMarkdown(t *testing.T) {
	passages := "The council met.\nThe *harbour* [wall](/x) is `old`."
	want := "The *[harbour]* [wall](/x) is `old`."
	if got := marked(Parse("harbour").SnippetText("", passages)); got != want {
		t.Errorf("got %q, want %q: the passage read as it is", got, want)
	}
}

// TestSnippetOfSnippetText: a snippet from a body's stored passages is the
// snippet of the body.
func TestSnippetOfSnippetText(t *testing.T) {
	body := "The council met on Monday.\n\nThe **harbour wall** is [old](/x).\n\n- one harbour\n- two"
	for _, q := range []string{"harbour", "council", "nothing", `"harbour wall"`} {
		if a, b := marked(Parse(q).Snippet("", body)), marked(Parse(q).SnippetText("", Passages(body))); a != b {
			t.Errorf("%s: Snippet %q, SnippetText %q", q, a, b)
		}
	}
}

// BenchmarkSnippetHostile chooses a snippet from the passages of a body
// that is one paragraph of a quarter megabyte (the size limit), where the
// match is at the end: what a search pays per such result.
func BenchmarkSnippetHostile(b *testing.B) {
	passages := Passages(strings.Repeat("*a_", 80000) + " harbour")
	q := Parse("harbour")
	for b.Loop() {
		q.SnippetText("", passages)
	}
}
