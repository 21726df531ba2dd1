package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/newsdesk/newsdesk/internal/news"
)

// SectionByID returns a section.
func (s *Store) SectionByID(ctx context.Context, id int64) (news.Section, error) {
	sec, err := scanSection(s.q.QueryRowContext(ctx, `SELECT `+sectionColumns+` FROM sections WHERE id = $1`, id))
	return sec, notFound(err, "no section %d", id)
}

// EditSection renames a section, changes its slug or description, or moves
// it under another parent (0 for the top level). When its path changes,
// every subsection's path changes with it, and every old address of the
// subtree (its fronts and its published articles) leaves a redirect.
func (s *Store) EditSection(ctx context.Context, sec *news.Section) error {
	if err := sec.Validate(); err != nil {
		return err
	}
	old, err := s.SectionByID(ctx, sec.ID)
	if err != nil {
		return err
	}
	newPath := sec.Slug
	if sec.ParentID != 0 {
		parent, err := s.SectionByID(ctx, sec.ParentID)
		if err != nil {
			return err
		}
		if parent.ID == old.ID || len(parent.Path) > len(old.Path) && parent.Path[:len(old.Path)+1] == old.Path+"/" {
			return news.Invalid("parent", "a section cannot move into itself or one of its subsections")
		}
		newPath = parent.Path + "/" + sec.Slug
	}
	sec.Path = newPath
	sec.Position = old.Position
	if sec.ParentID != old.ParentID {
		if err := s.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), -1) + 1 FROM sections WHERE parent_id IS NOT DISTINCT FROM $1`,
			nullID(sec.ParentID)).Scan(&sec.Position); err != nil {
			return err
		}
	}
	if newPath != old.Path && sec.ParentID == 0 {
		if err := s.pageAtSlug(ctx, sec.Slug); err != nil {
			return err // a standing page is at /{slug} (pages.go)
		}
	}
	if newPath != old.Path {
		if err := s.sectionSlugFree(ctx, sec.ParentID, sec.Slug); err != nil {
			return err
		}
		var n int
		if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM sections WHERE path = $1`, newPath).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return news.Errorf(news.ECONFLICT, "there is a section at /%s/ already", newPath)
		}
		if err := s.redirectSubtree(ctx, old.Path); err != nil {
			return err
		}
		if _, err := s.q.ExecContext(ctx, `UPDATE sections SET path = $1 || SUBSTR(path, $2) WHERE path = $3 OR path LIKE $4`,
			newPath, len(old.Path)+1, old.Path, old.Path+"/%"); err != nil {
			return err
		}
	}
	_, err = s.q.ExecContext(ctx, `UPDATE sections SET parent_id = $1, slug = $2, name = $3, description = $4, position = $5 WHERE id = $6`,
		nullID(sec.ParentID), sec.Slug, sec.Name, sec.Description, sec.Position, sec.ID)
	if err != nil {
		return err
	}
	if newPath != old.Path {
		// Every address in the subtree moved, and every page or feed that
		// links to one of its articles changed: that is most of the site.
		return s.recordChange(ctx, news.KeySite)
	}
	keys, err := s.sectionKeys(ctx, sec.ID)
	if err != nil {
		return err
	}
	return s.recordChange(ctx, append(keys, news.KeyLayout)...)
}

// redirectSubtree records redirects from the current addresses of the
// section at path, its subsections, and their published articles.
func (s *Store) redirectSubtree(ctx context.Context, path string) error {
	type target struct {
		from       string
		art, secID int64
	}
	var ts []target
	rows, err := s.q.QueryContext(ctx, `SELECT a.id, s.path, a.slug FROM articles a JOIN sections s ON s.id = a.section_id
		WHERE a.published_at <> 0 AND (s.path = $1 OR s.path LIKE $2)`, path, path+"/%")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var p, slug string
		if err := rows.Scan(&id, &p, &slug); err != nil {
			rows.Close()
			return err
		}
		ts = append(ts, target{from: "/" + p + "/" + slug, art: id})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.q.QueryContext(ctx, `SELECT id, path FROM sections WHERE path = $1 OR path LIKE $2`, path, path+"/%")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			rows.Close()
			return err
		}
		ts = append(ts, target{from: "/" + p + "/", secID: id})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range ts {
		if err := s.addRedirect(ctx, t.from, t.art, t.secID); err != nil {
			return err
		}
	}
	return nil
}

