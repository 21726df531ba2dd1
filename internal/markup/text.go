package markup

import (
	"bytes"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	gmhtml "github.com/yuin/goldmark/renderer/html"
)

// Text returns the plain text of a Markdown body (no markup), with white space folded, for summaries, feeds' descriptions and search.
//
// Text is the prose a reader reads: images and figures (alt text and
// captions) and raw HTML are left out; code is kept; an attributed quote's
// attribution reads "— Name"; an embed reads as its label and link, "Video
// on YouTube: https://www.youtube.com/watch?v=…". Of a body longer than Render accepts, Text
// reads only the first 256 KiB, up to the last line break in them.
func Text(src string) string {
	if len(src) > maxBodySize {
		src = src[:maxBodySize]
		if i := strings.LastIndexByte(src, '\n'); i > 0 {
			src = src[:i]
		}
	}
	source := []byte(src)
	t := textBuilder{source: source}
	t.b.Grow(len(source))
	t.walk(parse(source), false)
	return t.b.String()
}

// Excerpt returns Text(src) cut to at most n runes at a word boundary with "…" appended when cut.
//
// The "…" counts towards n, so the result is never longer than n runes, as
// feeds and meta descriptions with a length limit need. A single word longer
// than n is cut inside the word.
func Excerpt(src string, n int) string {
	if n <= 0 {
		return ""
	}
	return excerpt(Text(src), n)
}

// excerpt cuts the folded text t as Excerpt says.
func excerpt(t string, n int) string {
	if utf8.RuneCountInString(t) <= n {
		return t
	}
	// Keep n-1 runes, leaving room for the ellipsis.
	end := 0
	for range n - 1 {
		_, size := utf8.DecodeRuneInString(t[end:])
		end += size
	}
	head := t[:end]
	if t[end] != ' ' {
		if i := strings.LastIndexByte(head, ' '); i > 0 {
			head = head[:i]
		}
	}
	// "he said —…" and "the minister,…" read badly.
	head = strings.TrimRight(head, " ,;:–—-“‘«([")
	return head + "…"
}

// plainText returns the alt text of img: the plain text of its children.
func plainText(img *ast.Image, source []byte) string {
	t := textBuilder{source: source}
	t.walk(img, true)
	return t.b.String()
}

// plainInline returns Markdown inline text, such as a link title, as plain
// text: backslash escapes and entity references resolved.
func plainInline(raw []byte) string {
	if bytes.IndexAny(raw, `\&`) < 0 && bytes.IndexByte(raw, 0) < 0 {
		return string(raw)
	}
	var b bytes.Buffer
	// goldmark's own writer resolves escapes and references exactly as it
	// does when rendering; undoing its HTML escaping leaves the text.
	gmhtml.DefaultWriter.Write(bufWriter{&b}, raw)
	return html.UnescapeString(b.String())
}

// textBuilder collects the text of an AST with white space folded: runs of
// white space become one space, and none leads or trails.
type textBuilder struct {
	source []byte
	b      strings.Builder
	space  bool // a space is due before the next non-space
}

// walk adds the text under n. With images false, images and figures are
// left out, as Text wants; with true, an image's alt text is its text.
func (t *textBuilder) walk(n ast.Node, images bool) {
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if n.Type() == ast.TypeBlock {
			// Block boundaries separate words.
			t.space = true
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			v := n.Segment.Value(t.source)
			if n.IsRaw() {
				t.add(string(v))
			} else {
				t.add(plainInline(v))
			}
			if n.SoftLineBreak() || n.HardLineBreak() {
				t.space = true
			}
		case *ast.String:
			if n.IsCode() || n.IsRaw() {
				t.add(string(n.Value))
			} else {
				t.add(plainInline(n.Value))
			}
		case *ast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if s, ok := c.(*ast.Text); ok {
					t.add(string(s.Segment.Value(t.source)))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			t.add(string(n.Label(t.source)))
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := range lines.Len() {
				seg := lines.At(i)
				t.add(string(seg.Value(t.source)))
				t.space = true
			}
		case *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Image:
			if !images {
				return ast.WalkSkipChildren, nil
			}
		case *figure:
			if !images {
				return ast.WalkSkipChildren, nil
			}
		case *attribution:
			t.add("— ")
		case *embedBlock:
			// As feeds show it: what it is, and where.
			t.add(n.embed.Label() + ": " + n.embed.URL)
		}
		return ast.WalkContinue, nil
	})
}

// add appends s, folding its white space.
func (t *textBuilder) add(s string) {
	for len(s) > 0 {
		if c := s[0]; c < utf8.RuneSelf {
			if isASCIISpace(c) {
				t.space = true
				s = s[1:]
				continue
			}
			// Most text is ASCII words: copy each in one go.
			i := 1
			for i < len(s) && s[i] < utf8.RuneSelf && !isASCIISpace(s[i]) {
				i++
			}
			t.word(s[:i])
			s = s[i:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		if unicode.IsSpace(r) {
			t.space = true
		} else {
			// WriteRune, not the bytes: invalid UTF-8 becomes U+FFFD.
			t.word("")
			t.b.WriteRune(r)
		}
		s = s[size:]
	}
}

// word writes the space that is due, if any, then w.
func (t *textBuilder) word(w string) {
	if t.space && t.b.Len() > 0 {
		t.b.WriteByte(' ')
	}
	t.space = false
	t.b.WriteString(w)
}

// isASCIISpace is unicode.IsSpace for bytes below utf8.RuneSelf.
func isASCIISpace(c byte) bool {
	return c == ' ' || '\t' <= c && c <= '\r'
}

// bufWriter lets goldmark write straight into a bytes.Buffer, which already
// is the buffer goldmark's util.BufWriter asks for.
type bufWriter struct{ *bytes.Buffer }

func (w bufWriter) Buffered() int { return w.Len() }

func (bufWriter) Flush() error { return nil }
