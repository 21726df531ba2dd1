package newsroom

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Live coverage (issue 19): the rules of a live story's updates, for every
// surface that changes them. Whoever may change a story's text may run its
// live coverage (MayEdit); an update's text is rendered and sanitized as
// a body is. Each change is in the audit log under the story.

// StartCoverage makes a published story live, or lets an ended one go on.
func StartCoverage(ctx context.Context, tx *store.Store, who Actor, e *news.Editorial, at time.Time) error {
	if err := mayRunLive(who, e); err != nil {
		return err
	}
	if e.Article.Status != news.Published {
		return news.Errorf(news.ECONFLICT, "Only a published story can be live: publish it first.")
	}
	if c, err := tx.Coverage(ctx, e.Article.ID); err == nil && c.Live() {
		return news.Errorf(news.ECONFLICT, "This story is already live.")
	} else if err != nil && news.ErrorCode(err) != news.ENOTFOUND {
		return err
	}
	if err := tx.StartCoverage(ctx, e.Article.ID, at); err != nil {
		return err
	}
	return Audit(ctx, tx, who, "live.start", ArticleTarget(e.Article.ID), e.Article.Headline)
}

// EndCoverage ends a story's live coverage: the page stays, with every
// update on it.
func EndCoverage(ctx context.Context, tx *store.Store, who Actor, e *news.Editorial, at time.Time) error {
	if err := mayRunLive(who, e); err != nil {
		return err
	}
	if err := tx.EndCoverage(ctx, e.Article.ID, at); err != nil {
		return err
	}
	return Audit(ctx, tx, who, "live.end", ArticleTarget(e.Article.ID), e.Article.Headline)
}

// PostLiveUpdate adds an update to a live story.
func PostLiveUpdate(ctx context.Context, tx *store.Store, who Actor, e *news.Editorial, body, byline string, pinned bool, at time.Time) (news.LiveUpdate, error) {
	u := news.LiveUpdate{ArticleID: e.Article.ID, Pinned: pinned, Created: at, Updated: at}
	if err := mayRunLive(who, e); err != nil {
		return u, err
	}
	c, err := tx.Coverage(ctx, e.Article.ID)
	if err != nil && news.ErrorCode(err) != news.ENOTFOUND {
		return u, err
	}
	if !c.Live() {
		return u, news.Errorf(news.ECONFLICT, "This story is not live: start the live coverage first.")
	}
	if u.Body, u.Byline, u.BodyHTML, err = liveText(body, byline); err != nil {
		return u, err
	}
	if who.User != nil {
		u.AuthorID = who.User.ID
	}
	if err := tx.AddLiveUpdate(ctx, &u); err != nil {
		return u, err
	}
	return u, Audit(ctx, tx, who, "live.post", ArticleTarget(e.Article.ID), "update "+strconv.FormatInt(u.ID, 10)+": "+markup.Excerpt(u.Body, 120))
}

// EditLiveUpdate corrects an update's text and byline.
func EditLiveUpdate(ctx context.Context, tx *store.Store, who Actor, e *news.Editorial, id int64, body, byline string, at time.Time) error {
	if err := liveUpdateOf(ctx, tx, who, e, id); err != nil {
		return err
	}
	body, byline, html, err := liveText(body, byline)
	if err != nil {
		return err
	}
	if err := tx.EditLiveUpdate(ctx, id, body, html, byline, at); err != nil {
		return err
	}
	return Audit(ctx, tx, who, "live.edit", ArticleTarget(e.Article.ID), "update "+strconv.FormatInt(id, 10)+": "+markup.Excerpt(body, 120))
}

// PinLiveUpdate pins an update at the top of its story, or unpins it.
func PinLiveUpdate(ctx context.Context, tx *store.Store, who Actor, e *news.Editorial, id int64, pinned bool) error {
	if err := liveUpdateOf(ctx, tx, who, e, id); err != nil {
		return err
	}
	if err := tx.PinLiveUpdate(ctx, id, pinned); err != nil {
		return err
	}
	action := "live.unpin"
	if pinned {
		action = "live.pin"
	}
	return Audit(ctx, tx, who, action, ArticleTarget(e.Article.ID), "update "+strconv.FormatInt(id, 10))
}

// DeleteLiveUpdate takes an update off its story; the audit log keeps its
// text.
func DeleteLiveUpdate(ctx context.Context, tx *store.Store, who Actor, e *news.Editorial, id int64, at time.Time) error {
	if err := liveUpdateOf(ctx, tx, who, e, id); err != nil {
		return err
	}
	u, err := tx.LiveUpdate(ctx, id)
	if err != nil {
		return err
	}
	if err := tx.DeleteLiveUpdate(ctx, id, at); err != nil {
		return err
	}
	return Audit(ctx, tx, who, "live.delete", ArticleTarget(e.Article.ID), "update "+strconv.FormatInt(id, 10)+": "+markup.Excerpt(u.Body, 400))
}

// mayRunLive refuses those who may not change the story's text.
func mayRunLive(who Actor, e *news.Editorial) error {
	if who.User == nil {
		return nil // the system
	}
	return MayEdit(who.User, e)
}

// liveUpdateOf checks that who may change update id, and that it is one of
// e's and not deleted.
func liveUpdateOf(ctx context.Context, tx *store.Store, who Actor, e *news.Editorial, id int64) error {
	if err := mayRunLive(who, e); err != nil {
		return err
	}
	u, err := tx.LiveUpdate(ctx, id)
	if err != nil {
		return err
	}
	if u.ArticleID != e.Article.ID || u.Deleted {
		return news.NotFound("no live update %d on this story", id)
	}
	return nil
}

// liveText checks and renders an update's text as typed.
func liveText(body, byline string) (string, string, string, error) {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	byline = strings.TrimSpace(byline)
	if err := news.CheckLiveUpdate(body, byline); err != nil {
		return "", "", "", err
	}
	html, err := markup.Render(body)
	if err != nil {
		return "", "", "", news.Invalid("body", "%v", err)
	}
	return body, byline, html, nil
}
