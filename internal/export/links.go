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
// Attributes are found in one pass over the page, at each `="` (an
// equals sign is rare in text, so the search skips ahead fast), by the
// name before it; a search for each of the three names was four passes,
// a tenth of a full export. The same few hundred links (navigation,
// sections, tags, authors) recur on thousands of pages, so what each raw
// value resolves to is kept in the worker's own cache for the export's
// length (see resolve).
func (r *run) links(w *worker, body []byte) []string {
	var out []string
	add := func(raw []byte) {
		if p, ok := r.resolve(w, raw); ok {
			out = append(out, p)
		}
	}
	for i := 0; ; {
		j := bytes.IndexByte(body[i:], '=')
		if j < 0 {
			break
		}
		eq := i + j
		i = eq + 1
		if i >= len(body) || body[i] != '"' {
			continue
		}
		// Every attribute's value is passed over whole, so text inside
		// one (a link's title that reads `href=`) is never taken for an
		// attribute.
		k := bytes.IndexByte(body[i+1:], '"')
		if k < 0 {
			break
		}
		val := body[i+1 : i+1+k]
		i += 1 + k
		srcset := false
		switch name := body[:eq]; {
		case attrNamed(name, "href"), attrNamed(name, "src"):
		case attrNamed(name, "srcset"):
			srcset = true
		default:
			continue
		}
		if !srcset {
			add(val)
			continue
		}
		// "URL 320w, URL 640w": each candidate's URL, still escaped as
		// resolve wants it.
		for cand := range bytes.SplitSeq(val, []byte(",")) {
			cand = bytes.TrimLeft(cand, " \t\r\n")
			if k := bytes.IndexAny(cand, " \t\r\n"); k >= 0 {
				cand = cand[:k]
			}
			if len(cand) > 0 {
				add(cand)
			}
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

// attrNamed reports whether the text before an `="` ends with the
// attribute name, preceded by a space as the site writes attributes.
func attrNamed(before []byte, name string) bool {
	n := len(before) - len(name)
	return n >= 1 && before[n-1] == ' ' && string(before[n:]) == name
}

// worker is what one of the export's workers keeps for itself.
type worker struct {
	resolved map[string]string // links as pages hold them -> their address, or "" (see links)
}

func newWorker() *worker { return &worker{resolved: map[string]string{}} }

// resolve is internal for a link as the page holds it (HTML-escaped),
// remembered in the worker's cache: no lock, and no allocation for a link
// seen before.
func (r *run) resolve(w *worker, raw []byte) (string, bool) {
	if p, ok := w.resolved[string(raw)]; ok {
		return p, p != ""
	}
	key := string(raw)
	p, _ := r.internal(html.UnescapeString(key))
	if len(w.resolved) < maxResolved {
		w.resolved[key] = p
	}
	return p, p != ""
}

// maxResolved bounds the links a worker remembers: an article's own links
// are mostly its own, and a site of a million articles should not keep
// them all.
const maxResolved = 100_000

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
