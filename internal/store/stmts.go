package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxPreparedStatements bounds the statements kept prepared. The public
// pages run a few dozen query shapes (an IN list of each length is a shape
// of its own); the bound keeps made-up shapes, such as a list with one
// more id each time, from holding memory on every connection.
const maxPreparedStatements = 256

// preparingQuerier runs read queries through statements prepared once and
// kept, for SQLite: modernc.org/sqlite parses and plans every statement
// afresh when it is run through *sql.DB, which was about a third of the
// database time of a cold article page (pprof: sqlite3Prepare). database/sql
// prepares a kept *sql.Stmt on each connection the first time it is used
// there. PostgreSQL needs none of this: pgx keeps its own per-connection
// statement cache. Writes go straight through: they run in transactions,
// which a *sql.DB statement does not serve.
type preparingQuerier struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

func newPreparingQuerier(db *sql.DB) *preparingQuerier {
	return &preparingQuerier{db: db, m: map[string]*sql.Stmt{}}
}

// stmt returns the kept statement for query, preparing it on first use, or
// nil when it cannot be kept (the bound is reached, or preparing failed:
// running it unprepared then gives the caller the error as before).
func (p *preparingQuerier) stmt(ctx context.Context, query string) *sql.Stmt {
	p.mu.RLock()
	st, ok := p.m[query]
	full := len(p.m) >= maxPreparedStatements
	p.mu.RUnlock()
	if ok || full {
		return st
	}
	st, err := p.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if prev, ok := p.m[query]; ok {
		st.Close() // another request prepared it meanwhile
		return prev
	}
	if len(p.m) >= maxPreparedStatements {
		st.Close()
		return nil
	}
	p.m[query] = st
	return st
}

func (p *preparingQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.db.ExecContext(ctx, query, args...)
}

func (p *preparingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.db.QueryContext(ctx, query, args...)
}

func (p *preparingQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.db.QueryRowContext(ctx, query, args...)
}

// close closes the kept statements.
func (p *preparingQuerier) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, st := range p.m {
		st.Close()
		delete(p.m, k)
	}
}
