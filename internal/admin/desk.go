package admin

import (
	"net/http"

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
