package news

import (
	"regexp"
	"strconv"
)

// Surrogate keys name what a page shows, so a CDN can purge exactly the
// pages a change touches: every page carries the keys of what it shows, and
// every change names the keys it affects. "site" is on every page; a change
// that cannot say what it affects purges "site".
const (
	KeySite = "site"
	KeyHome = "home"
)

// ArticleKey is the surrogate key of an article.
func ArticleKey(id int64) string { return "article-" + strconv.FormatInt(id, 10) }

// SectionKey is the surrogate key of a section's own articles.
func SectionKey(id int64) string { return "section-" + strconv.FormatInt(id, 10) }

// TagKey is the surrogate key of a tag.
func TagKey(id int64) string { return "tag-" + strconv.FormatInt(id, 10) }

// AuthorKey is the surrogate key of an author.
func AuthorKey(id int64) string { return "author-" + strconv.FormatInt(id, 10) }

var keyRE = regexp.MustCompile(`^((article|section|tag|author)-[0-9]+|home|site)$`)

// PurgeKeys returns the keys to purge for changes that named these keys,
// without repeats: any word that is not a key widens the purge to "site".
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
