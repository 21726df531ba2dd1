package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// CopyReport says how many rows each table held in the source and holds
// now in the target.
type CopyReport struct {
	Tables []TableCount
}

// TableCount is one table's row counts after a copy.
type TableCount struct {
	Name           string
	Source, Target int64
}

// CopyTo copies every row of every table from s into dst, an empty
// database of the other engine (PostgreSQL, in practice), keeping ids, in
// one transaction on dst: a failure leaves dst as empty as it was. Then it
// counts the rows on both sides and fails unless they agree.
//
// The tables are the target's, in foreign-key order (parents first), so
// tables added by later migrations are copied without a change here. Search
// indexes and other derived data are rebuilt by the target's own triggers.
func (s *Store) CopyTo(ctx context.Context, dst *Store, progress func(table string, rows int64)) (CopyReport, error) {
	var rep CopyReport
	if dst.dialect.name != "postgres" {
		return rep, fmt.Errorf("store: copying is into PostgreSQL only")
	}
	tables, err := dst.tablesInOrder(ctx)
	if err != nil {
		return rep, err
	}
	for _, t := range tables {
		var n int64
		if err := dst.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t)).Scan(&n); err != nil {
			return rep, err
		}
		if n > 0 {
			return rep, news.Errorf(news.ECONFLICT, "the target database is not empty: table %s has %d rows; give an empty database", t, n)
		}
	}
	err = dst.InTx(ctx, func(tx *Store) error {
		for _, t := range tables {
			cols, err := tx.copyableColumns(ctx, t)
			if err != nil {
				return err
			}
			srcCols, err := s.columns(ctx, t)
			if err != nil {
				return fmt.Errorf("the source has no table %s (is it older than this program? run serve on it once): %w", t, err)
			}
			// Only the columns both sides have: an engine-specific column
			// (a search vector kept by a trigger) fills itself.
			cols = slices.DeleteFunc(cols, func(c string) bool { return !slices.Contains(srcCols, c) })
			n, err := s.copyTable(ctx, tx, t, cols)
			if err != nil {
				return fmt.Errorf("copying %s: %w", t, err)
			}
			if progress != nil {
				progress(t, n)
			}
			if slices.Contains(cols, "id") {
				// Identity columns do not move when ids are given: set
				// them past the copied rows.
				if _, err := tx.q.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE((SELECT MAX(id) FROM `+quoteIdent(t)+`), 0) + 1, false)`, t); err != nil {
					return fmt.Errorf("resetting the id sequence of %s: %w", t, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	for _, t := range tables {
		tc := TableCount{Name: t}
		if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t)).Scan(&tc.Source); err != nil {
			return rep, fmt.Errorf("counting %s in the source: %w", t, err)
		}
		if err := dst.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t)).Scan(&tc.Target); err != nil {
			return rep, err
		}
		rep.Tables = append(rep.Tables, tc)
		if tc.Source != tc.Target {
			return rep, fmt.Errorf("store: table %s has %d rows in the source but %d in the target", t, tc.Source, tc.Target)
		}
	}
	return rep, nil
}

// copyTable streams one table's rows into tx in id order (so a section's
// parent is there before the section), in multi-row INSERTs.
func (s *Store) copyTable(ctx context.Context, tx *Store, table string, cols []string) (int64, error) {
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quoteIdent(c)
	}
	list := strings.Join(quoted, ", ")
	rows, err := s.q.QueryContext(ctx, `SELECT `+list+` FROM `+quoteIdent(table)+` ORDER BY 1`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	batch := max(1, min(500, 60000/len(cols)))
	var (
		args  []any
		count int64
		n     int
	)
	flush := func() error {
		if n == 0 {
			return nil
		}
		var b strings.Builder
		b.WriteString(`INSERT INTO ` + quoteIdent(table) + ` (` + list + `) VALUES `)
		for r := range n {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := range cols {
				if c > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "$%d", r*len(cols)+c+1)
			}
			b.WriteByte(')')
		}
		if _, err := tx.q.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
		args, n = args[:0], 0
		return nil
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return count, err
		}
		for i, v := range vals {
			// SQLite hands TEXT back as []byte in some paths; PostgreSQL
			// wants text for TEXT columns.
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		args = append(args, vals...)
		n++
		count++
		if n == batch {
			if err := flush(); err != nil {
				return count, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return count, err
	}
	return count, flush()
}

// tablesInOrder lists the PostgreSQL database's own tables with every table
// after the tables it references.
func (s *Store) tablesInOrder(ctx context.Context) ([]string, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
		ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	var all []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, t)
	}
	rows.Close()
	deps := map[string][]string{}
	rows, err = s.q.QueryContext(ctx, `SELECT DISTINCT tc.table_name, ccu.table_name
		FROM information_schema.table_constraints tc
		JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
		WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t, ref string
		if err := rows.Scan(&t, &ref); err != nil {
			return nil, err
		}
		if t != ref {
			deps[t] = append(deps[t], ref)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(t string) error
	visit = func(t string) error {
		switch state[t] {
		case 1:
			return fmt.Errorf("store: foreign keys form a cycle at %s", t)
		case 2:
			return nil
		}
		state[t] = 1
		for _, d := range deps[t] {
			if err := visit(d); err != nil {
				return err
			}
		}
		state[t] = 2
		out = append(out, t)
		return nil
	}
	for _, t := range all {
		if err := visit(t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// copyableColumns lists a PostgreSQL table's columns that take values:
// generated columns (such as a search vector) compute their own.
func (s *Store) copyableColumns(ctx context.Context, table string) ([]string, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
		ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// quoteIdent quotes an SQL identifier for both engines.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// columns lists a table's columns, on any engine.
func (s *Store) columns(ctx context.Context, table string) ([]string, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT * FROM `+quoteIdent(table)+` LIMIT 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}
