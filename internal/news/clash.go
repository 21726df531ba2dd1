package news

import "fmt"

// A section's front is at /{path}/ and its articles at /{path}/{slug}, so
// an article and a subsection of one section with the same slug would be
// /news/world and /news/world/: two pages that readers, links and search
// engines tell apart by a slash alone, and that a static copy cannot hold
// both (the file news/world and the folder news/world/). The rule is that
// the slugs of a section's articles and of its subsections are one set of
// names: whichever comes second is refused, whatever the way in (the
// newsroom, an import, the API), since all of them save through the store,
// which looks the other half up in the same transaction and refuses with
// one of the errors below.
//
// A pair made before the rule stays as it is: it is not refused again
// until the article or the section moves or changes its slug, so starting
// and editing go on, and `export` names the pair.

// SlugTakenBySection is the error for an article whose address would be
// the subsection at sectionPath ("news/world", named name) without its
// final slash.
func SlugTakenBySection(sectionPath, name string) *Error {
	return &Error{Code: ECONFLICT, Field: "slug", Message: fmt.Sprintf(
		"/%s cannot be this story's address: the section “%s” is at /%s/, and a story and a section cannot share an address; choose another slug",
		sectionPath, name, sectionPath)}
}

// SlugTakenByArticle is the error for a section whose front would be the
// article at articlePath ("news/world") with a final slash.
func SlugTakenByArticle(articlePath string) *Error {
	return &Error{Code: ECONFLICT, Field: "slug", Message: fmt.Sprintf(
		"/%s/ cannot be this section's address: a story is at /%s in the section above it, and a story and a section cannot share an address; choose another slug",
		articlePath, articlePath)}
}
