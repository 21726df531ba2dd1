package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
)

// deskSearchPage is how many results the newsroom's search shows a page.
const deskSearchPage = 20

// deskHit is one article the newsroom's search found, its matches marked.
type deskHit struct {
	*news.Editorial
	Headline []search.Span
	Snippet  []search.Span
}

type searchView struct {
	page
	Q        string // as typed, for the box
	Statuses []news.Status
	Status   string
	Mine     bool
	Searched bool   // there were words to search for
	Count    string // "3 articles", "200 or more articles"
	Capped   bool
	Ignored  []string // common words left out of the query
	Hits     []deskHit
	Start    int // the number of the first result on the page
	Prev     string
	Next     string
}

// showSearch is the newsroom's search: the words of headlines, summaries
// and bodies of articles in any status, read by the same parser as the
// public search (internal/search), so no input reaches an engine as
// syntax. Each finds the articles they may see (auth.ArticleScope), as in
// the articles list: editors everyone's, contributors their own.
func (a *Admin) showSearch(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	q := r.URL.Query()
	req, err := search.ParseRequest(url.Values{"q": {q.Get("q")}, "page": {q.Get("page")}})
	if err != nil {
		return err
	}
	v := &searchView{page: a.newPage(r, "Search"), Q: req.Q, Statuses: news.Statuses, Status: q.Get("status"), Mine: q.Get("mine") != ""}
	if s := req.Short(); s != "" {
		v.Title = "“" + s + "”: search"
	}
	o := store.DeskSearchOptions{Query: req.Query, Scope: auth.ArticleScope(u), Offset: (req.Page - 1) * deskSearchPage, Limit: deskSearchPage}
	if v.Status != "" {
		st := news.Status(v.Status)
		if !slices.Contains(news.Statuses, st) {
			return news.Invalid("status", "%q is not a status", v.Status)
		}
		o.Statuses = []news.Status{st}
	}
	if v.Mine || !o.Scope.All() {
		o.CreatedBy = u.ID
		v.Mine = true
	}
	v.Ignored = req.Query.Ignored
	v.Searched = !req.Query.Empty()
	if v.Searched {
		res, err := a.store.SearchDesk(r.Context(), o)
		if err != nil {
			return err
		}
		v.Count, v.Capped = deskCount(res), res.More
		v.Start = o.Offset + 1
		for _, e := range res.Hits {
			v.Hits = append(v.Hits, deskHit{Editorial: e,
				Headline: req.Query.Highlight(e.Article.Headline),
				Snippet:  req.Query.SnippetText(e.Article.Summary, res.Passages[e.Article.ID])})
		}
		link := func(page int) string {
			p := url.Values{"q": {req.Q}}
			if v.Status != "" {
				p.Set("status", v.Status)
			}
			if q.Get("mine") != "" {
				p.Set("mine", "1")
			}
			if page > 1 {
				p.Set("page", strconv.Itoa(page))
			}
			return "/admin/search?" + p.Encode()
		}
		if req.Page > 1 {
			v.Prev = link(req.Page - 1)
		}
		if o.Offset+deskSearchPage < res.Total {
			v.Next = link(req.Page + 1)
		}
	}
	return a.render(w, r, http.StatusOK, "search", v)
}

// deskCount says how many articles a search found; at the limit of what a
// search ranks, it says "or more", as the public search does.
func deskCount(res store.DeskSearchResult) string {
	n := strconv.Itoa(res.Total)
	switch {
	case res.More:
		return n + " or more articles"
	case res.Total == 1:
		return "1 article"
	}
	return n + " articles"
}
