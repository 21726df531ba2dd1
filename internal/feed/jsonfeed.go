package feed

import (
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
	enc := json.NewEncoder(w)
	// A feed is its own document, never inside HTML: <, > and & need no
	// escaping, and the HTML in content_html stays readable.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(jf)
}
