package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"github.com/newsdesk/newsdesk/internal/backup"
	"github.com/newsdesk/newsdesk/internal/store"
)

const restoreUsage = `Usage: newsdesk restore SRC --data DIR [--db postgres://...]

Restores the backup in the folder SRC (made by "newsdesk backup") into the
data folder DIR, which must be empty or new, and, for a site on
PostgreSQL, into the empty database --db names (with pg_restore). Every
object is checked against the size and SHA-256 the backup's manifest
gives; a backup without a manifest is incomplete and is refused. Nothing
is left half-restored: the objects are checked before any is moved into
DIR, and the database is loaded in one transaction.

Flags:
`

func runRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("restore", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var (
		c         commonFlags
		mf        mediaFlags
		pgRestore string
	)
	c.register(fl)
	mf.register(fl)
	fl.StringVar(&pgRestore, "pg-restore", "pg_restore", "with --db: the pg_restore `program` (a name in PATH, or a path)")
	fl.Usage = func() {
		fmt.Fprint(stderr, restoreUsage)
		fl.PrintDefaults()
	}
	pos, err := parseWithArgs(fl, args, getenv)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] == "" {
		fl.Usage()
		return usageError{"restore: give the one folder (or s3://BUCKET/PREFIX) that holds the backup"}
	}
	if c.db != "" && !store.IsPostgres(c.db) {
		return usageError{"restore: --db must be a postgres:// URL: a SQLite backup is restored into the data folder"}
	}
	// --media says where the restored site's photos go (default: the
	// media folder in --data); an s3:// SRC is reached with the same
	// --media-endpoint, region and path style.
	mf.publicURL = ""
	src := mf
	src.where = pos[0]
	if err := checkStoreFlags(mf, src); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	opt := backup.RestoreOptions{Data: c.data, Postgres: c.db, PgRestore: pgRestore,
		Log: func(format string, args ...any) { fmt.Fprintf(stdout, format+"\n", args...) }}
	if src.s3() {
		b, err := src.open(ctx, c.data, getenv, log)
		if err != nil {
			return fmt.Errorf("restore: the backup: %w", err)
		}
		defer b.Close()
		opt.Src = backup.FromBlobs(b)
	} else {
		// The backup is only read: a mistyped path is not made into a
		// folder.
		if st, err := os.Stat(src.where); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("restore: there is no backup at %s", src.where)
			}
			return fmt.Errorf("restore: %w", err)
		} else if !st.IsDir() {
			return fmt.Errorf("restore: %s is not a folder", src.where)
		}
		d, err := backup.OpenDir(src.where, "")
		if err != nil {
			return err
		}
		defer d.Close()
		opt.Src = d
	}
	if mf.where != "" {
		b, err := mf.open(ctx, c.data, getenv, log)
		if err != nil {
			return err
		}
		defer b.Close()
		opt.Media = backup.FromBlobs(b)
	}
	rep, err := backup.Restore(ctx, opt)
	if err != nil {
		return err
	}
	m := rep.Manifest
	fmt.Fprintf(stdout, "Restored the backup of %s (%s, made by newsdesk %s) into %s: %d objects, %d bytes, each checked against the manifest.\n",
		m.Created.Format("2006-01-02 15:04:05 UTC"), m.Engine, m.Version, c.data, rep.Objects, rep.Bytes)
	next := "newsdesk serve --data " + c.data
	if c.db != "" {
		next += " --db (the database restored into)"
	}
	if mf.where != "" {
		next += " --media " + mf.where
	}
	fmt.Fprintln(stdout, "Next:", next)
	return nil
}
