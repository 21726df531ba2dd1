package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/export"
)

const exportUsage = `Usage: newsdesk export DIR [flags]

Writes a complete static copy of the public site into DIR: every page,
feed, sitemap, asset and photo, as files any static host serves at the same
addresses. DIR/manifest.json lists every file's SHA-256; the next export
into DIR writes only the files whose bytes changed and removes those of
unpublished content. With --sign, DIR/manifest.json.sig lets anyone check
the copy with "newsdesk verify". See docs/mirrors.md.

Flags:
`

func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		c        commonFlags
		sf       siteFlags
		keyFile  string
		full     bool
		watch    bool
		interval time.Duration
	)
	c.register(fs)
	sf.register(fs, ", as serve has it (required)")
	fs.StringVar(&keyFile, "sign", "", "sign the manifest with this private key `file` (see newsdesk keygen)")
	fs.BoolVar(&full, "full", false, "render every page, not only those the changes since the last export touched")
	fs.BoolVar(&watch, "watch", false, "after the export, keep the copy up to date after every change until interrupted")
	fs.DurationVar(&interval, "interval", time.Second, "with --watch: how often to look for changes")
	fs.Usage = func() {
		fmt.Fprint(stderr, exportUsage)
		fs.PrintDefaults()
	}
	pos, err := parseWithArgs(fs, args, getenv)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return usageError{"export: give one folder to write the copy into"}
	}
	if sf.baseURL == "" {
		return usageError{"export: give the site's primary address with --base-url (or NEWSDESK_BASE_URL), as serve has it"}
	}
	cfg, err := sf.config("")
	if err != nil {
		return err
	}
	if getenv("GOGC") == "" && getenv("GOMEMLIMIT") == "" {
		// An export makes every page of the site once: a great deal of
		// short-lived memory over a small live heap (some 100 MB for
		// 10,000 articles). Collecting at 5x the live heap rather than 2x
		// took the collector from 6.5% to 2.3% of such an export's CPU,
		// for a peak RSS of 480 MB rather than 240 MB; the soft limit of
		// 1 GiB bounds that on larger sites. GOGC and GOMEMLIMIT, when
		// set, decide.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 30))
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	ex := &export.Exporter{Dir: pos[0], Site: cfg, Full: full, Generator: "newsdesk " + version(),
		Log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if keyFile != "" {
		if ex.Key, err = export.ReadPrivateKey(keyFile); err != nil {
			return err
		}
	}
	// An export reads the whole archive: mapped, its pages cost no read
	// each (SQLite caps the map at 2 GiB).
	c.mmapBytes = 2 << 30
	st, ms, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	defer ms.Close()
	ex.Store, ex.Media = st, ms

	tty := isTerminal(stdout)
	if tty {
		ex.Progress = func(p export.Progress) {
			fmt.Fprintf(stdout, "\rexport: %d of %d pages, %d written, %d removed ", p.Rendered, p.Queued, p.Written, p.Removed)
		}
	}
	report := func(res *export.Result, err error) {
		if tty {
			fmt.Fprint(stdout, "\r\033[K")
		}
		if err != nil {
			fmt.Fprintf(stderr, "export: %v\n", err)
			return
		}
		printExport(stdout, stderr, pos[0], res)
	}
	if watch {
		fmt.Fprintf(stdout, "export: watching for changes; interrupt to stop\n")
		return ex.Watch(ctx, interval, report)
	}
	res, err := ex.Export(ctx)
	if err != nil {
		if tty {
			fmt.Fprintln(stdout)
		}
		return err
	}
	report(res, nil)
	return nil
}

// printExport is the one-line summary of an export, and what it found
// wrong with the site's links.
func printExport(stdout, stderr io.Writer, dir string, res *export.Result) {
	kind := "incremental"
	if res.Full {
		kind = "full"
	}
	fmt.Fprintf(stdout, "exported %s (%s, %d files): %d written, %d unchanged, %d removed, took %s\n",
		dir, kind, res.Files, res.Written, res.Unchanged, res.Removed, res.Took.Round(time.Millisecond))
	if n := len(res.Broken); n > 0 {
		fmt.Fprintf(stderr, "export: %d links lead to no page: %s\n", n, strings.Join(res.Broken[:min(n, 5)], ", "))
	}
}

// isTerminal reports whether w is a terminal, where progress can update
// one line in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// parseWithArgs parses flags given before, between and after positional
// arguments ("export DIR --sign KEY" as well as "export --sign KEY DIR"),
// then fills the rest from the environment as parseFlags does, and returns
// the positional arguments.
func parseWithArgs(fs *flag.FlagSet, args []string, getenv func(string) string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return pos, parseFlags(fs, nil, getenv)
}
