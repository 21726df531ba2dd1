package search

import (
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/newsdesk/newsdesk/internal/markup"
)

// Span is a piece of a text, marked when it is a match. Spans are plain
// text: whoever shows them escapes Text and wraps a match in <mark> (a
// template does both), so nothing from an article or an engine is ever
// trusted as HTML.
type Span struct {
	Text  string
	Match bool
}

// SnippetWords is how many words a snippet shows at most.
const SnippetWords = 36

// Highlight splits text into spans, marking the words that match the query:
// a word with the same stem as a query word ("recognizing" for
// "recognize"), in any case and with or without accents, and a phrase's
// words where they stand in the phrase's order.
func (q Query) Highlight(text string) []Span {
	return q.matcher().spans(text)
}

// Snippet is SnippetText for a body written in Markdown: it reads the
// body's passages first (Passages), which costs a Markdown parse per
// paragraph. Search results have their passages stored, and use
// SnippetText.
func (q Query) Snippet(summary, body string) []Span {
	return q.SnippetText(summary, Passages(body))
}

// SnippetText chooses the passage of an article that best shows why it
// matched and marks the matches in it: the summary or the body's passage
// with the most of the query's words, cut to about SnippetWords words
// around the first match. passages is the body's plain text, a passage a
// line, as Passages makes it. When nothing matches in either (the headline
// did), the snippet is the start of the summary, or of the body.
//
// It parses no Markdown and reads each passage at most once: a snippet
// takes time linear in the article's length, whatever the article holds.
func (q Query) SnippetText(summary, passages string) []Span {
	m := q.matcher()
	best, bestScore := summary, m.score(summary)
	// A passage with every part of the query is good enough: stop there.
	all := len(m.parts) * 1000
	if bestScore < all {
		// After the first passage that matches, a few more are looked
		// at for a better one: a long story is not read to its end for a
		// word it has in every paragraph.
		more := -1
		for p := range strings.SplitSeq(passages, "\n") {
			if more == 0 {
				break
			}
			more--
			if sc := m.score(p); sc > bestScore {
				best, bestScore = p, sc
				if sc >= all {
					break
				}
				if more < 0 {
					more = 5
				}
			}
		}
	}
	if bestScore == 0 {
		best = summary
		if strings.TrimSpace(summary) == "" {
			best, _, _ = strings.Cut(passages, "\n")
		}
	}
	return m.window(best, SnippetWords)
}

// MaxPassage is the longest passage Passages keeps, in bytes: a paragraph
// is a few hundred words, and a longer passage (a story written without
// blank lines, or a hostile one) is cut at a word boundary, so that
// choosing and cutting a snippet reads a bounded amount of it.
const MaxPassage = 16 << 10

// Passages returns the plain text of a Markdown body for SnippetText: its
// paragraphs and other blocks (the runs of lines between blank lines),
// photos left out, each as markup.Text makes it, a passage a line. It is
// stored with each article when it is saved, so that a search's snippets
// parse no Markdown.
func Passages(body string) string {
	var b strings.Builder
	for block := range blocks(body) {
		t := plainText(block)
		if len(t) > MaxPassage {
			t = cutPassage(t)
		}
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(t)
	}
	return b.String()
}

// cutPassage cuts t to at most MaxPassage bytes, at a space when there is
// one in the second half, and at a rune boundary always.
func cutPassage(t string) string {
	end := MaxPassage
	for end > 0 && !utf8.RuneStart(t[end]) {
		end--
	}
	if i := strings.LastIndexByte(t[:end], ' '); i > MaxPassage/2 {
		end = i
	}
	return t[:end]
}

// plainText is the text of one Markdown block, as markup.Text makes it.
// Most paragraphs are only words and punctuation that Markdown leaves as
// they are: for those it folds the white space itself and spares the
// Markdown parser, which costs more than the rest of a snippet.
func plainText(block string) string {
	if !utf8.ValidString(block) || strings.ContainsAny(block, "*_`[]<>!&\\|~#'\"=+\x00") || strings.Contains(block, "--") || strings.Contains(block, "...") ||
		(block != "" && (block[0] == '-' || block[0] >= '0' && block[0] <= '9')) {
		return markup.Text(block)
	}
	return strings.Join(strings.Fields(block), " ")
}

