package site

import (
	"html/template"
	"strconv"
	"strings"
)

// frag builds a piece of a page in Go, for the parts of the templates that
// are lists of small values: the head's feed links and Open Graph tags,
// the navigation, an article's bylines, topics and share links, the home
// page's headlines. Through html/template each value costs a reflective
// call of its escaper (and of the template function that formats it), and
// those lists were most of a cold article's template time
// (docs/performance.md). The page embeds the result as template.HTML.
//
// Safety: markup goes in only through raw, which takes constant text
// written in this package, and through markup and jsonLD, which take what
// a template or encoding/json made; every value goes through text, url or
// srcset, which escape it as html/template's own escapers do in the same
// place (TestFragEscapesAsHTMLTemplate and TestSrcsetEscapesAsHTMLTemplate
// run both on the same hostile values and want the same bytes), so a page
// is byte for byte what the templates made (TestHTMLGolden).
type frag struct{ b []byte }

// newFrag returns a frag with room for n bytes.
func newFrag(n int) *frag { return &frag{b: make([]byte, 0, n)} }

// raw appends markup. Only constant strings of this package go here,
// never a value.
func (f *frag) raw(s string) { f.b = append(f.b, s...) }

// markup appends HTML that a template of this package wrote (a card), so
// escaped already for element content.
func (f *frag) markup(h template.HTML) { f.b = append(f.b, h...) }

// jsonLD appends a JSON-LD block made by addJSONLD: encoding/json escapes
// <, > and &, so nothing in it can end the script element, and in a script
// element html/template writes a template.JS as it is.
func (f *frag) jsonLD(js template.JS) { f.b = append(f.b, js...) }

// num appends a number.
func (f *frag) num(n int) { f.b = strconv.AppendInt(f.b, int64(n), 10) }

// text appends s as the text of an element or the value of a quoted
// attribute that is not a URL, as html/template's HTML and attribute
// escapers write a string: the five characters that can end or start
// markup or an entity, "+" (against UTF-7 sniffing) and NUL (as U+FFFD).
func (f *frag) text(s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		f.b = append(f.b, s[start:i]...)
		f.b = append(f.b, r...)
		start = i + 1
	}
	f.b = append(f.b, s[start:]...)
}

// url appends s as the whole value of a quoted URL attribute (href, src),
// as html/template writes a string there: a scheme other than http, https
// and mailto becomes "#ZgotmplZ"; every byte that is neither unreserved nor
// reserved in RFC 3986 (and not the start of a valid %XX) is
// percent-encoded; then "&" and "+" are written as entities, since the
// other characters the attribute escaper would change are encoded already.
func (f *frag) url(s string) {
	if !safeScheme(s) {
		s = "#ZgotmplZ"
	}
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("-._~!#$*,/:;=?@[]", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			continue
		}
		f.b = append(f.b, s[start:i]...)
		switch c {
		case '&':
			f.b = append(f.b, "&amp;"...)
		case '+':
			f.b = append(f.b, "&#43;"...)
		default:
			f.b = append(f.b, '%', hex[c>>4], hex[c&15])
		}
		start = i + 1
	}
	f.b = append(f.b, s[start:]...)
}

// safeScheme reports whether a URL has no scheme, or one that cannot run
// code: html/template's rule for URL attributes.
func safeScheme(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// html returns what was written, for a template to embed as it is.
func (f *frag) html() template.HTML { return template.HTML(f.b) }

// srcset appends s as the whole value of a quoted srcset attribute, as
// html/template writes a string there. The photo sets this package makes
// ("/media/ab/ab12...-320.jpg 320w, ...") come out as they are: every
// URL is safe and normal, every descriptor a word, and nothing needs an
// entity; that is checked here, and anything else is written by
// html/template itself.
func (f *frag) srcset(s string) {
	if srcsetAsIs(s) {
		f.b = append(f.b, s...)
		return
	}
	var b strings.Builder
	if err := srcsetTemplate.Execute(&b, s); err != nil {
		f.b = append(f.b, "#ZgotmplZ"...)
		return
	}
	out := b.String()
	f.b = append(f.b, out[len(srcsetBefore):len(out)-len(srcsetAfter)]...)
}

const srcsetBefore, srcsetAfter = `<img srcset="`, `">`

// srcsetTemplate writes what srcset cannot vouch for.
var srcsetTemplate = template.Must(template.New("srcset").Parse(srcsetBefore + "{{.}}" + srcsetAfter))

// srcsetAsIs reports whether html/template would write s unchanged in a
// srcset attribute: it holds only letters, digits, "/", ".", "_", "-",
// spaces and commas, and in each comma-separated source the descriptor
// after the URL holds only letters, digits and spaces.
func srcsetAsIs(s string) bool {
	inURL, started := true, false // in the current source
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		switch {
		case c == ',':
			inURL, started = true, false
		case c == ' ':
			if started {
				inURL = false
			}
		case alnum:
			started = true
		case c == '/' || c == '.' || c == '_' || c == '-':
			if !inURL {
				return false
			}
			started = true
		default:
			return false
		}
	}
	return true
}
