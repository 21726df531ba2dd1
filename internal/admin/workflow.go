package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The workflow buttons post the editor's whole form to their own address,
// so the text on screen is saved with the move, in one transaction: what
// an editor publishes is exactly what they were looking at.

// moveStep moves the article to status to, after checking who may.
func (a *Admin) moveStep(to news.Status, action, done string, publishAt time.Time) step {
	return step{done: done, move: func(ctx context.Context, tx *store.Store, u *news.User, e *news.Editorial) error {
		return newsroom.MoveArticle(ctx, tx, newsroom.Actor{User: u}, e.Article.ID,
			newsroom.Move{To: to, Action: action, At: a.now(), PublishAt: publishAt, Loc: a.loc(), Notify: a.notifier()})
	}}
}

// workflowPost runs a workflow button: with the editor's form, the text is
// saved first; without it (a button elsewhere), only the move is made.
func (a *Admin) workflowPost(w http.ResponseWriter, r *http.Request, to news.Status, action, done string, publishAt func(*http.Request) (time.Time, error)) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !auth.CanMove(u, e, to) {
		return forbidden("Your account may not make this article %s.", strings.ToLower(to.Label()))
	}
	var at time.Time
	if publishAt != nil {
		if at, err = publishAt(r); err != nil {
			if hasEditorForm(r) {
				f, _ := a.readArticleForm(r)
				if f != nil {
					return a.renderEditor(w, r, statusOf(err), e, f, err, nil)
				}
			}
			return err
		}
	}
	st := a.moveStep(to, action, done, at)
	if hasEditorForm(r) {
		if !auth.CanEdit(u, e) {
			return mayEdit(u, e)
		}
		return a.saveFromEditor(w, r, e, st)
	}
	if err := a.store.InTx(r.Context(), func(tx *store.Store) error { return st.move(r.Context(), tx, u, e) }); err != nil {
		return err
	}
	a.changed()
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(e.Article.ID, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

// hasEditorForm reports whether the request carries the editor's fields.
// The form reader has read the body whole by now (form.go): a form it could
// not read never gets here, so a move is never made with the text left out.
func hasEditorForm(r *http.Request) bool {
	return r.PostForm.Has("headline") && r.PostForm.Has("body")
}

func (a *Admin) submitArticle(w http.ResponseWriter, r *http.Request) error {
	return a.workflowPost(w, r, news.Review, "submit", "submitted", nil)
}

func (a *Admin) publishArticle(w http.ResponseWriter, r *http.Request) error {
	return a.workflowPost(w, r, news.Published, "publish", "published", nil)
}

func (a *Admin) scheduleArticle(w http.ResponseWriter, r *http.Request) error {
	return a.workflowPost(w, r, news.Scheduled, "schedule", "scheduled", func(r *http.Request) (time.Time, error) {
		s := strings.TrimSpace(r.FormValue("publish_at"))
		loc := a.location(r.Context())
		if s == "" {
			return time.Time{}, news.Invalid("publish_at", "give the date and time to publish at (%s)", loc)
		}
		t, err := news.ParseLocalTime("publish_at", s, loc)
		if err != nil {
			return time.Time{}, err
		}
		if !t.After(a.now()) {
			return time.Time{}, news.Invalid("publish_at", "%s has passed: give a time in the future, or publish now", s)
		}
		return t, nil
	})
}

// unpublishArticle takes an article back to draft: off the site when it was
// published, off the schedule when it was due, back to its writer when it
// was in review.
func (a *Admin) unpublishArticle(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	action, err := newsroom.TakeBack(e.Article.Status)
	if err != nil {
		return err
	}
	if e.Article.Status == news.Published && !confirmed(r) {
		id := strconv.FormatInt(e.Article.ID, 10)
		return a.askToConfirm(w, r, confirmView{Heading: "Unpublish this article?",
			Message: "“" + e.Article.Headline + "” leaves the site at once: its address tells readers and search engines it was withdrawn, and it leaves the feeds and the sitemap. It becomes a draft again, and can be published again later.",
			Action:  r.URL.Path, Button: "Unpublish", Back: "/admin/articles/" + id})
	}
	return a.workflowPost(w, r, news.Draft, action, "unpublished", nil)
}

// addCorrection appends a public correction, stamped now.
func (a *Admin) addCorrection(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	text := strings.TrimSpace(strings.ReplaceAll(r.FormValue("correction"), "\r\n", "\n"))
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		return newsroom.Correct(r.Context(), tx, newsroom.Actor{User: userOf(r)}, e, text, a.now(), a.notifier())
	})
	if err != nil {
		return err
	}
	a.changed()
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(e.Article.ID, 10)+"?done=corrected", http.StatusSeeOther)
	return nil
}

