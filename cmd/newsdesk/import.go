package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsdesk/newsdesk/internal/ingest"
)

func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c commonFlags
	c.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: newsdesk import [flags] PATH...\n\nLoads Markdown files with YAML front matter, or every .md file in a folder.\nPrints one line per file: the article's address, or what is wrong.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{"import: give at least one file or folder"}
	}
	st, ms, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	defer ms.Close()
	im := &ingest.Importer{Store: st, Media: ms}
	failed := 0
	// Paths are the operator's own; resolve them from the file system root,
	// so a photo may sit beside or above its Markdown file.
	root := os.DirFS("/")
	for _, arg := range fs.Args() {
		abs, err := filepath.Abs(arg)
		if err != nil {
			fmt.Fprintf(stdout, "%s: %v\n", arg, err)
			failed++
			continue
		}
		rel := strings.TrimPrefix(filepath.ToSlash(abs), "/")
		info, err := os.Stat(abs)
		if err != nil {
			fmt.Fprintf(stdout, "%s: does not exist or cannot be read\n", arg)
			failed++
			continue
		}
		var results []ingest.Result
		if info.IsDir() {
			results, err = im.ImportTree(ctx, root, rel)
			if err != nil {
				fmt.Fprintf(stdout, "%s: %v\n", arg, err)
				failed++
			}
		} else {
			p, err := im.ImportFile(ctx, root, rel)
			results = []ingest.Result{{File: rel, Path: p, Err: err}}
		}
		for _, r := range results {
			if r.Err != nil {
				failed++
				// Name the file as the operator wrote it.
				msg := r.Err.Error()
				if fe, ok := r.Err.(*ingest.FileError); ok {
					fe.File = displayName(arg, abs, r.File)
					msg = fe.Error()
				}
				fmt.Fprintln(stdout, msg)
				continue
			}
			fmt.Fprintln(stdout, r.Path)
		}
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "newsdesk import: %d file(s) failed\n", failed)
		return errSilent
	}
	return nil
}

// displayName turns a root-relative file name back into one relative to
// the argument the operator gave.
func displayName(arg, absArg, file string) string {
	full := "/" + file
	if full == filepath.ToSlash(absArg) {
		return arg
	}
	if rel, err := filepath.Rel(absArg, filepath.FromSlash(full)); err == nil {
		return filepath.Join(arg, rel)
	}
	return full
}
