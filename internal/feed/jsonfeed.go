package feed

import (
	"bytes"
	"encoding/json"
	"io"
)

// JSON Feed 1.1 (https://jsonfeed.org/version/1.1), field for field.
type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Icon        string       `json:"icon,omitempty"`
	Language    string       `json:"language,omitempty"`
	Author      *jsonAuthor  `json:"author,omitempty"` // JSON Feed 1.0's, for readers that know no other
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Hubs        []jsonHub    `json:"hubs,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

type jsonHub struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url,omitempty"`
	Title         string       `json:"title,omitempty"`
	ContentHTML   string       `json:"content_html,omitempty"`
	Summary       string       `json:"summary,omitempty"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published,omitempty"`
	DateModified  string       `json:"date_modified,omitempty"`
	Author        *jsonAuthor  `json:"author,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

// WriteJSON writes f as JSON Feed 1.1: content_html and summary, the lead
// photo as image, authors with their pages, tags, and the WebSub hub under
// hubs. The first author is also written as 1.0's "author", which 1.1
// allows for readers that predate it.
func WriteJSON(w io.Writer, f *Feed) error {
	jf := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       cleanText(f.Title),
		HomePageURL: f.HomeURL,
		FeedURL:     f.FeedURL,
		Description: cleanText(f.Description),
		Icon:        f.Logo,
		Language:    f.Language,
		Items:       make([]jsonItem, 0, len(f.Items)),
	}
	if f.Publisher.Name != "" {
		jf.Authors = []jsonAuthor{{Name: cleanText(f.Publisher.Name), URL: f.Publisher.URL}}
		jf.Author = &jf.Authors[0]
	}
	if f.Hub != "" {
		jf.Hubs = []jsonHub{{Type: "WebSub", URL: f.Hub}}
	}
	for i := range f.Items {
		it := &f.Items[i]
		ji := jsonItem{
			ID:            it.ID,
			URL:           it.URL,
			Title:         cleanText(it.Title),
			ContentHTML:   cleanText(it.ContentHTML),
			Summary:       cleanText(it.Summary),
			DatePublished: rfc3339(it.Published),
			DateModified:  rfc3339(it.updatedOrPublished()),
		}
		for _, a := range it.Authors {
			ji.Authors = append(ji.Authors, jsonAuthor{Name: cleanText(a.Name), URL: a.URL})
		}
		if len(ji.Authors) > 0 {
			ji.Author = &ji.Authors[0]
		}
		for _, c := range it.Categories {
			ji.Tags = append(ji.Tags, cleanText(c))
		}
		if im := it.Image; im != nil {
			ji.Image = im.URL
		}
		jf.Items = append(jf.Items, ji)
	}
	return writeJSONFeed(w, &jf)
}

// writeJSONFeed writes jf exactly as encoding/json would with two-space
// indentation and HTML left unescaped (a feed is its own document, never
// inside HTML, so <, > and & need no escaping and content_html stays
// readable), but in one pass: the encoder indents by reading its whole
// compact output again, which was most of the cost of a feed of 50 whole
// articles (TestJSONFeedIsWhatEncodingJSONWrites holds the two equal).
func writeJSONFeed(w io.Writer, jf *jsonFeed) error {
	j := newJSONWriter()
	j.open('{')
	j.strAlways("version", jf.Version)
	j.strAlways("title", jf.Title)
	j.str("home_page_url", jf.HomePageURL)
	j.str("feed_url", jf.FeedURL)
	j.str("description", jf.Description)
	j.str("icon", jf.Icon)
	j.str("language", jf.Language)
	j.authors(jf.Author, jf.Authors)
	if len(jf.Hubs) > 0 {
		j.key("hubs")
		j.open('[')
		for _, h := range jf.Hubs {
			j.elem()
			j.open('{')
			j.strAlways("type", h.Type)
			j.strAlways("url", h.URL)
			j.close('}')
		}
		j.close(']')
	}
	j.key("items")
	if jf.Items == nil {
		j.buf = append(j.buf, "null"...)
	} else {
		j.items(jf.Items)
	}
	j.close('}')
	j.buf = append(j.buf, '\n')
	if j.err != nil {
		return j.err
	}
	_, err := w.Write(j.buf)
	return err
}

func (j *jsonWriter) items(items []jsonItem) {
	j.open('[')
	for i := range items {
		it := &items[i]
		j.elem()
		j.open('{')
		j.strAlways("id", it.ID)
		j.str("url", it.URL)
		j.str("title", it.Title)
		j.str("content_html", it.ContentHTML)
		j.str("summary", it.Summary)
		j.str("image", it.Image)
		j.str("date_published", it.DatePublished)
		j.str("date_modified", it.DateModified)
		j.authors(it.Author, it.Authors)
		if len(it.Tags) > 0 {
			j.key("tags")
			j.open('[')
			for _, t := range it.Tags {
				j.elem()
				j.quote(t)
			}
			j.close(']')
		}
		j.close('}')
	}
	j.close(']')
}

// jsonWriter writes indented JSON as encoding/json lays it out. Strings
// are quoted by encoding/json itself, so their escaping is its own.
type jsonWriter struct {
	buf   []byte
	depth int
	// empty says, for each open object or array, that nothing is in it
	// yet: the first member is not preceded by a comma, and a container
	// left empty is written "{}" or "[]".
	empty []bool
	q     bytes.Buffer
	enc   *json.Encoder
	err   error
}

func newJSONWriter() *jsonWriter {
	j := &jsonWriter{buf: make([]byte, 0, 64<<10)}
	j.enc = json.NewEncoder(&j.q)
	j.enc.SetEscapeHTML(false)
	return j
}

func (j *jsonWriter) open(c byte) {
	j.buf = append(j.buf, c)
	j.depth++
	j.empty = append(j.empty, true)
}

func (j *jsonWriter) close(c byte) {
	j.depth--
	last := len(j.empty) - 1
	if !j.empty[last] {
		j.newline()
	}
	j.empty = j.empty[:last]
	j.buf = append(j.buf, c)
}

// elem begins the next member of the innermost container.
func (j *jsonWriter) elem() {
	last := len(j.empty) - 1
	if !j.empty[last] {
		j.buf = append(j.buf, ',')
	}
	j.empty[last] = false
	j.newline()
}

func (j *jsonWriter) newline() {
	j.buf = append(j.buf, '\n')
	for range j.depth {
		j.buf = append(j.buf, "  "...)
	}
}

func (j *jsonWriter) key(k string) {
	j.elem()
	j.quote(k)
	j.buf = append(j.buf, ": "...)
}

// str writes a string member unless it is empty (omitempty).
func (j *jsonWriter) str(k, v string) {
	if v != "" {
		j.strAlways(k, v)
	}
}

func (j *jsonWriter) strAlways(k, v string) {
	j.key(k)
	j.quote(v)
}

func (j *jsonWriter) quote(s string) {
	j.q.Reset()
	if err := j.enc.Encode(s); err != nil && j.err == nil {
		j.err = err
	}
	j.buf = append(j.buf, bytes.TrimSuffix(j.q.Bytes(), []byte{'\n'})...)
}

// authors writes JSON Feed 1.0's "author" and 1.1's "authors", each when
// given (omitempty).
func (j *jsonWriter) authors(first *jsonAuthor, all []jsonAuthor) {
	if first != nil {
		j.key("author")
		j.author(first)
	}
	if len(all) > 0 {
		j.key("authors")
		j.open('[')
		for i := range all {
			j.elem()
			j.author(&all[i])
		}
		j.close(']')
	}
}

func (j *jsonWriter) author(a *jsonAuthor) {
	j.open('{')
	j.str("name", a.Name)
	j.str("url", a.URL)
	j.close('}')
}
