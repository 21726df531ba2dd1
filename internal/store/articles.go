package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
)

// articleSelect reads an article row with its section and lead photo in one
// join; bylines, tags and corrections come in one batched query each, so a
// list of any length costs a fixed number of queries.
const articleSelect = `SELECT a.id, a.slug, a.headline, a.summary, a.status, a.published_at, a.updated_at,
	a.created_at, a.modified_at, a.photo_alt, a.photo_caption, a.photo_credit,
	s.id, COALESCE(s.parent_id, 0), s.slug, s.name, s.description, s.position, s.path,
	COALESCE(m.id, 0), COALESCE(m.hash, ''), COALESCE(m.type, ''), COALESCE(m.size, 0),
	COALESCE(m.width, 0), COALESCE(m.height, 0), COALESCE(m.name, ''), COALESCE(m.created_at, 0), COALESCE(m.framing, '')`

// unframedSelect is articleSelect for a schema older than media.framing
// (only the tests of migrations open a store so).
var unframedSelect = strings.Replace(articleSelect, "COALESCE(m.framing, '')", "''", 1)

const articleFrom = ` FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN media m ON m.id = a.photo_media_id`

// Loading says how much of each article to read.
type Loading int

const (
	// Cards reads what a list shows: headline, summary, section, bylines, photo.
	Cards Loading = iota
	// Page reads what the public site shows of a whole article: also the
	// text as HTML, the SEO texts, tags and corrections, but not the text's
	// Markdown source, which is the last column of a row on SQLite and so
	// is not read at all (it is as long as the HTML).
	Page
	// Full reads everything: also the Markdown source.
	Full
)

