package api

import (
	"context"
	"errors"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
)

// maxPerPage bounds per_page.
const maxPerPage = 50

// searchAnswer is the answer of GET /api/v1/search.
type searchAnswer struct {
	// Query is what was searched for: the words, and phrases in quotes.
	Query string `json:"query"`
	// Ignored are common words left out of the query.
	Ignored []string `json:"ignored,omitempty"`
	// Total is how many stories match; with more set, the search stopped
	// there, and older stories that match were not ranked.
	Total   int         `json:"total"`
	More    bool        `json:"more"`
	Page    int         `json:"page"`
	PerPage int         `json:"per_page"`
	Pages   int         `json:"pages"`
	Prev    string      `json:"prev,omitempty"`
	Next    string      `json:"next,omitempty"`
	Results []resultRow `json:"results"`
}

// resultRow is one story found. The _html fields are the text with every
// character escaped and the matches in <mark>, ready to show; the plain
// fields are the same text without marks.
type resultRow struct {
	ID           int64       `json:"id"`
	URL          string      `json:"url"`
	Headline     string      `json:"headline"`
	HeadlineHTML string      `json:"headline_html"`
	Summary      string      `json:"summary"`
	Snippet      string      `json:"snippet"`
	SnippetHTML  string      `json:"snippet_html"`
	Section      sectionRef  `json:"section"`
	Bylines      []bylineRef `json:"bylines"`
	PublishedAt  time.Time   `json:"published_at"`
	UpdatedAt    *time.Time  `json:"updated_at,omitempty"`
	Image        *imageRef   `json:"image,omitempty"`
	Score        float64     `json:"score"`
}

type sectionRef struct {
	Name string `json:"name"`
	Path string `json:"path"`
	URL  string `json:"url"`
}

type bylineRef struct {
	Name   string `json:"name"`
	URL    string `json:"url"`
	Agency bool   `json:"agency"`
}

type imageRef struct {
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Alt    string `json:"alt"`
	Credit string `json:"credit,omitempty"`
}

// search answers GET /api/v1/search?q=...&section=...&from=...&to=...
// &page=...&per_page=..., with the parameters the site's search page takes.
// Any q is a query (an empty one finds nothing); a filter or page number
// that means nothing is a 400 naming the parameter.
func (a *API) search(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vals := r.URL.Query()
	req, err := search.ParseRequest(vals)
	if err != nil {
		return err
	}
	size := a.cfg.PageSize
	if s := vals.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPerPage {
			return news.Invalid("per_page", "%q is not a page size from 1 to %d", strings.ToValidUTF8(s, "?"), maxPerPage)
		}
		size = n
	}
	var sectionIDs []int64
	if req.Section != "" {
		secs, err := a.store.Sections(ctx)
		if err != nil {
			return err
		}
		tree := news.NewTree(secs)
		for _, sec := range secs {
			if sec.Path == req.Section {
				sectionIDs = tree.SubtreeIDs(sec.ID)
			}
		}
		if sectionIDs == nil {
			return news.Invalid("section", "there is no section %q", req.Section)
		}
	}
	ans := searchAnswer{Query: req.Query.String(), Ignored: req.Query.Ignored, Page: req.Page, PerPage: size,
		Results: []resultRow{}}
	res, err := a.store.Search(ctx, store.SearchOptions{Query: req.Query, SectionIDs: sectionIDs,
		Since: req.Since, Before: req.Before, Offset: (req.Page - 1) * size, Limit: size})
	if err != nil {
		return err
	}
	ans.Total, ans.More = res.Total, res.More
	ans.Pages = (res.Total + size - 1) / size
	link := func(page int) string {
		v := req.Values(page, true)
		if size != a.cfg.PageSize {
			v.Set("per_page", strconv.Itoa(size))
		}
		if page == 1 {
			v.Set("page", "1")
		}
		return a.abs(ctx, "/api/v1/search?"+v.Encode())
	}
	if req.Page > 1 && ans.Pages > 0 {
		ans.Prev = link(min(req.Page-1, ans.Pages))
	}
	if req.Page < ans.Pages {
		ans.Next = link(req.Page + 1)
	}
	for _, h := range res.Hits {
		if err := ctx.Err(); err != nil {
			// The client has gone, or the deadline has passed.
			return err
		}
		art := h.Article
		headline := req.Query.Highlight(art.Headline)
		snippet := req.Query.SnippetText(art.Summary, h.Passages)
		row := resultRow{
			ID: art.ID, URL: a.abs(ctx, art.URL()),
			Headline: art.Headline, HeadlineHTML: spansHTML(headline),
			Summary: art.Summary, Snippet: spansText(snippet), SnippetHTML: spansHTML(snippet),
			Section:     sectionRef{Name: art.Section.Name, Path: art.Section.Path, URL: a.abs(ctx, art.Section.URL())},
			Bylines:     []bylineRef{},
			PublishedAt: art.PublishedAt,
			Score:       h.Score,
		}
		if art.Updated() {
			u := art.UpdatedAt
			row.UpdatedAt = &u
		}
		for _, b := range art.Bylines {
			row.Bylines = append(row.Bylines, bylineRef{Name: b.Name, URL: a.abs(ctx, b.URL()), Agency: b.Agency})
		}
		row.Image = a.image(ctx, art.Photo)
		ans.Results = append(ans.Results, row)
	}
	a.writeJSON(w, r, http.StatusOK, ans)
	return nil
}

// image is a story's photo at a width that suits a list: the widest
// variant up to 640 pixels.
func (a *API) image(ctx context.Context, p *news.Photo) *imageRef {
	if p == nil || p.Media.ID == 0 {
		return nil
	}
	vs := media.Variants(p.Media)
	if len(vs) == 0 {
		return nil
	}
	best := vs[0]
	for _, v := range vs {
		if v.Width <= 640 {
			best = v
		}
	}
	return &imageRef{URL: a.abs(ctx, "/media/"+best.Key), Width: best.Width, Height: best.Height, Alt: p.Alt, Credit: p.Credit}
}

// spansHTML escapes every span and marks the matches: nothing of the
// article's text is trusted as HTML.
func spansHTML(spans []search.Span) string {
	var b strings.Builder
	for _, s := range spans {
		if s.Match {
			b.WriteString("<mark>" + html.EscapeString(s.Text) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(s.Text))
		}
	}
	return b.String()
}

func spansText(spans []search.Span) string {
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.Text)
	}
	return b.String()
}

// asError finds a *news.Error in err's chain.
func asError(err error, target **news.Error) bool { return errors.As(err, target) }
