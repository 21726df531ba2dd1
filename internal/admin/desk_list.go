package admin

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
	"github.com/newsdesk/newsdesk/internal/store"
)

// deskPage is how many stories the article list shows a page.
const deskPage = 50

// sortColumn is a column heading of the article list: a link that sorts
// by it, the other way round when it is the column sorted by now.
type sortColumn struct {
	Label   string
	URL     string
	Current bool
	Desc    bool // the order now, when Current
}

type articlesView struct {
	page
	Articles []*news.Editorial
	Statuses []news.Status
	Sections []news.Section
	// The filters as typed, for the form.
	Query, Status, Section, Author, Tag, DateField, From, To, Sort, Dir string
	Mine                                                                bool
	Columns                                                             []sortColumn
	Filtered                                                            bool   // a filter narrows the list
	TextCapped                                                          bool   // the text matched more than the search ranks
	Next                                                                string // the next page, by keyset
	First                                                               string // the first page, when this is not it
	Here                                                                string // this page's address, where bulk actions come back to
	CanPublish                                                          bool
}

// deskQuery is the article list's query parameters, read and checked.
type deskQuery struct {
	f      store.DeskListFilter
	params url.Values // the parameters that set a filter or the order, cleaned, for links
}

// defaultDesc is the direction a column sorts in when first chosen:
// times newest first, words from A.
func defaultDesc(c store.DeskSort) bool { return c == store.SortUpdated || c == store.SortPublished }

// parseDeskQuery reads the article list's parameters: q (words, as the
// newsroom's search reads them), status, section (a path; its
// subsections too), author and tag (a name or slug), date (published or
// updated) with from and to (days, YYYY-MM-DD, in the newsroom's time
// zone, both included), sort and dir (asc or desc), after (the place a
// "Next" link starts from) and mine. Every mistake is reported at once,
// each naming its parameter; the view gets the values as typed.
func (a *Admin) parseDeskQuery(ctx context.Context, u *news.User, q url.Values, v *articlesView) (deskQuery, error) {
	var dq deskQuery
	var p news.Problems
	f := store.DeskListFilter{Scope: auth.ArticleScope(u), Limit: deskPage}
	get := func(name string) string { return strings.TrimSpace(q.Get(name)) }
	keep := url.Values{}
	v.Query, v.Status, v.Section, v.Author, v.Tag = get("q"), get("status"), get("section"), get("author"), get("tag")
	v.DateField, v.From, v.To, v.Sort, v.Dir = get("date"), get("from"), get("to"), get("sort"), get("dir")
	v.Mine = get("mine") != ""

	if v.Query != "" {
		f.Text = search.Parse(v.Query)
		keep.Set("q", v.Query)
		if f.Text.Empty() {
			p.Add("q", "q (words): “%s” has no word to search for", v.Query)
		}
	}
	if v.Status != "" {
		st := news.Status(v.Status)
		if !slices.Contains(news.Statuses, st) {
			p.Add("status", "status: %q is not a status (draft, review, scheduled or published)", v.Status)
		}
		f.Statuses = []news.Status{st}
		keep.Set("status", v.Status)
	}
	if v.Section != "" {
		path := strings.Trim(v.Section, "/")
		sec, err := a.store.SectionByPath(ctx, path)
		switch {
		case news.ErrorCode(err) == news.ENOTFOUND:
			p.Add("section", "section: there is no section %q", v.Section)
		case err != nil:
			return dq, err
		default:
			all, err := a.store.Sections(ctx)
			if err != nil {
				return dq, err
			}
			f.SectionIDs = news.NewTree(all).SubtreeIDs(sec.ID)
			keep.Set("section", sec.Path)
		}
	}
	if v.Author != "" {
		au, err := a.store.AuthorBySlug(ctx, news.Slugify(v.Author))
		switch {
		case news.ErrorCode(err) == news.ENOTFOUND:
			p.Add("author", "author: there is no author %q (give a name as bylines have it)", v.Author)
		case err != nil:
			return dq, err
		default:
			f.AuthorID = au.ID
			keep.Set("author", v.Author)
		}
	}
	if v.Tag != "" {
		t, err := a.store.TagBySlug(ctx, news.Slugify(v.Tag))
		switch {
		case news.ErrorCode(err) == news.ENOTFOUND:
			p.Add("tag", "tag: there is no tag %q", v.Tag)
		case err != nil:
			return dq, err
		default:
			f.TagID = t.ID
			keep.Set("tag", v.Tag)
		}
	}
	switch v.DateField {
	case "", string(store.DatePublished):
		f.DateField = store.DatePublished
	case string(store.DateUpdated):
		f.DateField = store.DateUpdated
	default:
		p.Add("date", "date: %q is not a date to filter by (published or updated)", v.DateField)
	}
	loc := a.location(ctx)
	// A column and a direction that are not one are named in the error,
	// not put back: the form's hidden fields would send them again.
	f.From, f.To = dayRange(loc, &p, keep, &v.From, &v.To)
	if !f.From.IsZero() || !f.To.IsZero() {
		keep.Set("date", string(f.DateField))
	}
	f.Sort = store.SortUpdated
	if v.Sort != "" {
		if !slices.Contains(store.DeskSorts, store.DeskSort(v.Sort)) {
			p.Add("sort", "sort: %q is not a column to sort by (headline, section, status, author, updated or published)", v.Sort)
			v.Sort = ""
		} else {
			f.Sort = store.DeskSort(v.Sort)
		}
	}
	f.Desc = defaultDesc(f.Sort)
	switch v.Dir {
	case "":
	case "asc":
		f.Desc = false
	case "desc":
		f.Desc = true
	default:
		p.Add("dir", "dir: %q is not a direction (asc or desc)", v.Dir)
		v.Dir = ""
	}
	if v.Sort != "" || v.Dir != "" {
		keep.Set("sort", string(f.Sort))
		keep.Set("dir", map[bool]string{false: "asc", true: "desc"}[f.Desc])
	}
	if v.Mine || !f.Scope.All() {
		f.CreatedBy = u.ID
		v.Mine = true
		if f.Scope.All() {
			keep.Set("mine", "1")
		}
	}
	if s := q.Get("after"); s != "" && p.Err() == nil {
		k, err := store.ParseDeskKey(s, f.Sort)
		if err != nil {
			return dq, err
		}
		f.After = k
	}
	dq.f, dq.params = f, keep
	return dq, p.Err()
}

