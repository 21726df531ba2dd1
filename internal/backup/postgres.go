package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
)

// ErrNoPgTool is the error when pg_dump or pg_restore is not installed.
var ErrNoPgTool = errors.New("not installed")

// pgProgram finds the PostgreSQL client program name (pg_dump or
// pg_restore), or the one prog names instead.
func pgProgram(prog, name string) (string, error) {
	if prog == "" {
		prog = name
	}
	p, err := exec.LookPath(prog)
	if err != nil {
		return "", fmt.Errorf("backup: %s is %w (looked for %q: %v): install PostgreSQL's client programs, of the server's major version or newer (Debian: apt-get install postgresql-client), or name the program with --%s",
			name, ErrNoPgTool, prog, errors.Unwrap(err), strings.ReplaceAll(name, "_", "-"))
	}
	return p, nil
}

// FindPgDump finds the pg_dump program (prog, or "pg_dump" when empty),
// or says that it is not installed and how to get it.
func FindPgDump(prog string) (string, error) { return pgProgram(prog, "pg_dump") }

// pgConn turns the site's PostgreSQL URL into what libpq's programs take:
// the URL without its password (before the host or as a parameter),
// which goes in PGPASSWORD instead, so that no other user sees it in the
// process list. Parameters only pgx knows (pool sizes) are left out:
// libpq refuses them.
func pgConn(dsn string) (conn string, env []string, err error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("backup: the database URL is not a postgres:// URL")
	}
	env = os.Environ()
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	// A password may come as a parameter too (?password=), which both
	// pgx and libpq take over the one before the host.
	q := u.Query()
	if q.Has("password") {
		env = append(env, "PGPASSWORD="+q.Get("password"))
	}
	for k := range q {
		if strings.HasPrefix(k, "pool_") || k == "password" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), env, nil
}

// pgDump writes the database dsn names into the file out, in pg_dump's
// custom format (compressed; pg_restore can restore it table by table).
// pg_dump reads from one snapshot, so the copy is consistent while the
// site goes on writing; its locks hold back only changes to the schema.
func pgDump(ctx context.Context, prog, dsn, out string) error {
	p, err := pgProgram(prog, "pg_dump")
	if err != nil {
		return err
	}
	conn, env, err := pgConn(dsn)
	if err != nil {
		return err
	}
	// The archive holds password hashes and drafts: it is made here, the
	// owner's alone, for pg_dump to write into (it keeps the mode of a
	// file it finds; one it makes is 0666 less the umask).
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	cmd := exec.CommandContext(ctx, p, "--format=custom", "--no-password", "--file="+out, "--dbname="+conn)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("backup: %s failed (%v): %s", p, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// pgRestore loads the custom-format archive in the file in into the empty
// database dsn names, in one transaction: a failure leaves the database
// empty. Owners and privileges are not restored: the tables belong to the
// user restore connects as, as they would after newsdesk made them.
func pgRestore(ctx context.Context, prog, dsn, in string) error {
	p, err := pgProgram(prog, "pg_restore")
	if err != nil {
		return err
	}
	conn, env, err := pgConn(dsn)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, p, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--no-password", "--dbname="+conn, in)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("restore: %s failed (%v): %s", p, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