// blocks yields the paragraphs (and other blocks) of a Markdown body: the
// runs of lines between blank lines, leaving out photos, which are not
// prose.
func blocks(body string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for len(body) > 0 {
			end := strings.Index(body, "\n\n")
			var b string
			if end < 0 {
				b, body = body, ""
			} else {
				b, body = body[:end], body[end+2:]
			}
			b = strings.TrimSpace(b)
			if b == "" || strings.HasPrefix(b, "![") {
				continue
			}
			if !yield(b) {
				return
			}
		}
	}
}

// matcher finds a query's words in text.
type matcher struct {
	parts [][]string     // each part's word keys, in order
	terms map[string]int // a plain word's key -> its part
	// firsts are the first two bytes of every key: a word whose folded
	// form starts otherwise cannot match, and is skipped without
	// stemming. (Stemming only ever changes the end of a word.)
	firsts map[string]bool
	// asciiFirsts is firsts for ASCII words, as a bit per pair of lower
	// case bytes (the second 0 for a one-letter word): the test most
	// words of a text fail, done without hashing.
	asciiFirsts *[1 << 16 / 64]uint64
	// stems are what a folded word must start with to have one of the
	// keys as its stem: the key less the three letters stemming may
	// have changed at its end ("hoping" -> "hope", "happy" -> "happi").
	stems []string
}

func newMatcher(q Query) *matcher {
	m := &matcher{terms: map[string]int{}, firsts: map[string]bool{}, asciiFirsts: new([1 << 16 / 64]uint64)}
	for i, p := range q.Parts {
		keys := make([]string, len(p.Words))
		for j, w := range p.Words {
			keys[j] = key(w)
			f2 := first2(fold(w))
			m.firsts[f2] = true
			if i := pairIndex(f2); i >= 0 {
				m.asciiFirsts[i/64] |= 1 << (i % 64)
			}
			pre := keys[j][:max(min(2, len(keys[j])), len(keys[j])-3)]
			if !slices.Contains(m.stems, pre) {
				m.stems = append(m.stems, pre)
			}
		}
		m.parts = append(m.parts, keys)
		if len(keys) == 1 {
			m.terms[keys[0]] = i
		}
	}
	return m
}

// word is a word of a text at text[start:end], with its key when it could
// match ("" when it cannot).
type word struct {
	start, end int
	key        string
}

// words cuts text into words as the engines do, with keys for the words
// that could match.
func (m *matcher) words(text string) []word {
	var out []word
	eachWord(text, func(start, end int) {
		out = append(out, m.word(text, start, end))
	})
	return out
}

// eachWord calls fn with the bounds of each word of text, in order.
func eachWord(text string, fn func(start, end int)) {
	start := -1
	for i := 0; i < len(text); {
		c := text[i]
		in, size := asciiWord[c], 1
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			in = isWordRune(r)
		}
		if in && start < 0 {
			start = i
		} else if !in && start >= 0 {
			fn(start, i)
			start = -1
		}
		i += size
	}
	if start >= 0 {
		fn(start, len(text))
	}
}

// word makes the word at text[start:end], with its key when it could match.
func (m *matcher) word(text string, start, end int) word {
	w := word{start: start, end: end}
	s := text[start:end]
	if len(s) > 4*MaxWordLen {
		return w
	}
	if s[0] < utf8.RuneSelf && (len(s) < 2 || s[1] < utf8.RuneSelf) {
		// Most words are ASCII: look at their first two letters before
		// folding and stemming the whole word.
		var p [2]byte
		n := copy(p[:], s)
		for i := range n {
			if 'A' <= p[i] && p[i] <= 'Z' {
				p[i] += 'a' - 'A'
			}
		}
		i := int(p[0])<<8 | int(p[1])
		if m.asciiFirsts[i/64]&(1<<(i%64)) == 0 {
			return w
		}
	}
	f := fold(s)
	if !m.firsts[first2(f)] {
		return w
	}
	for _, pre := range m.stems {
		if strings.HasPrefix(f, pre) {
			w.key = stem(f)
			break
		}
	}
	return w
}

// asciiWord tells which ASCII bytes are part of a word: letters and digits.
var asciiWord = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// marks returns, for each word, 0 when it does not match, or the number
// (from 1) of the match it belongs to: the words of one phrase match share
// a number, so they can be marked as one.
func (m *matcher) marks(ws []word) (marks []int, matched map[int]bool) {
	marks = make([]int, len(ws))
	matched = map[int]bool{}
	n := 0
	for i, w := range ws {
		if w.key == "" {
			continue
		}
		if p, ok := m.terms[w.key]; ok && marks[i] == 0 {
			n++
			marks[i] = n
			matched[p] = true
		}
		for p, keys := range m.parts {
			if len(keys) < 2 || keys[0] != w.key || i+len(keys) > len(ws) {
				continue
			}
			all := true
			for j := 1; j < len(keys); j++ {
				if ws[i+j].key != keys[j] {
					all = false
					break
				}
			}
			if all {
				n++
				for j := range keys {
					marks[i+j] = n
				}
				matched[p] = true
			}
		}
	}
	return marks, matched
}

