package site

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// oEmbed (https://oembed.com): an app or site that is given an article's
// address asks /oembed for a card to show instead of a bare link.

// oembedResponse is an oEmbed 1.0 "rich" answer.
type oembedResponse struct {
	Version         string `json:"version"`
	Type            string `json:"type"`
	Title           string `json:"title"`
	AuthorName      string `json:"author_name,omitempty"`
	AuthorURL       string `json:"author_url,omitempty"`
	ProviderName    string `json:"provider_name"`
	ProviderURL     string `json:"provider_url"`
	CacheAge        int    `json:"cache_age"`
	ThumbnailURL    string `json:"thumbnail_url,omitempty"`
	ThumbnailWidth  int    `json:"thumbnail_width,omitempty"`
	ThumbnailHeight int    `json:"thumbnail_height,omitempty"`
	HTML            string `json:"html"`
	Width           int    `json:"width"`
	Height          int    `json:"height"`
}

// The card's size when the consumer sets no bounds.
const (
	oembedWidth  = 600
	oembedHeight = 200
	oembedThumb  = 640
)

// oembedURL is the discovery link for a page's canonical address, on the
// address the page was asked on.
func (s *Site) oembedURL(ctx context.Context, canonical string) string {
	return s.link(ctx, "/oembed?url="+url.QueryEscape(canonical)+"&format=json")
}

// showOEmbed answers GET /oembed?url=<article URL>&format=json. Only JSON is
// made (XML is 501 Not Implemented, as the specification says); an address
// that is not one of this site's published articles is 404.
func (s *Site) showOEmbed(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if f := q.Get("format"); f != "" && f != "json" {
		http.Error(w, "Only format=json is available.", http.StatusNotImplemented)
		return nil
	}
	err := s.writeOEmbed(w, r, q)
	if err != nil && statusOf(err) < 500 {
		// A consumer reads the status; a short text says why to a person
		// trying the URL by hand.
		http.Error(w, news.ErrorMessage(err), statusOf(err))
		return nil
	}
	return err
}

func (s *Site) writeOEmbed(w http.ResponseWriter, r *http.Request, q url.Values) error {
	ctx := r.Context()
	raw := strings.TrimSpace(q.Get("url"))
	if raw == "" {
		return news.Invalid("url", "is missing: give the address of an article")
	}
	maxW, err := oembedBound(q, "maxwidth")
	if err != nil {
		return err
	}
	maxH, err := oembedBound(q, "maxheight")
	if err != nil {
		return err
	}
	u, err := url.Parse(raw)
	if err != nil || !s.ownHost(ctx, u) {
		return news.NotFound("%q is not an address on this site", raw)
	}
	p := strings.TrimPrefix(u.Path, "/")
	i := strings.LastIndexByte(p, '/')
	if i <= 0 || strings.Contains(p, "//") {
		return news.NotFound("%q is not an article", raw)
	}
	a, err := s.store.ArticleByPath(ctx, store.Page, p[:i], p[i+1:])
	if err != nil {
		return err
	}
	if a.Status != news.Published {
		return news.NotFound("%q is not an article", raw)
	}
	st := s.settings(ctx)
	// The card links to the address the consumer asked on, as feeds do.
	here := s.here(ctx).base
	link := here + a.URL()
	res := oembedResponse{
		Version:      "1.0",
		Type:         "rich",
		Title:        a.Headline,
		ProviderName: st.Name,
		ProviderURL:  here + "/",
		CacheAge:     3600,
		Width:        oembedWidth,
		Height:       oembedHeight,
	}
	if maxW > 0 {
		res.Width = min(res.Width, maxW)
	}
	if maxH > 0 {
		res.Height = min(res.Height, maxH)
	}
	var names []string
	for _, b := range a.Bylines {
		names = append(names, b.Name)
	}
	res.AuthorName = strings.Join(names, ", ")
	if len(a.Bylines) > 0 {
		res.AuthorURL = here + a.Bylines[0].URL()
	}
	if a.Photo != nil {
		// The widest copy within the consumer's bounds (640 by default).
		limitW := oembedThumb
		if maxW > 0 {
			limitW = min(limitW, maxW)
		}
		for _, v := range media.Variants(a.Photo.Media) {
			if v.Width <= limitW && (maxH <= 0 || v.Height <= maxH) {
				res.ThumbnailURL, res.ThumbnailWidth, res.ThumbnailHeight = here+"/media/"+v.Key, v.Width, v.Height
			}
		}
	}
	res.HTML = oembedCard(link, a, st.Name)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	if r.Method == http.MethodHead {
		return nil
	}
	return json.NewEncoder(w).Encode(res)
}

// oembedCard is the card's HTML: a blockquote with a link, which any page
// can show without scripts, frames or requests to this site.
func oembedCard(link string, a *news.Article, site string) string {
	e := html.EscapeString
	var b strings.Builder
	b.WriteString(`<blockquote class="newsdesk-embed" cite="` + e(link) + `">`)
	b.WriteString(`<p><a href="` + e(link) + `">` + e(a.Headline) + `</a></p>`)
	if a.Summary != "" {
		b.WriteString(`<p>` + e(a.Summary) + `</p>`)
	}
	b.WriteString(`<footer>` + e(site) + `, <time datetime="` + ldTime(a.PublishedAt) + `">` +
		a.PublishedAt.UTC().Format("2 January 2006") + `</time></footer></blockquote>`)
	return b.String()
}

// oembedBound reads maxwidth or maxheight: absent, or a positive number.
func oembedBound(q url.Values, name string) (int, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, news.Invalid(name, "%q is not a positive number of pixels", v)
	}
	return n, nil
}

// ownHost reports whether u is an http(s) address of this site: its
// primary address, a mirror or its onion address.
func (s *Site) ownHost(ctx context.Context, u *url.URL) bool {
	if u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	_, ok := s.originOf(ctx, u.Host)
	return ok
}
