package store

import (
	"context"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The media library: stored photos with the caption, credit and alt text
// each new use starts from.

const photoColumns = `id, hash, type, size, width, height, name, created_at, alt, caption, credit, framing`

func scanPhoto(row interface{ Scan(...any) error }) (news.Photo, error) {
	var p news.Photo
	var created int64
	var framing string
	m := &p.Media
	err := row.Scan(&m.ID, &m.Hash, &m.Type, &m.Size, &m.Width, &m.Height, &m.Name, &created, &p.Alt, &p.Caption, &p.Credit, &framing)
	m.CreatedAt = fromDB(created)
	m.Framing = readFraming(framing)
	return p, err
}

// framingVersion is the migration that adds media.framing.
const framingVersion = 13

// readFraming reads a media row's framing. One this version cannot read
// is the default (the centre, crops suggested): a photo is better shown
// cut from its middle than not at all, and SetPhotoFraming writes only
// what it can read back.
func readFraming(s string) news.Framing {
	var f news.Framing
	if f.UnmarshalText([]byte(s)) != nil {
		return news.Framing{}
	}
	return f
}

// maxFramingPurge is how many published articles' pages a new framing
// purges by name; a photo on more purges the whole site.
const maxFramingPurge = 64

// SetPhotoFraming changes a photo's focal point and drawn crops, after
// checking them against the photo's size (news.Framing.Check: errors name
// the field). The pages of the published articles that lead with the
// photo show its crops (cards, social previews, structured data), so the
// change names them for the caches.
func (s *Store) SetPhotoFraming(ctx context.Context, id int64, f news.Framing) error {
	var w, h int
	err := s.q.QueryRowContext(ctx, `SELECT width, height FROM media WHERE id = $1`, id).Scan(&w, &h)
	if err != nil {
		return notFound(err, "no photo %d", id)
	}
	if err := f.Check(w, h); err != nil {
		return err
	}
	text, err := f.MarshalText()
	if err != nil {
		return err
	}
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.q.ExecContext(ctx, `UPDATE media SET framing = $1 WHERE id = $2`, string(text), id); err != nil {
			return err
		}
		ids, err := tx.ids(ctx, `SELECT id FROM articles WHERE photo_media_id = $1 AND status = $2 ORDER BY id LIMIT $3`,
			id, string(news.Published), maxFramingPurge+1)
		if err != nil || len(ids) == 0 {
			return err
		}
		if len(ids) > maxFramingPurge {
			return tx.recordChange(ctx, news.KeySite)
		}
		refs := make([]articleRefs, len(ids))
		for i, a := range ids {
			if refs[i], err = tx.articleRefsOf(ctx, a); err != nil {
				return err
			}
		}
		keys, err := tx.articleKeys(ctx, refs...)
		if err != nil {
			return err
		}
		return tx.recordChange(ctx, keys...)
	})
}

// LibraryPhotos lists stored photos, newest first, with their defaults.
func (s *Store) LibraryPhotos(ctx context.Context, limit, offset int) ([]news.Photo, error) {
	if limit <= 0 {
		limit = 48
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+photoColumns+` FROM media ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`,
		min(limit, 500), max(offset, 0))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Photo
	for rows.Next() {
		p, err := scanPhoto(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// LibraryPhoto returns one stored photo with its defaults.
func (s *Store) LibraryPhoto(ctx context.Context, id int64) (news.Photo, error) {
	p, err := scanPhoto(s.q.QueryRowContext(ctx, `SELECT `+photoColumns+` FROM media WHERE id = $1`, id))
	return p, notFound(err, "no photo %d", id)
}

// SetPhotoDefaults changes a photo's default alt text, caption and credit.
// Articles using it keep their own words.
func (s *Store) SetPhotoDefaults(ctx context.Context, id int64, alt, caption, credit string) error {
	if err := checkPhotoWords(alt, caption, credit); err != nil {
		return err
	}
	res, err := s.q.ExecContext(ctx, `UPDATE media SET alt = $1, caption = $2, credit = $3 WHERE id = $4`, alt, caption, credit, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("no photo %d", id)
	}
	return nil
}

// FillPhotoDefaults sets the defaults a photo does not have yet: the first
// words given for a photo become its defaults; later uploads of the same
// file do not overwrite them.
func (s *Store) FillPhotoDefaults(ctx context.Context, id int64, alt, caption, credit string) error {
	if err := checkPhotoWords(alt, caption, credit); err != nil {
		return err
	}
	_, err := s.q.ExecContext(ctx, `UPDATE media SET
		alt = CASE WHEN alt = '' THEN $1 ELSE alt END,
		caption = CASE WHEN caption = '' THEN $2 ELSE caption END,
		credit = CASE WHEN credit = '' THEN $3 ELSE credit END WHERE id = $4`, alt, caption, credit, id)
	return err
}

func checkPhotoWords(alt, caption, credit string) error {
	var p news.Problems
	checkLen(&p, "alt", alt, news.MaxAlt)
	checkLen(&p, "caption", caption, news.MaxCaption)
	checkLen(&p, "credit", credit, news.MaxName)
	return p.Err()
}

func checkLen(p *news.Problems, field, v string, max int) {
	if len([]rune(v)) > max {
		p.Add(field, "is longer than %d characters", max)
	}
}

// PhotoUses lists the articles, in any status, that use a photo (as their
// lead photo or in their body) and that scope takes in: the photo library
// is open to every writer, the drafts that use a photo are not.
func (s *Store) PhotoUses(ctx context.Context, m news.Media, scope news.ArticleScope) ([]*news.Editorial, error) {
	args := []any{m.ID, "%/" + m.Hash + "-%"}
	where := "WHERE (a.photo_media_id = $1 OR a.body LIKE $2)"
	for _, c := range scopeConds(scope, func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }) {
		where += " AND " + c
	}
	list, err := s.queryArticles(ctx, Cards, where+" ORDER BY a.modified_at DESC LIMIT 100", args...)
	if err != nil {
		return nil, err
	}
	return s.editorialExtras(ctx, list)
}

// PhotoByHash returns the stored photo with a content hash.
func (s *Store) PhotoByHash(ctx context.Context, hash string) (news.Photo, error) {
	p, err := scanPhoto(s.q.QueryRowContext(ctx, `SELECT `+photoColumns+` FROM media WHERE hash = $1`, hash))
	return p, notFound(err, "no photo with hash %s", hash)
}
