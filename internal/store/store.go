// Package store keeps Newsdesk's content in SQLite (embedded, the default) or
// PostgreSQL. All SQL of the program lives here, one file per table; the two
// engines share every query and differ only in dialect.go.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"               // the "sqlite" driver, and its errors

	"github.com/newsdesk/newsdesk/internal/news"
)

//go:embed migrations/*.sql
var migrations embed.FS

// querier is what *sql.DB and *sql.Tx have in common: the store's methods
// run on either, so the same code serves single statements and transactions.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store is the database. Its methods take a context first and return
// *news.Error values with ENOTFOUND, ECONFLICT or EINVALID where the caller
// can act on them; anything else is an internal error.
type Store struct {
	db      *sql.DB
	q       querier
	dialect dialect
	inTx    bool
	counter *atomic.Int64     // with Options.CountQueries
	prep    *preparingQuerier // SQLite's kept statements: see stmts.go
	repairs []string          // what opening changed on disk: see Repairs
	// passageless: the schema is older than articles.body_passages
	// (only the tests of migrations open a store so).
	passageless bool
	// unframed: the schema is older than media.framing (the same).
	unframed bool
	// unordered: the schema is older than article_tags.position (the same).
	unordered bool
	// pageless: the schema is older than the pages table (the same).
	pageless bool
	// hookless: the schema is older than the webhooks' outbox (the same).
	hookless bool
	// embargoless: the schema is older than embargoes (migration 0025; the same).
	embargoless bool
}

// Open connects to the database named by dsn and brings its schema up to
// date. A dsn starting with postgres:// or postgresql:// selects PostgreSQL;
// anything else is the path of a SQLite file (created if missing).
func Open(ctx context.Context, dsn string) (*Store, error) {
	return OpenWith(ctx, dsn, Options{})
}

// Options tune the connection pool.
type Options struct {
	// MaxConns bounds the open connections of this process. Zero means 8
	// for SQLite (readers run side by side in WAL mode; writers queue at
	// BEGIN) and 16 for PostgreSQL. With several instances on one
	// PostgreSQL server, instances x MaxConns must stay under the server's
	// max_connections (100 by default), with room for psql and migrations.
	MaxConns int
	// MmapBytes, for SQLite, maps up to this many bytes of the database
	// file into memory for reading (PRAGMA mmap_size): a page is then read
	// without a system call and a copy. For a process that reads the whole
	// archive once, such as an export (about a sixth less CPU at 10,000
	// articles), not for the server: every connection maps the file, and
	// the pages it touches count in the process's RSS once per connection,
	// although the memory is the system's shared file cache. Zero: off.
	MmapBytes int64
	// CountQueries counts the statements run outside transactions, for
	// tests that prove a page costs a fixed number of queries.
	CountQueries bool

	// migrateUpTo, when set, stops the migrations after that version: for
	// tests of a migration over data stored by the schema before it.
	migrateUpTo int
	// busyTimeout, when set, replaces SQLite's 10 s wait for a lock: for
	// tests of what happens past it.
	busyTimeout time.Duration
}

