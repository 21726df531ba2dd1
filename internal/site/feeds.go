package site

import (
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// FeedItems is how many articles the site's own feeds hold: a day of a
// busy newsroom, so a reader that polls hourly misses nothing. (The static
// export reads both lengths to know which feeds a change reaches.)
const FeedItems = 50

// ScopeFeedItems is how many a section's, tag's or author's feed holds: a
// page of its list. Such a feed fills far more slowly than the whole
// site's, so twenty go back further than the site's fifty; each item is a
// whole article, and at fifty the feeds of tags and authors were 40% of a
// static copy's bytes (200 MB of 530 MB for 10,000 articles).
const ScopeFeedItems = 20

// feedLimit is how many articles the feed of filter f holds.
func feedLimit(f store.ArticleFilter) int {
	if len(f.SectionIDs) == 0 && f.TagID == 0 && f.AuthorID == 0 {
		return FeedItems
	}
	return ScopeFeedItems
}

// feedFormat is one of the feed formats, known by its file name.
type feedFormat struct {
	name        string // "rss.xml"
	contentType string
	format      string // "rss", "atom", "json": the layout writes the link's type from it
	label       string // "RSS", for the link's title
	write       func(io.Writer, *feed.Feed) error
}

// feedFormats are served under the same names at every feed's place.
var feedFormats = []feedFormat{
	{"rss.xml", "application/rss+xml; charset=utf-8", "rss", "RSS", feed.WriteRSS},
	{"atom.xml", "application/atom+xml; charset=utf-8", "atom", "Atom", feed.WriteAtom},
	{"feed.json", "application/feed+json; charset=utf-8", "json", "JSON Feed", feed.WriteJSON},
}

func formatNamed(name string) (feedFormat, bool) {
	for _, f := range feedFormats {
		if f.name == name {
			return f, true
		}
	}
	return feedFormat{}, false
}

// feedScope is what one feed lists.
type feedScope struct {
	base   string // the path its file names go under, ending in "/": "/news/europe/", "/tag/rivers/"
	page   string // the web page it follows: "/news/europe/", "/tag/rivers"
	title  string
	desc   string
	filter store.ArticleFilter
	keys   *pageKeys // when set, buildFeed adds the items' keys
}

// feedLink is an autodiscovery link in a page's head.
type feedLink struct {
	Format string // "rss", "atom" or "json"
	Title  string
	URL    string
}

// feedLinks are the autodiscovery links of the feeds under base, one per
// format, absolute on the address the page was asked on: a reader on a
// mirror subscribes on the mirror.
func (s *Site) feedLinks(ctx context.Context, base, title string) []feedLink {
	out := make([]feedLink, len(feedFormats))
	for i, f := range feedFormats {
		out[i] = feedLink{Format: f.format, Title: title + " (" + f.label + ")", URL: s.link(ctx, base+f.name)}
	}
	return out
}

// feedTitle names a feed of part of the site: "Meridian 24: Europe".
func feedTitle(st siteSettings, what string) string { return st.Name + ": " + what }

// showHomeFeed serves /rss.xml, /atom.xml and /feed.json: everything
// published.
func (s *Site) showHomeFeed(w http.ResponseWriter, r *http.Request) error {
	f, ok := formatNamed(strings.TrimPrefix(r.URL.Path, "/"))
	if !ok {
		return news.NotFound("no feed at %s", r.URL.Path)
	}
	st := s.settings(r.Context())
	return s.serveFeed(w, r, st, f, feedScope{base: "/", page: "/", title: st.Name, desc: st.Description})
}

// showPathOrFeed sends a section's feed (/news/europe/rss.xml) to
// showSectionFeed and everything else under the catch-all route to
// showSectionOrArticle. Slugs never hold a ".", so no article can be named
// like a feed.
func (s *Site) showPathOrFeed(w http.ResponseWriter, r *http.Request) error {
	p := r.PathValue("path")
	if i := strings.LastIndexByte(p, '/'); i > 0 && !strings.Contains(p, "//") {
		if f, ok := formatNamed(p[i+1:]); ok {
			return s.showSectionFeed(w, r, p[:i], f)
		}
	}
	return s.showSectionOrArticle(w, r)
}

// showSectionFeed serves a section's feeds: its own articles and its
// subsections'.
func (s *Site) showSectionFeed(w http.ResponseWriter, r *http.Request, path string, f feedFormat) error {
	ctx := r.Context()
	sec, tree, err := s.sectionByPath(ctx, path)
	if err != nil {
		return err
	}
	st := s.settings(ctx)
	var names []string
	for _, a := range tree.Ancestry(sec.ID) {
		names = append(names, a.Name)
	}
	desc := sec.Description
	if desc == "" {
		desc = "The latest from " + sec.Name + " at " + st.Name + "."
	}
	return s.serveFeed(w, r, st, f, feedScope{base: sec.URL(), page: sec.URL(), title: feedTitle(st, strings.Join(names, " / ")),
		desc: desc, filter: store.ArticleFilter{SectionIDs: tree.SubtreeIDs(sec.ID)}})
}

// showTagFeed serves /tag/{slug}/rss.xml and its siblings.
func (s *Site) showTagFeed(w http.ResponseWriter, r *http.Request) error {
	f, ok := formatNamed(r.PathValue("feed"))
	if !ok {
		return news.NotFound("no feed at %s", r.URL.Path)
	}
	t, err := s.store.TagBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	st := s.settings(r.Context())
	return s.serveFeed(w, r, st, f, feedScope{base: t.URL() + "/", page: t.URL(), title: feedTitle(st, t.Name),
		desc: "Stories about " + t.Name + " from " + st.Name + ".", filter: store.ArticleFilter{TagID: t.ID}})
}

// showAuthorFeed serves /author/{slug}/rss.xml and its siblings.
func (s *Site) showAuthorFeed(w http.ResponseWriter, r *http.Request) error {
	f, ok := formatNamed(r.PathValue("feed"))
	if !ok {
		return news.NotFound("no feed at %s", r.URL.Path)
	}
	a, err := s.store.AuthorBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	st := s.settings(r.Context())
	return s.serveFeed(w, r, st, f, feedScope{base: a.URL() + "/", page: a.URL(), title: feedTitle(st, a.Name),
		desc: "Stories by " + a.Name + " at " + st.Name + ".", filter: store.ArticleFilter{AuthorID: a.ID}})
}

// serveFeed renders one feed. The page cache in front keeps it, with its
// ETag, until the next change.
func (s *Site) serveFeed(w http.ResponseWriter, r *http.Request, st siteSettings, f feedFormat, sc feedScope) error {
	ctx := r.Context()
	sc.keys = newPageKeys(scopeKey(sc.filter))
	fd, err := s.buildFeed(ctx, st, sc)
	if err != nil {
		return err
	}
	// The feed's own address is its identity, not a link to follow: the
	// Atom id, JSON Feed's feed_url and the WebSub topic a subscriber
	// gives the hub, which is told of the primary's feeds only (see
	// changedFeeds). So it names the primary on every address, and a
	// reader sees one feed, not one per mirror; the rest of the feed
	// keeps them on the address they came through.
	fd.FeedURL = s.cfg.abs(sc.base + f.name)
	buf := s.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer s.bufs.Put(buf)
	if err := f.write(buf, fd); err != nil {
		return err
	}
	return s.sendKeyed(w, r, f.contentType, fd.Updated, buf.Bytes(), sc.keys)
}

// sendDocument answers with a rendered feed or sitemap that names no
// surrogate keys: a CDN keeps it briefly.
func (s *Site) sendDocument(w http.ResponseWriter, r *http.Request, contentType string, modified time.Time, body []byte) error {
	return s.sendKeyed(w, r, contentType, modified, body, nil)
}

// sendKeyed is sendDocument for a document that names what it lists in k.
// As for pages, readers check again after a minute, and the ETag makes
// the check cheap.
func (s *Site) sendKeyed(w http.ResponseWriter, r *http.Request, contentType string, modified time.Time, body []byte, k *pageKeys) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	if k != nil {
		k.add(news.KeySite)
	}
	s.cacheHeaders(h, http.StatusOK, k)
	if !modified.IsZero() {
		h.Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	}
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return nil
}

