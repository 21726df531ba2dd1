package wordpress

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
)

// generate writes a WXR export of about size bytes to w: posts of a
// classic body of bodySize bytes each, every post with an attachment.
func generate(w io.Writer, size, bodySize int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<wp:base_blog_url>https://big.example</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[ed]]></wp:author_login><wp:author_display_name><![CDATA[Ed]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename><![CDATA[news]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name></wp:category>
`)
	para := strings.Repeat("The council met again and talked about the bridge. ", 8) + "\n\n"
	var body strings.Builder
	for body.Len() < bodySize {
		body.WriteString(para)
		body.WriteString("[caption id=\"attachment_1\"]<img src=\"https://big.example/a.jpg\" alt=\"\"> A caption[/caption]\n\n")
	}
	written := 0
	for id := 2; written < size; id += 2 {
		n, err := fmt.Fprintf(bw, `<item>
<title>Attachment %[1]d</title><link>https://big.example/p/%[2]d/a%[1]d/</link>
<wp:post_id>%[1]d</wp:post_id><wp:post_parent>%[2]d</wp:post_parent><wp:post_type><![CDATA[attachment]]></wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>https://big.example/wp-content/uploads/%[1]d.jpg</wp:attachment_url>
</item>
<item>
<title>Post %[2]d</title><link>https://big.example/p/%[2]d/</link><dc:creator><![CDATA[ed]]></dc:creator>
<content:encoded><![CDATA[%[3]s]]></content:encoded>
<wp:post_id>%[2]d</wp:post_id><wp:post_date_gmt>2024-01-01 00:00:00</wp:post_date_gmt><wp:post_name>post-%[2]d</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>%[1]d</wp:meta_value></wp:postmeta>
</item>
`, id, id+1, body.String())
		if err != nil {
			return err
		}
		written += n
	}
	fmt.Fprint(bw, "</channel>\n</rss>\n")
	return bw.Flush()
}

// TestReadMemoryIsBounded reads a generated export through a pipe,
// never on disk nor in memory whole, and checks that the heap stays far
// below the export's size. It reads 48 MB (32 MB with -short), a few
// seconds; NEWSDESK_WXR_MB=200 (or more) reads a bigger one.
func TestReadMemoryIsBounded(t *testing.T) {
	size := 48 << 20
	if testing.Short() {
		size = 32 << 20
	}
	if mb, err := strconv.Atoi(os.Getenv("NEWSDESK_WXR_MB")); err == nil && mb > 0 {
		size = mb << 20
	}
	const bodySize = 256 << 10
	opens := 0
	open := func() (io.ReadCloser, error) {
		opens++
		r, w := io.Pipe()
		go func() { w.CloseWithError(generate(w, size, bodySize)) }()
		return r, nil
	}
	runtime.GC()
	var ms runtime.MemStats
	var peak uint64
	posts := 0
	_, err := Read(context.Background(), open, func(it *archive.Item) error {
		posts++
		if it.Lead == nil || !strings.Contains(it.HTML, "<figcaption>A caption</figcaption>") {
			return fmt.Errorf("post %s not whole: lead %v", it.ID, it.Lead)
		}
		if posts%16 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if opens != 2 {
		t.Errorf("opened the export %d times, want 2", opens)
	}
	if want := size / (2 * bodySize); posts < want {
		t.Errorf("emitted %d posts, want at least %d", posts, want)
	}
	// A post's body is 256 KB; its copies while it is decoded and
	// converted stay within a few MB, whatever the export's size (200 MB
	// peaked at 9.4 MB). Holding the export would take more than all of it.
	limit := uint64(min(size/2, 24<<20))
	t.Logf("%d posts from %d MB read twice; peak heap %.1f MB", posts, size>>20, float64(peak)/(1<<20))
	if peak > limit {
		t.Errorf("peak heap %d MB, want under %d MB for a %d MB export", peak>>20, limit>>20, size>>20)
	}
}
