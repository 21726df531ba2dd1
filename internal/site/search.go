package site

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
)

// searchView is the search page: the form, and the results, the advice
// when there are none, or the latest stories when nothing was asked.
type searchView struct {
	page
	Q        string // as typed, for the box
	From, To string // the dates, when they are dates
	Sections []sectionOption
	Problem  string // a filter or page number that means nothing, said in words
	Searched bool   // there was something to search for
	Count    string // "23 stories", "200 or more stories"
	Capped   bool   // more matched than were ranked
	Results  []searchResult
	Start    int // the number of the first result on the page
	PageNo   int
	Pages    int
	Prev     string
	Next     string
	First    string // page 1 of the same search
	// Advice for a search that found nothing.
	Ignored    []string // common words left out of the query
	Truncated  bool     // words past the limit were left out
	Phrases    bool     // the query had phrases in quotes
	Everywhere string   // the same search without filters, when filtered
	Latest     []card
	MaxWords   int
	MaxWordLen int
}

// sectionOption is a section in the form's list.
type sectionOption struct {
	Path     string
	Label    string
	Selected bool
}

// searchResult is one story found, with its matches marked.
type searchResult struct {
	URL      string
	Headline []search.Span
	Snippet  []search.Span
	Section  navItem
	Bylines  []news.Author
	Time     time.Time
}

// showSearch answers /search?q=...&section=...&from=...&to=...&page=...
// A query is never an error: any text is searched for as words. Filters
// and page numbers that mean nothing are said so on the page, with a 400.
func (s *Site) showSearch(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	req, err := search.ParseRequest(r.URL.Query())
	status := http.StatusOK
	v := &searchView{page: s.newPage(ctx, "/search", "Search"), Q: req.Q, MaxWords: search.MaxWords, MaxWordLen: search.MaxWordLen}
	// Results pages are not for search engines, and have no canonical
	// address; mirror links keep the search.
	v.Canonical, v.Robots = "", "noindex, follow"
	v.Path = "/search"
	if vals := req.Values(req.Page, true); req.Q != "" || req.Filtered() {
		v.Path += "?" + vals.Encode()
	}
	v.Description = "Search every story published by " + v.SiteName + "."
	if err != nil {
		if news.ErrorCode(err) != news.EINVALID {
			return err
		}
		status, v.Problem = http.StatusBadRequest, news.ErrorMessage(err)
	}
	if !req.Since.IsZero() {
		v.From = req.From
	}
	if !req.Before.IsZero() {
		v.To = req.To
	}

	secs, err := s.store.Sections(ctx)
	if err != nil {
		return err
	}
	tree := news.NewTree(secs)
	var sectionIDs []int64
	for _, sec := range secs {
		v.Sections = append(v.Sections, sectionOption{Path: sec.Path,
			Label: strings.Repeat("– ", sec.Depth()-1) + sec.Name, Selected: sec.Path == req.Section})
		if sec.Path == req.Section {
			sectionIDs = tree.SubtreeIDs(sec.ID)
		}
	}
	if req.Section != "" && sectionIDs == nil && v.Problem == "" {
		status, v.Problem = http.StatusBadRequest, "There is no section “"+req.Section+"”."
	}

	if q := req.Short(); q != "" {
		v.Title = "“" + q + "”: search"
	}
	v.Searched = !req.Query.Empty() && v.Problem == ""
	if v.Searched {
		size := s.cfg.PageSize
		res, err := s.store.Search(ctx, store.SearchOptions{Query: req.Query, SectionIDs: sectionIDs,
			Since: req.Since, Before: req.Before, Offset: (req.Page - 1) * size, Limit: size})
		if news.ErrorCode(err) == news.EUNAVAILABLE {
			// The search ran out of time: say so on the page.
			status, v.Problem, v.Searched = http.StatusServiceUnavailable, news.ErrorMessage(err), false
		} else if err != nil {
			return err
		}
		v.Count = countText(res)
		v.Capped = res.More
		v.PageNo, v.Start = req.Page, (req.Page-1)*size+1
		v.Pages = (res.Total + size - 1) / size
		for _, h := range res.Hits {
			if err := ctx.Err(); err != nil {
				// The reader has gone, or the deadline has passed: no
				// one will read the rest.
				return err
			}
			a := h.Article
			v.Results = append(v.Results, searchResult{
				URL:      a.URL(),
				Headline: req.Query.Highlight(a.Headline),
				Snippet:  req.Query.SnippetText(a.Summary, h.Passages),
				Section:  navItem{Name: a.Section.Name, URL: a.Section.URL()},
				Bylines:  a.Bylines,
				Time:     a.PublishedAt,
			})
		}
		v.First = "/search?" + req.Values(1, true).Encode()
		if req.Page > 1 {
			v.Prev = "/search?" + req.Values(min(req.Page-1, max(v.Pages, 1)), true).Encode()
		}
		if req.Page < v.Pages {
			v.Next = "/search?" + req.Values(req.Page+1, true).Encode()
		}
	}
	if len(v.Results) == 0 {
		v.Ignored, v.Truncated = req.Query.Ignored, req.Query.Truncated
		v.Phrases = len(req.Query.Phrases()) > 0
		if req.Filtered() && req.Q != "" {
			v.Everywhere = "/search?" + req.Values(1, false).Encode()
		}
		latest, err := s.store.PublishedArticles(ctx, store.ArticleFilter{Limit: 4})
		if err != nil {
			return err
		}
		v.Latest = newCards(latest)
	}
	return s.render(w, r, status, "search", v)
}

// countText says how many stories a search found.
func countText(res store.SearchResult) string {
	switch {
	case res.More:
		return thousands(res.Total) + " or more stories"
	case res.Total == 1:
		return "1 story"
	}
	return thousands(res.Total) + " stories"
}

// thousands writes n with commas between thousands: 12,345.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
