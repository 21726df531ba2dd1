// Package archive is the shape every other system's export is read into
// before it is written: a WordPress export (package wordpress) and a Ghost
// export (package ghost) are each read as a stream of Items, and
// ingest.ImportArchive writes them the same way. Readers know their
// format; the writer knows the store; this package is what they agree on.
//
// A reader never writes, fetches or stores anything: it turns the export
// into Items whose bodies are plain HTML (the source's own shortcodes,
// blocks and automatic paragraphs already expanded), with every address
// as the export has it. Converting that HTML to Markdown (Convert) and
// bringing its images in is the writer's.
package archive

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Kind is what an item becomes: an article or a standing page.
type Kind string

const (
	Post Kind = "post" // an article
	Page Kind = "page" // a standing page (About, Contact, the policies)
)

// Item is one post or page of an export.
type Item struct {
	Source string // "wordpress" or "ghost"
	// ID is the source's own id for the item (WordPress's post id, Ghost's
	// object id): a re-import updates the item with the same Source and ID.
	ID   string
	Kind Kind
	// At is where the item starts in the export, for the report: "line
	// 1234" for XML, "offset 5678" for JSON.
	At string
	// Site is the old site's address ("https://example.com") when the
	// export names it (WordPress's wp:base_site_url): links in the body
	// to it become paths on this site, which the import redirects.
	Site string

	Title string
	Slug  string // the source's slug, kept when it is a valid slug
	// Status is Draft, Review (WordPress's pending), Scheduled or
	// Published. Private and password-protected items come as Draft with
	// a Note saying so.
	Status      news.Status
	PublishedAt time.Time // publication time (or the time it is scheduled for)
	ModifiedAt  time.Time // the source's last change, zero when unknown
	// Skip, when set, says why the item is not imported ("in the trash",
	// "an automatic draft", "a revision"); the report prints it.
	Skip string

	Summary string // the excerpt, plain text
	// HTML is the body: plain HTML, after the source's own processing.
	HTML string

	// Section is the primary category (WordPress) or primary tag (Ghost)
	// as a path from the top: [{news News} {russia Russia}]. Empty for a
	// page, and for a post in no category.
	Section []Term
	Tags    []Term   // in the source's order; other categories come here too
	Authors []Person // bylines in order
	Lead    *Image   // the featured image

	SEOTitle, SEODescription string

	// OldPaths are the item's addresses on the old site, path and query
	// only ("/2019/05/03/slug/", "/?p=123", "/slug/"): each answers a 301
	// to the item's new address once it is imported.
	OldPaths []string
	// Notes say what was left behind or changed for this item (code
	// injection dropped, a password removed): one report line each.
	Notes []string
}

// Term is a category or tag: its slug and its name.
type Term struct {
	Slug, Name string
}

// Person is an author: a user of the old site or a guest author.
type Person struct {
	Slug, Name, Bio string
}

// Image is a picture the export refers to by address, with its words.
type Image struct {
	URL                  string // as the export has it (absolute, or relative to Summary.SiteURL)
	Alt, Caption, Credit string
}

// Summary is what a reader learnt of the export as a whole.
type Summary struct {
	Source  string // "wordpress" or "ghost"
	SiteURL string // the old site's address ("https://example.com"), when the export names it
	// Sections are every category with its path, so that old category
	// archives (and their feeds) lead to the new section even when no
	// imported post is filed there; Tags likewise.
	Sections [][]Term
	Tags     []Term
	// OldPaths maps old addresses that are not an item's (a category or
	// tag archive, a feed, an attachment page) to what they lead to:
	// "section:news/russia", "tag:slug", "feed:", "feed:section:news",
	// "feed:tag:slug", "item:ID" (an attachment page leads to the post
	// it belongs to).
	OldPaths map[string]string
	// Counts are what the export holds that is not imported, for the
	// report: "comments", "members", "newsletters", "attachments".
	Counts map[string]int
}

// Open opens the export from its start. A reader may call it more than
// once (a WordPress export names a post's featured image after the post;
// a Ghost export lists a post's tags after every post), so the whole file
// is never held in memory.
type Open func() (io.ReadCloser, error)

// Reader reads an export as a stream: it calls emit once per item, in the
// export's order, and returns the summary when the export has been read
// to its end. An error from emit stops it and is returned as it is.
type Reader func(ctx context.Context, open Open, emit func(*Item) error) (*Summary, error)

// SyntaxError is an export that cannot be read on from some point: it
// names where (At: "line 1234" or "offset 5678") and what is wrong. Items
// emitted before it are whole; the one it interrupts is not emitted.
type SyntaxError struct {
	At  string
	Err error
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s: %v", e.At, e.Err) }
func (e *SyntaxError) Unwrap() error { return e.Err }
