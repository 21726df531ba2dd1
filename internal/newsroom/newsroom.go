// Package newsroom holds the rules of changing a story that every way in
// shares: the newsroom's pages (internal/admin) and the write API
// (internal/api) call the same functions, so neither has a private copy
// of who may save, move or correct what, how a revision is kept, or what
// the audit log says. The surfaces read their input and answer in their
// own way; these functions run inside the caller's transaction.
package newsroom

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Actor is who makes a change: a signed-in account, or an API token acting
// for the account that made it. The account's role applies either way; a
// token's scopes are checked by the API before it gets here.
type Actor struct {
	User  *news.User     // the account whose role applies; nil for the system
	Token *news.APIToken // the token used, nil in the newsroom
}

// auditName is how the audit log names the actor.
func (a Actor) auditName() string {
	switch {
	case a.Token != nil:
		return a.Token.AuditName()
	case a.User != nil:
		return a.User.Name
	}
	return ""
}

// Audit appends an entry to the audit log in tx, naming the actor: a
// change made with a token is logged under the token's name and its
// creator's ("token: deploy-bot (by Ana)").
func Audit(ctx context.Context, tx *store.Store, who Actor, action, target, detail string) error {
	e := &news.AuditEntry{Action: action, Target: target, Detail: detail, UserName: who.auditName()}
	if who.User != nil {
		e.UserID = who.User.ID
	}
	return tx.Audit(ctx, e)
}

// ArticleTarget is how the audit log names an article.
func ArticleTarget(id int64) string { return "article " + strconv.FormatInt(id, 10) }

