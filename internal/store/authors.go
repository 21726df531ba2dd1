package store

import (
	"context"

	"github.com/newsdesk/newsdesk/internal/news"
)

const authorColumns = `id, slug, name, bio, agency`

func scanAuthor(row interface{ Scan(...any) error }) (news.Author, error) {
	var a news.Author
	var agency int
	err := row.Scan(&a.ID, &a.Slug, &a.Name, &a.Bio, &agency)
	a.Agency = agency != 0
	return a, err
}

// AuthorBySlug returns the author whose page is /author/{slug}.
func (s *Store) AuthorBySlug(ctx context.Context, slug string) (news.Author, error) {
	a, err := scanAuthor(s.q.QueryRowContext(ctx, `SELECT `+authorColumns+` FROM authors WHERE slug = $1`, slug))
	return a, notFound(err, "no author %q", slug)
}

// EnsureAuthor returns the author credited as name, creating one when no
// author has that name's slug. Agencies are recognised by name.
func (s *Store) EnsureAuthor(ctx context.Context, name string) (news.Author, error) {
	name = news.CleanText(name)
	slug := news.Slugify(name)
	if slug == "" {
		return news.Author{}, news.Invalid("authors", "%q is not a name", name)
	}
	a, err := s.AuthorBySlug(ctx, slug)
	if news.ErrorCode(err) != news.ENOTFOUND {
		return a, err
	}
	a = news.Author{Slug: slug, Name: name, Agency: news.IsAgency(name)}
	if err := s.CreateAuthor(ctx, &a); err != nil {
		return news.Author{}, err
	}
	return a, nil
}

// CreateAuthor adds an author and fills in its ID.
func (s *Store) CreateAuthor(ctx context.Context, a *news.Author) error {
	agency := 0
	if a.Agency {
		agency = 1
	}
	err := s.q.QueryRowContext(ctx, `INSERT INTO authors (slug, name, bio, agency) VALUES ($1, $2, $3, $4) RETURNING id`,
		a.Slug, a.Name, a.Bio, agency).Scan(&a.ID)
	if isUniqueViolation(err) {
		return news.Errorf(news.ECONFLICT, "an author with the slug %q exists already", a.Slug)
	}
	return err
}

// bylines returns the credited authors of each article, in credit order.
func (s *Store) bylines(ctx context.Context, ids []int64) (map[int64][]news.Author, error) {
	out := map[int64][]news.Author{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(1, ids)
	rows, err := s.q.QueryContext(ctx, `SELECT aa.article_id, a.id, a.slug, a.name, a.bio, a.agency
		FROM article_authors aa JOIN authors a ON a.id = aa.author_id
		WHERE aa.article_id IN (`+in+`) ORDER BY aa.article_id, aa.position`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a news.Author
		var agency int
		if err := rows.Scan(&id, &a.ID, &a.Slug, &a.Name, &a.Bio, &agency); err != nil {
			return nil, err
		}
		a.Agency = agency != 0
		out[id] = append(out[id], a)
	}
	return out, rows.Err()
}
