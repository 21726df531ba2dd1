package admin

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Bulk actions on the article list: publish, unpublish, move to a section,
// add a tag, to the stories selected. Each story is done in a transaction
// of its own, through the same rules as one story from its editor
// (newsroom.MoveArticle, newsroom.Save): who may, which status, the
// address's rules, an embargo, all checked per story. A story refused
// does not stop the others: a writer's bulk publish of ten stories, or one
// story whose slug the new section already holds, leaves the rest done and
// says which were refused and why. All-or-nothing would undo every story
// for one refusal and hold the write lock for the whole batch.

// maxBulk is how many stories one bulk action takes: the list's page.
const maxBulk = 200

// bulkActions are what the bulk form offers, as the audit log names them.
var bulkActions = map[string]string{"publish": "Publish", "unpublish": "Unpublish", "section": "Move to a section", "tag": "Add a tag"}

// bulkLine is one story's outcome.
type bulkLine struct {
	ID       int64
	Headline string
	Reason   string // why it was refused or left as it was
}

type bulkView struct {
	page
	Action, Label string
	Confirm       bool // the confirmation step: nothing is done yet
	Section, Tag  string
	IDs           []int64
	Lines         []bulkLine // the confirmation step: the stories named
	Done          []bulkLine
	Refused       []bulkLine
	Back          string
}

// bulkRequest is the bulk form, read and checked.
type bulkRequest struct {
	action  string
	ids     []int64
	section news.Section
	tag     string
	back    string
}

// readBulk reads the bulk form: action, the ids chosen (id, or all=page
// with the page's page_id), section (a path) or tag (a name) for the
// actions that need one, back (the list to return to). Errors name their
// field.
func (a *Admin) readBulk(ctx context.Context, form url.Values) (bulkRequest, error) {
	var b bulkRequest
	var p news.Problems
	b.back = "/admin/articles"
	if s := form.Get("back"); strings.HasPrefix(s, "/admin/articles") && !strings.HasPrefix(s, "/admin/articles/") {
		if u, err := url.Parse(s); err == nil && u.Path == "/admin/articles" {
			b.back = u.String()
		}
	}
	b.action = form.Get("action")
	if _, ok := bulkActions[b.action]; !ok {
		p.Add("action", "action: %q is not a bulk action (publish, unpublish, section or tag)", b.action)
	}
	field := "id"
	list := form["id"]
	if form.Get("all") == "page" {
		field, list = "page_id", form["page_id"]
	}
	for _, s := range list {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			p.Add(field, "%s: %q is not a story's id", field, s)
			continue
		}
		if !slices.Contains(b.ids, id) {
			b.ids = append(b.ids, id)
		}
	}
	switch {
	case len(list) == 0:
		p.Add("id", "id: select the stories to act on (or “all on this page”)")
	case len(b.ids) > maxBulk:
		p.Add(field, "%s: %d stories selected; a bulk action takes at most %d", field, len(b.ids), maxBulk)
	}
	switch b.action {
	case "section":
		path := strings.Trim(strings.TrimSpace(form.Get("section")), "/")
		if path == "" {
			p.Add("section", "section: choose the section to move the stories to")
			break
		}
		sec, err := a.store.SectionByPath(ctx, path)
		if news.ErrorCode(err) == news.ENOTFOUND {
			p.Add("section", "section: there is no section %q", path)
		} else if err != nil {
			return b, err
		}
		b.section = sec
	case "tag":
		b.tag = news.CleanText(form.Get("tag"))
		if news.Slugify(b.tag) == "" {
			p.Add("tag", "tag: write the tag to add")
		}
	}
	return b, p.Err()
}

