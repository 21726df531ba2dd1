package ghost

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
)

// writeExport writes a Ghost 5 export of n posts, each with a body of
// about size bytes, its tags and authors after the posts as Ghost writes
// them. sample is called after each post is written.
func writeExport(w io.Writer, n, size int, sample func()) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	para := "<p>" + strings.Repeat("The council met again and the harbour fees rose. ", 20) + "</p>"
	body := strings.Repeat(para, max(1, size/len(para)))
	fmt.Fprint(bw, `{"db":[{"meta":{"exported_on":1716000000000,"version":"5.82.3"},"data":{"posts":[`)
	for i := range n {
		if i > 0 {
			bw.WriteString(",\n")
		}
		fmt.Fprintf(bw, `{"id":"p%d","title":"Post %d","slug":"post-%d","type":"post","status":"published","visibility":"public",`+
			`"published_at":"2024-05-10T09:00:00.000Z","updated_at":"2024-05-10T09:00:00.000Z","lexical":null,"html":%q}`, i, i, i, body)
		if sample != nil {
			sample()
		}
	}
	bw.WriteString(`],"posts_tags":[`)
	for i := range n {
		if i > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, `{"id":"pt%d","post_id":"p%d","tag_id":"t%d","sort_order":0}`, i, i, i%10)
	}
	bw.WriteString(`],"posts_authors":[`)
	for i := range n {
		if i > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, `{"id":"pa%d","post_id":"p%d","author_id":"u1","sort_order":0}`, i, i)
	}
	bw.WriteString(`],"tags":[`)
	for i := range 10 {
		if i > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, `{"id":"t%d","name":"Tag %d","slug":"tag-%d","visibility":"public"}`, i, i, i)
	}
	bw.WriteString(`],"users":[{"id":"u1","name":"Ana","slug":"ana"}]}}]}`)
	return bw.Flush()
}

// TestLargeExportHeapBounded reads a generated export of about 200 MB
// (20 MB with -short) through a pipe, so the file never exists whole,
// and checks that the heap stays small while both passes run: neither
// the file nor the posts' bodies are held.
func TestLargeExportHeapBounded(t *testing.T) {
	n, size := 2000, 100<<10
	if testing.Short() {
		n = 200
	}
	var mu sync.Mutex
	var peak uint64
	samples := 0
	sample := func() {
		samples++
		if samples%20 != 0 {
			return
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		peak = max(peak, ms.HeapAlloc)
		mu.Unlock()
	}
	open := func() (io.ReadCloser, error) {
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(writeExport(pw, n, size, sample)) }()
		return pr, nil
	}
	count := 0
	sum, err := Read(context.Background(), open, func(it *archive.Item) error {
		count++
		if it.Skip != "" || len(it.HTML) < size/2 || len(it.Section) != 1 || len(it.Authors) != 1 {
			return fmt.Errorf("item %s: skip %q, %d bytes, section %v, authors %v", it.ID, it.Skip, len(it.HTML), it.Section, it.Authors)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != n || len(sum.Sections) != 10 {
		t.Fatalf("%d items and %d sections, want %d and 10", count, len(sum.Sections), n)
	}
	total := uint64(n * size)
	t.Logf("export of %d MB read twice; heap peak %.1f MB", total>>20, float64(peak)/(1<<20))
	if limit := uint64(40 << 20); peak > limit {
		t.Errorf("heap peaked at %d MB reading a %d MB export: more than %d MB", peak>>20, total>>20, limit>>20)
	}
}