// MoveSectionBy moves a section delta places among its siblings (-1: up).
func (s *Store) MoveSectionBy(ctx context.Context, id int64, delta int) error {
	sec, err := s.SectionByID(ctx, id)
	if err != nil {
		return err
	}
	all, err := s.Sections(ctx)
	if err != nil {
		return err
	}
	sibs := news.NewTree(all).Children(sec.ParentID)
	i := -1
	for k, x := range sibs {
		if x.ID == id {
			i = k
		}
	}
	j := i + delta
	if i < 0 || j < 0 || j >= len(sibs) {
		return nil // already first or last: nothing to do
	}
	sibs[i], sibs[j] = sibs[j], sibs[i]
	for pos, x := range sibs {
		if _, err := s.q.ExecContext(ctx, `UPDATE sections SET position = $1 WHERE id = $2`, pos, x.ID); err != nil {
			return err
		}
	}
	// The order shows in the navigation and the home page's blocks.
	return s.recordChange(ctx, news.KeyLayout)
}

// sectionSlugFree refuses a section's slug under parentID when an article
// of that parent has it: the section's front would be the article's
// address with a slash (news.SlugTakenByArticle). A top section has no
// articles beside it.
func (s *Store) sectionSlugFree(ctx context.Context, parentID int64, slug string) error {
	if parentID == 0 {
		return nil
	}
	if err := s.lockNames(ctx, parentID, true); err != nil {
		return err
	}
	var path string
	err := s.q.QueryRowContext(ctx, `SELECT s.path FROM articles a JOIN sections s ON s.id = a.section_id
		WHERE a.section_id = $1 AND a.slug = $2`, parentID, slug).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return news.SlugTakenByArticle(path + "/" + slug)
}

// articleSlugFree refuses an article's slug when a subsection of its
// section has it: the article would be at the subsection's address
// without its slash (news.SlugTakenBySection). An article that stays
// where it was is not refused, so one saved before the rule can still be
// corrected; export names such pairs.
func (s *Store) articleSlugFree(ctx context.Context, a *news.Article) error {
	if a.ID != 0 {
		var section int64
		var slug string
		err := s.q.QueryRowContext(ctx, `SELECT section_id, slug FROM articles WHERE id = $1`, a.ID).Scan(&section, &slug)
		if err == nil && section == a.Section.ID && slug == a.Slug {
			return nil
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	if err := s.lockNames(ctx, a.Section.ID, false); err != nil {
		return err
	}
	var path, name string
	err := s.q.QueryRowContext(ctx, `SELECT path, name FROM sections WHERE parent_id = $1 AND slug = $2`, a.Section.ID, a.Slug).Scan(&path, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return news.SlugTakenBySection(path, name)
}

// lockNames makes the two checks above hold against each other, not only
// against what is committed: on PostgreSQL, in read committed, a story
// and a subsection saved at once with one slug each checked before the
// other committed, and both were saved. It locks the section's row until
// the transaction ends, shared for a story's slug (stories saved at once
// in one section do not wait for each other) and exclusive for a
// subsection's, so of a story and a subsection racing for a slug the
// second waits for the first to commit and its check, a new statement,
// then sees it. SQLite's writers take turns already. Run inside InTx, as
// the callers are.
func (s *Store) lockNames(ctx context.Context, sectionID int64, subsection bool) error {
	if s.dialect.name != "postgres" || sectionID == 0 {
		return nil
	}
	mode := "SHARE"
	if subsection {
		mode = "UPDATE"
	}
	_, err := s.q.ExecContext(ctx, `SELECT id FROM sections WHERE id = $1 FOR `+mode, sectionID)
	return err
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }
