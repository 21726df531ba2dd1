package feed

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// xmlWriter writes indented XML one element at a time, so a sitemap of
// 50,000 URLs is never held whole. encoding/xml would do, but it cannot
// write prefixed names (media:content) cleanly and escapes every newline
// of an article's HTML as &#xA;. The first write error sticks; later calls
// do nothing, and err reports it.
type xmlWriter struct {
	w     *bufio.Writer
	depth int
	err   error
}

func newXMLWriter(w io.Writer) *xmlWriter {
	x := &xmlWriter{w: bufio.NewWriterSize(w, 16<<10)}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	return x
}

func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

// spaces is indentation for any depth these documents reach.
const spaces = "                                "

func (x *xmlWriter) indent() { x.raw(spaces[:min(2*x.depth, len(spaces))]) }

// tag writes "<name attr="v" ...", attrs given as name, value pairs; a
// pair with an empty value is left out.
func (x *xmlWriter) tag(name string, attrs []string) {
	x.raw("<")
	x.raw(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		x.raw(" ")
		x.raw(attrs[i])
		x.raw(`="`)
		x.escape(attrs[i+1], true)
		x.raw(`"`)
	}
}

// open starts an element that will hold others.
func (x *xmlWriter) open(name string, attrs ...string) {
	x.indent()
	x.tag(name, attrs)
	x.raw(">\n")
	x.depth++
}

// close ends the element open started.
func (x *xmlWriter) close(name string) {
	x.depth--
	x.indent()
	x.raw("</")
	x.raw(name)
	x.raw(">\n")
}

// text writes an element holding text. Empty text writes nothing: every
// optional element of these formats is better absent than empty.
func (x *xmlWriter) text(name, text string, attrs ...string) {
	if text == "" {
		return
	}
	x.indent()
	x.tag(name, attrs)
	x.raw(">")
	x.escape(text, false)
	x.raw("</")
	x.raw(name)
	x.raw(">\n")
}

// empty writes an element with attributes only.
func (x *xmlWriter) empty(name string, attrs ...string) {
	x.indent()
	x.tag(name, attrs)
	x.raw("/>\n")
}

// flush writes out what is buffered and returns the first error.
func (x *xmlWriter) flush() error {
	if x.err == nil {
		x.err = x.w.Flush()
	}
	return x.err
}

// escape writes s as XML character data or an attribute value. Characters
// XML 1.0 does not allow (most control characters, broken UTF-8) are
// dropped or replaced: one stray byte in a headline must not make a whole
// feed unreadable.
func (x *xmlWriter) escape(s string, attr bool) {
	if x.err != nil {
		return
	}
	last := 0
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' && c != '"' {
			i++ // the common case: plain ASCII
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		var rep string
		switch {
		case r == '&':
			rep = "&amp;"
		case r == '<':
			rep = "&lt;"
		case r == '>':
			rep = "&gt;"
		case r == '"' && attr:
			rep = "&quot;"
		case r == '\n' && attr:
			// A parser turns a raw newline or tab in an attribute into a
			// space; escaped, it keeps them.
			rep = "&#xA;"
		case r == '\t' && attr:
			rep = "&#x9;"
		case r == '\r':
			rep = "&#xD;"
		case r == utf8.RuneError && size == 1:
			rep = "\uFFFD"
		case !xmlChar(r):
			rep = ""
		default:
			i += size
			continue
		}
		x.raw(s[last:i])
		x.raw(rep)
		i += size
		last = i
	}
	x.raw(s[last:])
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// cleanText drops what XML cannot carry from a string that goes into JSON
// beside XML formats, so every format says the same.
func cleanText(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !xmlChar(r) }) < 0 && utf8.ValidString(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if !xmlChar(r) {
			return -1
		}
		return r
	}, s)
}
