package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

type topView struct {
	page
	Top        []*news.Editorial
	Candidates []*news.Editorial
}

// showTopStories shows the home page's top stories in order, and recent
// published stories to add. Each button saves at once, so the page needs
// no script.
func (a *Admin) showTopStories(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ids, err := a.store.TopStoryIDs(ctx)
	if err != nil {
		return err
	}
	v := &topView{page: a.newPage(r, "Top stories")}
	for _, id := range ids {
		e, err := a.store.Editorial(ctx, id)
		if err != nil {
			return err
		}
		v.Top = append(v.Top, e)
	}
	recent, err := a.store.DeskArticles(ctx, store.DeskFilter{Scope: auth.ArticleScope(userOf(r)), Statuses: []news.Status{news.Published}, Order: "published", Limit: 60})
	if err != nil {
		return err
	}
	for _, e := range recent {
		if !slices.Contains(ids, e.Article.ID) {
			v.Candidates = append(v.Candidates, e)
		}
	}
	return a.render(w, r, http.StatusOK, "top", v)
}

// saveTopStories applies one button: "up:ID", "down:ID", "remove:ID", or
// "add" with the chosen story, to the order the page showed (the id
// fields), and saves the result.
func (a *Admin) saveTopStories(w http.ResponseWriter, r *http.Request) error {
	var ids []int64
	for _, s := range r.Form["id"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return news.Invalid("id", "%q is not an article", s)
		}
		ids = append(ids, id)
	}
	op, arg, _ := strings.Cut(r.FormValue("op"), ":")
	target, _ := strconv.ParseInt(arg, 10, 64)
	i := slices.Index(ids, target)
	switch op {
	case "up":
		if i > 0 {
			ids[i-1], ids[i] = ids[i], ids[i-1]
		}
	case "down":
		if i >= 0 && i < len(ids)-1 {
			ids[i+1], ids[i] = ids[i], ids[i+1]
		}
	case "remove":
		if i >= 0 {
			ids = slices.Delete(ids, i, i+1)
		}
	case "add":
		add, err := strconv.ParseInt(r.FormValue("add"), 10, 64)
		if err != nil || add <= 0 {
			return news.Invalid("add", "choose a story to add")
		}
		ids = append(ids, add)
	default:
		return news.Invalid("op", "unknown change %q", op)
	}
	u := userOf(r)
	err := a.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := tx.SetTopStories(r.Context(), ids); err != nil {
			return err
		}
		return audit(r.Context(), tx, u, "top", "top stories", r.FormValue("op"))
	})
	if err != nil {
		return err
	}
	a.changed()
	http.Redirect(w, r, "/admin/top?done=top", http.StatusSeeOther)
	return nil
}
