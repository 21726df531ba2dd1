package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestManifestEncoding holds the hand-written manifest encoder to
// encoding/json: the same JSON once whitespace is taken out, keys in the
// same order (article ids sorted as strings), the same escaping, empty
// lists left out, and a manifest that reads back equal. Each line but the
// first and last few is one file or one article.
func TestManifestEncoding(t *testing.T) {
	for _, m := range []*Manifest{
		{Format: manifestFormat, Files: map[string]FileEntry{}, Articles: map[int64]ArticleEntry{}},
		{
			Format: manifestFormat, Generator: "newsdesk v1.2.3", Site: "https://news.example.org/", Config: "0ebd1874",
			Updated: time.Date(2026, 12, 7, 3, 4, 5, 0, time.UTC), Change: 123456789,
			Files: map[string]FileEntry{
				"index.html":                      {SHA256: strings.Repeat("ab", 32), Size: 2091},
				"news/europe/index.html":          {SHA256: strings.Repeat("cd", 32), Size: 0},
				"tag/caf\u00e9/index.html":        {SHA256: "x", Size: 1 << 40},
				"odd/\"quoted\" & <b>/\x01\u2028": {SHA256: "\\", Size: -1},
			},
			Articles: map[int64]ArticleEntry{
				9:  {Path: "/news/nine", Section: "news", Published: 1, Tags: []string{"a", "b&c"}, Authors: []string{"\u00e5sa"}, Photo: "ph", Moved: []string{"/old/nine"}, Media: []string{"m1", "m2"}},
				10: {Path: "/news/ten", Section: "news", Published: -5},
				1:  {Path: "/<script>", Section: "", Tags: []string{}, Media: nil},
			},
			Recheck: []string{"/news/nine", "/tag/caf\u00e9"},
		},
		{Format: manifestFormat, Files: map[string]FileEntry{"a": {}}, Articles: map[int64]ArticleEntry{}, Recheck: []string{"/"}},
	} {
		got, err := m.encode()
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, got); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, got)
		}
		if !bytes.Equal(compact.Bytes(), want) {
			t.Errorf("encode, compacted:\n%s\nencoding/json:\n%s", compact.Bytes(), want)
		}
		var back Manifest
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		var again []byte
		if again, err = back.encode(); err != nil || !bytes.Equal(again, got) {
			t.Errorf("read back and encoded again, the manifest differs (%v):\n%s\nfirst:\n%s", err, again, got)
		}
		if len(m.Files) > 0 {
			lines := strings.Split(string(got), "\n")
			want := 7 + 1 + len(m.Files) + 2 + len(m.Articles) + 3
			if len(m.Articles) == 0 {
				want-- // "articles": {} on one line
			}
			if len(m.Recheck) > 0 {
				want += len(m.Recheck) + 2
			}
			if len(lines) != want {
				t.Errorf("%d lines, want %d (one per file and per article):\n%s", len(lines), want, got)
			}
		}
	}
}
