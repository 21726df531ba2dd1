// Package demo holds the sample newsroom that `newsdesk serve --demo` loads
// into an empty database.
//
// The newsroom is Meridian 24, an invented international TV news
// broadcaster. Every person, place, organisation and event in it is
// fictional; the news agencies credited (AFP, Reuters, AP, Interfax,
// RIA Novosti) appear only as bylines and photo credits on invented stories.
package demo

import (
	"embed"
	"io/fs"
)

// Content is the sample newsroom as the Markdown importer reads it: one
// article per .md file under content/<top>/<sub>/<slug>.md, each with YAML
// front matter (title, date, section, summary, authors, tags, image, and
// optionally slug, lastmod, draft, corrections), and the lead photos under
// content/images/, referred to by paths relative to each article. Every .md
// file in it is an article; regenerate the photos with
// `go run internal/demo/genimages/main.go`.
//
//go:embed content
var Content embed.FS

// Files is Content with the leading "content/" removed, so that article
// paths start at the top section ("news/world/...").
func Files() fs.FS {
	sub, err := fs.Sub(Content, "content")
	if err != nil {
		panic(err) // "content" is a valid path, so fs.Sub cannot fail
	}
	return sub
}
