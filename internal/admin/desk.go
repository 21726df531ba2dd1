package admin

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

type deskList struct {
	Title    string
	ID       string
	Empty    string
	Articles []*news.Editorial
	More     string // the full list's URL
}

type deskView struct {
	page
	Lists    []deskList
	Activity []news.AuditEntry
}

// showDesk is the newsroom's front page: my drafts, what waits for review,
// what is scheduled, what went out, and who did what. Contributors see
// their own work; editors see everyone's (auth.ArticleScope).
func (a *Admin) showDesk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	v := &deskView{page: a.newPage(r, "Desk")}
	lists := []struct {
		title, id, empty string
		f                store.DeskFilter
		more             string
	}{
		{"My drafts", "drafts", "You have no drafts.", store.DeskFilter{Statuses: []news.Status{news.Draft}, CreatedBy: u.ID, Limit: 10}, "/admin/articles?status=draft&mine=1"},
		{"Waiting for review", "review", "Nothing is waiting for review.", store.DeskFilter{Statuses: []news.Status{news.Review}, Limit: 20}, "/admin/articles?status=review"},
		{"Scheduled", "scheduled", "Nothing is scheduled.", store.DeskFilter{Statuses: []news.Status{news.Scheduled}, Order: "publish_at", Limit: 20}, "/admin/articles?status=scheduled"},
		{"Recently published", "published", "Nothing published yet.", store.DeskFilter{Statuses: []news.Status{news.Published}, Order: "published", Limit: 10}, "/admin/articles?status=published"},
	}
	for _, l := range lists {
		l.f.Scope = auth.ArticleScope(u)
		list, err := a.store.DeskArticles(ctx, l.f)
		if err != nil {
			return err
		}
		v.Lists = append(v.Lists, deskList{Title: l.title, ID: l.id, Empty: l.empty, Articles: list, More: l.more})
	}
	if auth.Can(u.Role, auth.ViewAudit) {
		var err error
		if v.Activity, err = a.store.AuditLog(ctx, store.AuditFilter{Limit: 15}); err != nil {
			return err
		}
	}
	return a.render(w, r, http.StatusOK, "desk", v)
}

type articlesView struct {
	page
	Articles []*news.Editorial
	Statuses []news.Status
	Status   string
	Query    string
	Mine     bool
	Next     string
}

// listArticles lists articles by status and headline, a page at a time:
// those the user may see (auth.ArticleScope), or only their own.
func (a *Admin) listArticles(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	q := r.URL.Query()
	v := &articlesView{page: a.newPage(r, "Articles"), Statuses: news.Statuses, Status: q.Get("status"), Query: q.Get("q"), Mine: q.Get("mine") != ""}
	f := store.DeskFilter{Scope: auth.ArticleScope(u), Query: v.Query, Limit: 51}
	if v.Status != "" {
		st := news.Status(v.Status)
		if !slices.Contains(news.Statuses, st) {
			return news.Invalid("status", "%q is not a status", v.Status)
		}
		f.Statuses = []news.Status{st}
		if st == news.Published {
			f.Order = "published"
		}
	}
	if v.Mine || !f.Scope.All() {
		f.CreatedBy = u.ID
		v.Mine = true
	}
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	list, err := a.store.DeskArticles(r.Context(), f)
	if err != nil {
		return err
	}
	if len(list) > 50 {
		list = list[:50]
		next := q
		next.Set("offset", strconv.Itoa(f.Offset+50))
		v.Next = "/admin/articles?" + next.Encode()
	}
	v.Articles = list
	return a.render(w, r, http.StatusOK, "articles", v)
}
