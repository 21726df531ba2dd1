package store

import (
	"context"

	"github.com/newsdesk/newsdesk/internal/news"
)

// TagBySlug returns the tag whose page is /tag/{slug}.
func (s *Store) TagBySlug(ctx context.Context, slug string) (news.Tag, error) {
	var t news.Tag
	err := s.q.QueryRowContext(ctx, `SELECT id, slug, name FROM tags WHERE slug = $1`, slug).Scan(&t.ID, &t.Slug, &t.Name)
	return t, notFound(err, "no tag %q", slug)
}

// TagByID returns a tag.
func (s *Store) TagByID(ctx context.Context, id int64) (news.Tag, error) {
	var t news.Tag
	err := s.q.QueryRowContext(ctx, `SELECT id, slug, name FROM tags WHERE id = $1`, id).Scan(&t.ID, &t.Slug, &t.Name)
	return t, notFound(err, "no tag %d", id)
}

// EnsureTag returns the tag named name, creating it when missing.
func (s *Store) EnsureTag(ctx context.Context, name string) (news.Tag, error) {
	name = news.CleanText(name)
	slug := news.Slugify(name)
	if slug == "" {
		return news.Tag{}, news.Invalid("tags", "%q is not a tag", name)
	}
	t, err := s.TagBySlug(ctx, slug)
	if news.ErrorCode(err) != news.ENOTFOUND {
		return t, err
	}
	t = news.Tag{Slug: slug, Name: name}
	err = s.q.QueryRowContext(ctx, `INSERT INTO tags (slug, name) VALUES ($1, $2) RETURNING id`, slug, name).Scan(&t.ID)
	return t, err
}

// tagsOf returns each article's tags, by name.
func (s *Store) tagsOf(ctx context.Context, ids []int64) (map[int64][]news.Tag, error) {
	out := map[int64][]news.Tag{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(1, ids)
	rows, err := s.q.QueryContext(ctx, `SELECT at.article_id, t.id, t.slug, t.name
		FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id IN (`+in+`) ORDER BY at.article_id, t.name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t news.Tag
		if err := rows.Scan(&id, &t.ID, &t.Slug, &t.Name); err != nil {
			return nil, err
		}
		out[id] = append(out[id], t)
	}
	return out, rows.Err()
}
