package wordpress

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
)

// FuzzRead checks that no export, however broken, makes Read panic, and
// that what it says is consistent: a syntax error names a line, and
// every item emitted names where it starts.
func FuzzRead(f *testing.F) {
	for _, path := range []string{"testdata/wp6-blocks.xml", "testdata/wp3-classic.xml", "testdata/truncated.xml"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(wxr(`<item><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status><content:encoded><![CDATA[[gallery][caption]<img>x[/caption]<!-- wp:embed {"url":"u"} -->]]></content:encoded></item>`)))
	f.Add([]byte(`<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:category><wp:category_nicename>a</wp:category_nicename><wp:category_parent>a</wp:category_parent></wp:category></channel></rss>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		sum, err := Read(context.Background(), open, func(it *archive.Item) error {
			if !strings.HasPrefix(it.At, "line ") {
				t.Errorf("item %q At = %q", it.ID, it.At)
			}
			return nil
		})
		var se *archive.SyntaxError
		switch {
		case err == nil && sum == nil:
			t.Error("no error and no summary")
		case err != nil && !errors.As(err, &se):
			t.Errorf("err = %v, want a *archive.SyntaxError", err)
		case se != nil && !strings.HasPrefix(se.At, "line "):
			t.Errorf("SyntaxError.At = %q", se.At)
		}
	})
}

// FuzzConvertBody checks that no body makes the conversion panic or
// lose the text of a body without markup.
func FuzzConvertBody(f *testing.F) {
	for _, s := range []string{
		"One\n\nTwo", "[caption]<img src=x>c[/caption]", "[gallery ids=\"1,2\"]",
		"<!-- wp:embed {\"url\":\"https://x\"} --><figure></figure><!-- /wp:embed -->",
		"<div><pre>a\n\nb</pre></div>", "[[x]] [a b=\"]\"] [/a]", "<a href='>'>x</a>\n",
	} {
		f.Add(s)
	}
	ex := newExport()
	ex.attachments["1"] = &attachment{id: "1", url: "https://x/1.jpg"}
	f.Fuzz(func(t *testing.T, s string) {
		b := &bodyConverter{ex: ex, postID: "1"}
		out := b.convert(s)
		if !strings.ContainsAny(s, "<[&") {
			if got, want := strings.Join(strings.Fields(plainText(out)), " "), strings.Join(strings.Fields(s), " "); got != want {
				t.Errorf("text changed: %q -> %q", want, got)
			}
		}
	})
}
