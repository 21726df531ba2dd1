package export

import (
	"bytes"
	"html"
	"net/url"
	"strings"
)

// links returns the site addresses a page, feed or sitemap refers to:
// href, src and srcset attributes (root-relative, as the site's pages
// write them, or absolute), and every absolute URL on the primary address
// anywhere in the text (sitemaps' <loc>, feeds, Open Graph and JSON-LD).
//
// The same few hundred links (navigation, sections, tags, authors) recur
// on thousands of pages, so what each raw value resolves to is kept for
// the export's length (see resolve): parsing them again was a tenth of a
// full export.
func (r *run) links(body []byte) []string {
	var out []string
	add := func(raw []byte) {
		if p, ok := r.resolve(raw); ok {
			out = append(out, p)
		}
	}
	for _, attr := range []string{` href="`, ` src="`, ` srcset="`} {
		srcset := attr == ` srcset="`
		find := []byte(attr)
		rest := body
		for {
			i := bytes.Index(rest, find)
			if i < 0 {
				break
			}
			rest = rest[i+len(find):]
			j := bytes.IndexByte(rest, '"')
			if j < 0 {
				break
			}
			val := rest[:j]
			rest = rest[j:]
			if srcset {
				// "URL 320w, URL 640w": each candidate's URL, still
				// escaped as resolve wants it.
				for cand := range bytes.SplitSeq(val, []byte(",")) {
					cand = bytes.TrimLeft(cand, " \t\r\n")
					if k := bytes.IndexAny(cand, " \t\r\n"); k >= 0 {
						cand = cand[:k]
					}
					if len(cand) > 0 {
						add(cand)
					}
				}
				continue
			}
			add(val)
		}
	}
	prefix := []byte(r.base + "/")
	rest := body
	for {
		i := bytes.Index(rest, prefix)
		if i < 0 {
			break
		}
		rest = rest[i:]
		j := bytes.IndexAny(rest, "\"'<> \t\r\n\\)")
		if j < 0 {
			j = len(rest)
		}
		val := rest[:j]
		rest = rest[j:]
		if k := bytes.Index(val, []byte("&quot;")); k >= 0 {
			val = val[:k]
		}
		add(val)
	}
	return out
}

// resolve is internal for a link as the page holds it (HTML-escaped),
// remembered for the rest of the export.
func (r *run) resolve(raw []byte) (string, bool) {
	r.linkMu.RLock()
	p, ok := r.resolved[string(raw)] // no allocation for the lookup
	r.linkMu.RUnlock()
	if ok {
		return p, p != ""
	}
	key := string(raw)
	p, _ = r.internal(html.UnescapeString(key))
	r.linkMu.Lock()
	if len(r.resolved) < maxResolved {
		r.resolved[key] = p
	}
	r.linkMu.Unlock()
	return p, p != ""
}

// maxResolved bounds the links remembered: an article's own links are
// mostly its own, and a site of a million articles should not keep them
// all.
const maxResolved = 200_000

// internal turns a link into a site address the copy should hold: a
// root-relative path, or an absolute URL on the primary address, without
// a query (a static copy cannot answer one) or fragment.
func (r *run) internal(raw string) (string, bool) {
	if raw == "" || strings.HasPrefix(raw, "#") {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery != "" || u.Opaque != "" {
		return "", false
	}
	switch {
	case u.Scheme == "" && u.Host == "":
		if !strings.HasPrefix(raw, "/") {
			return "", false
		}
	case (u.Scheme == "http" || u.Scheme == "https") && u.Host == r.host:
	default:
		return "", false
	}
	p := u.Path
	if p == "" {
		p = "/"
	}
	if !validPath(p) || skipped(p) {
		return "", false
	}
	return p, true
}

// searchNote replaces the main part of the live search page: a copy cannot
// search, so it says so and sends the reader to the live site's search, on
// the primary address or any mirror, keeping the page's look and
// navigation.
func (r *run) searchNote(page []byte) []byte {
	open := bytes.Index(page, []byte("<main"))
	if open < 0 {
		return page
	}
	gt := bytes.IndexByte(page[open:], '>')
	end := bytes.Index(page, []byte("</main>"))
	if gt < 0 || end < open {
		return page
	}
	start := open + gt + 1
	e := html.EscapeString
	var b strings.Builder
	b.WriteString(`
<header class="page-head">
  <h1>Search</h1>
  <p class="lede">This is a copy of the site: it cannot search. Search on the live site instead.</p>
</header>
<form class="search-form" action="` + e(r.base+"/search") + `" method="get" role="search" aria-label="Search the archive on the live site">
  <p class="search-field">
    <label for="search-q">Search for</label>
    <input id="search-q" type="search" name="q" autocomplete="off" spellcheck="false">
    <button type="submit">Search</button>
  </p>
</form>
`)
	others := r.e.Site.Mirrors
	if r.e.Site.Onion != nil {
		others = append(others[:len(others):len(others)], r.e.Site.Onion)
	}
	if len(others) > 0 {
		b.WriteString("<p>If that address does not open, search at one of the site's other addresses:</p>\n<ul>\n")
		for _, m := range others {
			u := strings.TrimSuffix(m.String(), "/") + "/search"
			b.WriteString(`  <li><a href="` + e(u) + `">` + e(m.Host) + "</a></li>\n")
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString(`<p>Or browse this copy: start at the <a href="/">front page</a> or a section.</p>` + "\n")
	out := make([]byte, 0, len(page)+b.Len())
	out = append(out, page[:start]...)
	out = append(out, b.String()...)
	out = append(out, page[end:]...)
	return out
}
