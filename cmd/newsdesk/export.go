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

When a page links to something the site has nothing at (a photo's file
gone from the media folder, a link to a story that does not exist), the
copy lacks it: export names what is missing and exits with status 1, unless
--allow-missing accepts the copy as it is. The pages that link to it are
rendered again by the next export, so a file put back is copied then.
With --watch it keeps running and says so after every export.

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
		allow    bool
	)
	c.register(fs)
	c.registerMedia(fs, getenv)
	sf.register(fs, ", as serve has it (required)")
	fs.StringVar(&keyFile, "sign", "", "sign the manifest with this private key `file` (see newsdesk keygen)")
	fs.BoolVar(&full, "full", false, "render every page, not only those the changes since the last export touched")
	fs.BoolVar(&watch, "watch", false, "after the export, keep the copy up to date after every change until interrupted")
	fs.DurationVar(&interval, "interval", time.Second, "with --watch: how often to look for changes")
	fs.BoolVar(&allow, "allow-missing", false, "exit with status 0 even when pages link to photos, files or pages the site does not have (the copy lacks them); they are still named")
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
		printExport(stdout, stderr, pos[0], res, allow, watch)
	}
	if watch {
		// A watcher keeps the copy as close to the site as it can: one
		// missing photo is no reason to stop copying every later change.
		// Each export that finds something missing says so on stderr.
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
	if len(res.Broken) > 0 && !allow {
		return errSilent
	}
	return nil
}

// printExport is the one-line summary of an export, and what the copy
// lacks: allowed (--allow-missing) makes that a warning; watching
// (--watch) says the watcher goes on.
func printExport(stdout, stderr io.Writer, dir string, res *export.Result, allowed, watching bool) {
	kind := "incremental"
	if res.Full {
		kind = "full"
	}
	fmt.Fprintf(stdout, "exported %s (%s, %d files): %d written, %d unchanged, %d removed, took %s\n",
		dir, kind, res.Files, res.Written, res.Unchanged, res.Removed, res.Took.Round(time.Millisecond))
	if len(res.Broken) > 0 {
		fmt.Fprint(stderr, missingReport(res.Broken, allowed, watching))
	}
}

// maxNamed is how many missing addresses an export names; the rest are
// counted.
const maxNamed = 20

// missingReport says what the copy lacks: how many files and pages, the
// first maxNamed of them with a page that links to each, and what to do.
func missingReport(broken []export.Missing, allowed, watching bool) string {
	var files, pages int
	for _, b := range broken {
		if b.File() {
			files++
		} else {
			pages++
		}
	}
	var b strings.Builder
	head := "export: error: the copy is incomplete"
	if allowed {
		head = "export: warning: the copy is incomplete"
	}
	fmt.Fprintf(&b, "%s: %d missing (%d files, %d pages) that its pages link to:\n", head, files+pages, files, pages)
	for _, m := range broken[:min(len(broken), maxNamed)] {
		what := "page"
		if m.File() {
			what = "file"
		}
		fmt.Fprintf(&b, "  missing %s %s", what, m.Path)
		if m.SameFile != "" {
			fmt.Fprintf(&b, " (its file in the copy holds %s: rename one of the two)", m.SameFile)
		}
		if m.From != "" {
			fmt.Fprintf(&b, ", linked from %s", m.From)
		}
		b.WriteString("\n")
	}
	if n := len(broken) - maxNamed; n > 0 {
		fmt.Fprintf(&b, "  and %d more\n", n)
	}
	if files > 0 {
		b.WriteString("A photo's files are in the site's media store (public/ in --media, by default the media folder in --data): put back what is missing, from a backup.\n")
	}
	switch {
	case watching:
		b.WriteString("The rest of the copy is written; the watch goes on, and checks these pages again at the next change.\n")
	case !allowed:
		b.WriteString("The rest of the copy is written, and the next export checks these pages again; give --allow-missing to accept a copy without them.\n")
	}
	return b.String()
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
