package ghost

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
)

// FuzzRead checks that no export, however broken, makes Read or Sniff
// panic, and that Read ends either with a summary or with an error that
// names an offset.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"data":{"posts":[{"id":1,"title":"T","lexical":"{\"root\":{\"children\":[{\"type\":\"gallery\",\"images\":[1,{\"src\":2}]}]}}"}]}}`))
	f.Add([]byte(`{"data":{"posts":[{"id":"a","title":"T","mobiledoc":"{\"version\":\"0.3.1\",\"sections\":[[10,5],[1,\"p\",[[0,[9],3,\"x\"]]]]}"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		Sniff(data)
		open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		sum, err := Read(context.Background(), open, func(it *archive.Item) error {
			if it.Source != Source || !strings.HasPrefix(it.At, "offset ") {
				t.Errorf("item %+v", it)
			}
			return nil
		})
		if err == nil && sum == nil {
			t.Fatal("no error and no summary")
		}
		var se *archive.SyntaxError
		if err != nil && (!errors.As(err, &se) || !strings.HasPrefix(se.At, "offset ")) {
			t.Fatalf("err = %v (%T), want a SyntaxError with an offset", err, err)
		}
	})
}

// FuzzRender feeds editor documents straight to the two renderers, which
// read JSON that only Ghost's editor ever checked.
func FuzzRender(f *testing.F) {
	f.Add(`{"root":{"children":[{"type":"paragraph","children":[{"type":"text","text":"a","format":255}]}]}}`)
	f.Add(`{"version":"0.3.1","atoms":[["soft-return","",{}]],"cards":[["image",{"src":"x"}]],"markups":[["a",["href"]]],"sections":[[1,"p",[[1,[0],1,0]]],[10,0],[3,"ol",[[[0,[],0,"i"]]]]]}`)
	f.Add(`{"root":{"children":[{"type":"markdown","markdown":"*a* <b>"},{"type":"list","children":[{"type":"listitem","children":[{"type":"list","children":[]}]}]}]}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		renderLexical(doc)
		renderMobiledoc(doc)
	})
}
