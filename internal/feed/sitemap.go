package feed

import (
	"errors"
	"io"
	"strings"
	"time"
)

// Namespaces of sitemaps and their extensions.
const (
	nsSitemap = "http://www.sitemaps.org/schemas/sitemap/0.9"
	nsImage   = "http://www.google.com/schemas/sitemap-image/1.1"
	nsNews    = "http://www.google.com/schemas/sitemap-news/0.9"
)

// Limits the sitemap protocol and Google News set.
const (
	// MaxURLs is the most URLs one sitemap, or one index, may list.
	MaxURLs = 50_000
	// MaxNewsURLs is the most articles a Google News sitemap may list.
	MaxNewsURLs = 1_000
	// NewsWindow is how old an article in a Google News sitemap may be.
	NewsWindow = 48 * time.Hour
)

// ErrFull is returned by URLSet.Add once a sitemap holds MaxURLs URLs.
var ErrFull = errors.New("feed: the sitemap holds the most URLs it may")

// SitemapRef is one sitemap named by an index.
type SitemapRef struct {
	Loc     string
	LastMod time.Time // zero: left out
}

// WriteSitemapIndex writes a sitemap index naming refs (at most MaxURLs).
func WriteSitemapIndex(w io.Writer, refs []SitemapRef) error {
	if len(refs) > MaxURLs {
		return ErrFull
	}
	x := newXMLWriter(w)
	x.open("sitemapindex", "xmlns", nsSitemap)
	for _, r := range refs {
		x.open("sitemap")
		x.text("loc", r.Loc)
		if !r.LastMod.IsZero() {
			x.text("lastmod", rfc3339(r.LastMod))
		}
		x.close("sitemap")
	}
	x.close("sitemapindex")
	return x.flush()
}

// URL is one page in a sitemap.
type URL struct {
	Loc     string
	LastMod time.Time // zero: left out
	Images  []string  // absolute URLs of the photos on the page
}

// URLSet writes a sitemap one URL at a time, so the list it comes from can
// be read from the database a row at a time and never held whole. Call
// Close to end the document.
type URLSet struct {
	x *xmlWriter
	n int
}

// NewURLSet starts a sitemap on w, with the image extension's namespace.
func NewURLSet(w io.Writer) *URLSet {
	x := newXMLWriter(w)
	x.open("urlset", "xmlns", nsSitemap, "xmlns:image", nsImage)
	return &URLSet{x: x}
}

// Add writes one URL. After MaxURLs it returns ErrFull and writes nothing.
func (u *URLSet) Add(e URL) error {
	if u.n >= MaxURLs {
		return ErrFull
	}
	u.n++
	x := u.x
	x.open("url")
	x.text("loc", e.Loc)
	if !e.LastMod.IsZero() {
		x.text("lastmod", rfc3339(e.LastMod))
	}
	for _, im := range e.Images {
		x.open("image:image")
		x.text("image:loc", im)
		x.close("image:image")
	}
	x.close("url")
	return x.err
}

// Len is how many URLs have been added.
func (u *URLSet) Len() int { return u.n }

// Close ends the sitemap and flushes it.
func (u *URLSet) Close() error {
	u.x.close("urlset")
	return u.x.flush()
}

// NewsPublication is the publication a Google News sitemap is for.
type NewsPublication struct {
	Name     string
	Language string // BCP 47; written as Google News wants it (see NewsLanguage)
}

// NewsArticle is one article in a Google News sitemap.
type NewsArticle struct {
	Loc       string
	Title     string
	Published time.Time
	Images    []string
}

// WriteNewsSitemap writes a Google News sitemap. The caller chooses the
// articles (those of the last NewsWindow, newest first); more than
// MaxNewsURLs is an error rather than a silently cut list.
func WriteNewsSitemap(w io.Writer, pub NewsPublication, list []NewsArticle) error {
	if len(list) > MaxNewsURLs {
		return ErrFull
	}
	x := newXMLWriter(w)
	x.open("urlset", "xmlns", nsSitemap, "xmlns:news", nsNews, "xmlns:image", nsImage)
	lang := NewsLanguage(pub.Language)
	for _, a := range list {
		x.open("url")
		x.text("loc", a.Loc)
		x.open("news:news")
		x.open("news:publication")
		x.text("news:name", pub.Name)
		x.text("news:language", lang)
		x.close("news:publication")
		x.text("news:publication_date", rfc3339(a.Published))
		x.text("news:title", a.Title)
		x.close("news:news")
		for _, im := range a.Images {
			x.open("image:image")
			x.text("image:loc", im)
			x.close("image:image")
		}
		x.close("url")
	}
	x.close("urlset")
	return x.flush()
}

// NewsLanguage turns a BCP 47 tag into the code Google News takes: the
// ISO 639 language alone ("en-GB" -> "en"), except Chinese, which it wants
// as zh-cn (simplified) or zh-tw (traditional).
func NewsLanguage(tag string) string {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
	lang, rest, _ := strings.Cut(t, "-")
	if lang != "zh" {
		return lang
	}
	for _, part := range strings.Split(rest, "-") {
		switch part {
		case "hant", "tw", "hk", "mo":
			return "zh-tw"
		}
	}
	return "zh-cn"
}
