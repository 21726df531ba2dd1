package site

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// hostileTitles are headlines written to break out of the share links'
// query strings: extra recipients, a body of the attacker's, a fragment
// that cuts the link short, encoded and raw delimiters.
var hostileTitles = []string{
	"Harbour reopens&cc=boss@example.net&bcc=spy@example.net&body=Click%20here",
	"a=b&to=victim@example.net",
	"Plus+sign; semi;colon? question #hash",
	"Already %26 encoded %0D%0Abcc: x@example.net",
	"Line\r\nBcc: x@example.net",
	"Fish & chips \"tax\" <for now> 'quoted' (maybe) 100%",
	"Ünïcödé — 新闻 & ‮evil",
}

// TestShareLinksKeepTheirQuery parses every share link made for a hostile
// headline and URL: each has exactly its service's parameters, and they
// decode to the headline and the address as given. With url.PathEscape in
// the mailto: link, a headline's "&cc=" became a recipient.
func TestShareLinksKeepTheirQuery(t *testing.T) {
	want := map[string][]string{
		"X":        {"text", "url"},
		"Facebook": {"u"},
		"Telegram": {"text", "url"},
		"WhatsApp": {"text"},
		"E-mail":   {"body", "subject"},
	}
	pages := []string{
		"https://news.example.org/news/europe/harbour-reopens",
		"https://news.example.org/news/x?cc=a@b.c&body=d#frag",
	}
	for _, title := range hostileTitles {
		for _, page := range pages {
			links := shareLinks(page, title)
			if len(links) != len(want) {
				t.Fatalf("%d share links, want %d", len(links), len(want))
			}
			for _, l := range links {
				u, err := url.Parse(l.URL)
				if err != nil {
					t.Errorf("%s link for %q does not parse: %v", l.Name, title, err)
					continue
				}
				if u.Fragment != "" || u.Opaque != "" {
					t.Errorf("%s link for %q: fragment %q, opaque %q: the headline cut the link", l.Name, title, u.Fragment, u.Opaque)
				}
				q, err := url.ParseQuery(u.RawQuery)
				if err != nil {
					t.Errorf("%s link for %q: query %q: %v", l.Name, title, u.RawQuery, err)
					continue
				}
				var keys []string
				for k, vs := range q {
					keys = append(keys, k)
					if len(vs) != 1 {
						t.Errorf("%s link for %q: %q given %d times", l.Name, title, k, len(vs))
					}
				}
				slices.Sort(keys)
				if !slices.Equal(keys, want[l.Name]) {
					t.Errorf("%s link for %q has parameters %q, want %q\n%s", l.Name, title, keys, want[l.Name], l.URL)
				}
				text := map[string]string{"text": title, "subject": title, "url": page, "u": page, "body": page}
				if l.Name == "WhatsApp" {
					text["text"] = title + " " + page
				}
				for k, v := range q {
					if v[0] != text[k] {
						t.Errorf("%s link for %q: %s decodes to %q, want %q", l.Name, title, k, v[0], text[k])
					}
				}
				if l.Name == "E-mail" {
					if u.Scheme != "mailto" || strings.ContainsAny(u.RawQuery, "+ ") {
						t.Errorf("mailto link %q: a space is %%20 and a plus %%2B in a mailto: header (RFC 6068)", l.URL)
					}
				}
			}
		}
	}
}

// TestMailtoEscapeKeepsPlainLinks holds an ordinary headline's e-mail link
// to the bytes it always had, so pages and copies do not all change.
func TestMailtoEscapeKeepsPlainLinks(t *testing.T) {
	for in, want := range map[string]string{
		"Ferry strike ends": "Ferry%20strike%20ends",
		"https://news.example.org/news/europe/ferry-strike-ends": "https:%2F%2Fnews.example.org%2Fnews%2Feurope%2Fferry-strike-ends",
		"Fish & chips = 2+2; ok?":                                "Fish%20%26%20chips%20%3D%202%2B2%3B%20ok%3F",
		"Café":                                                   "Caf%C3%A9",
	} {
		if got := mailtoEscape(in); got != want {
			t.Errorf("mailtoEscape(%q) = %q, want %q", in, got, want)
		}
	}
}
