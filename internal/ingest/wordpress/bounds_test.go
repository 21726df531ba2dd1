package wordpress

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
)

// TestReadRefusesAnItemTooLarge: an export is read as a stream so that
// memory does not grow with its size; one hostile <item> of gigabytes
// would still be held whole (as the decoder's text and as the item's
// body). An element larger than maxElementBytes stops the reader with a
// syntax error naming where it starts, after the items before it.
func TestReadRefusesAnItemTooLarge(t *testing.T) {
	open := func() (io.ReadCloser, error) {
		r, w := io.Pipe()
		go func() {
			bw := bufio.NewWriter(w)
			head := wxr("@@")
			before, after, _ := strings.Cut(head, "@@")
			fmt.Fprint(bw, before)
			fmt.Fprint(bw, `<item><title>Fine</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>draft</wp:status></item>
<item><title>Huge</title><wp:post_id>2</wp:post_id><wp:post_type>post</wp:post_type><wp:status>draft</wp:status><content:encoded><![CDATA[`)
			chunk := strings.Repeat("a", 1<<16)
			for n := 0; n < maxElementBytes+(1<<20); n += len(chunk) {
				if _, err := bw.WriteString(chunk); err != nil {
					w.CloseWithError(err)
					return
				}
			}
			fmt.Fprint(bw, "]]></content:encoded></item>"+after)
			w.CloseWithError(bw.Flush())
		}()
		return r, nil
	}
	var ids []string
	_, err := Read(context.Background(), open, func(it *archive.Item) error {
		ids = append(ids, it.ID)
		return nil
	})
	var se *archive.SyntaxError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "larger than") || !strings.Contains(err.Error(), "line 7") {
		t.Fatalf("err = %v, want a syntax error saying the element from line 7 is too large", err)
	}
	if len(ids) != 1 || ids[0] != "1" {
		t.Errorf("emitted %v, want the item before the huge one", ids)
	}
}

// TestReadRefusesDeepNesting: elements nested without end, inside an
// item's field, in an element the reader skips, or around the channel,
// make the decoder keep a stack as deep as the nesting; the reader stops
// at a depth no export has.
func TestReadRefusesDeepNesting(t *testing.T) {
	deep := strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000)
	for name, doc := range map[string]string{
		"in a field":     wxr(`<item><title>` + deep + `</title><wp:post_id>2</wp:post_id></item>`),
		"skipped":        wxr(`<item><wp:post_id>2</wp:post_id><unknown>` + deep + `</unknown></item>`),
		"channel child":  wxr(`<wp:unknown>` + deep + `</wp:unknown>`),
		"around channel": strings.Replace(strings.Replace(wxr(""), "<channel>", deep[:len(deep)/2]+"<channel>", 1), "</channel>", "</channel>"+deep[len(deep)/2:], 1),
	} {
		_, _, err := readString(t, doc)
		var se *archive.SyntaxError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "nested deeper than") {
			t.Errorf("%s: err = %v, want a syntax error about the nesting", name, err)
		}
	}
}
