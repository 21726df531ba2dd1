package store

import (
	"context"
	"database/sql/driver"
	"strings"
	"time"

	"modernc.org/sqlite"

	"github.com/newsdesk/newsdesk/internal/news"
)

// SQLite's LOWER folds A to Z only: "Église" stays "Église", and a search
// for "église" (lowered in Go, every letter) would not find it, where
// PostgreSQL's LOWER finds it. nd_lower is Go's lower case for SQLite.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("nd_lower", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		}
		return args[0], nil
	})
}

// lower is the SQL function that lowers every letter, as strings.ToLower.
func (d dialect) lower() string {
	if d.name == "sqlite" {
		return "nd_lower"
	}
	return "LOWER"
}

// PhotoFilter selects photos of the library, newest first. Every filter
// given applies.
type PhotoFilter struct {
	Caption string    // the caption or the alt text contains it (any case)
	Credit  string    // the credit contains it (any case)
	From    time.Time // uploaded at or after; zero for no bound
	To      time.Time // uploaded before; zero for no bound
	// After is the place the page starts after: the upload time and id of
	// the last photo of the previous page (Cursor, as the site's lists).
	After Cursor
	Limit int // default 48, at most 500
}

// likeContains is a LIKE pattern for "contains s" in lower case, its
// wildcards escaped (with ESCAPE '\').
func likeContains(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(s)) + "%"
}

// SearchPhotos lists library photos as f says, newest first, by keyset:
// the id breaks ties of upload time, so pages neither repeat nor skip a
// photo.
func (s *Store) SearchPhotos(ctx context.Context, f PhotoFilter) ([]news.Photo, error) {
	var a args
	var conds []string
	if c := strings.TrimSpace(f.Caption); c != "" {
		p, lower := a.add(likeContains(c)), s.dialect.lower()
		conds = append(conds, "("+lower+"(caption) LIKE "+p+` ESCAPE '\' OR `+lower+`(alt) LIKE `+p+` ESCAPE '\')`)
	}
	if c := strings.TrimSpace(f.Credit); c != "" {
		conds = append(conds, s.dialect.lower()+"(credit) LIKE "+a.add(likeContains(c))+` ESCAPE '\'`)
	}
	if !f.From.IsZero() {
		conds = append(conds, "created_at >= "+a.add(toDB(f.From)))
	}
	if !f.To.IsZero() {
		conds = append(conds, "created_at < "+a.add(toDB(f.To)))
	}
	if !f.After.IsZero() {
		t, id := a.add(toDB(f.After.Time)), a.add(f.After.ID)
		conds = append(conds, "created_at <= "+t+" AND (created_at < "+t+" OR id < "+id+")")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 48
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+photoColumns+` FROM media`+where+
		` ORDER BY created_at DESC, id DESC LIMIT `+a.add(min(limit, 500)), a.list...)
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