// buildFeed reads a scope's newest articles, whole, into a feed. Its links
// name the address the request came through. The articles are read once
// for the three formats (see memo.go).
func (s *Site) buildFeed(ctx context.Context, st siteSettings, sc feedScope) (*feed.Feed, error) {
	full, err := s.feedArticles(ctx, sc.filter)
	if err != nil {
		return nil, err
	}
	if sc.keys != nil {
		sc.keys.feedItems(full)
	}
	fd := &feed.Feed{
		Title:       sc.title,
		Description: sc.desc,
		Language:    st.Language,
		HomeURL:     s.link(ctx, sc.page),
		Logo:        s.rebase(ctx, st.Logo),
		Publisher:   feed.Person{Name: st.Name, URL: s.link(ctx, "/")},
		Items:       make([]feed.Item, 0, len(full)),
	}
	if s.cfg.WebSubHub != nil {
		fd.Hub = s.cfg.WebSubHub.String()
	}
	here := s.here(ctx).base
	for _, a := range full {
		it := s.feedItem(here, a, st)
		if it.Updated.After(fd.Updated) {
			fd.Updated = it.Updated
		}
		fd.Items = append(fd.Items, it)
	}
	if fd.Updated.IsZero() {
		// Nothing published here yet: the feed is as new as this answer.
		fd.Updated = s.now().UTC().Truncate(time.Second)
	}
	return fd, nil
}

