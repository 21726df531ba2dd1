package newsroom

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Working together (issue 18): notes, sending a story back, notifications,
// embargoes and scheduled updates, with the same rules for every surface.

// Notifier writes notifications, and their emails when mail is
// configured. The zero Notifier writes them in the newsroom only.
type Notifier struct {
	// Mail is whether mail is configured (serve --smtp): each
	// notification is then also an email, through the outbox, in the
	// same transaction.
	Mail bool
	// BaseURL is the site's address, for the link in an email.
	BaseURL string
	// SiteName names the newsroom in an email's subject.
	SiteName string
}

// Notify tells account userID of something that concerns it: a
// notification in the newsroom and, when mail is configured and the
// account has an address, an email enqueued in tx. articleID is 0 when
// it is about no story. A disabled account, or userID 0 (an imported
// story has no writer), is told nothing.
func (n Notifier) Notify(ctx context.Context, tx *store.Store, userID int64, kind news.NotificationKind, articleID int64, text string) error {
	if userID == 0 {
		return nil
	}
	u, err := tx.UserByID(ctx, userID)
	if news.ErrorCode(err) == news.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if u.Disabled {
		return nil
	}
	no := &news.Notification{UserID: userID, Kind: kind, ArticleID: articleID, Text: text}
	if err := tx.AddNotification(ctx, no); err != nil {
		return err
	}
	if !n.Mail || u.Email == "" {
		return nil
	}
	site := n.SiteName
	if site == "" {
		site = "Newsroom"
	}
	link := strings.TrimRight(n.BaseURL, "/") + "/admin/notifications"
	if articleID != 0 {
		link = strings.TrimRight(n.BaseURL, "/") + "/admin/articles/" + strconv.FormatInt(articleID, 10)
	}
	subject := site + ": " + kind.Label()
	if articleID != 0 {
		if a, err := tx.ArticleByID(ctx, articleID); err == nil {
			subject += ": " + a.Headline
		}
	}
	if len(subject) > 200 {
		// Cut at a character's start (PostgreSQL refuses broken UTF-8,
		// and the change would fail with the mail), then back to a
		// space if there is one in the last 50 bytes.
		cut := 200
		for cut > 0 && !utf8.RuneStart(subject[cut]) {
			cut--
		}
		subject = subject[:cut]
		if i := strings.LastIndexByte(subject, ' '); i >= 150 {
			subject = subject[:i]
		}
		subject = strings.TrimSpace(subject) + "…"
	}
	body := "Hello " + u.Name + ",\n\n" + text + "\n\n" + link + "\n\n" +
		"You are told of what concerns you in the newsroom: mentions, stories sent back or assigned to you, your stories published or corrected.\n"
	return tx.EnqueueMail(ctx, mail.Message{To: []string{u.Email}, Subject: subject, Text: body})
}

// AddNote leaves a note on a story and tells each colleague it mentions
// (@name: see news.Handles) who may see the story. The actor must be
// allowed to see the story. It returns the note.
func AddNote(ctx context.Context, tx *store.Store, n Notifier, who Actor, e *news.Editorial, text string, at time.Time) (*news.Note, error) {
	if who.User == nil || !auth.CanView(who.User, e) {
		return nil, news.Errorf(news.EFORBIDDEN, "You may leave notes only on stories you may open.")
	}
	text, err := news.CleanNote("note", text)
	if err != nil {
		return nil, err
	}
	note := &news.Note{ArticleID: e.Article.ID, UserID: who.User.ID, Kind: news.PlainNote, Text: text, At: at.UTC()}
	if err := tx.AddNote(ctx, note); err != nil {
		return nil, err
	}
	note.UserName = who.User.Name
	return note, notifyMentions(ctx, tx, n, who, e, text)
}

// notifyMentions tells each account a note names that it was mentioned,
// once each, the writer of the note excepted, and only accounts that may
// see the story (a contributor does not hear of another writer's draft).
func notifyMentions(ctx context.Context, tx *store.Store, n Notifier, who Actor, e *news.Editorial, text string) error {
	ms := news.Mentions(text)
	if len(ms) == 0 {
		return nil
	}
	users, err := tx.Users(ctx)
	if err != nil {
		return err
	}
	handles := news.Handles(users)
	told := map[int64]bool{}
	for _, m := range ms {
		u := handles[strings.ToLower(m.Handle)]
		if u == nil || told[u.ID] || u.ID == who.User.ID || !auth.CanView(u, e) {
			continue
		}
		told[u.ID] = true
		msg := fmt.Sprintf("%s mentioned you in a note on “%s”: %s", who.User.Name, e.Article.Headline, excerpt(text, 300))
		if err := n.Notify(ctx, tx, u.ID, news.NotifyMention, e.Article.ID, msg); err != nil {
			return err
		}
	}
	return nil
}

// excerpt is text cut to about max characters at a space.
func excerpt(text string, max int) string {
	r := []rune(strings.Join(strings.Fields(text), " "))
	if len(r) <= max {
		return string(r)
	}
	s := string(r[:max])
	if i := strings.LastIndex(s, " "); i > max/2 {
		s = s[:i]
	}
	return s + "…"
}

