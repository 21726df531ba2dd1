package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The newsroom's side of the articles table: the workflow columns added by
// migration 0003, revisions on every save, and the scheduler's claim.

// editorialExtras reads the newsroom's columns of articles by id.
func (s *Store) editorialExtras(ctx context.Context, list []*news.Article) ([]*news.Editorial, error) {
	out := make([]*news.Editorial, len(list))
	if len(list) == 0 {
		return out, nil
	}
	byID := map[int64]*news.Editorial{}
	ids := make([]int64, len(list))
	for i, a := range list {
		out[i] = &news.Editorial{Article: a}
		byID[a.ID] = out[i]
		ids[i] = a.ID
	}
	in, args := inList(1, ids)
	// The last editor is whoever saved the current revision (a.revision),
	// not the latest revision's writer: a refused save is kept as a later
	// conflict revision, and its writer did not change the article.
	embargo := "COALESCE(x.embargo_until, 0), COALESCE(x.unpublish_at, 0) FROM articles a LEFT JOIN article_schedule x ON x.article_id = a.id"
	if s.embargoless {
		embargo = "0, 0 FROM articles a"
	}
	rows, err := s.q.QueryContext(ctx, `SELECT a.id, a.publish_at, COALESCE(a.created_by, 0), a.revision, a.seo_title, a.seo_description,
		COALESCE((SELECT u.name FROM revisions r JOIN users u ON u.id = r.user_id WHERE r.article_id = a.id AND r.number = a.revision), ''),
		`+embargo+` WHERE a.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, publishAt, embargoUntil, unpublishAt int64
		var e news.Editorial
		if err := rows.Scan(&id, &publishAt, &e.CreatedBy, &e.Revision, &e.SEOTitle, &e.SEODescription, &e.LastEditor, &embargoUntil, &unpublishAt); err != nil {
			return nil, err
		}
		if x := byID[id]; x != nil {
			e.Article = x.Article
			e.PublishAt = fromDB(publishAt)
			if embargoUntil != 0 {
				e.Embargo = fromDB(embargoUntil)
			}
			if unpublishAt != 0 {
				e.UnpublishAt = fromDB(unpublishAt)
			}
			*x = e
		}
	}
	return out, rows.Err()
}

// Editorial returns an article, whole, with the newsroom's fields.
func (s *Store) Editorial(ctx context.Context, id int64) (*news.Editorial, error) {
	a, err := s.ArticleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	list, err := s.editorialExtras(ctx, []*news.Article{a})
	if err != nil {
		return nil, err
	}
	return list[0], nil
}

// SEO returns an article's texts for search engines (empty when the
// headline and summary serve).
func (s *Store) SEO(ctx context.Context, articleID int64) (title, description string, err error) {
	err = s.q.QueryRowContext(ctx, `SELECT seo_title, seo_description FROM articles WHERE id = $1`, articleID).Scan(&title, &description)
	return title, description, notFound(err, "no article with id %d", articleID)
}

// Save describes one save from the newsroom.
type Save struct {
	UserID int64
	Base   int // the revision the writer started from; ignored for a new article
	Kind   news.RevisionKind
	Note   string
}

// SaveEditorial saves an article's text as a new revision, in one
// transaction with the revision (run it inside InTx with the writes it
// belongs to). Its status is left as it is: see MoveArticle.
//
// A save based on an older revision than the stored one is not applied:
// the text is kept as a revision of kind ConflictRevision, which is
// returned with a nil error so the caller's transaction commits it; the
// caller tells the writer. A published article whose address changes
// leaves a redirect at the old one.
func (s *Store) SaveEditorial(ctx context.Context, e *news.Editorial, sv Save) (*news.Revision, error) {
	a := e.Article
	if err := e.Validate(); err != nil {
		return nil, err
	}
	rev := &news.Revision{UserID: sv.UserID, Kind: sv.Kind, Base: sv.Base, Note: sv.Note}
	if rev.Kind == "" {
		rev.Kind = news.SavedRevision
	}
	if a.ID == 0 {
		a.Status = news.Draft
		if err := s.SaveArticle(ctx, a); err != nil {
			return nil, err
		}
		rev.ArticleID, rev.Base = a.ID, 0
		rev.Content = news.ContentOf(e)
		if err := s.addRevision(ctx, rev); err != nil {
			return nil, err
		}
		e.Revision = rev.Number
		return rev, s.saveExtras(ctx, e)
	}

	// The conditional no-op update is the lock: on PostgreSQL a second
	// save from the same base waits here for the first to commit, then
	// finds the revision moved on. SQLite writers are serialised already.
	res, err := s.q.ExecContext(ctx, `UPDATE articles SET revision = revision WHERE id = $1 AND revision = $2`, a.ID, sv.Base)
	if err != nil {
		return nil, err
	}
	old, err := s.Editorial(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	rev.ArticleID = a.ID
	rev.Content = news.ContentOf(e)
	if n, _ := res.RowsAffected(); n == 0 {
		rev.Kind = news.ConflictRevision
		if rev.Note == "" {
			rev.Note = "not applied: based on revision " + itoa(sv.Base) + ", but revision " + itoa(old.Revision) + " had been saved"
		}
		return rev, s.addRevision(ctx, rev)
	}
	if old.Revision == 0 {
		// The first save from the newsroom of an imported article: keep
		// the text it had as the first revision, so it can be restored.
		first := &news.Revision{ArticleID: a.ID, Kind: news.SavedRevision, Note: "as it was before the first edit", At: old.Article.ModifiedAt,
			Content: news.ContentOf(old)}
		if err := s.addRevision(ctx, first); err != nil {
			return nil, err
		}
	}
	// What the newsroom does not edit stays as stored.
	a.Status, a.PublishedAt, a.CreatedAt = old.Article.Status, old.Article.PublishedAt, old.Article.CreatedAt
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = old.Article.UpdatedAt
	}
	e.CreatedBy, e.PublishAt = old.CreatedBy, old.PublishAt
	if !old.Article.PublishedAt.IsZero() && old.Article.URL() != a.URL() {
		if err := s.addRedirect(ctx, old.Article.URL(), a.ID, 0); err != nil {
			return nil, err
		}
	}
	if err := s.SaveArticle(ctx, a); err != nil {
		return nil, err
	}
	if err := s.addRevision(ctx, rev); err != nil {
		return nil, err
	}
	e.Revision = rev.Number
	return rev, s.saveExtras(ctx, e)
}

func (s *Store) saveExtras(ctx context.Context, e *news.Editorial) error {
	var by sql.NullInt64
	if e.CreatedBy != 0 {
		by = sql.NullInt64{Int64: e.CreatedBy, Valid: true}
	}
	_, err := s.q.ExecContext(ctx, `UPDATE articles SET revision = $1, seo_title = $2, seo_description = $3, created_by = $4 WHERE id = $5`,
		e.Revision, e.SEOTitle, e.SEODescription, by, e.Article.ID)
	return err
}

// Move is a change of an article's status.
type Move struct {
	From, To  news.Status
	At        time.Time // now: the publication time when first published
	PublishAt time.Time // for To == Scheduled
}

// MoveArticle changes an article's status, if it is still From: two
// editors pressing "publish" at once publish it once, and the second is
// told. Publishing sets the publication time the first time only.
func (s *Store) MoveArticle(ctx context.Context, id int64, m Move) error {
	if err := news.CheckTransition(m.From, m.To); err != nil {
		return err
	}
	if m.To == news.Scheduled && m.PublishAt.IsZero() {
		return news.Invalid("publish_at", "give the time to publish at")
	}
	publishAt := int64(0)
	if m.To == news.Scheduled {
		publishAt = toDB(m.PublishAt)
	}
	now := toDB(m.At)
	// The embargo is checked in the UPDATE, so an embargo set since the
	// caller looked still holds: a story goes out, now or at its
	// scheduled time, only at or after it. Leaving the site ends any
	// scheduled unpublish.
	q := `UPDATE articles SET status = $1, publish_at = $2, modified_at = $3,
		published_at = CASE WHEN $4 AND published_at = 0 THEN $3 ELSE published_at END
		WHERE id = $5 AND status = $6`
	args := []any{string(m.To), publishAt, now, m.To == news.Published, id, string(m.From)}
	at := m.At // when the story would go out
	if m.To == news.Scheduled {
		at = m.PublishAt
	}
	goesOut := !s.embargoless && (m.To == news.Published || m.To == news.Scheduled)
	if goesOut {
		args = append(args, toDB(at))
		q += ` AND NOT EXISTS (SELECT 1 FROM article_schedule x WHERE x.article_id = articles.id AND x.embargo_until > $7)`
	}
	return s.InTx(ctx, func(s *Store) error {
		if !s.embargoless && m.From == news.Published && m.To != news.Published {
			// Off the site, an update scheduled for the published story
			// is dropped: it must not come back over the text of a
			// withdrawn story (its revision stays in the history). Before
			// the UPDATE, so the rows are taken in the scheduler's order
			// (ClaimDueUpdate, then the article): no deadlock with it. A
			// move refused below rolls this back.
			if _, err := s.q.ExecContext(ctx, `DELETE FROM scheduled_updates WHERE article_id = $1`, id); err != nil {
				return err
			}
		}
		res, err := s.q.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if goesOut {
				if err := s.checkEmbargo(ctx, id, at); err != nil {
					return err
				}
			}
			return news.Errorf(news.ECONFLICT, "the article is no longer %s: someone changed it meanwhile; reload it", strings.ToLower(m.From.Label()))
		}
		if goesOut {
			// Looked at again in a statement of its own: on PostgreSQL an
			// embargo committed while this UPDATE waited for the row
			// (SetEmbargo locks it first) is seen only now, and the move
			// is rolled back.
			if err := s.checkEmbargo(ctx, id, at); err != nil {
				return err
			}
		}
		if !s.embargoless && m.To != news.Published {
			// Off the site, a scheduled unpublish has nothing to do (the
			// pending update went above).
			if _, err := s.q.ExecContext(ctx, `UPDATE article_schedule SET unpublish_at = 0 WHERE article_id = $1`, id); err != nil {
				return err
			}
		}
		return s.moved(ctx, id, m)
	})
}

// moved does what follows a move of article id: its lists and the change.
func (s *Store) moved(ctx context.Context, id int64, m Move) error {
	if err := s.relist(ctx, id); err != nil {
		return err
	}
	// Only the status moved: the places are the same before and after,
	// public on the side that is published.
	after, err := s.articleRefsOf(ctx, id)
	if err != nil {
		return err
	}
	before := after
	before.public = m.From == news.Published
	return s.recordArticleChange(ctx, before, after)
}

// PublishDue publishes every scheduled article whose time has come and
// returns their ids. The UPDATE claims the rows: of two instances running
// it at once, each article is published by exactly one, which alone gets
// its id back and writes the audit entry.
func (s *Store) PublishDue(ctx context.Context, now time.Time) ([]int64, error) {
	return s.PublishDueThen(ctx, now, nil)
}

// PublishDueThen is PublishDue, running then (when not nil) in the same
// transaction for each article published: the scheduler's notifications.
// An article under embargo is not due before the embargo ends, whatever
// its scheduled time.
func (s *Store) PublishDueThen(ctx context.Context, now time.Time, then func(tx *Store, id int64) error) ([]int64, error) {
	var ids []int64
	err := s.InTx(ctx, func(tx *Store) error {
		ids = nil // a retried transaction starts over
		embargo := ` AND NOT EXISTS (SELECT 1 FROM article_schedule x WHERE x.article_id = articles.id AND x.embargo_until > $2)`
		if tx.embargoless {
			embargo = ""
		}
		rows, err := tx.q.QueryContext(ctx, `UPDATE articles SET status = $1, modified_at = $2, publish_at = 0,
			published_at = CASE WHEN published_at = 0 THEN $2 ELSE published_at END
			WHERE status = $3 AND publish_at <= $2`+embargo+` RETURNING id`,
			string(news.Published), toDB(now), string(news.Scheduled))
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := tx.relist(ctx, ids...); err != nil {
			return err
		}
		for _, id := range ids {
			if err := tx.Audit(ctx, &news.AuditEntry{At: now, Action: "publish", Target: "article " + itoa64(id), Detail: "scheduled"}); err != nil {
				return err
			}
			refs, err := tx.articleRefsOf(ctx, id)
			if err != nil {
				return err
			}
			if err := tx.recordArticleChange(ctx, articleRefs{id: id}, refs); err != nil {
				return err
			}
			if then != nil {
				if err := then(tx, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// scopeConds is an article scope as SQL conditions on the articles table
// (aliased a): none for every article, the writer's for one writer's, and
// one that nothing meets for the zero scope. arg binds a value and returns
// its placeholder.
func scopeConds(s news.ArticleScope, arg func(any) string) []string {
	switch {
	case s.All():
		return nil
	case s.Writer() != 0:
		return []string{"a.created_by = " + arg(s.Writer())}
	}
	return []string{"1 = 0"}
}

// DeskFilter selects articles for the newsroom's lists.
type DeskFilter struct {
	Scope     news.ArticleScope // whose articles the reader may see (auth.ArticleScope); the zero scope lists none
	Statuses  []news.Status     // any of these; empty: all
	CreatedBy int64             // only this writer's ("mine"), within the scope
	Query     string            // headline contains (case-insensitive)
	Order     string            // "modified" (default), "published", "publish_at"
	Limit     int               // default 50, at most 500
	Offset    int
}

// DeskArticles lists articles in any status for the newsroom.
func (s *Store) DeskArticles(ctx context.Context, f DeskFilter) ([]*news.Editorial, error) {
	var args []any
	conds := scopeConds(f.Scope, func(v any) string { args = append(args, v); return "$" + itoa(len(args)) })
	if len(f.Statuses) > 0 {
		in, vals := inList(len(args)+1, f.Statuses)
		args = append(args, vals...)
		conds = append(conds, "a.status IN ("+in+")")
	}
	if f.CreatedBy != 0 {
		args = append(args, f.CreatedBy)
		conds = append(conds, "a.created_by = $"+itoa(len(args)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		q = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q))
		args = append(args, "%"+q+"%")
		conds = append(conds, "LOWER(a.headline) LIKE $"+itoa(len(args))+` ESCAPE '\'`)
	}
	order := "a.modified_at DESC, a.id DESC"
	switch f.Order {
	case "published":
		order = "a.published_at DESC, a.id DESC"
	case "publish_at":
		order = "a.publish_at, a.id"
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	args = append(args, min(limit, 500), max(f.Offset, 0))
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	list, err := s.queryArticles(ctx, Cards, where+" ORDER BY "+order+" LIMIT $"+itoa(len(args)-1)+" OFFSET $"+itoa(len(args)), args...)
	if err != nil {
		return nil, err
	}
	return s.editorialExtras(ctx, list)
}

// SetTopStories replaces the home page's top stories with ids, in order.
func (s *Store) SetTopStories(ctx context.Context, ids []int64) error {
	if len(ids) > 0 {
		in, args := inList(1, ids)
		var n int
		if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE id IN (`+in+`)`, args...).Scan(&n); err != nil {
			return err
		}
		distinct := map[int64]bool{}
		for _, id := range ids {
			distinct[id] = true
		}
		if n != len(distinct) {
			return news.NotFound("a top story is not an article: it may have been removed; reload the page")
		}
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM top_stories`); err != nil {
		return err
	}
	seen := map[int64]bool{}
	pos := 0
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if _, err := s.q.ExecContext(ctx, `INSERT INTO top_stories (article_id, position) VALUES ($1, $2)`, id, pos); err != nil {
			return err
		}
		pos++
	}
	// Top stories are on the home page only.
	return s.recordChange(ctx, news.KeyHome)
}

// TopStoryIDs returns the ids of the top stories in order, in any status.
func (s *Store) TopStoryIDs(ctx context.Context) ([]int64, error) {
	return column[int64](ctx, s, `SELECT article_id FROM top_stories ORDER BY position`)
}
