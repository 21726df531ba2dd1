package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The story budget (migration 0027): budget_lines. A line's status after
// "writing" is not stored: it is read from the linked story with the line
// (news.BudgetLine.Status).

const budgetColumns = `b.id, b.slug_line, COALESCE(b.assignee_id, 0), COALESCE(u.name, ''), b.section_id, COALESCE(s.name, ''),
	b.due_at, b.words, b.notes, b.status, COALESCE(b.article_id, 0), COALESCE(a.status, ''), COALESCE(a.headline, ''),
	COALESCE(b.created_by, 0), b.created_at, b.updated_at`

const budgetFrom = ` FROM budget_lines b LEFT JOIN users u ON u.id = b.assignee_id LEFT JOIN sections s ON s.id = b.section_id
	LEFT JOIN articles a ON a.id = b.article_id`

func scanBudgetLine(row interface{ Scan(...any) error }) (*news.BudgetLine, error) {
	l := &news.BudgetLine{}
	var due, created, updated int64
	if err := row.Scan(&l.ID, &l.SlugLine, &l.AssigneeID, &l.AssigneeName, &l.SectionID, &l.SectionName,
		&due, &l.Words, &l.Notes, &l.Stored, &l.ArticleID, &l.ArticleStatus, &l.Headline,
		&l.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	l.DueAt, l.CreatedAt, l.UpdatedAt = fromDB(due), fromDB(created), fromDB(updated)
	return l, nil
}

// checkBudgetRefs refuses a line whose section or assignee does not exist
// (or whose assignee's account is disabled, unless it is the one the line
// has already, kept: a started line's writer stays), naming the field.
func (s *Store) checkBudgetRefs(ctx context.Context, l *news.BudgetLine, kept int64) error {
	var p news.Problems
	if _, err := s.SectionByID(ctx, l.SectionID); news.ErrorCode(err) == news.ENOTFOUND {
		p.Add("section", "the section chosen no longer exists; choose another")
	} else if err != nil {
		return err
	}
	if l.AssigneeID != 0 {
		u, err := s.UserByID(ctx, l.AssigneeID)
		if news.ErrorCode(err) == news.ENOTFOUND {
			p.Add("assignee", "there is no account %d to assign the story to", l.AssigneeID)
		} else if err != nil {
			return err
		} else if u.Disabled && l.AssigneeID != kept {
			p.Add("assignee", "%s's account is disabled: assign the story to someone else", u.Name)
		}
	}
	return p.Err()
}

// CreateBudgetLine adds a planned story and fills in its ID.
func (s *Store) CreateBudgetLine(ctx context.Context, l *news.BudgetLine) error {
	l.Normalize()
	if err := l.Validate(); err != nil {
		return err
	}
	if err := s.checkBudgetRefs(ctx, l, 0); err != nil {
		return err
	}
	now := time.Now().UTC()
	l.CreatedAt, l.UpdatedAt = now, now
	return s.q.QueryRowContext(ctx, `INSERT INTO budget_lines (slug_line, assignee_id, section_id, due_at, words, notes, status, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
		l.SlugLine, nullID(l.AssigneeID), l.SectionID, toDB(l.DueAt), l.Words, l.Notes, string(l.Stored), nullID(l.CreatedBy), toDB(now)).Scan(&l.ID)
}

// UpdateBudgetLine saves a line's planning: slug line, assignee, section,
// due time, length, notes and the status kept by hand. The link to its
// story is not changed here (LinkBudgetLine). Once the line's story is
// started its assignee stays: the story is its writer's, and another
// writer given the line would be shown a story they may not open (its
// headline in the notification, a link on their budget).
func (s *Store) UpdateBudgetLine(ctx context.Context, l *news.BudgetLine) error {
	l.Normalize()
	if err := l.Validate(); err != nil {
		return err
	}
	cur, err := s.BudgetLine(ctx, l.ID)
	if err != nil {
		return err
	}
	if err := s.checkBudgetRefs(ctx, l, cur.AssigneeID); err != nil {
		return err
	}
	l.UpdatedAt = time.Now().UTC()
	res, err := s.q.ExecContext(ctx, `UPDATE budget_lines SET slug_line = $1, assignee_id = $2, section_id = $3, due_at = $4, words = $5,
		notes = $6, status = $7, updated_at = $8 WHERE id = $9 AND (article_id IS NULL OR COALESCE(assignee_id, 0) = $10)`,
		l.SlugLine, nullID(l.AssigneeID), l.SectionID, toDB(l.DueAt), l.Words, l.Notes, string(l.Stored), toDB(l.UpdatedAt), l.ID, l.AssigneeID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		cur, err := s.BudgetLine(ctx, l.ID)
		if err != nil {
			return err
		}
		who := "the desk"
		if cur.AssigneeName != "" {
			who = cur.AssigneeName
		}
		return news.Invalid("assignee", "the story of %s has been started for %s, and a story keeps its writer: the line cannot be given to someone else", cur.SlugLine, who)
	}
	return nil
}

// ClaimBudgetLine gives an unassigned line to userID. A line someone has
// already (another writer took it first) is an ECONFLICT.
func (s *Store) ClaimBudgetLine(ctx context.Context, id, userID int64) error {
	res, err := s.q.ExecContext(ctx, `UPDATE budget_lines SET assignee_id = $1, status = $2, updated_at = $3 WHERE id = $4 AND assignee_id IS NULL`,
		userID, string(news.BudgetAssigned), toDB(time.Now().UTC()), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.BudgetLine(ctx, id); err != nil {
			return err
		}
		return news.Errorf(news.ECONFLICT, "someone took this story first")
	}
	return nil
}

// HoldBudgetLine locks a line whose story is about to be started, until
// the transaction ends; a line that has a story already is an ECONFLICT.
// Starting a story takes the line first, so two starts (or a start and a
// take) wait on the line alone, never on each other's new story.
func (s *Store) HoldBudgetLine(ctx context.Context, id int64) error {
	res, err := s.q.ExecContext(ctx, `UPDATE budget_lines SET updated_at = updated_at WHERE id = $1 AND article_id IS NULL`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.BudgetLine(ctx, id); err != nil {
			return err
		}
		return news.Errorf(news.ECONFLICT, "this line's story has been started already")
	}
	return nil
}

// LinkBudgetLine links a line to the story started from it. A line that
// has a story already (started twice at once) is an ECONFLICT.
func (s *Store) LinkBudgetLine(ctx context.Context, id, articleID int64) error {
	res, err := s.q.ExecContext(ctx, `UPDATE budget_lines SET article_id = $1, status = $2, updated_at = $3 WHERE id = $4 AND article_id IS NULL`,
		articleID, string(news.BudgetWriting), toDB(time.Now().UTC()), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.BudgetLine(ctx, id); err != nil {
			return err
		}
		return news.Errorf(news.ECONFLICT, "this line's story has been started already")
	}
	return nil
}

// DeleteBudgetLine removes a line. Its story, if it has one, stays.
func (s *Store) DeleteBudgetLine(ctx context.Context, id int64) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM budget_lines WHERE id = $1`, id)
	return budgetRowsOrNotFound(res, err, "no budget line %d", id)
}

// BudgetLine returns one line with its story's status.
func (s *Store) BudgetLine(ctx context.Context, id int64) (*news.BudgetLine, error) {
	l, err := scanBudgetLine(s.q.QueryRowContext(ctx, `SELECT `+budgetColumns+budgetFrom+` WHERE b.id = $1`, id))
	return l, notFound(err, "no budget line %d", id)
}

// BudgetLineOfArticle returns the line a story was started from.
func (s *Store) BudgetLineOfArticle(ctx context.Context, articleID int64) (*news.BudgetLine, error) {
	l, err := scanBudgetLine(s.q.QueryRowContext(ctx, `SELECT `+budgetColumns+budgetFrom+` WHERE b.article_id = $1`, articleID))
	return l, notFound(err, "article %d was not started from the budget", articleID)
}

// BudgetFilter selects budget lines.
type BudgetFilter struct {
	From, To time.Time // due at or after From and before To
	// Writer, when not 0, keeps to the lines given to that account and
	// the lines given to nobody whose story is not started (which a
	// writer may take): a story an editor started from a line nobody has
	// is the editor's, and no other writer's to see.
	Writer int64
}

// BudgetLines lists the lines due in a span, by section name, then due
// time.
func (s *Store) BudgetLines(ctx context.Context, f BudgetFilter) ([]*news.BudgetLine, error) {
	q := `SELECT ` + budgetColumns + budgetFrom + ` WHERE b.due_at >= $1 AND b.due_at < $2`
	args := []any{toDB(f.From), toDB(f.To)}
	if f.Writer != 0 {
		q += ` AND (b.assignee_id = $3 OR (b.assignee_id IS NULL AND b.article_id IS NULL))`
		args = append(args, f.Writer)
	}
	rows, err := s.q.QueryContext(ctx, q+` ORDER BY s.name, b.due_at, b.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*news.BudgetLine
	for rows.Next() {
		l, err := scanBudgetLine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// budgetRowsOrNotFound turns an UPDATE or DELETE that touched no row into an
// ENOTFOUND error.
func budgetRowsOrNotFound(res sql.Result, err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound(format, args...)
	}
	return nil
}
