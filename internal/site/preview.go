package site

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Previews: an article's public page before readers can see it, rendered
// by the code that renders the published page (articlePage), never through
// the page cache and never indexed. The newsroom shows it from the editor's
// unsaved form (internal/admin, preview.go); a preview link shows a draft's
// saved text at /preview/{token} to someone without an account.

// Preview is an article's page as it would be published, and what search
// engines and social networks would show of it, all from the one view the
// page is rendered from.
type Preview struct {
	Page    []byte // the whole public page, noindex
	Snippet Snippet
	Card    SocialCard
}

// Snippet is a search result as a search engine shows one: the page's
// <title>, its address and its meta description (the editor's texts for
// search engines when there are some; the headline and summary otherwise).
type Snippet struct {
	Title       string
	URL         string
	Description string
}

// SocialCard is the card X, Facebook and messengers show for a shared
// link, from the page's Open Graph and Twitter tags.
type SocialCard struct {
	Site        string // the host the card names
	Title       string // og:title
	Description string // og:description
	Image       string // og:image, absolute; "" without a photo
	ImagePath   string // the same image's path on this site, to show it from here
	ImageAlt    string
	ImageWidth  int
	ImageHeight int
	Large       bool // twitter:card summary_large_image
}

// DraftBanner is the line above a draft shown through a preview link.
const DraftBanner = "Draft preview — not published"

// RenderPreview renders a's public page as it would be published, and its
// search result and social card. a is the caller's to fill as the story
// would go out (its publication time set, its body rendered by
// internal/markup): an unsaved form in the newsroom, or a draft's saved
// text. The page tells robots not to index it; banner, when not empty, is
// shown above the story.
func (s *Site) RenderPreview(ctx context.Context, a *news.Article, banner string) (*Preview, error) {
	v, _, err := s.articlePage(ctx, a)
	if err != nil {
		return nil, err
	}
	v.Robots = "noindex, nofollow"
	if banner != "" {
		// The banner opens the page's content, above the breadcrumbs. It
		// takes the look of the search page's notice (search-problem), so
		// the stylesheet, and with it every page's address for it, stays
		// as it is.
		f := newFrag(96 + len(banner))
		f.raw("\n<p class=\"search-problem preview-banner\" role=\"note\">")
		f.text(banner)
		f.raw("</p>")
		f.markup(v.CrumbTrail)
		v.CrumbTrail = f.html()
	}
	v.finish()
	var buf bytes.Buffer
	if err := s.pages["article"].ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return nil, fmt.Errorf("render preview: %w", err)
	}
	p := &Preview{Page: buf.Bytes(), Snippet: Snippet{Title: v.FullTitle, URL: v.Canonical, Description: v.Description}}
	if og := v.OG; og != nil {
		p.Card = SocialCard{Title: og.Title, Description: og.Description, Image: og.Image, ImageAlt: og.ImageAlt,
			ImageWidth: v.Head.ImageWidth, ImageHeight: v.Head.ImageHeight, Large: og.Image != ""}
		if u, err := url.Parse(og.Image); err == nil && og.Image != "" {
			p.Card.ImagePath = u.Path
		}
	}
	p.Card.Site = s.cfg.BaseURL.Host
	return p, nil
}

// previewHeaders are set on every answer at /preview/: a draft, or a note
// about one, is for the one person holding the link. No shared cache (the
// page cache, a CDN) keeps it, no robot indexes it, and its address, which
// is the key to the draft, is sent to no site the reader goes on to.
func previewHeaders(h http.Header) {
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Referrer-Policy", "no-referrer")
	h.Del("Surrogate-Key")
	h.Del("Cache-Tag")
}

// showPreviewLink answers /preview/{token}: the draft's current saved text
// as its public page, under a banner. A link revoked or past its end, or a
// story withdrawn since, is 410 with a short note; a story published since
// leads to its public page. Every opening is counted, with its time only.
func (s *Site) showPreviewLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	previewHeaders(w.Header())
	token := r.PathValue("token")
	// Tokens are 43 characters (32 random bytes, base64url): anything
	// else is no link, and is not hashed or looked up.
	if len(token) != 43 {
		return s.previewGone(w, r, http.StatusNotFound, "")
	}
	l, err := s.store.PreviewLinkByToken(ctx, auth.HashToken(token))
	if news.ErrorCode(err) == news.ENOTFOUND {
		return s.previewGone(w, r, http.StatusNotFound, "")
	} else if err != nil {
		return err
	}
	now := time.Now()
	switch l.State(now) {
	case news.PreviewRevoked:
		return s.previewGone(w, r, http.StatusGone, "This preview link was revoked. Ask the newsroom that sent it for a new one.")
	case news.PreviewExpired:
		return s.previewGone(w, r, http.StatusGone, "This preview link has expired. Ask the newsroom that sent it for a new one.")
	}
	e, err := s.store.Editorial(ctx, l.ArticleID)
	if news.ErrorCode(err) == news.ENOTFOUND {
		return s.previewGone(w, r, http.StatusGone, "The story this link previewed is no longer there.")
	} else if err != nil {
		return err
	}
	if err := s.store.UsePreviewLink(ctx, l.ID, now.UTC()); err != nil {
		return err
	}
	a := e.Article
	switch {
	case a.Status == news.Published:
		// It is out: the public page is the one to read (and to link to).
		http.Redirect(w, r, s.link(ctx, a.URL()), http.StatusSeeOther)
		return nil
	case news.PreviewWithdrawn(a):
		return s.previewGone(w, r, http.StatusGone, "This story was withdrawn: it can no longer be previewed.")
	}
	// As it would go out: a story due at a set time says that time; any
	// other, now.
	a.PublishedAt = now.UTC()
	if a.Status == news.Scheduled && !e.PublishAt.IsZero() {
		a.PublishedAt = e.PublishAt
	}
	p, err := s.RenderPreview(ctx, a, DraftBanner)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(p.Page)
	}
	return nil
}

// previewGone answers a preview link that shows nothing: 404 for no such
// link, 410 with a note for one that ended, never cached.
func (s *Site) previewGone(w http.ResponseWriter, r *http.Request, status int, note string) error {
	v := s.errorPage(r.Context(), status, note)
	if status == http.StatusGone {
		v.Title, v.Heading = "Preview unavailable", "This preview is no longer available"
	}
	v.Robots = "noindex, nofollow"
	v.finish()
	var buf bytes.Buffer
	if err := s.pages["error"].ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("render %d: %w", status, err)
	}
	h := w.Header()
	previewHeaders(h)
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
	return nil
}
