package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/news"
)

func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c commonFlags
	c.register(fs)
	c.registerMedia(fs, getenv)
	var ex exportFlags
	fs.StringVar(&ex.mediaDir, "uploads", "", "`folder` holding a copy of the old site's images (WordPress's wp-content/uploads, Ghost's content/images), looked up by their address's path")
	fs.BoolVar(&ex.fetch, "fetch-media", false, "also download images that are not in --uploads from their address in the export (never from loopback, private or link-local addresses)")
	fs.BoolVar(&ex.dryRun, "dry-run", false, "read and check everything, photos included, and write nothing: the report is the one an import would print")
	fs.BoolVar(&ex.loopback, "fetch-loopback", false, "let --fetch-media download from 127.0.0.1 and ::1 (for tests only)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: newsdesk import [flags] PATH...\n\nLoads Markdown files with YAML front matter, or every .md file in a folder,\nand WordPress (WXR) and Ghost (JSON) exports, told apart by their content.\nOnly regular files inside the folder given (a file's own folder, for a file)\nare read: a photo must sit inside it. A story dated in the future is\nscheduled for that time. Prints one line per file or exported item: its\naddress (and when it is scheduled for), or what is wrong. Importing the\nsame files again updates what they made, in place.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{"import: give at least one file or folder"}
	}
	if err := oldMediaFlag(c.media.where); err != nil {
		return err
	}
	if ex.dryRun && c.db == "" {
		// A rehearsal into a data folder with no site yet must leave no
		// folder, database or media behind: it checks against an empty
		// site made in a temporary folder instead.
		if _, err := os.Stat(c.dsn()); errors.Is(err, os.ErrNotExist) {
			tmp, err := os.MkdirTemp("", "newsdesk-dry-run-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			c.data = tmp
		}
	}
	if ex.dryRun && !c.media.s3() && c.media.where != "" {
		// Nor a media folder: a dry run stores no photo.
		if _, err := os.Stat(c.media.where); errors.Is(err, os.ErrNotExist) {
			c.media.where = ""
		}
	}
	st, ms, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	defer ms.Close()
	im := &ingest.Importer{Store: st, Media: ms, DryRun: ex.dryRun}
	failed := 0
	for _, arg := range fs.Args() {
		if ctx.Err() != nil {
			break
		}
		if reader, path := archiveArg(arg); reader != nil {
			n, err := importExport(ctx, im, reader, path, arg, ex, stdout)
			failed += n
			if err != nil && ctx.Err() == nil {
				say(stdout, fmt.Sprintf("%s: %v", arg, err))
				failed++
			}
			continue
		}
		results, err := importArg(ctx, im, arg)
		if err != nil && ctx.Err() == nil {
			say(stdout, fmt.Sprintf("%s: %v", arg, err))
			failed++
		}
		for _, r := range results {
			if r.Err != nil {
				failed++
				// Name the file as the operator wrote it.
				msg := r.Err.Error()
				if fe, ok := r.Err.(*ingest.FileError); ok {
					fe.File = displayName(arg, r.File)
					msg = fe.Error()
				}
				say(stdout, msg)
				continue
			}
			if r.Status == news.Scheduled {
				say(stdout, fmt.Sprintf("%s (scheduled for %s)", r.Path, r.PublishAt.UTC().Format(time.RFC3339)))
				continue
			}
			say(stdout, r.Path)
		}
	}
	if ex.dryRun {
		fmt.Fprintln(stderr, "newsdesk import: dry run: nothing was written")
	}
	if err := ctx.Err(); err != nil {
		fmt.Fprintln(stderr, "newsdesk import: stopped before the end; the files named above were handled")
		return errSilent
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "newsdesk import: %d file(s) failed\n", failed)
		return errSilent
	}
	return nil
}

// oldMediaFlag refuses --media naming a folder of another site's images:
// --media was once import's name for what --uploads is now, and is now
// where the site keeps its photos (as serve has it), which would add its
// originals/ and public/ folders to the old site's images.
func oldMediaFlag(where string) error {
	if where == "" || strings.HasPrefix(where, "s3://") {
		return nil
	}
	entries, err := os.ReadDir(where)
	if err != nil || len(entries) == 0 {
		return nil // missing or empty: a media folder to make
	}
	for _, e := range entries {
		if e.IsDir() && (e.Name() == "originals" || e.Name() == "public") {
			return nil
		}
	}
	return usageError{fmt.Sprintf("--media %s: this is where the site keeps its photos (a media folder holds originals/ and public/, and this one does not); give the old site's images with --uploads %s", where, where)}
}

// importArg imports what one argument names: every .md file of a folder,
// or one file. Only the imported folder is read (a file's own folder when
// the argument is a file), through ingest.Folder: a photo must sit inside
// it, and links that lead out of it, named pipes and devices are refused.
func importArg(ctx context.Context, im *ingest.Importer, arg string) ([]ingest.Result, error) {
	// The argument itself is the operator's choice: a link is followed to
	// the real file or folder, whose folder is then the imported one.
	real, err := filepath.EvalSymlinks(arg)
	if err != nil {
		return nil, unreadable(err)
	}
	info, err := os.Stat(real)
	if err != nil {
		return nil, unreadable(err)
	}
	dir, name := real, ""
	if !info.IsDir() {
		dir, name = filepath.Dir(real), filepath.Base(real)
	}
	folder, err := ingest.OpenFolder(dir)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot open the folder %s: %v", dir, err)
	}
	defer folder.Close()
	if name == "" {
		return im.ImportTree(ctx, folder, ".")
	}
	return []ingest.Result{im.Import(ctx, folder, name)}, nil
}

// unreadable says why an argument cannot be imported: missing, or the
// system's reason (permission denied, not a directory, a loop of links).
func unreadable(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("does not exist")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot be read: %v", err)
}

// say prints one line of the import's report. File names and front-matter
// values come from the folder being imported, which may be a stranger's:
// control characters in them (an escape sequence that rewrites the
// operator's terminal, a newline that forges a line of the report, a
// bidirectional override that reverses a name) are printed as Go escapes
// (\x1b, \n, \u202e), and bytes that are not UTF-8 as \xNN, so each
// report line is one line and reads as what it is.
func say(w io.Writer, line string) {
	fmt.Fprintln(w, printable(line))
}

// printable is s with the characters say escapes escaped.
func printable(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unprintable(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

// unprintable reports whether say escapes r: a control character (C0,
// DEL, C1, which holds the one-byte escape CSI), a bidirectional control
// or mark, or a line or paragraph separator.
func unprintable(r rune) bool {
	return unicode.IsControl(r) || news.IsBidiControl(r) ||
		r == '\u200e' || r == '\u200f' || r == '\u061c' || r == '\u2028' || r == '\u2029'
}

// displayName turns a file name inside the imported folder back into one
// relative to the argument the operator gave.
func displayName(arg, file string) string {
	if info, err := os.Stat(arg); err == nil && !info.IsDir() {
		return arg
	}
	return filepath.Join(arg, filepath.FromSlash(file))
}