// runDue does what the schedule says is due now: publications, then
// scheduled unpublishes and updates (notes.go). Each is claimed by one
// UPDATE or DELETE, so with several instances each is done once.
func (a *Admin) runDue(ctx context.Context) {
	n := a.notifier()
	ids, err := a.store.PublishDueThen(ctx, a.now().UTC(), func(tx *store.Store, id int64) error {
		return newsroom.NotifyPublished(ctx, tx, n, id, 0)
	})
	switch {
	case err != nil && ctx.Err() == nil:
		a.log.Warn("scheduler: publishing due articles failed", "err", err)
	case len(ids) > 0:
		a.log.Info("scheduler: published", "articles", ids)
		a.changed()
	}
	ids, err = a.store.UnpublishDue(ctx, a.now().UTC(), nil)
	switch {
	case err != nil && ctx.Err() == nil:
		a.log.Warn("scheduler: unpublishing due articles failed", "err", err)
	case len(ids) > 0:
		a.log.Info("scheduler: unpublished", "articles", ids)
		a.changed()
	}
	// Scheduled updates, one transaction each, so one that cannot be
	// applied is dropped (and logged) without holding the others.
	for range 100 {
		now := a.now().UTC()
		var applied bool
		var up store.ScheduledUpdate
		err := a.store.InTx(ctx, func(tx *store.Store) error {
			var err error
			up, applied, err = newsroom.ApplyDueUpdate(ctx, tx, now)
			return err
		})
		if err != nil && ctx.Err() == nil {
			a.log.Warn("scheduler: a scheduled update could not be applied", "article", up.ArticleID, "err", err)
			if c := news.ErrorCode(err); up.ArticleID != 0 && (c == news.EINVALID || c == news.ECONFLICT || c == news.ENOTFOUND) {
				if err := a.store.InTx(ctx, func(tx *store.Store) error { return newsroom.DropDueUpdate(ctx, tx, up, now, err) }); err != nil {
					a.log.Warn("scheduler: dropping a scheduled update failed", "err", err)
				}
				continue
			}
			return
		}
		if !applied {
			return
		}
		a.changed()
	}
}

// RunScheduler publishes due articles every interval until ctx ends. Each
// due article is claimed by one UPDATE, so with several instances running
// it, each article is published once; after a restart, whatever fell due
// meanwhile goes out at the first tick.
func (a *Admin) RunScheduler(ctx context.Context) {
	t := time.NewTicker(a.cfg.SchedulerInterval)
	defer t.Stop()
	var swept time.Time
	for {
		// Once an hour, the sessions that have ended leave the database.
		if now := a.now(); now.Sub(swept) > time.Hour {
			swept = now
			if n, err := a.store.DeleteExpiredSessions(ctx, now, auth.SessionIdle); err != nil && ctx.Err() == nil {
				a.log.Warn("removing ended sessions failed", "err", err)
			} else if n > 0 {
				a.log.Info("removed ended sessions", "sessions", n)
			}
			// And the login attempts no limit counts any more.
			if err := a.throttle.Sweep(ctx); err != nil && ctx.Err() == nil {
				a.log.Warn("removing old login attempts failed", "err", err)
			}
			// And the one-time links (resets, address changes, login
			// steps) a day after they ended.
			if err := a.store.PruneAccountTokens(ctx, now.Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
				a.log.Warn("removing old one-time links failed", "err", err)
			}
		}
		a.runDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
