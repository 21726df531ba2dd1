// Package web holds the templates and static assets, embedded in the binary.
package web

import "embed"

// Templates are the HTML templates: for the public site, layout.html,
// parts.html and one file per page family in templates/; the newsroom's in
// templates/admin/.
//
//go:embed templates
var Templates embed.FS

// Static are the assets served under /static/, each under a content-hashed
// name.
//
//go:embed static
var Static embed.FS
