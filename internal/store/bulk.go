package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
)

// bulkRows is how many articles one INSERT statement carries, and
// bulkRows*5 how many link rows (which are narrow): few statements, and on
// SQLite few flushes of the search index's pending terms (FTS5 writes them
// out at every statement of a transaction), so fewer, larger index
// segments to merge. Both engines' parameter limits (SQLite's 32,766) are
// far off.
const bulkRows = 400

// InsertArticles adds new articles (their ID 0) with their bylines and tags,
// many rows to a statement, and fills in their IDs. It is SaveArticle for
// thousands of articles at once, for the archive generator and bulk
// imports: the same rules are checked, the same columns written, the search
// index kept by the same triggers; one change is recorded for the lot. Run
// it inside InTx: a failure leaves none of them.
func (s *Store) InsertArticles(ctx context.Context, list []*news.Article) error {
	if len(list) == 0 {
		return nil
	}
	now := time.Now().UTC()
	for _, a := range list {
		if a.ID != 0 {
			return fmt.Errorf("store: InsertArticles: article %d exists already", a.ID)
		}
		if err := a.Validate(); err != nil {
			return fmt.Errorf("%s: %w", a.URL(), err)
		}
		if a.CreatedAt.IsZero() {
			a.CreatedAt = now
		}
		a.ModifiedAt = now
	}
	// The articles may not take a subsection's address (news.SlugTakenBySection):
	// the few sections are read once for the lot.
	all, err := s.Sections(ctx)
	if err != nil {
		return err
	}
	type child struct {
		parent int64
		slug   string
	}
	subsections := make(map[child]news.Section, len(all))
	for _, sec := range all {
		if sec.ParentID != 0 {
			subsections[child{sec.ParentID, sec.Slug}] = sec
		}
	}
	for _, a := range list {
		if sec, ok := subsections[child{a.Section.ID, a.Slug}]; ok {
			return fmt.Errorf("%s: %w", a.URL(), news.SlugTakenBySection(sec.Path, sec.Name))
		}
	}
	const cols = 16
	for start := 0; start < len(list); start += bulkRows {
		batch := list[start:min(start+bulkRows, len(list))]
		var b strings.Builder
		b.WriteString(`INSERT INTO articles (section_id, slug, headline, summary, body, body_html, status,
			published_at, updated_at, modified_at, photo_media_id, photo_alt, photo_caption, photo_credit, body_passages, created_at) VALUES `)
		vals := make([]any, 0, cols*len(batch))
		for i, a := range batch {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := range cols {
				if c > 0 {
					b.WriteString(", ")
				}
				b.WriteString(s.dialect.bulkParam(i*cols + c + 1))
			}
			b.WriteByte(')')
			var photoID sql.NullInt64
			var alt, caption, credit string
			if a.Photo != nil {
				photoID = sql.NullInt64{Int64: a.Photo.Media.ID, Valid: true}
				alt, caption, credit = a.Photo.Alt, a.Photo.Caption, a.Photo.Credit
			}
			vals = append(vals, a.Section.ID, a.Slug, a.Headline, a.Summary, a.Body, a.BodyHTML, string(a.Status),
				toDB(a.PublishedAt), toDB(a.UpdatedAt), toDB(a.ModifiedAt), photoID, alt, caption, credit,
				search.Passages(a.Body), toDB(a.CreatedAt))
		}
		// The order RETURNING gives rows in is not promised: match them up
		// by their address, which is unique.
		b.WriteString(` RETURNING id, section_id, slug`)
		rows, err := s.q.QueryContext(ctx, b.String(), vals...)
		if isUniqueViolation(err) {
			return news.Errorf(news.ECONFLICT, "an article is at one of these addresses already (from %s)", batch[0].URL())
		}
		if err != nil {
			return err
		}
		type addr struct {
			section int64
			slug    string
		}
		byAddr := make(map[addr]*news.Article, len(batch))
		for _, a := range batch {
			byAddr[addr{a.Section.ID, a.Slug}] = a
		}
		for rows.Next() {
			var id int64
			var k addr
			if err := rows.Scan(&id, &k.section, &k.slug); err != nil {
				rows.Close()
				return err
			}
			if a := byAddr[k]; a != nil {
				a.ID = id
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			if isUniqueViolation(err) {
				return news.Errorf(news.ECONFLICT, "an article is at one of these addresses already (from %s)", batch[0].URL())
			}
			return err
		}
		for _, a := range batch {
			if a.ID == 0 {
				return fmt.Errorf("store: InsertArticles: no id came back for %s", a.URL())
			}
		}
		if err := s.insertLinks(ctx, batch); err != nil {
			return err
		}
	}
	// New articles have no pages yet: the change is in the lists they
	// join. Beyond a few, that is most lists, and recordChange makes it
	// "site".
	if len(list) > maxChangeKeys {
		return s.recordChange(ctx, news.KeySite)
	}
	refs := make([]articleRefs, len(list))
	for i, a := range list {
		refs[i] = refsOf(a)
	}
	keys, err := s.articleKeys(ctx, refs...)
	if err != nil {
		return err
	}
	return s.recordChange(ctx, keys...)
}

// insertLinks adds the bylines and tags of new articles, many to a
// statement.
func (s *Store) insertLinks(ctx context.Context, batch []*news.Article) error {
	var authors, tags [][]any
	for _, a := range batch {
		// listed_at as relist sets it (migration 0007).
		var listed any
		if a.Status == news.Published {
			listed = toDB(a.PublishedAt)
		}
		for i, au := range a.Bylines {
			authors = append(authors, []any{a.ID, au.ID, i, listed})
		}
		for i, t := range a.Tags {
			tags = append(tags, []any{a.ID, t.ID, i, listed})
		}
	}
	if err := s.insertRows(ctx, `INSERT INTO article_authors (article_id, author_id, position, listed_at) VALUES `, authors); err != nil {
		return err
	}
	return s.insertRows(ctx, `INSERT INTO article_tags (article_id, tag_id, position, listed_at) VALUES `, tags)
}

// insertRows runs head followed by rows of values, bulkRows*5 rows at a
// time (link rows are narrow).
func (s *Store) insertRows(ctx context.Context, head string, rows [][]any) error {
	for start := 0; start < len(rows); start += bulkRows * 5 {
		batch := rows[start:min(start+bulkRows*5, len(rows))]
		var b strings.Builder
		b.WriteString(head)
		var vals []any
		for i, r := range batch {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c, v := range r {
				if c > 0 {
					b.WriteString(", ")
				}
				vals = append(vals, v)
				b.WriteString(s.dialect.bulkParam(len(vals)))
			}
			b.WriteByte(')')
		}
		if _, err := s.q.ExecContext(ctx, b.String(), vals...); err != nil {
			return err
		}
	}
	return nil
}

// bulkParam is the n-th parameter of a statement whose parameters appear in
// order. SQLite looks every $N up in a list while it parses (the time grows
// with the square of their number, a second per statement of thousands);
// a plain ? costs nothing, and means the same when they are in order.
func (d dialect) bulkParam(n int) string {
	if d.name == "sqlite" {
		return "?"
	}
	return "$" + itoa(n)
}
