package markup

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// fuzzSeeds are ordinary bodies using every feature, to start the fuzzer
// from valid Markdown; the hostile inputs are added too.
var fuzzSeeds = []string{
	"# Head\n\n## Sub\n\nText with **bold**, *em*, `code` and ~~del~~.",
	`"Quoted," she said -- it's 'fine' --- really...`,
	"![Rescuers](/media/rescue.jpg \"In this file photo | AFP\")",
	"text ![a](/m.jpg \"t\") and ![b](https://x.example/b.png) end",
	"> \"We will not stop,\" he said.\n>\n> -- Vladimir Putin",
	"> Quote.\n>\n> — Jane Doe, *minister*",
	"[a](https://example.com \"t\") [b](/x) [c](mailto:a@b.c) <https://e.com> <a@b.c>",
	"| a | b |\n|:--|--:|\n| 1 | 2 |",
	"- one\n- two\n\n1. a\n2. b\n\n---\n\n```go\nx := 1\n```",
	"[x][r]\n\n[r]: /url \"title\"",
	"Before.\n\nhttps://youtu.be/dQw4w9WgXcQ?t=90\n\n<https://x.com/NASA/status/123>\n\nhttps://www.openstreetmap.org/#map=12/52.52/13.4",
}

func FuzzRender(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, tt := range hostileTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out, err := Render(src)
		if err != nil {
			t.Fatalf("Render(%q): %v", src, err)
		}
		if p := problems(out); p != nil {
			t.Errorf("Render(%q) = %q: %v", src, out, p)
		}
		// The sanitizer is the second line of defence, not the first:
		// the renderer's own output must pass too.
		raw, err := renderHTML([]byte(src))
		if err != nil {
			t.Fatalf("renderHTML(%q): %v", src, err)
		}
		if p := problems(string(raw)); p != nil {
			t.Errorf("renderHTML(%q) = %q: %v", src, raw, p)
		}
	})
}

func FuzzText(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, 20)
	}
	for _, tt := range hostileTests {
		f.Add(tt.in, 5)
	}
	f.Fuzz(func(t *testing.T, src string, n int) {
		text := Text(src)
		if !utf8.ValidString(text) {
			t.Errorf("Text(%q) = %q: invalid UTF-8", src, text)
		}
		if strings.HasPrefix(text, " ") || strings.HasSuffix(text, " ") || strings.Contains(text, "  ") {
			t.Errorf("Text(%q) = %q: white space not folded", src, text)
		}
		if strings.ContainsFunc(text, func(r rune) bool { return r != ' ' && unicode.IsSpace(r) }) {
			t.Errorf("Text(%q) = %q: white space other than a space", src, text)
		}

		n %= 400
		ex := Excerpt(src, n)
		switch {
		case n <= 0:
			if ex != "" {
				t.Errorf("Excerpt(%q, %d) = %q, want empty", src, n, ex)
			}
		case utf8.RuneCountInString(ex) > n:
			t.Errorf("Excerpt(%q, %d) = %q: longer than %d runes", src, n, ex, n)
		case utf8.RuneCountInString(text) <= n:
			if ex != text {
				t.Errorf("Excerpt(%q, %d) = %q, want the whole text %q", src, n, ex, text)
			}
		case !strings.HasSuffix(ex, "…") || !strings.HasPrefix(text, strings.TrimSuffix(ex, "…")):
			t.Errorf("Excerpt(%q, %d) = %q: not a cut of %q", src, n, ex, text)
		}
	})
}
