package site

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/newsdesk/newsdesk/internal/news"
)

type articleView struct {
	page
	Article  *news.Article
	Crumbs   []navItem
	Photo    *photoView
	Body     template.HTML
	Related  []card
	Share    []shareLink
	ShareURL string
}

type shareLink struct {
	Name  string
	Label string // the accessible name: "Share on Telegram"
	URL   string
}

// showArticle shows a published article.
func (s *Site) showArticle(w http.ResponseWriter, r *http.Request, sectionPath, slug string) error {
	ctx := r.Context()
	a, err := s.store.ArticleByPath(ctx, sectionPath, slug)
	if err != nil {
		return err
	}
	if a.Status != news.Published {
		return news.NotFound("no article at %s", r.URL.Path)
	}
	tree, err := s.tree(ctx)
	if err != nil {
		return err
	}
	related, err := s.related(ctx, a.Section.ID, a.ID)
	if err != nil {
		return err
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
	// article was saved.
	v.Body = template.HTML(a.BodyHTML)
	v.Related = newCards(related)
	v.ShareURL = v.Canonical
	v.Share = shareLinks(v.Canonical, a.Headline)
	st := s.settings(ctx)
	v.OG = s.articleOG(a, v.Photo)
	if v.Photo != nil {
		v.Head.ImageWidth, v.Head.ImageHeight = v.Photo.Width, v.Photo.Height
	}
	v.Head.OEmbed = s.oembedURL(ctx, v.Canonical)
	if len(v.Crumbs) > 0 {
		sec := v.Crumbs[len(v.Crumbs)-1]
		v.addFeeds(s.feedLinks(ctx, sec.URL, feedTitle(st, sec.Name)))
	}
	v.addJSONLD(s.articleLD(st, a, v.Crumbs))
	v.addJSONLD(s.breadcrumbLD(st, append(v.Crumbs[:len(v.Crumbs):len(v.Crumbs)], navItem{Name: a.Headline, URL: a.URL()})))
	return s.renderKeyed(w, r, http.StatusOK, "article", v, articleKeys(a, related))
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
		{"E-mail", "Share by e-mail", "mailto:?subject=" + url.PathEscape(title) + "&body=" + url.PathEscape(u)},
	}
}
