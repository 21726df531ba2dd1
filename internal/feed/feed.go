// Package feed writes what other software reads from a news site: RSS 2.0
// (with Media RSS, content:encoded and dc:creator), Atom 1.0, JSON Feed 1.1,
// sitemaps and sitemap indexes (with images), and Google News sitemaps. It
// also announces changed feeds to a WebSub hub.
//
// The writers are pure: they take values the caller has filled in (absolute
// URLs, plain-text titles, sanitized HTML) and write bytes. They know nothing
// of the store or of HTTP, so one rendering is tested once, here, and the
// site only decides what goes in.
package feed

import (
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"
)

// Feed is a list of items in any of the three formats. Every URL in it is
// absolute.
type Feed struct {
	Title       string
	Description string
	Language    string // BCP 47, e.g. "en" or "pt-BR"
	HomeURL     string // the web page the feed follows
	FeedURL     string // this feed's own address, in the format written
	Hub         string // a WebSub hub that announces changes; "" for none
	Logo        string // the publication's logo; "" for none
	Publisher   Person // the publication: Atom's feed author, JSON Feed's authors
	// Updated is when the feed last changed. A zero Updated is the newest
	// item's Updated.
	Updated time.Time
	Items   []Item // newest first
}

// Item is one article in a feed.
type Item struct {
	// ID identifies the article for good, across edits of its headline,
	// slug and section: a tag: URI made by TagURI, not its address.
	ID          string
	URL         string
	Title       string // plain text
	Summary     string // plain text
	ContentHTML string // the whole article as sanitized HTML with absolute URLs (see AbsoluteHTML)
	Published   time.Time
	Updated     time.Time
	Authors     []Person // in credit order
	Categories  []string // tags, by name
	Image       *Image   // the lead photo, or nil
}

// Person is an author (a reporter or an agency) or the publication.
type Person struct {
	Name string
	URL  string
}

// Image is a photo that goes with an item: its largest public copy.
type Image struct {
	URL     string
	Type    string // media type, "image/jpeg"
	Width   int
	Height  int
	Length  int64 // bytes; 0 when unknown, as RSS enclosures allow
	Alt     string
	Caption string
	Credit  string
}

// updated returns the feed's Updated, or its newest item's.
func (f *Feed) updated() time.Time {
	if !f.Updated.IsZero() {
		return f.Updated
	}
	var t time.Time
	for _, it := range f.Items {
		if u := it.updatedOrPublished(); u.After(t) {
			t = u
		}
	}
	return t
}

func (it *Item) updatedOrPublished() time.Time {
	if it.Updated.After(it.Published) {
		return it.Updated
	}
	return it.Published
}

// TagURI returns a tag: URI (RFC 4151) for an article: the authority is a
// host name the publication holds ("news.example.org"), and the date the
// year the article was first published, when the publication held it. It
// depends on neither slug nor section, so it survives every edit.
func TagURI(authority string, published time.Time, kind string, id int64) string {
	return fmt.Sprintf("tag:%s,%d:%s/%d", strings.ToLower(authority), published.UTC().Year(), kind, id)
}

// AbsoluteHTML resolves the relative URLs in the href, src and cite
// attributes of sanitized HTML against base, the article's own address.
// Feed readers show content away from the site, and they disagree on what
// a relative URL in it is relative to.
//
// It scans rather than parses: the sanitizer writes every attribute as
// name="value" and escapes every quote in text, so `="` only ever ends an
// attribute name.
func AbsoluteHTML(s string, base *url.URL) string {
	var b strings.Builder
	last := 0
	for i := 0; ; {
		j := strings.Index(s[i:], `="`)
		if j < 0 {
			break
		}
		j += i
		start := j + 2
		n := strings.IndexByte(s[start:], '"')
		if n < 0 {
			break
		}
		end := start + n
		k := j
		for k > 0 && (s[k-1] >= 'a' && s[k-1] <= 'z' || s[k-1] == '-') {
			k--
		}
		if name := s[k:j]; k > 0 && isSpace(s[k-1]) && (name == "href" || name == "src" || name == "cite") {
			if u, ok := resolve(s[start:end], base); ok {
				if b.Len() == 0 {
					b.Grow(len(s) + 256)
				}
				b.WriteString(s[last:start])
				b.WriteString(u)
				last = end
			}
		}
		i = end + 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// resolve makes an attribute's URL absolute; ok is false when it is
// absolute already (or scheme-relative, or unreadable) and stays as it is.
func resolve(attr string, base *url.URL) (string, bool) {
	raw := html.UnescapeString(attr)
	if strings.HasPrefix(raw, "//") {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || u.IsAbs() {
		return "", false
	}
	return html.EscapeString(base.ResolveReference(u).String()), true
}

// rfc822 is the date format of RSS 2.0, with a four-digit year and a
// numeric zone, which every reader parses.
const rfc822 = "Mon, 02 Jan 2006 15:04:05 -0700"

// rfc3339 formats a time for Atom, JSON Feed and sitemaps, in UTC.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
