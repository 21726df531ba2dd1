package site

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

type articleView struct {
	page
	Article  *news.Article
	Crumbs   []navItem
	Photo    *photoView
	Body     template.HTML
	ShareURL string
	// Parts of the page written in Go (see frag.go): the breadcrumbs,
	// the lead photo, the bylines, the publication and update times, the
	// topics' and share links' list items, and the "More from" cards.
	CrumbTrail   template.HTML
	LeadPhoto    template.HTML
	Bylines      template.HTML
	Dates        template.HTML
	TagItems     template.HTML
	ShareItems   template.HTML
	RelatedCards template.HTML
	// A live story's parts (live.go): its status line and the heading
	// of its key points, and its updates; empty for any other story.
	LiveHead template.HTML
	Live     template.HTML
}

type shareLink struct {
	Name  string
	Label string // the accessible name: "Share on Telegram"
	URL   string
}

// showArticle shows a published article.
func (s *Site) showArticle(w http.ResponseWriter, r *http.Request, sectionPath, slug string) error {
	ctx := r.Context()
	a, err := s.articleAt(ctx, sectionPath, slug)
	if err != nil {
		return err
	}
	if a.Status != news.Published {
		if !a.PublishedAt.IsZero() {
			return s.withdrawn(w, r)
		}
		return news.NotFound("no article at %s", r.URL.Path)
	}
	v, related, err := s.articlePage(ctx, a)
	if err != nil {
		return err
	}
	return s.renderKeyed(w, r, http.StatusOK, "article", v, articleKeys(a, related))
}