// listArticles is the newsroom's article list: every filter of
// parseDeskQuery at once, sorted by any column both ways, a page at a time
// by keyset, with the bulk actions' checkboxes. The filters are the URL's
// query (a GET form), so a list is a link to keep or send. Contributors see
// their own stories only (auth.ArticleScope).
func (a *Admin) listArticles(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	v := &articlesView{page: a.newPage(r, "Articles"), Statuses: news.Statuses, CanPublish: auth.Can(u.Role, auth.PublishArticle)}
	secs, err := a.store.Sections(r.Context())
	if err != nil {
		return err
	}
	v.Sections = sectionsInOrder(secs)
	dq, err := a.parseDeskQuery(r.Context(), u, r.URL.Query(), v)
	if err != nil {
		if news.ErrorCode(err) != news.EINVALID {
			return err
		}
		v.Error, v.Field = news.ErrorMessage(err), fieldOf(err)
		v.Columns = deskColumns(dq.params, dq.f)
		return a.render(w, r, http.StatusBadRequest, "articles", v)
	}
	page, err := a.store.DeskList(r.Context(), dq.f)
	if err != nil {
		return err
	}
	v.Articles, v.TextCapped = page.Articles, page.TextCapped
	v.Columns = deskColumns(dq.params, dq.f)
	v.Filtered = len(dq.params) > 0
	link := func(after string) string {
		p := url.Values{}
		for k, vs := range dq.params {
			p[k] = vs
		}
		if after != "" {
			p.Set("after", after)
		}
		if len(p) == 0 {
			return "/admin/articles"
		}
		return "/admin/articles?" + p.Encode()
	}
	if !page.Next.IsZero() {
		v.Next = link(page.Next.String())
	}
	if !dq.f.After.IsZero() {
		v.First = link("")
	}
	v.Here = link(r.URL.Query().Get("after"))
	return a.render(w, r, http.StatusOK, "articles", v)
}

// deskColumns are the list's column headings as sort links, keeping the
// filters.
func deskColumns(params url.Values, f store.DeskListFilter) []sortColumn {
	labels := map[store.DeskSort]string{store.SortHeadline: "Headline", store.SortSection: "Section", store.SortStatus: "Status",
		store.SortAuthor: "Author", store.SortUpdated: "Updated", store.SortPublished: "Published"}
	var out []sortColumn
	for _, c := range store.DeskSorts {
		col := sortColumn{Label: labels[c], Current: c == f.Sort, Desc: f.Desc}
		desc := defaultDesc(c)
		if col.Current {
			desc = !f.Desc
		}
		p := url.Values{}
		for k, vs := range params {
			p[k] = vs
		}
		p.Set("sort", string(c))
		p.Set("dir", map[bool]string{false: "asc", true: "desc"}[desc])
		col.URL = "/admin/articles?" + p.Encode()
		out = append(out, col)
	}
	return out
}

// sectionsInOrder lists sections as the tree reads, each parent before
// its subsections.
func sectionsInOrder(all []news.Section) []news.Section {
	t := news.NewTree(all)
	var out []news.Section
	var walk func(list []news.Section)
	walk = func(list []news.Section) {
		for _, s := range list {
			out = append(out, s)
			walk(t.Children(s.ID))
		}
	}
	walk(t.Roots())
	return out
}

// dayRange reads a range of days in the site's zone from the fields
// "from" and "to" (YYYY-MM-DD, either may be empty): from's midnight and
// the midnight after to, so the last day is whole. A field that is not a
// day is named in p and emptied, not put back in its date input (a browser
// shows none of it, and the page would not be valid HTML); a good one is
// kept in keep, for the page's links.
func dayRange(loc *time.Location, p *news.Problems, keep url.Values, from, to *string) (start, end time.Time) {
	day := func(name string, s *string) time.Time {
		if *s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", *s, loc)
		if err != nil {
			p.Add(name, "%s: %q is not a day: write it as YYYY-MM-DD, e.g. 2026-03-01", name, *s)
			*s = ""
			return time.Time{}
		}
		keep.Set(name, *s)
		return t
	}
	start, last := day("from", from), day("to", to)
	if !last.IsZero() {
		end = last.AddDate(0, 0, 1)
		if !start.IsZero() && start.After(last) {
			p.Add("to", "to: the range ends (%s) before it starts (%s)", *to, *from)
		}
	}
	return start, end
}
