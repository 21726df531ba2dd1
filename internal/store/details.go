package store

import (
	"context"

	"github.com/newsdesk/newsdesk/internal/news"
)

// articleDetails are what a whole article has beyond its row: bylines, tags
// and corrections, by article id.
type articleDetails struct {
	bylines     map[int64][]news.Author
	tags        map[int64][]news.Tag
	corrections map[int64][]news.Correction
}

// details reads the bylines, tags and corrections of the articles ids in
// one statement: three SELECTs joined with UNION ALL into one row shape
// (kind 0 a byline, 1 a tag, 2 a correction), each in the order its own
// query had. A cold article page read them in three queries, each a
// round trip through the driver; one costs a third of that.
//
// Columns: kind, article, id, s1 (slug, or a correction's text), s2
// (name), s3 (bio), n (agency, or a correction's time), then the order
// within an article: o1 (position, or time), o2 (a tag's name, for links
// made before tags had a position).
func (s *Store) details(ctx context.Context, ids []int64) (articleDetails, error) {
	d := articleDetails{bylines: map[int64][]news.Author{}, tags: map[int64][]news.Tag{}, corrections: map[int64][]news.Correction{}}
	if len(ids) == 0 {
		return d, nil
	}
	in, args := inList(1, ids)
	tagPosition := "at.position"
	if s.unordered {
		tagPosition = "0"
	}
	rows, err := s.q.QueryContext(ctx, `SELECT 0, aa.article_id, a.id, a.slug, a.name, a.bio, a.agency, aa.position, ''
		FROM article_authors aa JOIN authors a ON a.id = aa.author_id WHERE aa.article_id IN (`+in+`)
	UNION ALL
	SELECT 1, at.article_id, t.id, t.slug, t.name, '', 0, `+tagPosition+`, t.name
		FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id IN (`+in+`)
	UNION ALL
	SELECT 2, c.article_id, c.id, c.text, '', '', c.at, c.at, ''
		FROM corrections c WHERE c.article_id IN (`+in+`)
	ORDER BY 1, 2, 8, 9, 3`, args...)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind int
		var article, id, n, o1 int64
		var s1, s2, s3, o2 string
		if err := rows.Scan(&kind, &article, &id, &s1, &s2, &s3, &n, &o1, &o2); err != nil {
			return d, err
		}
		switch kind {
		case 0:
			d.bylines[article] = append(d.bylines[article], news.Author{ID: id, Slug: s1, Name: s2, Bio: s3, Agency: n != 0})
		case 1:
			d.tags[article] = append(d.tags[article], news.Tag{ID: id, Slug: s1, Name: s2})
		case 2:
			d.corrections[article] = append(d.corrections[article], news.Correction{At: fromDB(n), Text: s1})
		}
	}
	return d, rows.Err()
}
