package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    string   // Query.String()
		texts   []string // each part's Text, when checked
		ignored []string
	}{
		{in: "", want: ""},
		{in: "   \t\n", want: ""},
		{in: "Grain Corridor", want: "grain corridor"},
		{in: `"grain corridor" talks`, want: `"grain corridor" talks`},
		{in: `“grain corridor” talks`, want: `"grain corridor" talks`},
		{in: `«grain corridor»`, want: `"grain corridor"`},
		// The engines' operators are punctuation or plain words here.
		{in: `grain NEAR corridor`, want: `grain near corridor`},
		{in: `NEAR(grain corridor)`, want: `near grain corridor`},
		{in: `grain AND corridor OR talks NOT minister`, want: `grain corridor talks minister`, ignored: []string{"and", "or", "not"}},
		{in: `grain* ^corridor headline:talks`, want: `grain corridor headline talks`},
		{in: `-minister- 'port'`, want: `minister port`},
		{in: `a & b | !c`, want: `b c`, ignored: []string{"a"}},
		{in: `-minister +port (talks)`, want: `minister port talks`},
		{in: `***`, want: ``},
		{in: `"`, want: ``},
		{in: `"""`, want: ``},
		// An unclosed quote counts for nothing.
		{in: `"grain corridor`, want: `grain corridor`},
		{in: `talks "grain corridor" "port`, want: `talks "grain corridor" port`},
		// Joined words are phrases, and PostgreSQL gets them as typed.
		{in: `e-mail`, want: `"e mail"`, texts: []string{"e-mail"}},
		{in: `U.S. policy`, want: `"u s" policy`, texts: []string{"U.S", "policy"}},
		{in: `minister’s`, want: `"minister s"`, texts: []string{"minister’s"}},
		{in: `covid-19`, want: `"covid 19"`},
		// Accents are kept: the engines fold them.
		{in: `Café CRÈME`, want: `café crème`},
		// Common words alone are left out; inside a phrase they stay.
		{in: `the minister of the interior`, want: `minister interior`, ignored: []string{"the", "of", "the"}},
		{in: `"minister of the interior"`, want: `"minister of the interior"`},
		{in: `"the" "of the"`, want: ``, ignored: []string{"the", "of the"}},
		{in: `it's`, want: ``, ignored: []string{"it s"}},
		// Repeats count once.
		{in: `port Port PORT "port"`, want: `port`},
		// Invalid UTF-8 and control characters separate words.
		{in: "grain\xffcorridor", want: `grain corridor`},
		{in: "grain\x00corridor \"a\x00port\"", want: `grain corridor "a port"`, texts: []string{"grain", "corridor", "a port"}},
		// Decomposed accents become composed ones.
		{in: "cafe\u0301", want: "café"},
	}
	for _, tt := range tests {
		q := Parse(tt.in)
		if got := q.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		if tt.texts != nil {
			var texts []string
			for _, p := range q.Parts {
				texts = append(texts, p.Text)
			}
			if !slices.Equal(texts, tt.texts) {
				t.Errorf("Parse(%q) texts = %q, want %q", tt.in, texts, tt.texts)
			}
		}
		if tt.ignored != nil && !slices.Equal(q.Ignored, tt.ignored) {
			t.Errorf("Parse(%q).Ignored = %q, want %q", tt.in, q.Ignored, tt.ignored)
		}
		if q.Empty() != (tt.want == "") {
			t.Errorf("Parse(%q).Empty() = %v", tt.in, q.Empty())
		}
	}
}

func TestParseLimits(t *testing.T) {
	long := strings.Repeat("minister harbour ", 5000) // 85,000 bytes
	q := Parse(long)
	if got := q.String(); got != "minister harbour" {
		t.Errorf("a repeated query parses to %q, want the two words once", got)
	}
	var many []string
	for i := range 50 {
		many = append(many, "word"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	q = Parse(strings.Join(many, " "))
	if n := countWords(q); n != MaxWords || !q.Truncated {
		t.Errorf("50 words: kept %d (truncated %v), want %d and truncated", n, q.Truncated, MaxWords)
	}
	q = Parse(`"` + strings.Join(many[:20], " ") + `" port`)
	if got := q.String(); got != "port" || !q.Truncated {
		t.Errorf("a 20-word phrase: got %q (truncated %v), want the phrase left out", got, q.Truncated)
	}
	q = Parse(strings.Repeat("x", MaxWordLen+1) + " port")
	if got := q.String(); got != "port" || !q.Truncated {
		t.Errorf("an over-long word: got %q (truncated %v), want it left out", got, q.Truncated)
	}
	q = Parse(`"` + strings.Repeat("a-", 400) + `port"`)
	for _, p := range q.Parts {
		if len(p.Text) > maxPhraseText {
			t.Errorf("a phrase's text is %d bytes, more than %d", len(p.Text), maxPhraseText)
		}
	}
}

func countWords(q Query) int {
	n := 0
	for _, p := range q.Parts {
		n += len(p.Words)
	}
	return n
}

// checkQuery asserts what every parsed query keeps to, whatever its input.
func checkQuery(t *testing.T, in string, q Query) {
	t.Helper()
	if n := countWords(q); n > MaxWords {
		t.Fatalf("Parse(%q) kept %d words, more than %d", in, n, MaxWords)
	}
	for _, p := range q.Parts {
		if len(p.Words) == 0 {
			t.Fatalf("Parse(%q) has a part without words", in)
		}
		if !utf8.ValidString(p.Text) || strings.ContainsRune(p.Text, 0) || len(p.Text) > maxPhraseText {
			t.Fatalf("Parse(%q): part text %q is not safe to pass on", in, p.Text)
		}
		for _, w := range p.Words {
			if w == "" || !utf8.ValidString(w) || utf8.RuneCountInString(w) > MaxWordLen {
				t.Fatalf("Parse(%q): bad word %q", in, w)
			}
			for _, r := range w {
				if !isWordRune(r) {
					t.Fatalf("Parse(%q): word %q holds %q, which is not part of a word", in, w, r)
				}
			}
		}
	}
	// The canonical form is a fixed point: searching for it again finds
	// the same.
	again := Parse(q.String())
	if again.String() != q.String() {
		t.Fatalf("Parse(%q) = %q, but parsing that gives %q", in, q.String(), again.String())
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "grain corridor", `"grain corridor" talks`, `NEAR(a b) * ^ : & | !`,
		`"unbalanced`, "\xff\xfe", "e-mail U.S. minister’s", "cafe\u0301", strings.Repeat("ab ", 4000),
		`col:term OR "x" AND -y`, "«a b» „c d“", "İstanbul ǅ ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Parse(s)
		checkQuery(t, s, q)
		// Highlighting any text with any query is safe too.
		spans := q.Highlight(s)
		var b strings.Builder
		for _, sp := range spans {
			b.WriteString(sp.Text)
		}
		if b.String() != s {
			t.Fatalf("Highlight(%q) lost text: %q", s, b.String())
		}
	})
}
