package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Imported is what an earlier import made of one item of another system's
// export: the article or page, and the digest of the item as it was then.
type Imported struct {
	ArticleID, PageID int64
	Digest            string
}

// ImportedItem returns what an earlier import of source's item id made,
// or ENOTFOUND. A row whose page has gone counts as none.
func (s *Store) ImportedItem(ctx context.Context, source, id string) (Imported, error) {
	var it Imported
	var art, page sql.NullInt64
	err := s.q.QueryRowContext(ctx, `SELECT article_id, page_id, digest FROM imported WHERE source = $1 AND source_id = $2`,
		source, id).Scan(&art, &page, &it.Digest)
	if err != nil {
		return Imported{}, notFound(err, "%s item %s was not imported", source, id)
	}
	it.ArticleID, it.PageID = art.Int64, page.Int64
	if it.ArticleID == 0 && it.PageID == 0 {
		return Imported{}, news.NotFound("%s item %s was imported, but what it became is gone", source, id)
	}
	return it, nil
}

// SetImported records what source's item id became (see ImportedItem).
func (s *Store) SetImported(ctx context.Context, source, id string, it Imported) error {
	var art, page sql.NullInt64
	if it.ArticleID != 0 {
		art = sql.NullInt64{Int64: it.ArticleID, Valid: true}
	}
	if it.PageID != 0 {
		page = sql.NullInt64{Int64: it.PageID, Valid: true}
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO imported (source, source_id, article_id, page_id, digest, at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (source, source_id) DO UPDATE SET article_id = excluded.article_id, page_id = excluded.page_id, digest = excluded.digest, at = excluded.at`,
		source, id, art, page, it.Digest, toDB(time.Now()))
	return err
}

// SectionTerm is one level of a section path to find or make, with the
// name to give it when it is made.
type SectionTerm struct{ Slug, Name string }

// EnsureSections returns the section at the path terms make from the top,
// creating the missing ones with the terms' names (an existing section
// keeps its own name: the newsroom may have renamed it).
func (s *Store) EnsureSections(ctx context.Context, terms []SectionTerm) (news.Section, error) {
	if len(terms) == 0 {
		return news.Section{}, news.Invalid("section", "is missing")
	}
	slugs := make([]string, len(terms))
	for i, t := range terms {
		slugs[i] = t.Slug
	}
	var cur news.Section
	for i := range terms {
		p := strings.Join(slugs[:i+1], "/")
		sec, err := s.SectionByPath(ctx, p)
		if err == nil {
			cur = sec
			continue
		}
		if news.ErrorCode(err) != news.ENOTFOUND {
			return news.Section{}, err
		}
		name := news.CleanText(terms[i].Name)
		if name == "" {
			name = news.NameFromSlug(terms[i].Slug)
		}
		if sec, err = s.EnsureSectionPath(ctx, p); err != nil {
			return news.Section{}, err
		}
		if name != sec.Name {
			sec.Name = name
			if err := s.UpdateSection(ctx, sec); err != nil {
				return news.Section{}, err
			}
		}
		cur = sec
	}
	return cur, nil
}

// EnsureTagSlug returns the tag with slug, creating it named name: an
// import keeps the old site's tag slugs, so its tag addresses carry over.
func (s *Store) EnsureTagSlug(ctx context.Context, slug, name string) (news.Tag, error) {
	name = news.CleanText(name)
	if !news.ValidSlug(slug) {
		return news.Tag{}, news.Invalid("tags", "%q is not a slug", slug)
	}
	if name == "" {
		name = news.NameFromSlug(slug)
	}
	t, err := s.TagBySlug(ctx, slug)
	if news.ErrorCode(err) != news.ENOTFOUND {
		return t, err
	}
	t = news.Tag{Slug: slug, Name: name}
	err = s.q.QueryRowContext(ctx, `INSERT INTO tags (slug, name) VALUES ($1, $2) RETURNING id`, slug, name).Scan(&t.ID)
	return t, err
}

// EnsureAuthorWith returns the author with a's slug, creating it from a
// (name and bio) when there is none.
func (s *Store) EnsureAuthorWith(ctx context.Context, a news.Author) (news.Author, error) {
	got, err := s.AuthorBySlug(ctx, a.Slug)
	if news.ErrorCode(err) != news.ENOTFOUND {
		return got, err
	}
	a.Agency = a.Agency || news.IsAgency(a.Name)
	if err := s.CreateAuthor(ctx, &a); err != nil {
		return news.Author{}, err
	}
	return a, nil
}

// SaveImport writes an imported article: a new one (ID 0), or the one an
// earlier import of the same item made, whose text is replaced. Status,
// publication time and (for a scheduled one) PublishAt are the import's.
// Each save keeps a revision with note, so what the newsroom wrote over
// an imported story can be restored after a re-import. A published story
// whose address changes leaves a redirect at the old one.
func (s *Store) SaveImport(ctx context.Context, e *news.Editorial, note string) error {
	a := e.Article
	if err := e.Validate(); err != nil {
		return err
	}
	if a.ID != 0 {
		old, err := s.Editorial(ctx, a.ID)
		if err != nil {
			return err
		}
		a.CreatedAt = old.Article.CreatedAt
		e.CreatedBy = old.CreatedBy
		if old.Revision == 0 {
			// Imported before revisions were kept: its text as it was.
			first := &news.Revision{ArticleID: a.ID, Kind: news.SavedRevision, Note: "as it was before this import",
				At: old.Article.ModifiedAt, Content: news.ContentOf(old)}
			if err := s.addRevision(ctx, first); err != nil {
				return err
			}
		}
		if !old.Article.PublishedAt.IsZero() && old.Article.URL() != a.URL() {
			if err := s.addRedirect(ctx, old.Article.URL(), a.ID, 0); err != nil {
				return err
			}
		}
	}
	if err := s.SaveArticle(ctx, a); err != nil {
		return err
	}
	rev := &news.Revision{ArticleID: a.ID, Kind: news.SavedRevision, Note: note, Content: news.ContentOf(e)}
	if err := s.addRevision(ctx, rev); err != nil {
		return err
	}
	e.Revision = rev.Number
	if err := s.saveExtras(ctx, e); err != nil {
		return err
	}
	publishAt := int64(0)
	if a.Status == news.Scheduled {
		publishAt = toDB(e.PublishAt)
		if err := s.checkEmbargo(ctx, a.ID, e.PublishAt); err != nil {
			return err
		}
	}
	_, err := s.q.ExecContext(ctx, `UPDATE articles SET publish_at = $1 WHERE id = $2`, publishAt, a.ID)
	return err
}
