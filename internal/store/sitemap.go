package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Reads for feeds, sitemaps and WebSub: narrow queries over the articles
// and the change log that stream rows to a callback, so a sitemap of
// 50,000 articles is never a slice of 50,000 articles.

// SitemapArticle is what a sitemap lists about one published article.
type SitemapArticle struct {
	ID          int64
	SectionPath string
	Slug        string
	Headline    string
	PublishedAt time.Time
	// LastMod is the latest public change: the publication, the last
	// update or the last correction.
	LastMod time.Time
	Photo   *news.Media // the lead photo, or nil
}

// URL is the article's path on the site.
func (a *SitemapArticle) URL() string { return "/" + a.SectionPath + "/" + a.Slug }

// lastModSQL is an article's public last change, in portable SQL (SQLite's
// MAX(a, b) is PostgreSQL's GREATEST, so CASE it is).
const lastModSQL = `CASE WHEN COALESCE(c.at, 0) > (CASE WHEN a.updated_at > a.published_at THEN a.updated_at ELSE a.published_at END)
	THEN c.at ELSE (CASE WHEN a.updated_at > a.published_at THEN a.updated_at ELSE a.published_at END) END`

// lastCorrectionJoin gives each article its latest correction time as c.at.
const lastCorrectionJoin = ` LEFT JOIN (SELECT article_id, MAX(at) AS at FROM corrections GROUP BY article_id) c ON c.article_id = a.id`

const sitemapSelect = `SELECT a.id, s.path, a.slug, a.headline, a.published_at, ` + lastModSQL + `,
	COALESCE(m.id, 0), COALESCE(m.hash, ''), COALESCE(m.type, ''), COALESCE(m.width, 0), COALESCE(m.height, 0)
	FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN media m ON m.id = a.photo_media_id` + lastCorrectionJoin