// SendBack returns a story in review to its writer as a draft, with a
// note saying why (required), tells the writer, and audits it. Only those
// who may take a story back from review (editors) may.
func SendBack(ctx context.Context, tx *store.Store, n Notifier, who Actor, id int64, text string, at time.Time) error {
	e, err := tx.Editorial(ctx, id)
	if err != nil {
		return err
	}
	if e.Article.Status != news.Review {
		return news.Errorf(news.ECONFLICT, "only a story in review can be sent back; this one is %s", strings.ToLower(e.Article.Status.Label()))
	}
	if !auth.CanMove(who.User, e, news.Draft) {
		return news.Errorf(news.EFORBIDDEN, "Your account may not send stories back.")
	}
	text, err = news.CleanNote("note", text)
	if err != nil {
		return news.Invalid("note", "say why it goes back: the writer reads this note")
	}
	if err := MoveArticle(ctx, tx, who, id, Move{From: news.Review, To: news.Draft, Action: "send back", At: at}); err != nil {
		return err
	}
	note := &news.Note{ArticleID: id, UserID: who.User.ID, Kind: news.SentBackNote, Text: text, At: at.UTC()}
	if err := tx.AddNote(ctx, note); err != nil {
		return err
	}
	if e.CreatedBy != who.User.ID {
		msg := fmt.Sprintf("%s sent “%s” back to you: %s", who.User.Name, e.Article.Headline, excerpt(text, 300))
		if err := n.Notify(ctx, tx, e.CreatedBy, news.NotifySentBack, id, msg); err != nil {
			return err
		}
	}
	return notifyMentions(ctx, tx, n, who, e, text)
}

// NotifyPublished tells a story's writer it was published, unless they
// published it themselves (by 0: the scheduler).
func NotifyPublished(ctx context.Context, tx *store.Store, n Notifier, id, by int64) error {
	e, err := tx.Editorial(ctx, id)
	if err != nil {
		return err
	}
	if e.CreatedBy == 0 || e.CreatedBy == by {
		return nil
	}
	return n.Notify(ctx, tx, e.CreatedBy, news.NotifyPublished, id, fmt.Sprintf("“%s” is published: %s", e.Article.Headline, e.Article.URL()))
}

// NotifyCorrected tells a story's writer a correction was added, unless
// they added it.
func NotifyCorrected(ctx context.Context, tx *store.Store, n Notifier, e *news.Editorial, by int64, text string) error {
	if e.CreatedBy == 0 || e.CreatedBy == by {
		return nil
	}
	return n.Notify(ctx, tx, e.CreatedBy, news.NotifyCorrection, e.Article.ID,
		fmt.Sprintf("A correction was added to “%s”: %s", e.Article.Headline, excerpt(text, 300)))
}

// SetEmbargo puts a story under embargo until the given time, moves it,
// or lifts it (zero), and keeps the change in the audit log; loc is the
// newsroom's time zone, in which the log names the times. Editors only.
func SetEmbargo(ctx context.Context, tx *store.Store, who Actor, id int64, until time.Time, loc *time.Location) error {
	if who.User == nil || !auth.Can(who.User.Role, auth.PublishArticle) {
		return news.Errorf(news.EFORBIDDEN, "Your account may not set embargoes.")
	}
	if loc == nil {
		loc = time.UTC
	}
	before, err := tx.SetEmbargo(ctx, id, until.UTC())
	if err != nil {
		return err
	}
	const layout = "2 Jan 2006 15:04 MST"
	var action, detail string
	switch {
	case until.IsZero() && before.IsZero():
		return nil // nothing to lift
	case until.IsZero():
		action, detail = "embargo.lift", "lifted (was until "+before.In(loc).Format(layout)+")"
	case before.IsZero():
		action, detail = "embargo.set", "until "+until.In(loc).Format(layout)
	case before.Equal(until):
		return nil
	default:
		action, detail = "embargo.change", "until "+until.In(loc).Format(layout)+" (was "+before.In(loc).Format(layout)+")"
	}
	return Audit(ctx, tx, who, action, ArticleTarget(id), detail)
}

// CheckEmbargo refuses, in the newsroom's words and time zone, to publish
// a story at t while it is under embargo. The store refuses it too
// (store.MoveArticle): this is the message, said first.
func CheckEmbargo(e *news.Editorial, t time.Time, loc *time.Location) error {
	if news.Embargoed(e.Embargo, t) {
		return news.EmbargoError(e.Embargo, loc)
	}
	return nil
}

// ScheduleUnpublish has a published story leave the site at a time (zero:
// cancels it), and audits it.
func ScheduleUnpublish(ctx context.Context, tx *store.Store, who Actor, id int64, at time.Time, loc *time.Location) error {
	if who.User == nil || !auth.Can(who.User.Role, auth.PublishArticle) {
		return news.Errorf(news.EFORBIDDEN, "Your account may not schedule stories.")
	}
	if loc == nil {
		loc = time.UTC
	}
	if err := tx.SetUnpublishAt(ctx, id, at.UTC()); err != nil {
		return err
	}
	detail := "cancelled"
	if !at.IsZero() {
		detail = "at " + at.In(loc).Format("2 Jan 2006 15:04 MST")
	}
	return Audit(ctx, tx, who, "schedule.unpublish", ArticleTarget(id), detail)
}

