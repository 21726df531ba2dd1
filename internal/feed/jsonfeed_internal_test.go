package feed

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestJSONFeedIsWhatEncodingJSONWrites holds writeJSONFeed to the bytes
// encoding/json writes for the same document (indented by two spaces,
// HTML not escaped), over documents that use every field, leave each out,
// and carry text that needs escaping.
func TestJSONFeedIsWhatEncodingJSONWrites(t *testing.T) {
	tricky := "quote \" backslash \\ tab \t newline \n cr \r bell \a bs \b ff \f nul \x00 <b>&amp;</b> line\u2028para\u2029 bad \xff\xfe utf8 ü 中"
	full := jsonItem{ID: "tag:x,2026:1", URL: "https://n.example/a", Title: tricky, ContentHTML: "<p>" + tricky + "</p>",
		Summary: "s", Image: "https://n.example/m.jpg", DatePublished: "2026-11-29T10:00:00Z", DateModified: "2026-11-29T11:00:00Z",
		Authors: []jsonAuthor{{Name: "Ana", URL: "https://n.example/author/ana"}, {Name: tricky}}, Tags: []string{"one", tricky}}
	full.Author = &full.Authors[0]
	cases := map[string]jsonFeed{
		"empty":    {},
		"no items": {Version: "https://jsonfeed.org/version/1.1", Title: "T", Items: []jsonItem{}},
		"everything": {Version: "v", Title: tricky, HomePageURL: "https://n.example/", FeedURL: "https://n.example/feed.json",
			Description: tricky, Icon: "https://n.example/logo.png", Language: "en",
			Author: &jsonAuthor{Name: "N"}, Authors: []jsonAuthor{{Name: "N", URL: "https://n.example/"}},
			Hubs:  []jsonHub{{Type: "WebSub", URL: "https://hub.example/"}, {Type: "", URL: ""}},
			Items: []jsonItem{full, {ID: ""}, {ID: "2", Author: &jsonAuthor{}, Authors: []jsonAuthor{{}}, Tags: []string{""}}}},
	}
	for name, jf := range cases {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(jf); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := writeJSONFeed(&got, &jf); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("got:\n%s\nwant (encoding/json):\n%s", got.String(), want.String())
			}
		})
	}
}
