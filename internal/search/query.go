// Package search is the reader's side of full-text search that needs no
// database: it turns what someone typed into a Query of plain words and
// phrases that the store can hand to either engine without any of the
// engines' own operators, reads the search parameters of a URL, and marks
// the matching words in headlines and snippets.
//
// The engines decide what matches and how it ranks (see internal/store);
// this package never builds SQL or engine syntax itself.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on a query. Anything past them is ignored, so that no input, however
// long or strange, costs more than a short query does.
const (
	// MaxWords is how many words a query keeps, counting each word of a
	// phrase. Ten words find any story; more only slow the engine down.
	MaxWords = 10
	// MaxWordLen is the longest word kept, in characters: no word of any
	// language is longer, and the engines would not index one that was.
	MaxWordLen = 64
	// maxScan is how much of the input is read at all, in bytes.
	maxScan = 2048
	// maxPhraseText bounds the text of one phrase handed to PostgreSQL's
	// parser, in bytes.
	maxPhraseText = 512
)

// Part is one thing a query asks for: a word, or words that must appear
// next to each other in this order.
type Part struct {
	// Words are the part's words in lower case: one for a plain word, two
	// or more for a phrase.
	Words []string
	// Text is the phrase as typed, without quotes: PostgreSQL reads it with
	// its own parser, which splits "e-mail" or "U.S." just as it split the
	// text it indexed. For a plain word it is the word.
	Text string
}

// Phrase reports whether the part is words in a row rather than one word.
func (p Part) Phrase() bool { return len(p.Words) > 1 }

// Query is a search as the engines get it: every part must match.
type Query struct {
	Parts []Part
	// Ignored are words left out because they are too common to search for
	// ("the", "and"), in the order typed. Both engines would ignore them or
	// match nearly everything with them.
	Ignored []string
	// Truncated is true when words past MaxWords, or longer than
	// MaxWordLen, were left out.
	Truncated bool

	// m finds the query's words in text, made once by Parse for every
	// headline and snippet a page marks; read-only, so safe to share.
	m *matcher
}

// matcher returns the query's matcher, making one for a Query not made by
// Parse.
func (q Query) matcher() *matcher {
	if q.m != nil {
		return q.m
	}
	return newMatcher(q)
}

// Empty reports whether the query has nothing to search for.
func (q Query) Empty() bool { return len(q.Parts) == 0 }

// Terms returns the plain words of the query (not those in phrases).
func (q Query) Terms() []string {
	var out []string
	for _, p := range q.Parts {
		if !p.Phrase() {
			out = append(out, p.Words[0])
		}
	}
	return out
}

// Phrases returns the query's phrases.
func (q Query) Phrases() []Part {
	var out []Part
	for _, p := range q.Parts {
		if p.Phrase() {
			out = append(out, p)
		}
	}
	return out
}

// String is the query as it is searched for: its words, and its phrases in
// quotes. Parsing it again gives the same query.
func (q Query) String() string {
	var b strings.Builder
	for i, p := range q.Parts {
		if i > 0 {
			b.WriteByte(' ')
		}
		if p.Phrase() {
			b.WriteByte('"')
			b.WriteString(strings.Join(p.Words, " "))
			b.WriteByte('"')
		} else {
			b.WriteString(p.Words[0])
		}
	}
	return b.String()
}