// OpenWith is Open with pool options.
func OpenWith(ctx context.Context, dsn string, opt Options) (*Store, error) {
	var (
		d       dialect
		src     string
		repairs []string
	)
	if IsPostgres(dsn) {
		d, src = postgresDialect, dsn
	} else {
		d = sqliteDialect
		if err := os.MkdirAll(filepath.Dir(dsn), 0o700); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		var err error
		if repairs, err = privateFiles(dsn); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		// Every connection: WAL, durable commits, foreign keys, a busy
		// timeout, and write transactions that take the lock at BEGIN so
		// two writers queue instead of failing half-way.
		v := url.Values{}
		busy := 10 * time.Second
		if opt.busyTimeout > 0 {
			busy = opt.busyTimeout
		}
		for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds())} {
			v.Add("_pragma", p)
		}
		if opt.MmapBytes > 0 {
			v.Add("_pragma", fmt.Sprintf("mmap_size(%d)", opt.MmapBytes))
		}
		v.Set("_txlock", "immediate")
		src = "file:" + filepath.ToSlash(dsn) + "?" + v.Encode()
	}
	db, err := sql.Open(d.driver, src)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", d.name, err)
	}
	if opt.MaxConns <= 0 {
		opt.MaxConns = 8
		if d.name == "postgres" {
			opt.MaxConns = 16
		}
	}
	db.SetMaxOpenConns(opt.MaxConns)
	db.SetMaxIdleConns(opt.MaxConns)
	if d.name == "postgres" {
		// Idle connections are given back after a while, and none lives
		// forever, so a restarted server or a failover is picked up.
		db.SetMaxIdleConns(max(2, opt.MaxConns/2))
		db.SetConnMaxIdleTime(5 * time.Minute)
		db.SetConnMaxLifetime(time.Hour)
	}
	s := &Store{db: db, q: db, dialect: d, repairs: repairs,
		passageless: opt.migrateUpTo > 0 && opt.migrateUpTo < passagesVersion,
		unframed:    opt.migrateUpTo > 0 && opt.migrateUpTo < framingVersion,
		unordered:   opt.migrateUpTo > 0 && opt.migrateUpTo < tagOrderVersion,
		pageless:    opt.migrateUpTo > 0 && opt.migrateUpTo < pagesVersion,
		hookless:    opt.migrateUpTo > 0 && opt.migrateUpTo < webhooksVersion,
		embargoless: opt.migrateUpTo > 0 && opt.migrateUpTo < embargoVersion}
	if d.name == "sqlite" {
		s.prep = newPreparingQuerier(db)
		s.q = s.prep
	}
	if opt.CountQueries {
		s.counter = new(atomic.Int64)
		s.q = countingQuerier{s.q, s.counter}
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", d.name, err)
	}
	if err := s.migrate(ctx, opt.migrateUpTo); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// sqliteFiles are the files SQLite keeps beside the database: the
// write-ahead log, its shared-memory index, and the rollback journal (used
// only before WAL mode is set).
var sqliteFiles = []string{"", "-wal", "-shm", "-journal"}

// privateFiles makes the SQLite file, if missing, readable by its owner
// alone (0600), whatever the umask and the folder's mode: it holds password
// hashes, email addresses, drafts and the audit log. SQLite creates its
// -wal, -shm and -journal files with the database file's mode, so they
// follow. Files an older version left open to other users are closed to
// them; each change, or failure to change, is returned for the caller to
// log.
func privateFiles(dsn string) ([]string, error) {
	f, err := os.OpenFile(dsn, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	var repairs []string
	for _, suffix := range sqliteFiles {
		name := dsn + suffix
		st, err := os.Stat(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if perm := st.Mode().Perm(); st.Mode().IsRegular() && perm&0o077 != 0 {
			if err := os.Chmod(name, perm&0o700); err != nil {
				// Refusing to start would take the site down on an
				// upgrade; the operator is told instead.
				repairs = append(repairs, fmt.Sprintf("%s is open to other users (mode %04o) and its mode cannot be changed (%v): chmod 600 it", name, perm, errors.Unwrap(err)))
				continue
			}
			repairs = append(repairs, fmt.Sprintf("%s was open to other users (mode %04o); it is now %04o", name, perm, perm&0o700))
		}
	}
	return repairs, nil
}

// Repairs lists what opening the store changed on disk to keep private
// files private (a database file other users could read, from an older
// version), for the caller to log. Empty for PostgreSQL, and when nothing
// needed changing.
func (s *Store) Repairs() []string { return s.repairs }

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Engine is "sqlite" or "postgres".
func (s *Store) Engine() string { return s.dialect.name }

// Close closes the database.
func (s *Store) Close() error {
	if s.prep != nil {
		s.prep.close()
	}
	return s.db.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// InTx runs fn in one transaction: every change fn makes through tx is
// committed together, or none is when fn returns an error or panics.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) (err error) {
	if s.inTx {
		return fn(s)
	}
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			sqlTx.Rollback()
			return
		}
		if cerr := sqlTx.Commit(); cerr != nil {
			err = fmt.Errorf("store: commit: %w", cerr)
		}
	}()
	tx := &Store{db: s.db, q: sqlTx, dialect: s.dialect, inTx: true, passageless: s.passageless, unframed: s.unframed, unordered: s.unordered, pageless: s.pageless, hookless: s.hookless, embargoless: s.embargoless}
	return fn(tx)
}

