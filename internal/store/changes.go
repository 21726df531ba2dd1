package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// maxChangeKeys bounds the keys one change records. A change that would
// name more (a bulk import, a rename touching thousands of pages) records
// "site" instead: a CDN purges everything, which is what such a change is
// worth, and the log row stays small.
const maxChangeKeys = 256

// recordChange appends to the change log. Every write that alters what the
// public sees calls it in the same transaction, so a reader of the log never
// learns of a change before it is committed.
//
// The entry is the surrogate keys the change purges (see news.ArticleKey),
// space-separated: the page cache only needs to know that something
// changed, but a CDN in front, and the WebSub hub, need to know what.
// Words that are not keys read back as "site".
func (s *Store) recordChange(ctx context.Context, keys ...string) error {
	keys = news.PurgeKeys(keys)
	if len(keys) == 0 || len(keys) > maxChangeKeys {
		keys = []string{news.KeySite}
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO changes (at, what) VALUES ($1, $2)`, toDB(time.Now()), strings.Join(keys, " "))
	return err
}

// ReorderWindow is how far below the newest change id a change may still
// be committed: an id is taken when a change is recorded, near the end of
// its transaction, and on PostgreSQL concurrent transactions commit in
// either order. A reader that must not miss a change looks that far back.
const ReorderWindow = 32

// Position is where the change log stands: its newest id, and how many
// changes lie in the ReorderWindow below it. The pair moves on every
// commit, also one whose id is lower than a change committed before it,
// which the newest id alone would not show.
type Position struct {
	ID     int64
	Recent int64
}

// ChangePosition returns the change log's Position, in one indexed read.
func (s *Store) ChangePosition(ctx context.Context) (Position, error) {
	var p Position
	err := s.q.QueryRowContext(ctx, `SELECT m, (SELECT COUNT(*) FROM changes WHERE id > m - $1)
		FROM (SELECT COALESCE(MAX(id), 0) AS m FROM changes) t`, ReorderWindow).Scan(&p.ID, &p.Recent)
	return p, err
}

// RecentChanges returns the id of the newest change and the ids of the
// changes in the ReorderWindow up to it, in order: what a reader that
// records where it stands must keep to tell, later, a change that
// committed below that id after it looked (see ChangesSince).
func (s *Store) RecentChanges(ctx context.Context) (newest int64, window []int64, err error) {
	window, err = column[int64](ctx, s, `SELECT id FROM changes
		WHERE id > (SELECT COALESCE(MAX(id), 0) FROM changes) - $1 ORDER BY id`, ReorderWindow)
	if len(window) > 0 {
		newest = window[len(window)-1]
	}
	return newest, window, err
}

// Mark returns the change id recorded under name (see SetMark), and false
// when none is.
func (s *Store) Mark(ctx context.Context, name string) (int64, bool, error) {
	var v int64
	err := s.q.QueryRowContext(ctx, `SELECT value FROM marks WHERE name = $1`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return v, err == nil, err
}

// SetMark records that the changes up to id have been carried out under
// name (a purge sent, a hub told). A mark only moves forward: several
// instances record theirs, and the furthest stands.
func (s *Store) SetMark(ctx context.Context, name string, id int64) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO marks (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET value = CASE WHEN excluded.value > marks.value THEN excluded.value ELSE marks.value END`,
		name, id)
	return err
}

// ChangeIDs returns the ids of the changes after change id after, up to
// upTo, in order.
func (s *Store) ChangeIDs(ctx context.Context, after, upTo int64) ([]int64, error) {
	return column[int64](ctx, s, `SELECT id FROM changes WHERE id > $1 AND id <= $2 ORDER BY id`, after, upTo)
}