// articlePage builds the view of an article's public page. The newsroom's
// previews render the same view (preview.go), so a preview is the page.
func (s *Site) articlePage(ctx context.Context, a *news.Article) (*articleView, []*news.Article, error) {
	tree, err := s.tree(ctx)
	if err != nil {
		return nil, nil, err
	}
	related, err := s.related(ctx, a.Section.ID, a.ID)
	if err != nil {
		return nil, nil, err
	}
	// Search engines get the editor's texts for them when there are
	// any; the page itself, and social cards, show the story as written.
	title, description := a.Headline, a.Summary
	if a.SEOTitle != "" {
		title = a.SEOTitle
	}
	if a.SEODescription != "" {
		description = a.SEODescription
	}
	v := &articleView{page: s.newPage(ctx, a.URL(), title), Article: a}
	v.Description = description
	for _, sec := range tree.Ancestry(a.Section.ID) {
		v.Crumbs = append(v.Crumbs, navItem{Name: sec.Name, URL: sec.URL()})
	}
	if len(v.Crumbs) > 0 {
		v.Current = v.Crumbs[0].URL
	}
	v.Photo = newPhotoView(a.Photo, 1280)
	// BodyHTML was rendered and sanitized by internal/markup when the
	// article was saved; its figures get their photo sets here (bodies.go).
	body := s.bodyHTML(ctx, a)
	v.Body = template.HTML(body)
	if strings.Contains(body, `<figure class="embed `) && s.embed != "" {
		// The script that loads an embed when the reader asks.
		v.Head.Scripts = append(v.Head.Scripts, s.embed)
	}
	if len(related) > 0 {
		v.RelatedCards = s.cardList(newCards(related))
	}
	v.ShareURL = v.Canonical
	v.CrumbTrail = crumbsHTML(v.Crumbs)
	v.LeadPhoto = leadPhotoHTML(v.Photo)
	v.articleParts(shareLinks(v.Canonical, a.Headline), s.zone())
	st := s.settings(ctx)
	var og media.Variant
	v.OG, og = s.articleOG(a)
	if v.OG.Image != "" {
		v.Head.ImageWidth, v.Head.ImageHeight = og.Width, og.Height
	}
	v.Head.OEmbed = s.oembedURL(ctx, v.Canonical)
	if len(v.Crumbs) > 0 {
		sec := v.Crumbs[len(v.Crumbs)-1]
		v.addFeeds(s.feedLinks(ctx, sec.URL, feedTitle(st, sec.Name)))
	}
	live, err := s.liveOf(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	if art := s.articleLD(st, a, v.Crumbs); live != nil {
		v.addLive(live, s.zone())
		v.addJSONLD(s.liveLD(art, a, live))
	} else {
		v.addJSONLD(art)
	}
	v.addJSONLD(s.breadcrumbLD(st, append(v.Crumbs[:len(v.Crumbs):len(v.Crumbs)], navItem{Name: a.Headline, URL: a.URL()})))
	return v, related, nil
}

// shareLinks are plain links to each service's own share page, carrying the
// article's address: nothing is loaded from those services until a reader
// follows one.
func shareLinks(u, title string) []shareLink {
	q := url.QueryEscape
	return []shareLink{
		{"X", "Share on X", "https://x.com/intent/post?url=" + q(u) + "&text=" + q(title)},
		{"Facebook", "Share on Facebook", "https://www.facebook.com/sharer/sharer.php?u=" + q(u)},
		{"Telegram", "Share on Telegram", "https://t.me/share/url?url=" + q(u) + "&text=" + q(title)},
		{"WhatsApp", "Share on WhatsApp", "https://wa.me/?text=" + q(title+" "+u)},
		{"E-mail", "Share by e-mail", "mailto:?subject=" + mailtoEscape(title) + "&body=" + mailtoEscape(u)},
	}
}

// mailtoEscape percent-encodes a header value of a mailto: URL (RFC 6068):
// everything but unreserved characters and the few delimiters a value may
// hold as they are ("$", ",", ":", "@"). "&" and "=" above all, or a
// headline could add recipients and a body to the reader's e-mail
// ("...&cc=someone@example.net&body=..."); "+" too, which some mail
// programs read as a space; and a space is %20, not the "+" of a form.
// Everything url.PathEscape kept besides "&", "+", ";" and "=" is kept,
// so the links of headlines without them read as they did.
func mailtoEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~$,:@", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// articleParts writes the article's lists: the bylines and dates of its
// header ("bylines" in parts.html, then "Published <time>...; updated
// <time>..."), its topics and its share links.
func (v *articleView) articleParts(share []shareLink, zone *time.Location) {
	a := v.Article
	f := newFrag(256)
	bylinesHTML(f, a.Bylines)
	v.Bylines = f.html()

	f = newFrag(160)
	f.raw("Published ")
	timeHTML(f, a.PublishedAt, zone, dateLayout)
	if a.Updated() {
		f.raw("; updated ")
		timeHTML(f, a.UpdatedAt, zone, dateLayout)
	}
	v.Dates = f.html()

	f = newFrag(64 * len(a.Tags))
	for i := range a.Tags {
		f.raw(`<li><a href="`)
		f.url(a.Tags[i].URL())
		f.raw(`" rel="tag">`)
		f.text(a.Tags[i].Name)
		f.raw("</a></li>")
	}
	v.TagItems = f.html()

	f = newFrag(1536)
	for _, l := range share {
		f.raw("\n      <li><a href=\"")
		f.url(l.URL)
		f.raw(`" aria-label="`)
		f.text(l.Label)
		f.raw(`" rel="noopener noreferrer nofollow">`)
		f.text(l.Name)
		f.raw("</a></li>")
	}
	v.ShareItems = f.html()
}

// preread is the context key of WithArticles.
type preread struct{}

// WithArticles returns a context in which the site's article pages take
// these articles as read instead of reading each one: a caller that renders
// many article pages at once (an export) reads them whole in batches
// (store.ArticlesByIDs), one query for dozens of pages. An article stands
// only for its own address; any other address is read as always.
func WithArticles(ctx context.Context, list []*news.Article) context.Context {
	m := make(map[string]*news.Article, len(list))
	for _, a := range list {
		m[a.URL()] = a
	}
	return context.WithValue(ctx, preread{}, m)
}

// articleAt is the article at /sectionPath/slug, as WithArticles gave it
// or read now.
func (s *Site) articleAt(ctx context.Context, sectionPath, slug string) (*news.Article, error) {
	if m, ok := ctx.Value(preread{}).(map[string]*news.Article); ok {
		if a := m["/"+sectionPath+"/"+slug]; a != nil {
			return a, nil
		}
	}
	return s.store.ArticleByPath(ctx, store.Page, sectionPath, slug)
}

// withdrawn answers for an article that was published and then taken back:
// 410 Gone, so search engines drop it at once rather than retrying a 404,
// and a short note, in the site's layout and not to be indexed. The note
// does not repeat the headline: a story is sometimes withdrawn for what
// it said.
func (s *Site) withdrawn(w http.ResponseWriter, r *http.Request) error {
	v := s.errorPage(r.Context(), http.StatusGone, "The newsroom has withdrawn this story; it is no longer published on this site.")
	return s.render(w, r, http.StatusGone, "error", v)
}