// migrate applies the embedded migrations not yet applied, in order, each in
// its own transaction, up to version upTo when that is not 0. A file
// NNNN_name.sql is for both engines; a file NNNN_name.sqlite.sql or
// NNNN_name.postgres.sql for one only.
func (s *Store) migrate(ctx context.Context, upTo int) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	// Most runs find every migration applied: one read of what is, outside
	// a transaction; each migration looks again inside its own, where it
	// counts.
	done, err := column[int](ctx, s, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	rebuilt := false
	for _, path := range names {
		name := strings.TrimPrefix(path, "migrations/")
		base := strings.TrimSuffix(name, ".sql")
		switch {
		case strings.HasSuffix(base, ".sqlite"):
			if s.dialect.name != "sqlite" {
				continue
			}
		case strings.HasSuffix(base, ".postgres"):
			if s.dialect.name != "postgres" {
				continue
			}
		}
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("store: migration %s: name must start with a number and _", name)
		}
		if upTo > 0 && version > upTo {
			break
		}
		body, err := migrations.ReadFile(path)
		if err != nil {
			return err
		}
		if slices.Contains(done, version) {
			continue
		}
		noFK := strings.Contains(string(body), foreignKeysOff)
		applied := false
		err = s.waitBusy(ctx, func() error {
			return s.migrationTx(ctx, noFK, func(tx *Store) error {
				applied = false // a retry after a lock starts over
				var n int
				if err := tx.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					return nil // another process applied it meanwhile
				}
				applied = true
				for _, stmt := range splitStatements(s.dialect.ddl(string(body))) {
					if _, err := tx.q.ExecContext(ctx, stmt); err != nil {
						return fmt.Errorf("%w\n%s", err, stmt)
					}
				}
				_, err := tx.q.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
					version, name, toDB(time.Now()))
				return err
			})
		})
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
		rebuilt = rebuilt || (applied && noFK && s.dialect.name == "sqlite")
	}
	if upTo == 0 || upTo >= passagesVersion {
		if err := s.fillPassages(ctx); err != nil {
			return err
		}
	}
	if s.dialect.name == "postgres" && (upTo == 0 || upTo >= searchWindowVersion) {
		s.dropOldSearchIndex(ctx)
	}
	if rebuilt {
		// A rebuilt table leaves the old one's pages free in the file,
		// which would stay twice its size: give them back once, and empty
		// the write-ahead log the copy went through. (At 100,000 articles
		// the rebuild and this took 36 s, once.) The database is whole
		// without it, so a failure (no room for the copy VACUUM makes, a
		// reader holding it) does not stop the program: the free pages
		// are used again by new articles.
		if _, err := s.db.ExecContext(ctx, `VACUUM`); err == nil {
			s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		}
	}
	return nil
}

// searchWindowVersion is migration 0028, which builds PostgreSQL's search
// index anew and leaves the one it replaces, renamed, to dropOldSearchIndex.
const searchWindowVersion = 28