// LastChange returns the id of the newest change: when it moves, something
// public changed (through this process or any other on the same database).
func (s *Store) LastChange(ctx context.Context) (int64, error) {
	var id int64
	err := s.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM changes`).Scan(&id)
	return id, err
}

// ChangeKeys is one entry of the change log, read as the surrogate keys
// it purges.
type ChangeKeys struct {
	ID int64
	// Keys are the surrogate keys of the pages the change touched,
	// without repeats; ["site"] when it could not say.
	Keys []string
}

// articleRefs are the places an article is shown, as far as a change to it
// is concerned: its section's fronts, its tags' and authors' pages, and,
// while it is published, the home page.
type articleRefs struct {
	id      int64
	public  bool // published, so its pages and lists show it
	section int64
	tags    []int64
	authors []int64
}

// refsOf returns an article's places as the article says.
func refsOf(a *news.Article) articleRefs {
	r := articleRefs{id: a.ID, public: a.Status == news.Published, section: a.Section.ID}
	for _, t := range a.Tags {
		r.tags = append(r.tags, t.ID)
	}
	for _, b := range a.Bylines {
		r.authors = append(r.authors, b.ID)
	}
	return r
}

// articleRefsOf reads an article's places as the database has them now;
// call it inside the transaction, before a write, to learn where the
// article was. A missing article has no places.
func (s *Store) articleRefsOf(ctx context.Context, id int64) (articleRefs, error) {
	r := articleRefs{id: id}
	var status string
	err := s.q.QueryRowContext(ctx, `SELECT section_id, status FROM articles WHERE id = $1`, id).Scan(&r.section, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	r.public = status == string(news.Published)
	if r.tags, err = s.ids(ctx, `SELECT tag_id FROM article_tags WHERE article_id = $1 ORDER BY tag_id`, id); err != nil {
		return r, err
	}
	r.authors, err = s.ids(ctx, `SELECT author_id FROM article_authors WHERE article_id = $1 ORDER BY position`, id)
	return r, err
}

func (s *Store) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	return column[int64](ctx, s, query, args...)
}

// articleKeys returns the keys a change to articles purges, given the
// places of each before and after the change: both, so that a story moved
// from one section to another leaves both fronts. A place counts only
// while the article is published there; an article public on neither side
// names its own key alone, since no public page shows it.
func (s *Store) articleKeys(ctx context.Context, refs ...articleRefs) ([]string, error) {
	var keys []string
	var tree *news.Tree
	public := false
	for _, r := range refs {
		keys = append(keys, news.ArticleKey(r.id))
		if !r.public {
			continue
		}
		public = true
		if tree == nil {
			secs, err := s.Sections(ctx)
			if err != nil {
				return nil, err
			}
			tree = news.NewTree(secs)
		}
		// The section and every one above it: their fronts list the
		// subtree's articles.
		for _, sec := range tree.Ancestry(r.section) {
			keys = append(keys, news.SectionKey(sec.ID))
		}
		for _, id := range r.tags {
			keys = append(keys, news.TagKey(id))
		}
		for _, id := range r.authors {
			keys = append(keys, news.AuthorKey(id))
		}
	}
	if public {
		keys = append(keys, news.KeyHome, news.KeySitemap, news.KeyMissing)
	}
	return keys, nil
}

// recordArticleChange records a change to an article whose places were
// before (read with articleRefsOf before the write) and are now after.
func (s *Store) recordArticleChange(ctx context.Context, before, after articleRefs) error {
	keys, err := s.articleKeys(ctx, before, after)
	if err != nil {
		return err
	}
	if err := s.recordChange(ctx, keys...); err != nil {
		return err
	}
	// The webhooks it announces, in the same transaction (webhooks.go).
	return s.queueArticleEvent(ctx, articleEvent(before, after), after.id, nil)
}

// sectionKeys returns the keys of a section and all its subsections: a
// section's name is in its subsections' feed titles and breadcrumbs.
func (s *Store) sectionKeys(ctx context.Context, id int64) ([]string, error) {
	secs, err := s.Sections(ctx)
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, sid := range news.NewTree(secs).SubtreeIDs(id) {
		keys = append(keys, news.SectionKey(sid))
	}
	return keys, nil
}