// eachSitemapRow runs a sitemap query and calls fn for each row as it is
// read.
func (s *Store) eachSitemapRow(ctx context.Context, where string, args []any, fn func(*SitemapArticle) error) error {
	rows, err := s.q.QueryContext(ctx, sitemapSelect+" "+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a SitemapArticle
		var pub, lm int64
		var m news.Media
		if err := rows.Scan(&a.ID, &a.SectionPath, &a.Slug, &a.Headline, &pub, &lm, &m.ID, &m.Hash, &m.Type, &m.Width, &m.Height); err != nil {
			return err
		}
		a.PublishedAt, a.LastMod = fromDB(pub), fromDB(lm)
		if m.ID != 0 {
			a.Photo = &m
		}
		if err := fn(&a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SitemapPieces splits the published articles, oldest first, into pieces
// of size and returns each piece's latest LastMod: one entry per piece, so
// len is the number of pieces. Oldest first keeps a piece's articles where
// they are as new ones are published: only the last piece grows. The work
// is done by the database in one pass; no article is held here.
func (s *Store) SitemapPieces(ctx context.Context, size int) ([]time.Time, error) {
	if size <= 0 {
		return nil, news.Invalid("size", "a sitemap piece must hold at least one article")
	}
	rows, err := s.q.QueryContext(ctx, `SELECT piece, MAX(lm) FROM (
		SELECT (ROW_NUMBER() OVER (ORDER BY a.published_at, a.id) - 1) / $2 AS piece, `+lastModSQL+` AS lm
		FROM articles a`+lastCorrectionJoin+` WHERE a.status = $1) t
		GROUP BY piece ORDER BY piece`, string(news.Published), size)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var piece, lm int64
		if err := rows.Scan(&piece, &lm); err != nil {
			return nil, err
		}
		out = append(out, fromDB(lm))
	}
	return out, rows.Err()
}

// EachSitemapArticle calls fn for each published article of one piece
// (counted from 0, as SitemapPieces counts them), oldest first, as the
// rows arrive.
func (s *Store) EachSitemapArticle(ctx context.Context, size, piece int, fn func(*SitemapArticle) error) error {
	if size <= 0 || piece < 0 {
		return news.Invalid("piece", "no sitemap piece %d of size %d", piece, size)
	}
	return s.eachSitemapRow(ctx, `WHERE a.status = $1 ORDER BY a.published_at, a.id LIMIT $2 OFFSET $3`,
		[]any{string(news.Published), size, int64(piece) * int64(size)}, fn)
}

// EachRecentArticle calls fn for each article published in [since, until],
// newest first, at most limit of them: the Google News sitemap.
func (s *Store) EachRecentArticle(ctx context.Context, since, until time.Time, limit int, fn func(*SitemapArticle) error) error {
	return s.eachSitemapRow(ctx, `WHERE a.status = $1 AND a.published_at >= $2 AND a.published_at <= $3
		ORDER BY a.published_at DESC, a.id DESC LIMIT $4`,
		[]any{string(news.Published), toDB(since), toDB(until), limit}, fn)
}

// SectionLastMods returns, for each section with published articles of its
// own, the latest publication or update among them. Callers roll it up the
// tree for a section's subsections.
func (s *Store) SectionLastMods(ctx context.Context) (map[int64]time.Time, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT a.section_id, MAX(CASE WHEN a.updated_at > a.published_at THEN a.updated_at ELSE a.published_at END)
		FROM articles a WHERE a.status = $1 GROUP BY a.section_id`, string(news.Published))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id, lm int64
		if err := rows.Scan(&id, &lm); err != nil {
			return nil, err
		}
		out[id] = fromDB(lm)
	}
	return out, rows.Err()
}

// ListedPage is a tag or author page with something published on it.
type ListedPage struct {
	Slug    string
	LastMod time.Time // the latest publication or update among its articles
}

// EachListedTag calls fn for each tag with published articles, most
// recently active first, as the rows arrive. Tags with nothing published
// have no page, so sitemaps must not name them.
func (s *Store) EachListedTag(ctx context.Context, fn func(ListedPage) error) error {
	return s.eachListed(ctx, `SELECT t.slug, MAX(CASE WHEN a.updated_at > a.published_at THEN a.updated_at ELSE a.published_at END) AS lm
		FROM tags t JOIN article_tags x ON x.tag_id = t.id JOIN articles a ON a.id = x.article_id
		WHERE a.status = $1 GROUP BY t.id, t.slug ORDER BY lm DESC, t.slug`, fn)
}

// EachListedAuthor is EachListedTag for authors.
func (s *Store) EachListedAuthor(ctx context.Context, fn func(ListedPage) error) error {
	return s.eachListed(ctx, `SELECT au.slug, MAX(CASE WHEN a.updated_at > a.published_at THEN a.updated_at ELSE a.published_at END) AS lm
		FROM authors au JOIN article_authors x ON x.author_id = au.id JOIN articles a ON a.id = x.article_id
		WHERE a.status = $1 GROUP BY au.id, au.slug ORDER BY lm DESC, au.slug`, fn)
}

func (s *Store) eachListed(ctx context.Context, query string, fn func(ListedPage) error) error {
	rows, err := s.q.QueryContext(ctx, query, string(news.Published))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p ListedPage
		var lm int64
		if err := rows.Scan(&p.Slug, &lm); err != nil {
			return err
		}
		p.LastMod = fromDB(lm)
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ArticlesByIDs returns the articles with the given ids, read as load says
// (Page for the public site's feeds and an export's article pages), in the
// order of ids; ids with no article are left out. Feeds list a page of
// PublishedArticles, then read that page whole.
func (s *Store) ArticlesByIDs(ctx context.Context, load Loading, ids []int64) ([]*news.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inList(1, ids)
	list, err := s.queryArticles(ctx, load, `WHERE a.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	slices.SortFunc(list, func(a, b *news.Article) int { return pos[a.ID] - pos[b.ID] })
	return list, nil
}

// ChangesSince returns the changes the log recorded after the change id
// after, oldest first, at most limit of them, each with the surrogate keys
// it purges ("article-12 section-3 tag-7 author-2 home ..."). Entries
// written before changes carried keys read as "site".
func (s *Store) ChangesSince(ctx context.Context, after int64, limit int) ([]ChangeKeys, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, what FROM changes WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ChangeKeys
	for rows.Next() {
		var c ChangeKeys
		var what string
		if err := rows.Scan(&c.ID, &what); err != nil {
			return nil, err
		}
		c.Keys = news.PurgeKeys(strings.Fields(what))
		if len(c.Keys) == 0 {
			c.Keys = []string{news.KeySite}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
