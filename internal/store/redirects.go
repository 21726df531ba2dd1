package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// OldAddress is where an old address leads: an article, a section, or a
// fixed path on this site. Exactly one is set.
type OldAddress struct {
	ArticleID, SectionID int64
	Path                 string
}

// AddOldAddress makes an old address (a path, with its query when the old
// site used one: "/?p=123") lead to an article, a section or a path, as
// the newsroom's moves do. The newest wins when an address is given twice.
func (s *Store) AddOldAddress(ctx context.Context, from string, to OldAddress) error {
	if to.Path != "" {
		_, err := s.q.ExecContext(ctx, `INSERT INTO redirects (from_path, to_path, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (from_path) DO UPDATE SET article_id = NULL, section_id = NULL, to_path = excluded.to_path, created_at = excluded.created_at`,
			from, to.Path, toDB(time.Now()))
		return err
	}
	return s.addRedirect(ctx, from, to.ArticleID, to.SectionID)
}

// KeepOldAddress is AddOldAddress for an import: an address that leads
// somewhere else already (a move the newsroom made, another item, another
// export) is left as it is, so an export cannot take over the newsroom's
// redirects. It reports whether from now leads to "to" (false: it leads
// elsewhere).
func (s *Store) KeepOldAddress(ctx context.Context, from string, to OldAddress) (bool, error) {
	var art, sec sql.NullInt64
	var path sql.NullString
	if to.ArticleID != 0 {
		art = sql.NullInt64{Int64: to.ArticleID, Valid: true}
	}
	if to.SectionID != 0 {
		sec = sql.NullInt64{Int64: to.SectionID, Valid: true}
	}
	if to.Path != "" {
		path = sql.NullString{String: to.Path, Valid: true}
	}
	res, err := s.q.ExecContext(ctx, `INSERT INTO redirects (from_path, article_id, section_id, to_path, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (from_path) DO UPDATE SET created_at = redirects.created_at
		WHERE redirects.article_id IS NOT DISTINCT FROM excluded.article_id AND redirects.section_id IS NOT DISTINCT FROM excluded.section_id
			AND redirects.to_path IS NOT DISTINCT FROM excluded.to_path`, from, art, sec, path, toDB(time.Now()))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

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
		ON CONFLICT (from_path) DO UPDATE SET article_id = excluded.article_id, section_id = excluded.section_id, to_path = NULL, created_at = excluded.created_at`,
		from, art, sec, toDB(time.Now()))
	return err
}

// Redirect returns where an old address now leads: the current address of
// the article (when it is published) or section that was there, or the
// fixed path an import named (a tag page, a feed, a standing page). An
// address kept with a trailing slash ("/2019/05/slug/", as WordPress and
// Ghost write them) is found without it too, and the other way round.
// Anything else is ENOTFOUND.
func (s *Store) Redirect(ctx context.Context, path string) (string, error) {
	other := path + "/"
	if strings.HasSuffix(path, "/") && len(path) > 1 {
		other = strings.TrimSuffix(path, "/")
	}
	var sectionPath, slug, toPath sql.NullString
	// The address as asked first, then its other form.
	err := s.q.QueryRowContext(ctx, `SELECT COALESCE(sa.path, ss.path), a.slug, r.to_path FROM redirects r
		LEFT JOIN articles a ON a.id = r.article_id AND a.status = $3
		LEFT JOIN sections sa ON sa.id = a.section_id
		LEFT JOIN sections ss ON ss.id = r.section_id
		WHERE r.from_path IN ($1, $2) ORDER BY CASE WHEN r.from_path = $1 THEN 0 ELSE 1 END LIMIT 1`,
		path, other, string(news.Published)).Scan(&sectionPath, &slug, &toPath)
	if err != nil {
		return "", notFound(err, "no page at %s", path)
	}
	var to string
	switch {
	case slug.Valid && sectionPath.Valid:
		to = "/" + sectionPath.String + "/" + slug.String
	case sectionPath.Valid:
		to = "/" + sectionPath.String + "/"
	case toPath.Valid:
		to = toPath.String
	}
	if to == "" || to == path {
		return "", news.NotFound("no page at %s", path)
	}
	return to, nil
}