// EditorialFrom builds the article a form, an API body or a revision
// describes, against the store: the section must exist, bylines and tags
// are created when new, a library photo brings its default words where
// none were given. Every mistake is reported at once, each naming its
// field.
func EditorialFrom(ctx context.Context, tx *store.Store, c news.RevisionContent, old *news.Editorial) (*news.Editorial, error) {
	art := &news.Article{Headline: c.Headline, Slug: c.Slug, Summary: c.Summary, Body: c.Body, Status: news.Draft}
	if art.Slug == "" {
		art.Slug = news.Slugify(art.Headline)
	}
	var p news.Problems
	if c.SectionID == 0 {
		p.Add("section", "choose a section")
	} else if sec, err := tx.SectionByID(ctx, c.SectionID); err == nil {
		art.Section = sec
	} else if news.ErrorCode(err) == news.ENOTFOUND {
		p.Add("section", "the section chosen no longer exists; choose another")
	} else {
		return nil, err
	}
	for _, name := range c.Bylines {
		au, err := tx.EnsureAuthor(ctx, name)
		if news.ErrorCode(err) == news.EINVALID {
			p.Add("bylines", "%q is not a name", name)
			continue
		} else if err != nil {
			return nil, err
		}
		art.Bylines = append(art.Bylines, au)
	}
	for _, name := range c.Tags {
		t, err := tx.EnsureTag(ctx, name)
		if news.ErrorCode(err) == news.EINVALID {
			p.Add("tags", "%q is not a tag", name)
			continue
		} else if err != nil {
			return nil, err
		}
		art.Tags = append(art.Tags, t)
	}
	if c.PhotoID != 0 {
		ph, err := tx.LibraryPhoto(ctx, c.PhotoID)
		if news.ErrorCode(err) == news.ENOTFOUND {
			p.Add("photo", "the photo chosen is not in the library")
		} else if err != nil {
			return nil, err
		} else {
			art.Photo = &news.Photo{Media: ph.Media, Alt: or(c.PhotoAlt, ph.Alt), Caption: or(c.PhotoCaption, ph.Caption), Credit: or(c.PhotoCredit, ph.Credit)}
			if art.Photo.Alt == "" {
				p.Add("photo_alt", "describe the photo for readers who cannot see it")
			}
		}
	}
	html, err := markup.Render(art.Body)
	if err != nil {
		p.Add("body", "%s", strings.TrimPrefix(err.Error(), "markup: "))
	}
	art.BodyHTML = html
	if err := p.Err(); err != nil {
		return nil, err
	}
	e := &news.Editorial{Article: art, SEOTitle: c.SEOTitle, SEODescription: c.SEODescription}
	if old != nil {
		art.ID = old.Article.ID
		art.Status = old.Article.Status
		art.PublishedAt = old.Article.PublishedAt
		art.UpdatedAt = old.Article.UpdatedAt
		art.Corrections = old.Article.Corrections
		e.CreatedBy, e.PublishAt, e.Revision = old.CreatedBy, old.PublishAt, old.Revision
	}
	return e, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Edit is one save of an article's text.
type Edit struct {
	Content news.RevisionContent
	// Base is the revision the writer started from. A save based on an
	// older one is kept as a conflict revision (see store.SaveEditorial);
	// the caller decides whether to commit that or to refuse the save.
	Base int
	// Updated marks a substantive update of a published story: its public
	// "updated" time is set.
	Updated bool
	At      time.Time // now
	// Owner is the writer a new article is started for (a story started
	// from its budget line by an editor belongs to the line's assignee);
	// 0: the actor.
	Owner int64
}

// Save saves an article's text as a new revision, unless nothing a
// revision holds would change; old is nil for a new article. The actor
// must be allowed to write (a new one) or to edit this one; creating and
// substantive updates are audited. It returns the article as saved and the
// revision written (nil when none was).
func Save(ctx context.Context, tx *store.Store, who Actor, old *news.Editorial, ed Edit) (*news.Editorial, *news.Revision, error) {
	u := who.User
	if old == nil && !auth.Can(u.Role, auth.WriteArticle) {
		return nil, nil, news.Errorf(news.EFORBIDDEN, "your account may not write articles")
	}
	if old != nil {
		if err := MayEdit(u, old); err != nil {
			return nil, nil, err
		}
	}
	e, err := EditorialFrom(ctx, tx, ed.Content, old)
	if err != nil {
		return nil, nil, err
	}
	if old == nil {
		e.CreatedBy = u.ID
		if ed.Owner != 0 {
			e.CreatedBy = ed.Owner
		}
	}
	if err := AddressFree(ctx, tx, u, e.Article, old); err != nil {
		return nil, nil, err
	}
	live := old != nil && old.Article.Status == news.Published
	if ed.Updated && live {
		e.Article.UpdatedAt = ed.At.UTC()
	}
	var rev *news.Revision
	if old == nil || !SameText(e, old) || ed.Updated || ed.Base != old.Revision {
		rev, err = tx.SaveEditorial(ctx, e, store.Save{UserID: u.ID, Base: ed.Base})
		if err != nil || rev.Kind == news.ConflictRevision {
			return e, rev, err
		}
		switch {
		case ed.Updated && live:
			if err := Audit(ctx, tx, who, "update", ArticleTarget(e.Article.ID), "substantive update: "+e.Article.Headline); err != nil {
				return nil, nil, err
			}
		case who.Token != nil && old != nil:
			// The newsroom's saves are in the revisions; a tool's are
			// in the audit log too, as every write made with a token is.
			if err := Audit(ctx, tx, who, "save", ArticleTarget(e.Article.ID), "revision "+strconv.Itoa(rev.Number)+": "+e.Article.Headline); err != nil {
				return nil, nil, err
			}
		}
	}
	if old == nil {
		if err := Audit(ctx, tx, who, "create", ArticleTarget(e.Article.ID), e.Article.Headline); err != nil {
			return nil, nil, err
		}
	}
	return e, rev, nil
}

// AddressFree refuses a save whose address another story holds, and says
// no more about that story than the writer may know. Save calls it; so
// must any other way a writer moves a story's address (restoring a
// revision), or the store's own message tells them a story is there. A published story's
// address is public: it is named, with its headline. So is any story the
// writer may see in the newsroom (an editor's, or their own). Of a story
// they may not see (another writer's draft, a story in review, scheduled
// or embargoed), a contributor learns only that the address is not
// available, in words that do not say it is a story, nor its path,
// headline, status or writer: the least a unique address can say. Any
// answer that lets the save go on at that address would hide it better
// but cannot be had, since two stories cannot share an address; and an
// automatic suffix ("-2") would tell the same thing by the changed slug,
// while moving a story's address without the writer choosing it.
//
// The store's unique index is the rule; this is only its message, looked
// up first. A save raced past it still fails there.
func AddressFree(ctx context.Context, tx *store.Store, u *news.User, a *news.Article, old *news.Editorial) error {
	if old != nil && old.Article.Section.ID == a.Section.ID && old.Article.Slug == a.Slug {
		return nil
	}
	other, err := tx.ArticleByPath(ctx, store.Cards, a.Section.Path, a.Slug)
	if news.ErrorCode(err) == news.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if other.ID == a.ID {
		return nil
	}
	visible := other.Status == news.Published
	if !visible {
		oe, err := tx.Editorial(ctx, other.ID)
		if err != nil {
			return err
		}
		visible = auth.CanView(u, oe)
	}
	if !visible {
		return &news.Error{Code: news.ECONFLICT, Field: "slug", Message: "this address is not available: choose another slug"}
	}
	return &news.Error{Code: news.ECONFLICT, Field: "slug", Message: fmt.Sprintf(
		"%s is taken: the story “%s” (%s) is there; choose another slug", other.URL(), other.Headline, strings.ToLower(other.Status.Label()))}
}

// SameText reports whether a save would change nothing a revision holds.
func SameText(e, old *news.Editorial) bool {
	x, y := news.ContentOf(e), news.ContentOf(old)
	x.SectionPath, y.SectionPath = "", ""
	return reflect.DeepEqual(x, y)
}

// MayEdit refuses an account that may not change the article's text.
func MayEdit(u *news.User, e *news.Editorial) error {
	if auth.CanEdit(u, e) {
		return nil
	}
	if e.CreatedBy == u.ID {
		return news.Errorf(news.EFORBIDDEN, "This article is %s: only an editor can change it now.", strings.ToLower(e.Article.Status.Label()))
	}
	return news.Errorf(news.EFORBIDDEN, "You may edit only your own drafts.")
}

// Move is one change of an article's status.
type Move struct {
	// From, when set, is where the story must be for the move: it is
	// refused as a conflict otherwise, also when another change lands
	// between the caller's read and the move (Send back, from review
	// only). Empty: from wherever the story is.
	From      news.Status
	To        news.Status
	Action    string    // what the audit log calls it: "publish", "unschedule"...
	At        time.Time // now
	PublishAt time.Time // for To == news.Scheduled
	// Loc is the newsroom's time zone, in which the audit log names a
	// scheduled time.
	Loc *time.Location
	// Notify tells the story's writer when it is published by someone
	// else; the zero Notifier does so in the newsroom only.
	Notify Notifier
}

// MoveArticle moves article id to m.To, after checking that the actor may
// and that the workflow allows it from the status the article has now,
// and audits it.
func MoveArticle(ctx context.Context, tx *store.Store, who Actor, id int64, m Move) error {
	cur, err := tx.Editorial(ctx, id)
	if err != nil {
		return err
	}
	if !auth.CanMove(who.User, cur, m.To) {
		return news.Errorf(news.EFORBIDDEN, "Your account may not make this article %s.", strings.ToLower(m.To.Label()))
	}
	from := cur.Article.Status
	if m.From != "" {
		if from != m.From {
			return news.Errorf(news.ECONFLICT, "the article is no longer %s: someone changed it meanwhile; reload it", strings.ToLower(m.From.Label()))
		}
		from = m.From
	}
	// The embargo in the newsroom's words first; the store refuses it
	// anyway, should it have been set since cur was read.
	switch m.To {
	case news.Published:
		if err := CheckEmbargo(cur, m.At, m.Loc); err != nil {
			return err
		}
	case news.Scheduled:
		if err := CheckEmbargo(cur, m.PublishAt, m.Loc); err != nil {
			return err
		}
	}
	if err := tx.MoveArticle(ctx, cur.Article.ID, store.Move{From: from, To: m.To, At: m.At.UTC(), PublishAt: m.PublishAt}); err != nil {
		return err
	}
	if m.To == news.Published && who.User != nil {
		if err := NotifyPublished(ctx, tx, m.Notify, cur.Article.ID, who.User.ID); err != nil {
			return err
		}
	}
	detail := cur.Article.Headline
	if m.To == news.Scheduled {
		loc := m.Loc
		if loc == nil {
			loc = time.UTC
		}
		detail += " (for " + m.PublishAt.In(loc).Format("2 Jan 2006 15:04 MST") + ")"
	}
	return Audit(ctx, tx, who, m.Action, ArticleTarget(cur.Article.ID), detail)
}

// TakeBack is the audit action of taking an article in status st back to
// draft (unpublish, unschedule, return to its writer), and an error when
// it is a draft already.
func TakeBack(st news.Status) (string, error) {
	action := map[news.Status]string{news.Published: "unpublish", news.Scheduled: "unschedule", news.Review: "return"}[st]
	if action == "" {
		return "", news.Errorf(news.ECONFLICT, "the article is a draft already")
	}
	return action, nil
}

// Correct appends a public correction to an article once published,
// stamped at, and audits it. The actor's role must allow corrections.
// The story's writer is told, through n, unless they wrote it.
func Correct(ctx context.Context, tx *store.Store, who Actor, e *news.Editorial, text string, at time.Time, n Notifier) error {
	if !auth.Can(who.User.Role, auth.CorrectArticle) {
		return news.Errorf(news.EFORBIDDEN, "your account may not correct articles")
	}
	if e.Article.PublishedAt.IsZero() {
		return news.Errorf(news.ECONFLICT, "an article never published needs no correction: edit it instead")
	}
	c := news.Correction{At: at.UTC(), Text: text}
	probe := *e.Article
	probe.Corrections = []news.Correction{c}
	if err := probe.Validate(); err != nil {
		return news.Invalid("correction", "write the correction (at most %d characters)", news.MaxCorrection)
	}
	if err := tx.AddCorrections(ctx, e.Article.ID, []news.Correction{c}); err != nil {
		return err
	}
	if err := NotifyCorrected(ctx, tx, n, e, who.User.ID, text); err != nil {
		return err
	}
	return Audit(ctx, tx, who, "correction", ArticleTarget(e.Article.ID), text)
}

// Photo is a photo to add to the library, with the words that fill its
// empty defaults.
type Photo struct {
	Name                 string // the file's name, for messages
	Data                 []byte
	Alt, Caption, Credit string
}

// PutPhoto checks a photo by its content (not its name), its size and
// pixels before it is decoded, stores it re-encoded so no EXIF or GPS data
// reaches the public, and records it in the library, where the words given
// fill the photo's empty ones. dup says the library had the same file
// already. The actor's role must allow uploads.
func PutPhoto(ctx context.Context, st *store.Store, ms *media.Store, lim media.Limits, who Actor, p Photo) (m news.Media, dup bool, err error) {
	if who.User != nil && !auth.Can(who.User.Role, auth.UploadMedia) {
		return m, false, news.Errorf(news.EFORBIDDEN, "your account may not upload photos")
	}
	if m, err = ms.Put(p.Name, p.Data, lim); err != nil {
		if news.ErrorCode(err) == news.EINVALID {
			return m, false, news.Invalid("photo", "%s", news.ErrorMessage(err))
		}
		return m, false, err
	}
	err = st.InTx(ctx, func(tx *store.Store) error {
		if _, err := tx.PhotoByHash(ctx, m.Hash); err == nil {
			dup = true
		}
		if err := tx.SaveMedia(ctx, &m); err != nil {
			return err
		}
		if err := tx.FillPhotoDefaults(ctx, m.ID, news.CleanText(p.Alt), news.CleanText(p.Caption), news.CleanText(p.Credit)); err != nil {
			return err
		}
		if who.Token != nil {
			// The newsroom's uploads are not audited; a tool's are, as
			// every write made with a token is.
			return Audit(ctx, tx, who, "media.upload", "media "+strconv.FormatInt(m.ID, 10), p.Name)
		}
		return nil
	})
	return m, dup, err
}