// bulkArticles runs a bulk action on the stories chosen in the article
// list. Publishing and unpublishing ask first; the answer reports each
// story: done, or refused and why. Each story done is in the audit log
// under its own action, and the batch under bulk.ACTION.
func (a *Admin) bulkArticles(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	b, err := a.readBulk(ctx, r.PostForm)
	if err != nil {
		return err
	}
	v := &bulkView{page: a.newPage(r, bulkActions[b.action]), Action: b.action, Label: bulkActions[b.action],
		Section: b.section.Path, Tag: b.tag, IDs: b.ids, Back: b.back}
	if (b.action == "publish" || b.action == "unpublish") && !confirmed(r) {
		v.Confirm = true
		v.Title = bulkActions[b.action] + " " + plural(len(b.ids), "story", "stories") + "?"
		for _, id := range b.ids {
			l := bulkLine{ID: id, Headline: "(a story you cannot see)"}
			if e, err := a.store.Editorial(ctx, id); err == nil && auth.CanView(u, e) {
				l.Headline = e.Article.Headline
			}
			v.Lines = append(v.Lines, l)
		}
		return a.render(w, r, http.StatusOK, "bulk", v)
	}
	who := newsroom.Actor{User: u}
	for _, id := range b.ids {
		l := bulkLine{ID: id}
		err := a.store.InTx(ctx, func(tx *store.Store) error {
			e, err := tx.Editorial(ctx, id)
			if err == nil && !auth.CanView(u, e) {
				// Said as of a story that is not there: a writer learns
				// nothing of another's draft by guessing its id.
				err = news.NotFound("no story %d", id)
			}
			if err != nil {
				return err
			}
			l.Headline = e.Article.Headline
			return a.bulkOne(ctx, tx, who, e, b)
		})
		switch {
		case err == nil:
			v.Done = append(v.Done, l)
		case news.ErrorCode(err) == news.EINTERNAL || news.ErrorCode(err) == "":
			return err
		default:
			l.Reason = news.ErrorMessage(err)
			if news.ErrorCode(err) == news.ENOTFOUND {
				l.Headline, l.Reason = "story "+strconv.FormatInt(id, 10), "no such story (it may have been deleted)"
			}
			v.Refused = append(v.Refused, l)
		}
	}
	detail := plural(len(v.Done), "story", "stories") + " done, " + strconv.Itoa(len(v.Refused)) + " refused"
	switch b.action {
	case "section":
		detail += " (to " + b.section.Path + ")"
	case "tag":
		detail += " (" + b.tag + ")"
	}
	if err := a.store.InTx(ctx, func(tx *store.Store) error {
		return newsroom.Audit(ctx, tx, who, "bulk."+b.action, "articles", detail)
	}); err != nil {
		return err
	}
	if len(v.Done) > 0 {
		a.changed()
	}
	v.Title = bulkActions[b.action] + ": " + detail
	return a.render(w, r, http.StatusOK, "bulk", v)
}

// bulkOne does the action to one story, in tx.
func (a *Admin) bulkOne(ctx context.Context, tx *store.Store, who newsroom.Actor, e *news.Editorial, b bulkRequest) error {
	id := e.Article.ID
	switch b.action {
	case "publish":
		if e.Article.Status == news.Published {
			return news.Errorf(news.ECONFLICT, "it is published already")
		}
		return newsroom.MoveArticle(ctx, tx, who, id, newsroom.Move{To: news.Published, Action: "publish", At: a.now(), Loc: a.loc(), Notify: a.notifier()})
	case "unpublish":
		if e.Article.Status != news.Published {
			return news.Errorf(news.ECONFLICT, "it is not published (it is %s)", strings.ToLower(e.Article.Status.Label()))
		}
		return newsroom.MoveArticle(ctx, tx, who, id, newsroom.Move{To: news.Draft, Action: "unpublish", At: a.now(), Loc: a.loc()})
	}
	c := news.ContentOf(e)
	var detail string
	switch b.action {
	case "section":
		if e.Article.Section.ID == b.section.ID {
			return news.Errorf(news.ECONFLICT, "it is in %s already", b.section.Path)
		}
		c.SectionID = b.section.ID
		detail = "moved from " + e.Article.Section.Path + " to " + b.section.Path + ": " + e.Article.Headline
	case "tag":
		slug := news.Slugify(b.tag)
		for _, t := range c.Tags {
			if news.Slugify(t) == slug {
				return news.Errorf(news.ECONFLICT, "it has the tag %s already", t)
			}
		}
		c.Tags = append(c.Tags, b.tag)
		detail = "tag " + b.tag + " added: " + e.Article.Headline
	}
	saved, rev, err := newsroom.Save(ctx, tx, who, e, newsroom.Edit{Content: c, Base: e.Revision, At: a.now()})
	if err != nil {
		return err
	}
	if rev != nil && rev.Kind == news.ConflictRevision {
		return news.Errorf(news.ECONFLICT, "someone saved it meanwhile; try again")
	}
	return newsroom.Audit(ctx, tx, who, map[string]string{"section": "move", "tag": "tag"}[b.action], newsroom.ArticleTarget(saved.Article.ID), detail)
}

// plural is "1 story", "3 stories".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
