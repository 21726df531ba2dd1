package wordpress

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
)

// readFile reads the export at path, returning every item emitted.
func readFile(t *testing.T, path string) ([]*archive.Item, *archive.Summary, error) {
	t.Helper()
	open := func() (io.ReadCloser, error) { return os.Open(path) }
	var items []*archive.Item
	sum, err := Read(context.Background(), open, func(it *archive.Item) error {
		items = append(items, it)
		return nil
	})
	return items, sum, err
}
