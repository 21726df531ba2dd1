package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/newsdesk/newsdesk/internal/store"
)

// runMigrateDB moves a whole site from its SQLite file to an empty
// PostgreSQL database. Media files stay where they are: with PostgreSQL
// and several instances, the media folder must be shared (see README).
func runMigrateDB(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate-db", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c commonFlags
	c.register(fs)
	var to string
	fs.StringVar(&to, "to", "", "the empty PostgreSQL database to move to (`postgres://...`)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: newsdesk migrate-db --to postgres://... [--data DIR]\n\nCopies every article, revision, user and media record from the SQLite file in\n--data into an empty PostgreSQL database, then checks that the counts agree.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if !store.IsPostgres(to) {
		fs.Usage()
		return usageError{"migrate-db: --to must be a postgres:// URL"}
	}
	if c.dsn() == to {
		return usageError{"migrate-db: the source and the target are the same database"}
	}
	src, err := store.Open(ctx, c.dsn())
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, to)
	if err != nil {
		return err
	}
	defer dst.Close()
	fmt.Fprintf(stdout, "Copying %s (%s) to PostgreSQL...\n", c.dsn(), src.Engine())
	rep, err := src.CopyTo(ctx, dst, func(table string, n int64) {
		fmt.Fprintf(stdout, "  %-24s %8d rows\n", table, n)
	})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\tsource\ttarget\t")
	for _, t := range rep.Tables {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", t.Name, t.Source, t.Target)
	}
	tw.Flush()
	fmt.Fprintln(stdout, "Verified: every table has the same number of rows on both sides.")
	fmt.Fprintln(stdout, "Next: run serve with --db set to the new database and the same --data folder (for the media).")
	return nil
}