// dropOldSearchIndex drops the search index migration 0028 replaced
// (articles_search_words), if it is still there, without locking the
// articles table: DROP INDEX CONCURRENTLY waits for the transactions that
// may use the index instead. It is given a minute (a backup that holds a
// snapshot for longer would hold the start back); the database is whole
// without it (the old index only costs writes and room), so a failure is
// not one of the start's, and the next start tries again.
func (s *Store) dropOldSearchIndex(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_class
		WHERE relname = 'articles_search_words' AND relnamespace = current_schema()::regnamespace`).Scan(&n); err != nil || n == 0 {
		return
	}
	s.db.ExecContext(ctx, `DROP INDEX CONCURRENTLY IF EXISTS articles_search_words`)
}

// migrateWait is how long a migration waits for a lock another process
// holds on SQLite, beyond the busy timeout: a rebuild of a large table in
// another process starting the same new version (0008 took 36 s at
// 100,000 articles), or a long write.
const migrateWait = 10 * time.Minute

// waitBusy runs fn again while SQLite answers that the database is locked,
// for up to migrateWait.
func (s *Store) waitBusy(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(migrateWait)
	for {
		err := fn()
		if err == nil || s.dialect.name != "sqlite" || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// isBusy reports whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqliteBusy
}

const sqliteBusy = 5 // SQLITE_BUSY

// foreignKeysOff marks a SQLite migration that rebuilds a table others
// refer to (SQLite changes a table's column order only by copying it into
// a new one). Dropping the old table with foreign keys on would delete
// the rows that refer to it through ON DELETE CASCADE, so such a
// migration runs on a connection of its own with foreign keys off, as
// SQLite's documentation prescribes, and must leave no dangling reference
// (PRAGMA foreign_key_check) before it commits.
const foreignKeysOff = "-- foreign_keys:off"

// migrationTx runs fn in one transaction, on a connection with foreign key
// enforcement off when noFK is set (SQLite only; the pragma has no effect
// inside a transaction, so it is set on the connection before).
func (s *Store) migrationTx(ctx context.Context, noFK bool, fn func(tx *Store) error) (err error) {
	if !noFK || s.dialect.name != "sqlite" {
		return s.InTx(ctx, fn)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer func() {
		// The connection goes back to the pool: it must enforce foreign
		// keys again, or be dropped.
		// The pragma does nothing inside a transaction, without an
		// error: read it back.
		on := 0
		bg := context.WithoutCancel(ctx)
		_, ferr := conn.ExecContext(bg, `PRAGMA foreign_keys = ON`)
		if ferr == nil {
			ferr = conn.QueryRowContext(bg, `PRAGMA foreign_keys`).Scan(&on)
		}
		if ferr != nil || on != 1 {
			conn.Raw(func(any) error { return driver.ErrBadConn })
			err = errors.Join(err, ferr)
		}
	}()
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			sqlTx.Rollback()
		}
	}()
	if err := fn(&Store{db: s.db, q: sqlTx, dialect: s.dialect, inTx: true}); err != nil {
		return err
	}
	var dangling []string
	rows, err := sqlTx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var (
			table, parent string
			rowid         sql.NullInt64
			fkid          int64
		)
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			rows.Close()
			return err
		}
		dangling = append(dangling, fmt.Sprintf("%s row %d refers to a missing %s", table, rowid.Int64, parent))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(dangling) > 0 {
		return fmt.Errorf("foreign key check failed: %s", strings.Join(dangling, "; "))
	}
	return sqlTx.Commit()
}

// splitStatements splits a migration at semicolons that end a line. Our
// migrations keep each statement's closing semicolon at a line's end, and
// none inside a string or a trigger body that does so is written with
// "-- split:none" on its first line (the file is then run whole).
func splitStatements(src string) []string {
	if strings.Contains(src, "-- split:none") {
		return []string{src}
	}
	var out []string
	var cur strings.Builder
	for line := range strings.Lines(src) {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		if strings.HasSuffix(trimmed, ";") {
			if stmt := strings.TrimSpace(cur.String()); stmt != ";" {
				out = append(out, stmt)
			}
			cur.Reset()
		}
	}
	if stmt := strings.TrimSpace(cur.String()); stmt != "" {
		out = append(out, stmt)
	}
	return out
}

// toDB converts a time to the stored form: Unix microseconds, 0 for zero.
func toDB(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromDB converts a stored time back, in UTC.
func fromDB(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// notFound maps sql.ErrNoRows to a news ENOTFOUND error.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return news.NotFound(format, args...)
	}
	return err
}

// column runs a query of one column and returns its values in order.
func column[T any](ctx context.Context, s *Store, query string, args ...any) ([]T, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// inList returns "$start, $start+1, ..." for the values, and the values
// as []any: for IN lists.
func inList[T any](start int, vals []T) (string, []any) {
	var b strings.Builder
	args := make([]any, len(vals))
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(start+i))
		args[i] = v
	}
	return b.String(), args
}

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// Queries returns how many statements ran outside transactions since the
// store was opened with Options.CountQueries (0 without it).
func (s *Store) Queries() int64 {
	if s.counter == nil {
		return 0
	}
	return s.counter.Load()
}

// countingQuerier counts every statement it runs.
type countingQuerier struct {
	querier
	n *atomic.Int64
}

func (c countingQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.n.Add(1)
	return c.querier.ExecContext(ctx, query, args...)
}

func (c countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.querier.QueryContext(ctx, query, args...)
}

func (c countingQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c.n.Add(1)
	return c.querier.QueryRowContext(ctx, query, args...)
}
