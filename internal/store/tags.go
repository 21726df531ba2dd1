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

// tagOrderVersion is the migration that adds article_tags.position: an
// article's tags in the order the writer gave them.
const tagOrderVersion = 16
