package store

import (
	"context"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Tags lists every tag by name, with how many articles carry each.
func (s *Store) Tags(ctx context.Context) ([]news.Tag, map[int64]int, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT t.id, t.slug, t.name, (SELECT COUNT(*) FROM article_tags x WHERE x.tag_id = t.id)
		FROM tags t ORDER BY t.name, t.id`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []news.Tag
	counts := map[int64]int{}
	for rows.Next() {
		var t news.Tag
		var n int
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name, &n); err != nil {
			return nil, nil, err
		}
		counts[t.ID] = n
		out = append(out, t)
	}
	return out, counts, rows.Err()
}

// RenameTag changes a tag's display name; its slug and page stay.
func (s *Store) RenameTag(ctx context.Context, id int64, name string) error {
	name = news.CleanText(name)
	if name == "" || len([]rune(name)) > news.MaxName {
		return news.Invalid("name", "give a name of 1 to %d characters", news.MaxName)
	}
	res, err := s.q.ExecContext(ctx, `UPDATE tags SET name = $1 WHERE id = $2`, name, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("no tag %d", id)
	}
	// The name is on the tag's pages, on its articles' pages and in the
	// feeds that list them (as a category), all of which carry its key.
	return s.recordChange(ctx, news.TagKey(id), news.KeyLists)
}