// score rates a passage: how many of the query's parts it matches, then how
// many matches it has. It looks only at the words that could match, which
// makes it cheap enough to run over every paragraph of every result.
func (m *matcher) score(text string) int {
	if text == "" || len(m.parts) == 0 {
		return 0
	}
	var ws []word
	n := 0
	eachWord(text, func(start, end int) {
		if w := m.word(text, start, end); w.key != "" {
			// The word's position goes in start, so phrases can tell
			// words in a row from words apart.
			w.start = n
			ws = append(ws, w)
		}
		n++
	})
	var matched uint64 // bit p: part p matched (a query has at most MaxWords parts)
	total := 0
	for i, w := range ws {
		if p, ok := m.terms[w.key]; ok {
			matched |= 1 << p
			total++
		}
		for p, keys := range m.parts {
			if len(keys) < 2 || keys[0] != w.key || i+len(keys) > len(ws) {
				continue
			}
			all := true
			for j := 1; j < len(keys); j++ {
				if ws[i+j].key != keys[j] || ws[i+j].start != w.start+j {
					all = false
					break
				}
			}
			if all {
				matched |= 1 << p
				total++
			}
		}
	}
	return bits.OnesCount64(matched)*1000 + min(total, 999)
}

// spans marks the matches in text.
func (m *matcher) spans(text string) []Span {
	ws := m.words(text)
	marks, _ := m.marks(ws)
	return build(text, ws, marks, 0, len(text))
}

// build turns text[from:to] into spans, a match covering its words and
// what lies between the words of one phrase.
func build(text string, ws []word, marks []int, from, to int) []Span {
	var out []Span
	pos := from
	for i := 0; i < len(ws); i++ {
		if marks[i] == 0 || ws[i].start < from || ws[i].end > to {
			continue
		}
		j := i
		for j+1 < len(ws) && marks[j+1] == marks[i] && ws[j+1].end <= to {
			j++
		}
		if ws[i].start > pos {
			out = append(out, Span{Text: text[pos:ws[i].start]})
		}
		out = append(out, Span{Text: text[ws[i].start:ws[j].end], Match: true})
		pos = ws[j].end
		i = j
	}
	if pos < to {
		out = append(out, Span{Text: text[pos:to]})
	}
	return out
}

// window cuts text to about n words, starting a few words before the first
// match, marks the matches, and shows a cut with "…".
func (m *matcher) window(text string, n int) []Span {
	ws := m.words(text)
	marks, _ := m.marks(ws)
	if len(ws) <= n {
		return build(text, ws, marks, 0, len(text))
	}
	firstMatch := 0
	for i, k := range marks {
		if k != 0 {
			firstMatch = i
			break
		}
	}
	startWord := max(0, firstMatch-6)
	startWord = min(startWord, len(ws)-n)
	endWord := startWord + n - 1
	from, to := 0, len(text)
	if startWord > 0 {
		from = ws[startWord].start
	}
	if endWord < len(ws)-1 {
		to = ws[endWord].end
	}
	spans := build(text, ws, marks, from, to)
	if from > 0 {
		spans = append([]Span{{Text: "… "}}, spans...)
	}
	if to < len(text) {
		spans = append(spans, Span{Text: " …"})
	}
	return spans
}

// key is what two forms of a word share when the engines treat them as
// one: folded case and accents, then the stem.
func key(w string) string { return stem(fold(w)) }

// fold lowers a word's case and removes its accents: "Café" -> "cafe".
func fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(w)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// pairIndex is the bit of asciiFirsts for the first two bytes f2 of a
// folded word, or -1 when they are not ASCII.
func pairIndex(f2 string) int {
	if f2 == "" || f2[0] >= utf8.RuneSelf || len(f2) > 1 && f2[1] >= utf8.RuneSelf {
		return -1
	}
	i := int(f2[0]) << 8
	if len(f2) > 1 {
		i |= int(f2[1])
	}
	return i
}

// first2 is the first two bytes of s (all of it when shorter).
func first2(s string) string {
	if len(s) > 2 {
		return s[:2]
	}
	return s
}
