package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Audit appends an entry to the audit log. Call it in the transaction of
// the change it records, so the log never tells of a change that did not
// happen, nor misses one that did.
func (s *Store) Audit(ctx context.Context, e *news.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	var user sql.NullInt64
	if e.UserID != 0 {
		user = sql.NullInt64{Int64: e.UserID, Valid: true}
	}
	return s.q.QueryRowContext(ctx, `INSERT INTO audit_log (at, user_id, user_name, action, target, detail)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		toDB(e.At), user, e.UserName, e.Action, e.Target, e.Detail).Scan(&e.ID)
}

// AuditFilter selects entries of the audit log.
type AuditFilter struct {
	Before  int64    // entries older than this id; 0 for the newest
	Actions []string // only these actions; empty for all
	Target  string   // only entries about this target ("article 12")
	Limit   int      // default 50, at most 500
}

// AuditLog lists entries newest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]news.AuditEntry, error) {
	var conds []string
	var args []any
	if f.Before > 0 {
		args = append(args, f.Before)
		conds = append(conds, "id < $"+itoa(len(args)))
	}
	if len(f.Actions) > 0 {
		in, vals := inList(len(args)+1, f.Actions)
		args = append(args, vals...)
		conds = append(conds, "action IN ("+in+")")
	}
	if f.Target != "" {
		args = append(args, f.Target)
		conds = append(conds, "target = $"+itoa(len(args)))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	args = append(args, min(limit, 500))
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.q.QueryContext(ctx, `SELECT id, at, COALESCE(user_id, 0), user_name, action, target, detail FROM audit_log `+
		where+` ORDER BY id DESC LIMIT $`+itoa(len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.AuditEntry
	for rows.Next() {
		var e news.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.UserName, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, err
		}
		e.At = fromDB(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
