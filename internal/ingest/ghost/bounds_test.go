package ghost

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
)

// TestReadRefusesAValueTooLarge: the export is streamed a row at a time,
// but the JSON decoder holds each value it decodes or skips whole, so one
// hostile post (or a value of a table that is skipped, or of a key beside
// "data") of gigabytes would be held in memory. A value over
// maxValueBytes stops the reader with a syntax error naming its offset,
// after the items before it.
func TestReadRefusesAValueTooLarge(t *testing.T) {
	// The decoder's buffers are garbage afterwards: collected, so that
	// the heap tests after this one measure their own.
	t.Cleanup(runtime.GC)
	post := func(id, html string) string {
		return fmt.Sprintf(`{"id":%q,"title":"T","slug":%q,"type":"post","status":"draft","visibility":"public","html":%q}`, id, id, html)
	}
	for _, c := range []struct {
		name          string
		before, after string
		wantEmitted   int
	}{
		{"a post", `{"db":[{"meta":{"version":"5.82.3"},"data":{"posts":[` + post("p1", "<p>fine</p>") + `,{"id":"p2","html":"`, `"}]}}]}`, 1},
		{"a skipped table", `{"db":[{"meta":{"version":"5.82.3"},"data":{"members":[{"email":"`, `"}],"posts":[]}}]}`, 0},
		{"beside data", `{"db":[{"meta":{"version":"5.82.3"},"other":"`, `","data":{"posts":[]}}]}`, 0},
	} {
		open := func() (io.ReadCloser, error) {
			r, w := io.Pipe()
			go func() {
				bw := bufio.NewWriter(w)
				bw.WriteString(c.before)
				chunk := strings.Repeat("a", 1<<16)
				for n := 0; n < maxValueBytes+(1<<20); n += len(chunk) {
					if _, err := bw.WriteString(chunk); err != nil {
						w.CloseWithError(err)
						return
					}
				}
				bw.WriteString(c.after)
				w.CloseWithError(bw.Flush())
			}()
			return r, nil
		}
		emitted := 0
		_, err := Read(context.Background(), open, func(it *archive.Item) error {
			emitted++
			return nil
		})
		var se *archive.SyntaxError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "larger than") {
			t.Errorf("%s: err = %v, want a syntax error saying a value is too large", c.name, err)
		}
		if emitted != c.wantEmitted {
			t.Errorf("%s: emitted %d items, want %d", c.name, emitted, c.wantEmitted)
		}
	}
}
