package ingest

import (
	"github.com/newsdesk/newsdesk/internal/ingest/archive"
	"github.com/newsdesk/newsdesk/internal/ingest/ghost"
	"github.com/newsdesk/newsdesk/internal/ingest/wordpress"
)

// SniffBytes is how much of a file DetectArchive needs to see.
const SniffBytes = 16 << 10

// DetectArchive says, from a file's first SniffBytes, whether it is an
// export of another system that ImportArchive can read, and returns its
// reader: by content, never by the file's name. Nil: not an export (a
// Markdown file, say).
func DetectArchive(head []byte) archive.Reader {
	switch {
	case wordpress.Sniff(head):
		return wordpress.Read
	case ghost.Sniff(head):
		return ghost.Read
	}
	return nil
}
