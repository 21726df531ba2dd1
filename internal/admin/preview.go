package admin

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
)

// The editor's preview: the public article page itself, rendered by the
// site's own code (site.RenderPreview) from the form as it stands, unsaved,
// with the search result and the social card that page would give. The
// page is shown in a sandboxed frame, so nothing in it runs: not the
// newsroom's scripts, not the site's.

// Preview widths: a phone's and a desktop's, in CSS pixels.
const (
	phoneWidth   = 390
	desktopWidth = 1280
)

// Search engines cut a result's title and description at about these
// lengths (Google measures pixels; these are its usual character counts).
const (
	snippetTitleMax       = 60
	snippetDescriptionMax = 160
)

// previewView is the preview page, and its aside (the search result and
// the social card), which the editor's script asks for as it changes.
type previewView struct {
	page
	Page    string // the public page's HTML, for the frame's srcdoc
	Desktop bool   // the frame starts at the desktop's width
	Phone   int
	Wide    int
	Aside   previewAside
}

type previewAside struct {
	Snippet          site.Snippet
	Card             site.SocialCard
	TitleCut         string // the title as a search engine would cut it
	DescriptionCut   string
	TitleLong        bool
	DescriptionLong  bool
	Notes            []string // what the preview cannot show yet
	NoSection        bool
	DescriptionEmpty bool
}

// preview renders the form's article as its public page. The script asks
// for JSON (the page, and the aside as HTML) as the writer types; the
// "Preview" button without a script gets the page with the frame.
func (a *Admin) preview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	var old *news.Editorial
	if id := r.URL.Query().Get("article"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			return news.Invalid("article", "%q is not an article's number", id)
		}
		if old, err = a.store.Editorial(ctx, n); err != nil {
			return err
		}
		if !auth.CanView(u, old) {
			return forbidden("You may open only your own articles.")
		}
	}
	f, err := a.readArticleForm(r)
	if err != nil {
		return err
	}
	art, notes, err := a.previewArticle(ctx, f, old)
	if err != nil {
		return err
	}
	if a.cfg.Preview == nil {
		return fmt.Errorf("admin: no preview renderer configured")
	}
	p, err := a.cfg.Preview(ctx, art, "")
	if err != nil {
		return err
	}
	aside := newPreviewAside(p, notes, art)
	if wantsJSON(r) {
		var buf bytes.Buffer
		if err := a.pages["preview"].ExecuteTemplate(&buf, "preview-aside", aside); err != nil {
			return err
		}
		// "html" is the body alone, as it was before the page was.
		return writeJSON(w, http.StatusOK, map[string]string{"page": string(p.Page), "aside": buf.String(), "html": art.BodyHTML})
	}
	v := &previewView{page: a.newPage(r, "Preview: "+or(art.Headline, "(no headline yet)")), Page: string(p.Page),
		Desktop: r.URL.Query().Get("width") == "desktop", Phone: phoneWidth, Wide: desktopWidth, Aside: aside}
	return a.render(w, r, http.StatusOK, "preview", v)
}

func newPreviewAside(p *site.Preview, notes []string, art *news.Article) previewAside {
	s := previewAside{Snippet: p.Snippet, Card: p.Card, Notes: notes, NoSection: art.Section.ID == 0}
	s.TitleCut, s.TitleLong = cut(p.Snippet.Title, snippetTitleMax)
	s.DescriptionCut, s.DescriptionLong = cut(p.Snippet.Description, snippetDescriptionMax)
	s.DescriptionEmpty = strings.TrimSpace(p.Snippet.Description) == ""
	return s
}

// cut shortens s to at most n characters at a word, with an ellipsis, as
// a search result does.
func cut(s string, n int) (string, bool) {
	r := []rune(s)
	if len(r) <= n {
		return s, false
	}
	t := string(r[:n])
	if i := strings.LastIndexByte(t, ' '); i > n/2 {
		t = t[:i]
	}
	return strings.TrimRight(t, " ,.;:—-") + " …", true
}

// previewArticle builds the article the form describes, as it would go
// out, reading the store and writing nothing: bylines and tags that do not
// exist yet are shown as a save would make them (editorialFrom), without
// making them. The dates are the ones readers would see: a published
// story's own, with "updated" now if the writer ticked it; a scheduled
// story's due time; otherwise now. notes say what the preview cannot show.
func (a *Admin) previewArticle(ctx context.Context, f *articleForm, old *news.Editorial) (*news.Article, []string, error) {
	c := f.content()
	art := &news.Article{Headline: c.Headline, Slug: c.Slug, Summary: c.Summary, Body: c.Body, Status: news.Published,
		SEOTitle: c.SEOTitle, SEODescription: c.SEODescription}
	if art.Slug == "" {
		art.Slug = news.Slugify(art.Headline)
	}
	var notes []string
	now := a.now().UTC()
	art.PublishedAt = now
	if old != nil {
		art.ID = old.Article.ID
		art.Corrections = old.Article.Corrections
		switch {
		case old.Article.Status == news.Published:
			art.PublishedAt, art.UpdatedAt = old.Article.PublishedAt, old.Article.UpdatedAt
			if f.Updated {
				art.UpdatedAt = now
			}
		case old.Article.Status == news.Scheduled && !old.PublishAt.IsZero():
			art.PublishedAt = old.PublishAt
		}
	}
	if c.SectionID != 0 {
		sec, err := a.store.SectionByID(ctx, c.SectionID)
		if err != nil && news.ErrorCode(err) != news.ENOTFOUND {
			return nil, nil, err
		}
		art.Section = sec
	}
	if art.Section.ID == 0 {
		art.Section = news.Section{Name: "", Path: "section"}
		notes = append(notes, "No section is chosen yet: the address shown is not the story's.")
	}
	for _, name := range c.Bylines {
		slug := news.Slugify(name)
		if slug == "" {
			continue
		}
		au, err := a.store.AuthorBySlug(ctx, slug)
		if news.ErrorCode(err) == news.ENOTFOUND {
			au, err = news.Author{Slug: slug, Name: name, Agency: news.IsAgency(name)}, nil
		}
		if err != nil {
			return nil, nil, err
		}
		art.Bylines = append(art.Bylines, au)
	}
	for _, name := range c.Tags {
		slug := news.Slugify(name)
		if slug == "" {
			continue
		}
		t, err := a.store.TagBySlug(ctx, slug)
		if news.ErrorCode(err) == news.ENOTFOUND {
			t, err = news.Tag{Slug: slug, Name: name}, nil
		}
		if err != nil {
			return nil, nil, err
		}
		art.Tags = append(art.Tags, t)
	}
	if f.upload != nil {
		notes = append(notes, "The photo chosen for upload shows once the story is saved.")
	}
	if c.PhotoID != 0 {
		ph, err := a.store.LibraryPhoto(ctx, c.PhotoID)
		if err != nil && news.ErrorCode(err) != news.ENOTFOUND {
			return nil, nil, err
		}
		if err == nil {
			art.Photo = &news.Photo{Media: ph.Media, Alt: or(c.PhotoAlt, ph.Alt), Caption: or(c.PhotoCaption, ph.Caption), Credit: or(c.PhotoCredit, ph.Credit)}
		}
	}
	html, err := markup.Render(art.Body)
	if err != nil {
		return nil, nil, news.Invalid("body", "%s", strings.TrimPrefix(err.Error(), "markup: "))
	}
	art.BodyHTML = html
	return art, notes, nil
}
