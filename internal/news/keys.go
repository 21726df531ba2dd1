package news

import (
	"regexp"
	"strconv"
	"strings"
)

// Surrogate keys name what a page shows, so a CDN can purge exactly the
// pages a change touches: every page carries the keys of what it shows, and
// every change names the keys it affects. "site" is on every page; a change
// that cannot say what it affects purges "site".
//
// Keys are made of ASCII letters, digits and "-" only, so the same list can
// be sent space-separated (Fastly's Surrogate-Key), comma-separated
// (Cloudflare's Cache-Tag) or in JSON without escaping.
const (
	KeySite = "site"
	KeyHome = "home"
	// KeyLayout is on every HTML page: the navigation, breadcrumbs and
	// section names that every page shows. A section that is created,
	// renamed or reordered purges it.
	KeyLayout = "layout"
	// KeySitemap is on the sitemaps; any change to what they list (an
	// article, a section) purges it.
	KeySitemap = "sitemap"
	// KeyMissing is on the answers for addresses with no page: not-found
	// pages and redirects. A change that can give an address a page, or
	// move one, purges it, so a story published at an address a reader
	// asked for too early is not hidden behind a cached 404.
	KeyMissing = "missing"
	// KeyLists stands for the articles, authors and tags of a list too
	// long to name them all in a header (see the site's header bound).
	// Renaming an author or a tag purges it, since those names appear on
	// every list that shows their articles.
	KeyLists = "lists"
)

// ArticleKey is the surrogate key of an article.
func ArticleKey(id int64) string { return "article-" + strconv.FormatInt(id, 10) }

// SectionKey is the surrogate key of a section: its front and feeds, which
// list its subtree's articles, and the pages of its own articles. A change
// to an article names its section and every section above it, so every
// front that lists the article is purged.
func SectionKey(id int64) string { return "section-" + strconv.FormatInt(id, 10) }

// TagKey is the surrogate key of a tag.
func TagKey(id int64) string { return "tag-" + strconv.FormatInt(id, 10) }

// AuthorKey is the surrogate key of an author.
func AuthorKey(id int64) string { return "author-" + strconv.FormatInt(id, 10) }

var keyRE = regexp.MustCompile(`^((article|section|tag|author|page)-[0-9]+|home|site|layout|sitemap|missing|lists)$`)

// IsKey reports whether w is a surrogate key.
func IsKey(w string) bool { return keyRE.MatchString(w) }

// KeyID splits a key with an id ("section-12") into its kind ("section")
// and id; ok is false for the other keys.
func KeyID(key string) (kind string, id int64, ok bool) {
	kind, num, found := strings.Cut(key, "-")
	if !found || !IsKey(key) {
		return "", 0, false
	}
	id, err := strconv.ParseInt(num, 10, 64)
	return kind, id, err == nil
}

// PurgeKeys returns the keys to purge for changes that named these keys,
// without repeats: any word that is not a key widens the purge to "site".
// A change log written before changes carried keys ("article 12") reads
// as "site" here: wider than needed, never too narrow.
func PurgeKeys(words []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range words {
		if !keyRE.MatchString(w) {
			w = KeySite
		}
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
