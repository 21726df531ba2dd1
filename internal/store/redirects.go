package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// addRedirect makes an old address lead to an article or a section: the
// newest move wins when an address was used twice. Redirects point at the
// thing, not at an address, so a story moved three times needs no chain.
func (s *Store) addRedirect(ctx context.Context, from string, articleID, sectionID int64) error {
	var art, sec sql.NullInt64
	if articleID != 0 {
		art = sql.NullInt64{Int64: articleID, Valid: true}
	}
	if sectionID != 0 {
		sec = sql.NullInt64{Int64: sectionID, Valid: true}
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO redirects (from_path, article_id, section_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (from_path) DO UPDATE SET article_id = excluded.article_id, section_id = excluded.section_id, created_at = excluded.created_at`,
		from, art, sec, toDB(time.Now()))
	return err
}

// Redirect returns where an old address now leads: the current address of
// the article (when it is published) or section that was there. Anything
// else is ENOTFOUND.
func (s *Store) Redirect(ctx context.Context, path string) (string, error) {
	var sectionPath, slug sql.NullString
	err := s.q.QueryRowContext(ctx, `SELECT COALESCE(sa.path, ss.path), a.slug FROM redirects r
		LEFT JOIN articles a ON a.id = r.article_id AND a.status = $2
		LEFT JOIN sections sa ON sa.id = a.section_id
		LEFT JOIN sections ss ON ss.id = r.section_id
		WHERE r.from_path = $1`, path, string(news.Published)).Scan(&sectionPath, &slug)
	if err != nil {
		return "", notFound(err, "no page at %s", path)
	}
	var to string
	switch {
	case slug.Valid && sectionPath.Valid:
		to = "/" + sectionPath.String + "/" + slug.String
	case sectionPath.Valid:
		to = "/" + sectionPath.String + "/"
	}
	if to == "" || to == path {
		return "", news.NotFound("no page at %s", path)
	}
	return to, nil
}
