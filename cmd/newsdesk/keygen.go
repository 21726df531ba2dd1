package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/newsdesk/newsdesk/internal/export"
)

func runKeygen(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var out string
	fs.StringVar(&out, "out", "", "write the private key to `NAME` (mode 0600) and the public key to NAME.pub")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: newsdesk keygen --out NAME\n\nWrites a new Ed25519 key pair for signing static copies (newsdesk export --sign).\nIt never overwrites a file.\n\nFlags:")
		fs.PrintDefaults()
	}
	pos, err := parseWithArgs(fs, args, getenv)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("keygen: unexpected argument %q", pos[0])}
	}
	if out == "" {
		fs.Usage()
		return usageError{"keygen: give the key's file name with --out"}
	}
	pub, err := export.GenerateKey(out, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the private key to %s (keep it secret) and the public key to %s.pub:\n%s\n", out, out, export.FormatPublicKey(pub))
	return nil
}
