package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

const sectionColumns = `id, COALESCE(parent_id, 0), slug, name, description, position, path`

func scanSection(row interface{ Scan(...any) error }) (news.Section, error) {
	var s news.Section
	err := row.Scan(&s.ID, &s.ParentID, &s.Slug, &s.Name, &s.Description, &s.Position, &s.Path)
	return s, err
}

// Sections returns every section, parents before children and siblings in
// their editors' order. The tree is small (tens of nodes), so callers keep it
// whole and walk it in memory.
func (s *Store) Sections(ctx context.Context) ([]news.Section, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+sectionColumns+` FROM sections`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []news.Section
	for rows.Next() {
		sec, err := scanSection(rows)
		if err != nil {
			return nil, err
		}
		all = append(all, sec)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return news.SortSections(all), nil
}

// SectionByPath returns the section at path ("news/russia").
func (s *Store) SectionByPath(ctx context.Context, path string) (news.Section, error) {
	sec, err := scanSection(s.q.QueryRowContext(ctx, `SELECT `+sectionColumns+` FROM sections WHERE path = $1`, path))
	return sec, notFound(err, "no section %q", path)
}

// CreateSection adds a section under sec.ParentID (0 for a top section) and
// fills in its ID and Path.
func (s *Store) CreateSection(ctx context.Context, sec *news.Section) error {
	if err := sec.Validate(); err != nil {
		return err
	}
	sec.Path = sec.Slug
	var parent sql.NullInt64
	if sec.ParentID != 0 {
		var parentPath string
		err := s.q.QueryRowContext(ctx, `SELECT path FROM sections WHERE id = $1`, sec.ParentID).Scan(&parentPath)
		if err != nil {
			return notFound(err, "no parent section %d", sec.ParentID)
		}
		sec.Path = parentPath + "/" + sec.Slug
		parent = sql.NullInt64{Int64: sec.ParentID, Valid: true}
		if err := s.sectionSlugFree(ctx, sec.ParentID, sec.Slug); err != nil {
			return err // an article is at /{parent}/{slug} (sections_edit.go)
		}
	} else if err := s.pageAtSlug(ctx, sec.Slug); err != nil {
		return err // a standing page is at /{slug} (pages.go)
	}
	err := s.q.QueryRowContext(ctx, `INSERT INTO sections (parent_id, slug, name, description, position, path)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		parent, sec.Slug, sec.Name, sec.Description, sec.Position, sec.Path).Scan(&sec.ID)
	if isUniqueViolation(err) {
		return news.Errorf(news.ECONFLICT, "section %q exists already", sec.Path)
	}
	if err != nil {
		return err
	}
	// A new section is in the navigation and the sitemap, and its address
	// answered 404 until now.
	return s.recordChange(ctx, news.KeyLayout, news.KeySitemap, news.KeyMissing)
}

// EnsureSectionPath returns the section at path, creating it and any missing
// ancestors; a created section is named from its slug ("middle-east" ->
// "Middle East") and placed after its existing siblings.
func (s *Store) EnsureSectionPath(ctx context.Context, path string) (news.Section, error) {
	slugs := strings.Split(strings.Trim(path, "/"), "/")
	var cur news.Section
	for i, slug := range slugs {
		if !news.ValidSlug(slug) {
			return news.Section{}, news.Invalid("section", "%q is not a section path: each part must be a slug (lower-case letters, digits, hyphens)", path)
		}
		p := strings.Join(slugs[:i+1], "/")
		sec, err := s.SectionByPath(ctx, p)
		if err == nil {
			cur = sec
			continue
		}
		if news.ErrorCode(err) != news.ENOTFOUND {
			return news.Section{}, err
		}
		next := news.Section{ParentID: cur.ID, Slug: slug, Name: news.NameFromSlug(slug)}
		if err := s.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), -1) + 1 FROM sections WHERE parent_id IS NOT DISTINCT FROM $1`,
			sql.NullInt64{Int64: cur.ID, Valid: cur.ID != 0}).Scan(&next.Position); err != nil {
			return news.Section{}, err
		}
		if err := s.CreateSection(ctx, &next); err != nil {
			return news.Section{}, err
		}
		cur = next
	}
	return cur, nil
}

// UpdateSection changes a section's name, description and position. (Moving
// a section and changing its slug come with the newsroom, with redirects.)
func (s *Store) UpdateSection(ctx context.Context, sec news.Section) error {
	if err := sec.Validate(); err != nil {
		return err
	}
	res, err := s.q.ExecContext(ctx, `UPDATE sections SET name = $1, description = $2, position = $3 WHERE id = $4`,
		sec.Name, sec.Description, sec.Position, sec.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("no section %d", sec.ID)
	}
	keys, err := s.sectionKeys(ctx, sec.ID)
	if err != nil {
		return err
	}
	return s.recordChange(ctx, append(keys, news.KeyLayout)...)
}
