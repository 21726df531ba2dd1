package store

import (
	"context"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Authors lists every author and agency by name, with how many articles
// credit each.
func (s *Store) Authors(ctx context.Context) ([]news.Author, map[int64]int, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT a.id, a.slug, a.name, a.bio, a.agency,
		(SELECT COUNT(*) FROM article_authors aa WHERE aa.author_id = a.id) FROM authors a ORDER BY a.name, a.id`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []news.Author
	counts := map[int64]int{}
	for rows.Next() {
		var a news.Author
		var agency, n int
		if err := rows.Scan(&a.ID, &a.Slug, &a.Name, &a.Bio, &agency, &n); err != nil {
			return nil, nil, err
		}
		a.Agency = agency != 0
		counts[a.ID] = n
		out = append(out, a)
	}
	return out, counts, rows.Err()
}

// AuthorByID returns an author.
func (s *Store) AuthorByID(ctx context.Context, id int64) (news.Author, error) {
	a, err := scanAuthor(s.q.QueryRowContext(ctx, `SELECT `+authorColumns+` FROM authors WHERE id = $1`, id))
	return a, notFound(err, "no author %d", id)
}

// UpdateAuthor changes an author's name, bio and whether it is an agency.
// The slug, and so the author page's address, stays.
func (s *Store) UpdateAuthor(ctx context.Context, a news.Author) error {
	a.Name = news.CleanText(a.Name)
	var p news.Problems
	if a.Name == "" {
		p.Add("name", "is empty")
	}
	if len([]rune(a.Name)) > news.MaxName {
		p.Add("name", "is longer than %d characters", news.MaxName)
	}
	if len([]rune(a.Bio)) > news.MaxSummary {
		p.Add("bio", "is longer than %d characters", news.MaxSummary)
	}
	if err := p.Err(); err != nil {
		return err
	}
	res, err := s.q.ExecContext(ctx, `UPDATE authors SET name = $1, bio = $2, agency = $3 WHERE id = $4`, a.Name, a.Bio, boolInt(a.Agency), a.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("no author %d", a.ID)
	}
	// The name is on every card and feed item that credits the author,
	// all of which carry its key.
	return s.recordChange(ctx, news.AuthorKey(a.ID), news.KeyLists)
}
