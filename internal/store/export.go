package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// A read for the static export (internal/export): a light index of where
// each article shows up, so an export after one change renders only the
// pages that change (with ChangesSince, which says what changed).

// IndexEntry is where an article appears on the public site: its address,
// its place in newest-first lists, and the tag and author pages that list
// it (by slug).
type IndexEntry struct {
	ID          int64
	Status      news.Status
	SectionPath string
	Slug        string
	PublishedAt time.Time
	Tags        []string
	Authors     []string
	Photo       string // the lead photo's hash, "" for none
	// Moved are the article's old addresses, which lead to it now (a
	// changed slug or section).
	Moved []string
}

// ArticleIndex returns the index entries of the articles with the given
// ids, in any status; with no ids, of every published article. Four
// queries whatever the number of articles.
func (s *Store) ArticleIndex(ctx context.Context, ids []int64) ([]IndexEntry, error) {
	where, args := `WHERE a.status = $1`, []any{string(news.Published)}
	if len(ids) > 0 {
		var in string
		in, args = inList(1, ids)
		where = `WHERE a.id IN (` + in + `)`
	}
	rows, err := s.q.QueryContext(ctx, `SELECT a.id, a.status, s.path, a.slug, a.published_at, COALESCE(m.hash, '')
		FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN media m ON m.id = a.photo_media_id `+where+` ORDER BY a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []IndexEntry
	byID := map[int64]int{}
	for rows.Next() {
		var e IndexEntry
		var pub int64
		if err := rows.Scan(&e.ID, &e.Status, &e.SectionPath, &e.Slug, &pub, &e.Photo); err != nil {
			return nil, err
		}
		e.PublishedAt = fromDB(pub)
		byID[e.ID] = len(out)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for _, q := range []struct {
		sql string
		add func(e *IndexEntry, slug string)
	}{
		{`SELECT x.article_id, t.slug FROM article_tags x JOIN tags t ON t.id = x.tag_id JOIN articles a ON a.id = x.article_id ` + where + ` ORDER BY x.article_id, t.slug`,
			func(e *IndexEntry, slug string) { e.Tags = append(e.Tags, slug) }},
		{`SELECT x.article_id, au.slug FROM article_authors x JOIN authors au ON au.id = x.author_id JOIN articles a ON a.id = x.article_id ` + where + ` ORDER BY x.article_id, x.position`,
			func(e *IndexEntry, slug string) { e.Authors = append(e.Authors, slug) }},
		{`SELECT x.article_id, x.from_path FROM redirects x JOIN articles a ON a.id = x.article_id ` + where + ` ORDER BY x.article_id, x.from_path`,
			func(e *IndexEntry, from string) { e.Moved = append(e.Moved, from) }},
	} {
		if err := s.eachSlug(ctx, q.sql, args, func(id int64, slug string) {
			if i, ok := byID[id]; ok {
				q.add(&out[i], slug)
			}
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// eachSlug runs a query of (article id, slug) rows.
func (s *Store) eachSlug(ctx context.Context, query string, args []any, fn func(int64, string)) error {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var slug string
		if err := rows.Scan(&id, &slug); err != nil {
			return err
		}
		fn(id, slug)
	}
	return rows.Err()
}

// RedirectSources lists every old address the site redirects from (moved
// articles and sections), for the static export, which writes a page at
// each that sends the reader on.
func (s *Store) RedirectSources(ctx context.Context) ([]string, error) {
	return column[string](ctx, s, `SELECT from_path FROM redirects ORDER BY from_path`)
}
