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
	"path/filepath"
	"strings"

	"github.com/newsdesk/newsdesk/internal/backup"
	"github.com/newsdesk/newsdesk/internal/store"
)

const backupUsage = `Usage: newsdesk backup DEST [flags]

Copies the site, while it runs, into the folder DEST: the database (SQLite:
a copy through SQLite's online backup; PostgreSQL: pg_dump's custom
format), every media object, and DEST/manifest.json, which lists each
object's size and SHA-256 and is written last: a backup without it is
incomplete. Photos are copied once: a later backup into the same DEST
copies only the new ones, and replaces the database copy. Restore with
"newsdesk restore DEST". See docs/operations.md, Backups.

Flags:
`

func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("backup", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var (
		c      commonFlags
		mf     mediaFlags
		pgDump string
	)
	c.register(fl)
	mf.register(fl)
	fl.StringVar(&pgDump, "pg-dump", "pg_dump", "with --db: the pg_dump `program` (a name in PATH, or a path)")
	fl.Usage = func() {
		fmt.Fprint(stderr, backupUsage)
		fl.PrintDefaults()
	}
	pos, err := parseWithArgs(fl, args, getenv)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] == "" {
		fl.Usage()
		return usageError{"backup: give one folder (or s3://BUCKET/PREFIX) to write the backup into"}
	}
	if strings.Contains(c.db, "://") && !store.IsPostgres(c.db) {
		return usageError{"backup: --db must be a postgres:// URL"}
	}
	// --media says where the site's photos are; an s3:// DEST is reached
	// with the same --media-endpoint, region and path style.
	mf.publicURL = ""
	dest := mf
	dest.where = pos[0]
	if err := checkStoreFlags(mf, dest); err != nil {
		return err
	}
	opt := backup.Options{PgDump: pgDump, Version: version(),
		Log: func(format string, args ...any) { fmt.Fprintf(stdout, format+"\n", args...) }}
	if store.IsPostgres(c.db) {
		opt.Postgres = c.db
	} else {
		opt.SQLite = c.dsn()
	}
	// The site is only read: a backup of a folder that is not a site's
	// says so rather than making one.
	if c.db != "" {
		// Said before anything else is looked at: it is the first thing
		// to put right.
		if _, err := backup.FindPgDump(pgDump); err != nil {
			return err
		}
	}
	if err := isSite(ctx, c.data, c.db); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	opt.Media = backup.Empty{}
	mediaDir := mf.where
	if mediaDir == "" {
		mediaDir = filepath.Join(c.data, "media")
	}
	if !dest.s3() {
		if err := checkBackupPlace(dest.where, c.data, mediaDir, !mf.s3()); err != nil {
			return err
		}
	}
	if _, err := os.Stat(mediaDir); mf.s3() || err == nil {
		src, err := mf.open(ctx, c.data, getenv, log)
		if err != nil {
			return err
		}
		defer src.Close()
		opt.Media = backup.FromBlobs(src)
	} else if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stdout, "There is no media folder (%s): the backup holds no photos.\n", mediaDir)
	} else {
		return err
	}
	if dest.s3() {
		b, err := dest.open(ctx, c.data, getenv, log)
		if err != nil {
			return fmt.Errorf("backup: the destination: %w", err)
		}
		defer b.Close()
		opt.Dest = backup.FromBlobs(b)
	} else {
		d, err := backup.OpenDir(dest.where, "")
		if err != nil {
			return err
		}
		defer d.Close()
		opt.Dest = d
	}
	rep, err := backup.Backup(ctx, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up into %s: the database (%s, %d bytes), %d media objects copied (%d bytes), %d already there; %s lists %d objects.\n",
		dest.where, rep.Manifest.Database, rep.DatabaseBytes, rep.Copied, rep.CopiedBytes, rep.Kept, backup.ManifestName, len(rep.Manifest.Objects))
	for _, name := range rep.Removed {
		fmt.Fprintf(stdout, "Removed the earlier backup's database copy %s.\n", name)
	}
	return nil
}

// checkStoreFlags checks the --media flags for each place they describe:
// the endpoint flags may be given when any one of them is a bucket, and
// are a mistake when none is.
func checkStoreFlags(places ...mediaFlags) error {
	anyS3 := false
	for _, f := range places {
		anyS3 = anyS3 || f.s3()
	}
	for _, f := range places {
		if !f.s3() && anyS3 {
			f.endpoint, f.region, f.pathStyle = "", "", optionalBool{}
		}
		if err := f.check(); err != nil {
			return err
		}
	}
	return nil
}

// isSite checks that data is a site's data folder, or the PostgreSQL
// database db a site's: a backup of a mistyped path or database name
// would be a backup of nothing, found out only on the day it is restored.
func isSite(ctx context.Context, data, db string) error {
	if db != "" {
		// The data folder holds only the photos, if any.
		empty, err := store.PostgresEmpty(ctx, db)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		if empty {
			return errors.New("backup: the database --db names holds no site (no table at all): is it the site's?")
		}
		return nil
	}
	st, err := os.Stat(data)
	if err != nil {
		return fmt.Errorf("backup: the data folder: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("backup: the data folder %s is not a folder", data)
	}
	if _, err := os.Stat(filepath.Join(data, "newsdesk.db")); err != nil {
		return fmt.Errorf("backup: %s has no newsdesk.db (%w): is it a site's data folder? A site on PostgreSQL is backed up with --db", data, errors.Unwrap(err))
	}
	return nil
}

// checkBackupPlace refuses a backup folder that is the data folder or in
// the media folder, however the paths are spelt. Into the media folder, a
// backup copies the backup before it along with the photos, and grows
// each time; into the data folder, it writes its copies of the photos
// over the site's own (its "media/" is the site's media folder).
func checkBackupPlace(dest, data, media string, localMedia bool) error {
	d, err := realPath(dest)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if dd, err := realPath(data); err == nil && d == dd {
		return fmt.Errorf("backup: %s is the data folder: back up into a folder of its own (beside the data folder, or better on another disk)", dest)
	}
	if !localMedia {
		return nil
	}
	m, err := realPath(media)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if rel, err := filepath.Rel(m, d); err == nil && (rel == "." || rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))) {
		return fmt.Errorf("backup: %s is in the media folder %s: each backup would copy the one before it with the photos; back up into a folder of its own", dest, media)
	}
	return nil
}

// realPath is p made absolute, with the links in the part of it that
// exists resolved; the rest, not made yet, is joined on as it is spelt.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for cur := abs; ; {
		r, err := filepath.EvalSymlinks(cur)
		if err == nil {
			return filepath.Join(append([]string{r}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = append([]string{filepath.Base(cur)}, rest...)
		cur = parent
	}
}
