package news

import "strings"

// A section's front is at /{path}/ and its articles at /{path}/{slug}, on
// the same addresses as the site's own pages: a top section named "admin"
// or "search" would be shadowed by the newsroom or the search page (its
// stories unreachable, the navigation and the sitemap leading readers and
// crawlers into /admin/), and a section or an article named "after" would
// collide with the later pages of the list above it (/news/after/...).
// These words are refused as slugs wherever a section or an article is
// made or renamed: the importer, the newsroom, the demo, the generator, and
// any later way in, since all of them validate through this package.
//
// reservedTop is the first segment of every address the site, the
// newsroom, the APIs and a static copy answer themselves, with what is
// there. A test in internal/site walks the route tables and fails when a
// route's first segment could be a slug and is missing here, so the list
// cannot fall behind the routes. Names with a "." (robots.txt, feed.json,
// .well-known) need no place in it: no slug holds a dot.
var reservedTop = map[string]string{
	"admin":    "the newsroom (/admin/)",
	"api":      "the APIs (/api/)",
	"author":   "author pages (/author/...)",
	"media":    "photos (/media/...)",
	"oembed":   "oEmbed answers (/oembed)",
	"preview":  "draft preview links (/preview/...)",
	"search":   "the search page (/search)",
	"sitemaps": "the sitemaps (/sitemaps/...)",
	"static":   "the site's style sheet and icons (/static/...)",
	"tag":      "tag pages (/tag/...)",
}

// reservedAny are reserved at every depth, for sections and articles
// alike: the word a list's later pages are under (/news/after/MICROS-ID/,
// see the site's pagedPath).
var reservedAny = map[string]string{
	"after": "the later pages of a list (/news/after/...)",
}

// ReservedSlug says why slug cannot name a section (top: a top section) or
// an article (top false: an article is always inside a section), or ""
// when it may.
func ReservedSlug(slug string, top bool) string {
	slug = strings.ToLower(slug)
	if why, ok := reservedAny[slug]; ok {
		return why
	}
	if top {
		return reservedTop[slug]
	}
	return ""
}

// checkSectionPath checks a section path as the importer takes it
// ("news/middle-east"): every part a slug, none of them reserved at its
// depth. The section need not exist yet.
func checkSectionPath(path string) *Error {
	if path == "" {
		return Invalid("section", "is missing: give a path such as news/world")
	}
	for i, part := range strings.Split(path, "/") {
		if !ValidSlug(part) {
			return Invalid("section", "%q is not a section path: each part must be a slug (lower-case letters, digits, single hyphens) such as news/middle-east", path)
		}
		if why := ReservedSlug(part, i == 0); why != "" {
			return Invalid("section", "%q cannot be used: %q is the address of %s; choose another name", path, part, why)
		}
	}
	return nil
}