func (s *Store) queryArticles(ctx context.Context, load Loading, where string, args ...any) ([]*news.Article, error) {
	cols := articleSelect
	if s.unframed {
		cols = unframedSelect
	}
	if load >= Page {
		cols += `, a.seo_title, a.seo_description, a.body_html`
	}
	if load == Full {
		cols += `, a.body`
	}
	rows, err := s.q.QueryContext(ctx, cols+articleFrom+" "+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []*news.Article
	var ids []int64
	for rows.Next() {
		a := &news.Article{}
		var pub, upd, created, modified, mCreated int64
		var alt, caption, credit, framing string
		var m news.Media
		dest := []any{&a.ID, &a.Slug, &a.Headline, &a.Summary, &a.Status, &pub, &upd, &created, &modified,
			&alt, &caption, &credit,
			&a.Section.ID, &a.Section.ParentID, &a.Section.Slug, &a.Section.Name, &a.Section.Description, &a.Section.Position, &a.Section.Path,
			&m.ID, &m.Hash, &m.Type, &m.Size, &m.Width, &m.Height, &m.Name, &mCreated, &framing}
		if load >= Page {
			dest = append(dest, &a.SEOTitle, &a.SEODescription, &a.BodyHTML)
		}
		if load == Full {
			dest = append(dest, &a.Body)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		a.PublishedAt, a.UpdatedAt, a.CreatedAt, a.ModifiedAt = fromDB(pub), fromDB(upd), fromDB(created), fromDB(modified)
		if m.ID != 0 {
			m.CreatedAt = fromDB(mCreated)
			m.Framing = readFraming(framing)
			a.Photo = &news.Photo{Media: m, Alt: alt, Caption: caption, Credit: credit}
		}
		list = append(list, a)
		ids = append(ids, a.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(list) == 0 {
		return list, nil
	}
	if load >= Page {
		// Bylines, tags and corrections in one statement (details.go).
		d, err := s.details(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			a.Bylines, a.Tags, a.Corrections = d.bylines[a.ID], d.tags[a.ID], d.corrections[a.ID]
		}
		return list, nil
	}
	bl, err := s.bylines(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		a.Bylines = bl[a.ID]
	}
	return list, nil
}

func (s *Store) oneArticle(ctx context.Context, load Loading, what string, where string, args ...any) (*news.Article, error) {
	list, err := s.queryArticles(ctx, load, where, args...)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, news.NotFound("no article %s", what)
	}
	return list[0], nil
}

// ArticleByID returns an article in any status, whole.
func (s *Store) ArticleByID(ctx context.Context, id int64) (*news.Article, error) {
	return s.oneArticle(ctx, Full, "with id", `WHERE a.id = $1`, id)
}

// ArticleByPath returns the article at /{sectionPath}/{slug} in any status,
// read as load says; the public site reads a Page and checks the status.
func (s *Store) ArticleByPath(ctx context.Context, load Loading, sectionPath, slug string) (*news.Article, error) {
	return s.oneArticle(ctx, load, "at /"+sectionPath+"/"+slug, `WHERE s.path = $1 AND a.slug = $2`, sectionPath, slug)
}

// Cursor marks a place in a newest-first list: the publication time and id
// of the last article on the previous page. The zero Cursor is the start.
type Cursor struct {
	Time time.Time
	ID   int64
}

// IsZero reports whether c is the start of the list.
func (c Cursor) IsZero() bool { return c.ID == 0 }

// ArticleFilter selects published articles for a list.
type ArticleFilter struct {
	SectionIDs []int64 // any of these sections; empty: all
	TagID      int64
	AuthorID   int64
	ExcludeIDs []int64
	After      Cursor // articles older than this place
	Limit      int    // at most this many; default 20, at most 200
}

// PublishedArticles lists published articles newest first, by keyset: a
// page deep in an archive costs what the first page costs.
func (s *Store) PublishedArticles(ctx context.Context, f ArticleFilter) ([]*news.Article, error) {
	where, args := publishedWhere(f)
	return s.queryArticles(ctx, Cards, where, args...)
}

// publishedWhere is the WHERE, ORDER BY and LIMIT of PublishedArticles,
// with its arguments (apart, so the plan tests read the query it runs).
func publishedWhere(f ArticleFilter) (string, []any) {
	var conds []string
	args := []any{string(news.Published)}
	conds = append(conds, "a.status = $1")
	add := func(cond string, vals ...any) {
		args = append(args, vals...)
		conds = append(conds, cond)
	}
	if len(f.SectionIDs) > 0 {
		in, vals := inList(len(args)+1, f.SectionIDs)
		add("a.section_id IN ("+in+")", vals...)
	}
	// A tag's or an author's list walks that tag's or author's own index
	// entries of published articles, newest first (listed_at, migration
	// 0007), and stops at the page's end. The article's status is still
	// checked: listed_at is only a way in.
	join, at, id := "", "a.published_at", "a.id"
	switch {
	case f.TagID != 0:
		join, at, id = " JOIN article_tags l ON l.article_id = a.id", "l.listed_at", "l.article_id"
		add("l.tag_id = $"+itoa(len(args)+1)+" AND l.listed_at IS NOT NULL", f.TagID)
		if f.AuthorID != 0 {
			add("a.id IN (SELECT article_id FROM article_authors WHERE author_id = $"+itoa(len(args)+1)+")", f.AuthorID)
		}
	case f.AuthorID != 0:
		join, at, id = " JOIN article_authors l ON l.article_id = a.id", "l.listed_at", "l.article_id"
		add("l.author_id = $"+itoa(len(args)+1)+" AND l.listed_at IS NOT NULL", f.AuthorID)
	}
	if len(f.ExcludeIDs) > 0 {
		in, vals := inList(len(args)+1, f.ExcludeIDs)
		add("a.id NOT IN ("+in+")", vals...)
	}
	if !f.After.IsZero() {
		// The bound on the time alone is what an index can seek to, as
		// in the API's lists (APIArticles): with only "t < x OR (t = x
		// AND id < y)", PostgreSQL walks the index from the newest story
		// and filters every entry above the cursor.
		n := len(args)
		add(at+" <= $"+itoa(n+1)+" AND ("+at+" < $"+itoa(n+1)+" OR "+id+" < $"+itoa(n+2)+")",
			toDB(f.After.Time), f.After.ID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 200)
	args = append(args, limit)
	return join + " WHERE " + strings.Join(conds, " AND ") + " ORDER BY " + at + " DESC, " + id + " DESC LIMIT $" + itoa(len(args)), args
}

const topStoriesWhere = `WHERE a.id IN (SELECT article_id FROM top_stories)
	ORDER BY (SELECT t.position FROM top_stories t WHERE t.article_id = a.id)`

// TopStories returns the editors' top stories in their order (published
// ones only).
//
// The query names no status: with "a.status = $1" in it, SQLite (which
// keeps no statistics unless told to ANALYZE) took the status index for
// the most selective way in and read every published article to find the
// few that are top stories, 0.8 s over 100,000 articles. Asked by id
// alone, it reads the handful of rows by primary key; the status and the
// order are checked here.
func (s *Store) TopStories(ctx context.Context) ([]*news.Article, error) {
	list, err := s.queryArticles(ctx, Cards, topStoriesWhere)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(a *news.Article) bool { return a.Status != news.Published }), nil
}

// SaveArticle inserts a new article (ID 0) or replaces an existing one's
// fields, bylines and tags. Corrections are not touched: see AddCorrections.
// Bylines, tags and the photo's media must exist already (their IDs set).
// Run it inside InTx with the writes it belongs to.
func (s *Store) SaveArticle(ctx context.Context, a *news.Article) error {
	if err := a.Validate(); err != nil {
		return err
	}
	now := time.Now().UTC()
	a.ModifiedAt = now
	var photoID sql.NullInt64
	var alt, caption, credit string
	if a.Photo != nil {
		photoID = sql.NullInt64{Int64: a.Photo.Media.ID, Valid: true}
		alt, caption, credit = a.Photo.Alt, a.Photo.Caption, a.Photo.Credit
	}
	args := []any{a.Section.ID, a.Slug, a.Headline, a.Summary, a.Body, a.BodyHTML, string(a.Status),
		toDB(a.PublishedAt), toDB(a.UpdatedAt), toDB(a.ModifiedAt), photoID, alt, caption, credit}
	// Where the article was before this save: a change purges the old
	// places as well as the new.
	var before articleRefs
	var err error
	if a.ID != 0 {
		if before, err = s.articleRefsOf(ctx, a.ID); err != nil {
			return err
		}
		// An import (or any save) that would publish a story the
		// newsroom holds under embargo is refused, as a move is.
		if a.Status == news.Published && !before.public {
			if err := s.checkEmbargo(ctx, a.ID, now); err != nil {
				return err
			}
		}
	}
	if err := s.articleSlugFree(ctx, a); err != nil {
		return err // a subsection is at /{section}/{slug}/ (sections_edit.go)
	}
	if a.ID == 0 {
		if a.CreatedAt.IsZero() {
			a.CreatedAt = now
		}
		err = s.q.QueryRowContext(ctx, `INSERT INTO articles (section_id, slug, headline, summary, body, body_html, status,
			published_at, updated_at, modified_at, photo_media_id, photo_alt, photo_caption, photo_credit, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			append(args, toDB(a.CreatedAt))...).Scan(&a.ID)
	} else {
		var res sql.Result
		res, err = s.q.ExecContext(ctx, `UPDATE articles SET section_id = $1, slug = $2, headline = $3, summary = $4,
			body = $5, body_html = $6, status = $7, published_at = $8, updated_at = $9, modified_at = $10,
			photo_media_id = $11, photo_alt = $12, photo_caption = $13, photo_credit = $14 WHERE id = $15`,
			append(args, a.ID)...)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return news.NotFound("no article with id %d", a.ID)
			}
			if a.Status == news.Published && !before.public {
				// Looked at again now the row is held, as MoveArticle
				// does: on PostgreSQL an embargo committed while this
				// UPDATE waited for the row (SetEmbargo locks it first)
				// was not seen by the check above.
				if err := s.checkEmbargo(ctx, a.ID, now); err != nil {
					return err
				}
			}
		}
	}
	if isUniqueViolation(err) {
		return news.Errorf(news.ECONFLICT, "another article is at %s already", a.URL())
	}
	if err != nil {
		return err
	}
	if !s.passageless {
		// The body's plain text, for search results' snippets.
		if _, err := s.q.ExecContext(ctx, `UPDATE articles SET body_passages = $1 WHERE id = $2`,
			search.Passages(a.Body), a.ID); err != nil {
			return err
		}
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM article_authors WHERE article_id = $1`, a.ID); err != nil {
		return err
	}
	for i, b := range a.Bylines {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO article_authors (article_id, author_id, position) VALUES ($1, $2, $3)`,
			a.ID, b.ID, i); err != nil {
			return err
		}
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM article_tags WHERE article_id = $1`, a.ID); err != nil {
		return err
	}
	for i, t := range a.Tags {
		// In the writer's order (migration 0016).
		q, args := `INSERT INTO article_tags (article_id, tag_id, position) VALUES ($1, $2, $3)`, []any{a.ID, t.ID, i}
		if s.unordered {
			q, args = `INSERT INTO article_tags (article_id, tag_id) VALUES ($1, $2)`, args[:2]
		}
		if _, err := s.q.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	if err := s.relist(ctx, a.ID); err != nil {
		return err
	}
	if before.id == 0 {
		before.id = a.ID
	}
	return s.recordArticleChange(ctx, before, refsOf(a))
}

// AddCorrections appends corrections to an article, skipping any that it
// has already (the same time and text), so a re-import adds only new ones.
// Existing corrections are never changed or removed.
func (s *Store) AddCorrections(ctx context.Context, articleID int64, cs []news.Correction) error {
	have, err := s.corrections(ctx, []int64{articleID})
	if err != nil {
		return err
	}
	seen := map[news.Correction]bool{}
	for _, c := range have[articleID] {
		seen[c] = true
	}
	var added []news.Correction
	for _, c := range cs {
		c.At = c.At.UTC().Truncate(time.Microsecond)
		if seen[c] {
			continue
		}
		seen[c] = true
		if _, err := s.q.ExecContext(ctx, `INSERT INTO corrections (article_id, at, text) VALUES ($1, $2, $3)`,
			articleID, toDB(c.At), c.Text); err != nil {
			return err
		}
		added = append(added, c)
	}
	if len(added) == 0 {
		return nil
	}
	// A correction is a change: apps that read changes by modification
	// (the API's sort=updated and updated_since) must see it.
	if _, err := s.q.ExecContext(ctx, `UPDATE articles SET modified_at = $1 WHERE id = $2`,
		toDB(time.Now().UTC()), articleID); err != nil {
		return err
	}
	refs, err := s.articleRefsOf(ctx, articleID)
	if err != nil {
		return err
	}
	keys, err := s.articleKeys(ctx, refs)
	if err != nil {
		return err
	}
	if err := s.recordChange(ctx, keys...); err != nil {
		return err
	}
	// A correction to a public story is announced as one, not as an
	// update (webhooks.go).
	if !refs.public {
		return nil
	}
	return s.queueArticleEvent(ctx, news.EventArticleCorrected, articleID, added)
}

func (s *Store) corrections(ctx context.Context, ids []int64) (map[int64][]news.Correction, error) {
	out := map[int64][]news.Correction{}
	in, args := inList(1, ids)
	rows, err := s.q.QueryContext(ctx, `SELECT article_id, at, text FROM corrections WHERE article_id IN (`+in+`) ORDER BY article_id, at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, at int64
		var c news.Correction
		if err := rows.Scan(&id, &at, &c.Text); err != nil {
			return nil, err
		}
		c.At = fromDB(at)
		out[id] = append(out[id], c)
	}
	return out, rows.Err()
}

// CountArticles returns how many articles there are in each status.
func (s *Store) CountArticles(ctx context.Context) (map[news.Status]int, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT status, COUNT(*) FROM articles GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[news.Status]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[news.Status(st)] = n
	}
	return out, rows.Err()
}

// relist brings the listed_at of the articles' tag and byline rows in
// step with the articles (migration 0007): their publication time while
// they are published, NULL otherwise. Every write that changes an
// article's status, publication time, tags or bylines calls it in the
// same transaction.
func (s *Store) relist(ctx context.Context, ids ...int64) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		in, vals := inList(2, ids[:n])
		args := append([]any{string(news.Published)}, vals...)
		for _, table := range []string{"article_tags", "article_authors"} {
			if _, err := s.q.ExecContext(ctx, `UPDATE `+table+` SET listed_at = (SELECT CASE WHEN a.status = $1 THEN a.published_at END
				FROM articles a WHERE a.id = `+table+`.article_id) WHERE article_id IN (`+in+`)`, args...); err != nil {
				return err
			}
		}
		ids = ids[n:]
	}
	return nil
}