// now is the site's clock.
func (s *Site) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// feedItem turns an article into a feed item with absolute URLs on here,
// one of the site's addresses ("https://news.example.org").
func (s *Site) feedItem(here string, a *news.Article, st siteSettings) feed.Item {
	u := here + a.URL()
	base, _ := url.Parse(u)
	// An embed is its link in a feed: a reader runs no page script, and
	// must load nothing from another site by itself.
	it := feed.Item{
		ID:          feed.TagURI(st.IDAuthority, a.PublishedAt, "article", a.ID),
		URL:         u,
		Title:       a.Headline,
		Summary:     a.Summary,
		ContentHTML: feed.AbsoluteHTML(markup.EmbedsAsLinks(a.BodyHTML), base) + correctionsHTML(a.Corrections),
		Published:   a.PublishedAt,
		Updated:     lastModified(a),
		Image:       s.feedImage(here, a.Photo),
	}
	for _, b := range a.Bylines {
		it.Authors = append(it.Authors, feed.Person{Name: b.Name, URL: here + b.URL()})
	}
	for _, t := range a.Tags {
		it.Categories = append(it.Categories, t.Name)
	}
	return it
}

// correctionsHTML appends an article's corrections to its feed content, as
// the page shows them: a reader of the feed is owed them too.
func correctionsHTML(cs []news.Correction) string {
	if len(cs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n<aside class=\"corrections\"><h2>Corrections</h2>")
	for _, c := range cs {
		b.WriteString(`<p><time datetime="` + c.At.UTC().Format(time.RFC3339) + `">` + c.At.UTC().Format("2 January 2006, 15:04 MST") + "</time>: ")
		b.WriteString(html.EscapeString(c.Text))
		b.WriteString("</p>")
	}
	b.WriteString("</aside>")
	return b.String()
}

// largestVariant is the widest public copy of a photo, or false.
func largestVariant(p *news.Photo) (media.Variant, bool) {
	if p == nil || p.Media.ID == 0 {
		return media.Variant{}, false
	}
	vs := media.Variants(p.Media)
	if len(vs) == 0 {
		return media.Variant{}, false
	}
	return vs[len(vs)-1], true
}

// feedImage is a photo's largest public copy on here, with its size in
// bytes when the file can be read (RSS enclosures want it; 0 means
// unknown).
func (s *Site) feedImage(here string, p *news.Photo) *feed.Image {
	v, ok := largestVariant(p)
	if !ok {
		return nil
	}
	im := &feed.Image{URL: here + "/media/" + v.Key, Type: v.Type, Width: v.Width, Height: v.Height,
		Alt: p.Alt, Caption: p.Caption, Credit: p.Credit}
	im.Length = s.mediaSize(v.Key)
	return im
}

// pageHead is what distribution adds to a page's head: autodiscovery links
// for feeds (the page's own first, then the whole site's), the oEmbed
// link of an article, and what the X (Twitter) card needs beyond Open
// Graph.
type pageHead struct {
	Feeds       []feedLink
	OEmbed      string // the oEmbed URL for this page, or ""
	Twitter     string // the publication's handle, for twitter:site
	ImageWidth  int    // of og:image, when known
	ImageHeight int
	// Scripts are the page's scripts (this site's own, by their hashed
	// paths), loaded with defer: the embed cards' on a story with one.
	Scripts []string
}

// addFeeds puts the feeds under base before the site's own in the page's
// autodiscovery links: readers offer the first one first.
func (p *page) addFeeds(links []feedLink) {
	p.Head.Feeds = append(links, p.Head.Feeds...)
}
