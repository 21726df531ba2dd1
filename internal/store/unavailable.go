package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Unavailable reports whether err is the database saying "not now"
// rather than a fault in the query or the data: a deadline that passed
// while a statement ran or waited for a connection, SQLite still locked
// by another writer after its busy timeout, or PostgreSQL cancelling a
// statement (statement_timeout), giving up on a lock (lock_timeout),
// refusing a connection (too many, starting up, shutting down) or losing
// one. The same request made again shortly may well succeed, so the
// surfaces answer 503 with Retry-After, not 500.
//
// A request its client abandoned (context.Canceled) is not unavailability:
// nobody is waiting for the answer.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) {
		return true
	}
	// SQLITE_BUSY is another connection's lock, held past the busy
	// timeout. SQLITE_LOCKED is not: without a shared cache (the store
	// has none) it is a conflict inside one connection, such as a table
	// written while a read of it is still open, a fault of the code that
	// every try meets again, to be a 500 and logged as one.
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_BUSY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "57014", // query_canceled: statement_timeout
			"55P03", // lock_not_available: lock_timeout, NOWAIT
			"53300", // too_many_connections
			"57P01", // admin_shutdown
			"57P02", // crash_shutdown
			"57P03", // cannot_connect_now: starting up, or in recovery
			"40001", // serialization_failure
			"40P01": // deadlock_detected
			return true
		}
		// Class 08: connection exceptions; class 53: insufficient
		// resources (disk full, out of memory).
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "53")
	}
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}