// Parse reads a query as a reader types it: words, and phrases in double
// quotes (straight or typographic). Everything else is a word separator:
// the engines' operators (NEAR, AND, *, ^, :, &, |, !, parentheses, minus)
// are not operators here, only punctuation or ordinary words. A word joined
// to another by a hyphen, an apostrophe or a full stop ("e-mail", "U.S.",
// "minister's") is a phrase of its parts, as both engines index it so.
// A quote left open counts for nothing: its words are ordinary words.
//
// Parse accepts any input, including invalid UTF-8, and does work
// proportional to at most the first 2 KiB of it.
func Parse(s string) Query {
	if len(s) > maxScan {
		s = s[:maxScan]
	}
	// Control characters (NUL above all, which PostgreSQL refuses in text)
	// separate words like spaces.
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, norm.NFC.String(strings.ToValidUTF8(s, " ")))
	var (
		q       Query
		words   int
		seen    = map[string]bool{}
		quoted  strings.Builder
		inQuote bool
	)
	// add keeps one part, unless it adds nothing or goes past the limits.
	add := func(text string, ws []string) {
		kept := ws[:0:0]
		for _, w := range ws {
			if utf8.RuneCountInString(w) > MaxWordLen {
				q.Truncated = true
				return
			}
			kept = append(kept, w)
		}
		ws = kept
		if len(ws) == 0 {
			return
		}
		if allStop(ws) {
			q.Ignored = append(q.Ignored, strings.Join(ws, " "))
			return
		}
		if len(ws) == 1 {
			text = ws[0]
		}
		key := strings.Join(ws, " ")
		if seen[key] {
			return
		}
		if words+len(ws) > MaxWords {
			q.Truncated = true
			return
		}
		if len(text) > maxPhraseText {
			text = key
		}
		seen[key] = true
		words += len(ws)
		q.Parts = append(q.Parts, Part{Words: ws, Text: text})
	}
	// chunks adds the words of unquoted text, a word joined to the next
	// by a hyphen, an apostrophe or a full stop making a phrase with it.
	chunks := func(text string) {
		for _, c := range strings.FieldsFunc(text, func(r rune) bool { return !isWordRune(r) && !isJoiner(r) }) {
			c = strings.TrimFunc(c, isJoiner)
			if c == "" {
				continue
			}
			add(c, splitWords(c))
		}
	}
	start := 0
	for i, r := range s {
		if !isQuote(r) {
			continue
		}
		if inQuote {
			quoted.WriteString(s[start:i])
			text := strings.TrimSpace(quoted.String())
			add(text, splitWords(text))
			quoted.Reset()
		} else {
			chunks(s[start:i])
		}
		inQuote = !inQuote
		start = i + utf8.RuneLen(r)
	}
	// An unclosed quote: its words are ordinary words.
	chunks(s[start:])
	q.m = newMatcher(q)
	return q
}

// splitWords returns the words of s in lower case: runs of letters, digits
// and combining marks, as SQLite's unicode61 tokenizer cuts them.
func splitWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) }) {
		out = append(out, strings.ToLower(w))
	}
	return out
}

// isWordRune reports whether r is part of a word: a letter, a digit or a
// number, a combining mark, or a private-use character. Everything else
// separates words, as in the engines' tokenizers.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r) || unicode.Is(unicode.Co, r)
}

// isJoiner reports whether r joins two words into one that the engines
// index as the two in a row: "e-mail", "minister's", "U.S.".
func isJoiner(r rune) bool {
	switch r {
	case '-', '\'', '.', '’', '‐', '‑', '·':
		return true
	}
	return false
}

// isQuote reports whether r opens or closes a phrase. Phones type
// typographic quotes; other languages use « » and „ “.
func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '‟', '«', '»', '＂':
		return true
	}
	return false
}

func allStop(ws []string) bool {
	for _, w := range ws {
		if !stopWords[w] {
			return false
		}
	}
	return true
}

// stopWords are words too common to search for on their own. PostgreSQL's
// English configuration leaves out much the same list; leaving them out on
// SQLite too gives the same results on both, and spares SQLite from ranking
// nearly every story for "the".
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all am an and any are as at
		be because been before being below between both but by can did do does doing down during
		each few for from further had has have having he her here hers herself him himself his how
		i if in into is it its itself just me more most my myself no nor not now of off on once only
		or other our ours ourselves out over own same she should so some such than that the their
		theirs them themselves then there these they this those through to too under until up very
		was we were what when where which while who whom why will with you your yours yourself
		yourselves s t d ll m re ve don`) {
		m[w] = true
	}
	return m
}()
