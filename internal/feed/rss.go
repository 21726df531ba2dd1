package feed

import (
	"io"
	"strconv"
)

// Namespaces of the formats and their extensions.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsMedia   = "http://search.yahoo.com/mrss/"
)

// Generator names the software in every feed.
const Generator = "Newsdesk"

// WriteRSS writes f as RSS 2.0. The summary is the description and the
// whole article content:encoded; authors are dc:creator (RSS's own author
// element wants an e-mail address); the lead photo is both an enclosure,
// for readers that know only RSS, and a media:content with its size,
// caption and credit. The feed names itself and its WebSub hub with
// atom:link, as the WebSub specification asks.
func WriteRSS(w io.Writer, f *Feed) error {
	x := newXMLWriter(w)
	x.open("rss", "version", "2.0", "xmlns:atom", nsAtom, "xmlns:content", nsContent, "xmlns:dc", nsDC, "xmlns:media", nsMedia)
	x.open("channel")
	x.text("title", f.Title)
	x.text("link", f.HomeURL)
	desc := f.Description
	if desc == "" {
		desc = f.Title // RSS requires a description
	}
	x.text("description", desc)
	x.text("language", f.Language)
	if u := f.updated(); !u.IsZero() {
		x.text("lastBuildDate", u.UTC().Format(rfc822))
	}
	x.text("generator", Generator)
	x.empty("atom:link", "href", f.FeedURL, "rel", "self", "type", "application/rss+xml")
	if f.Hub != "" {
		x.empty("atom:link", "href", f.Hub, "rel", "hub")
	}
	if f.Logo != "" {
		x.open("image")
		x.text("url", f.Logo)
		x.text("title", f.Title)
		x.text("link", f.HomeURL)
		x.close("image")
	}
	for i := range f.Items {
		it := &f.Items[i]
		x.open("item")
		x.text("title", it.Title)
		x.text("link", it.URL)
		x.text("guid", it.ID, "isPermaLink", "false")
		x.text("pubDate", it.Published.UTC().Format(rfc822))
		x.text("description", it.Summary)
		x.text("content:encoded", it.ContentHTML)
		for _, a := range it.Authors {
			x.text("dc:creator", a.Name)
		}
		for _, c := range it.Categories {
			x.text("category", c)
		}
		if im := it.Image; im != nil {
			x.empty("enclosure", "url", im.URL, "length", strconv.FormatInt(im.Length, 10), "type", im.Type)
			x.open("media:content", "url", im.URL, "type", im.Type, "medium", "image",
				"width", itoaOrEmpty(im.Width), "height", itoaOrEmpty(im.Height), "fileSize", itoa64OrEmpty(im.Length))
			x.text("media:title", im.Alt, "type", "plain")
			x.text("media:description", im.Caption, "type", "plain")
			x.text("media:credit", im.Credit)
			x.close("media:content")
		}
		x.close("item")
	}
	x.close("channel")
	x.close("rss")
	return x.flush()
}

func itoaOrEmpty(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func itoa64OrEmpty(n int64) string {
	if n <= 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}
