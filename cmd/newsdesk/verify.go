package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/newsdesk/newsdesk/internal/export"
)

func runVerify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var keyFile string
	fs.StringVar(&keyFile, "key", "", "the public key `file` (NAME.pub from newsdesk keygen) the copy must be signed with")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: newsdesk verify DIR --key PUB\n\nChecks a static copy made by newsdesk export --sign: the signature of its\nmanifest, then every file. Names each missing, changed and extra file, and\nexits with status 1 when there is any.\n\nFlags:")
		fs.PrintDefaults()
	}
	pos, err := parseWithArgs(fs, args, getenv)
	if err != nil {
		return err
	}
	if len(pos) != 1 || keyFile == "" {
		fs.Usage()
		return usageError{"verify: give one folder and --key"}
	}
	pub, err := export.ReadPublicKey(keyFile)
	if err != nil {
		return err
	}
	rep, err := export.Verify(pos[0], pub)
	if rep != nil {
		for _, list := range []struct {
			what  string
			paths []string
		}{{"missing", rep.Missing}, {"changed", rep.Changed}, {"extra", rep.Extra}} {
			for _, p := range list.paths {
				fmt.Fprintf(stdout, "%s: %s\n", list.what, p)
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "verify: %s: %v\n", pos[0], err)
		return errSilent
	}
	fmt.Fprintf(stdout, "OK: %s: all %d files match the manifest signed by %s\n", pos[0], rep.Files, export.FormatPublicKey(pub))
	return nil
}
