package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// Postgres returns the DSN of the PostgreSQL server in NEWSDESK_TEST_POSTGRES.
// Without one it skips the test, or fails it under CI.
func Postgres(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("NEWSDESK_TEST_POSTGRES")
	if dsn == "" {
		missing(t, "NEWSDESK_TEST_POSTGRES is not set (scripts/test starts a server)")
	}
	return dsn
}

// FreshPostgres creates an empty database with a unique name on the server of
// Postgres and returns its DSN. The database is dropped, with any connection
// still open to it, when the test ends.
func FreshPostgres(t testing.TB) string {
	t.Helper()
	server := Postgres(t)
	name := "nd_test_" + strings.ToLower(rand.Text()[:16])
	dsn, err := withDatabase(server, name)
	if err != nil {
		t.Fatalf("NEWSDESK_TEST_POSTGRES: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := adminExec(ctx, server, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := adminExec(ctx, server, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping test database %s: %v", name, err)
		}
	})
	return dsn
}

// adminExec runs one statement on the server's own database. CREATE DATABASE
// fails with "object in use" while another session copies template1 at the
// same moment, as parallel tests do, so it retries that error.
func adminExec(ctx context.Context, dsn, stmt string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	for {
		_, err = db.ExecContext(ctx, stmt)
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// withDatabase returns dsn with its database name replaced by name. It takes
// both forms of DSN: a URL and "key=value" pairs.
func withDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", err
		}
		u.Path = "/" + name
		u.RawPath = ""
		return u.String(), nil
	}
	if _, err := pgconn.ParseConfig(dsn); err != nil {
		return "", err
	}
	// In key=value form the last of repeated keys wins.
	return fmt.Sprintf("%s dbname=%s", dsn, name), nil
}