// ScheduleUpdate keeps c as a revision that replaces a published story's
// text at at, checked as a save would be now, and audits it.
func ScheduleUpdate(ctx context.Context, tx *store.Store, who Actor, e *news.Editorial, c news.RevisionContent, at time.Time, loc *time.Location) (*news.Revision, error) {
	if err := MayEdit(who.User, e); err != nil {
		return nil, err
	}
	if !auth.Can(who.User.Role, auth.PublishArticle) {
		return nil, news.Errorf(news.EFORBIDDEN, "Your account may not schedule stories.")
	}
	if e.Article.Status != news.Published {
		return nil, news.Errorf(news.ECONFLICT, "only a published story can have an update scheduled: save this one instead")
	}
	// The text is checked now, so it is not refused when it is due.
	ne, err := EditorialFrom(ctx, tx, c, e)
	if err != nil {
		return nil, err
	}
	if err := ne.Validate(); err != nil {
		return nil, err
	}
	if err := AddressFree(ctx, tx, who.User, ne.Article, e); err != nil {
		return nil, err
	}
	rev, err := tx.ScheduleUpdate(ctx, e.Article.ID, c, who.User.ID, at.UTC(), loc)
	if err != nil {
		return nil, err
	}
	if loc == nil {
		loc = time.UTC
	}
	return rev, Audit(ctx, tx, who, "schedule.update", ArticleTarget(e.Article.ID),
		"revision "+strconv.Itoa(rev.Number)+" at "+at.In(loc).Format("2 Jan 2006 15:04 MST"))
}

// ApplyDueUpdate applies one scheduled update whose time has come, in tx:
// its revision replaces the story's text as a substantive update. It
// returns the update it claimed, and false when none was due. An update
// that can no longer be applied (its section was removed meanwhile, the
// story was saved or taken off the site since) returns the error; the
// caller drops that update with DropDueUpdate.
func ApplyDueUpdate(ctx context.Context, tx *store.Store, now time.Time) (store.ScheduledUpdate, bool, error) {
	u, c, err := tx.ClaimDueUpdate(ctx, now)
	if news.ErrorCode(err) == news.ENOTFOUND && u.ArticleID == 0 {
		return u, false, nil
	}
	if err != nil {
		return u, u.ArticleID != 0, err
	}
	old, err := tx.Editorial(ctx, u.ArticleID)
	if err != nil {
		return u, true, err
	}
	if old.Article.Status != news.Published {
		// Taking a story off the site drops its update (store.MoveArticle);
		// one that is off all the same is not rewritten behind its back.
		return u, true, news.Errorf(news.ECONFLICT, "the story is no longer published (it is %s)", strings.ToLower(old.Article.Status.Label()))
	}
	if old.Revision != u.Base {
		// Saved since the update was written (a fix to the published
		// text): like any save from an old base, refused rather than put
		// over that save.
		return u, true, news.Errorf(news.ECONFLICT, "the story was saved since the update was scheduled (from revision %d; it is at revision %d now): schedule it again from the story as it is", u.Base, old.Revision)
	}
	e, err := EditorialFrom(ctx, tx, c, old)
	if err != nil {
		return u, true, err
	}
	e.Article.UpdatedAt = now.UTC()
	rev, err := tx.SaveEditorial(ctx, e, store.Save{UserID: u.UserID, Base: old.Revision, Note: "scheduled update (revision " + strconv.Itoa(u.Revision) + ")"})
	if err != nil {
		return u, true, err
	}
	return u, true, tx.Audit(ctx, &news.AuditEntry{At: now.UTC(), Action: "update", Target: ArticleTarget(u.ArticleID),
		Detail: "scheduled update, revision " + strconv.Itoa(u.Revision) + " as revision " + strconv.Itoa(rev.Number) + ": " + e.Article.Headline})
}

// DropDueUpdate takes update u, which ApplyDueUpdate could not apply, off
// the schedule without applying it, saying why in the audit log. Only that
// update: if it is gone already (another instance dropped it) or was
// replaced by a newer one, nothing is done, so the drop never takes
// another update with it.
func DropDueUpdate(ctx context.Context, tx *store.Store, u store.ScheduledUpdate, now time.Time, why error) error {
	dropped, err := tx.DropUpdate(ctx, u.ArticleID, u.Revision)
	if err != nil || !dropped {
		return err
	}
	return tx.Audit(ctx, &news.AuditEntry{At: now.UTC(), Action: "update.failed", Target: ArticleTarget(u.ArticleID),
		Detail: "scheduled update, revision " + strconv.Itoa(u.Revision) + ", not applied: " + news.ErrorMessage(why)})
}
