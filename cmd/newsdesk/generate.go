package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/newsdesk/newsdesk/internal/generate"
)

func runGenerate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		c        commonFlags
		articles int
		seed     uint64
		until    string
		years    int
	)
	c.register(fs)
	c.registerMedia(fs, getenv)
	fs.IntVar(&articles, "articles", 1000, "how many articles to write")
	fs.Uint64Var(&seed, "seed", 1, "the archive to write: the same seed writes the same articles")
	fs.StringVar(&until, "until", "", "the `date` (YYYY-MM-DD) of the newest story, at its end or now if sooner; default today")
	fs.IntVar(&years, "years", 10, "how many years back the stories go")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: newsdesk generate [flags]\n\nFills an empty database with a synthetic archive of realistic articles, for\nbenchmarks and load tests.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("generate: unexpected argument %q", fs.Arg(0))}
	}
	if articles <= 0 {
		return usageError{"generate: --articles must be above 0"}
	}
	var untilDay time.Time
	if until != "" {
		d, err := time.Parse(time.DateOnly, until)
		if err != nil {
			return usageError{fmt.Sprintf("generate: --until %q is not a date: use the form 2026-11-30", until)}
		}
		untilDay = d
	}
	st, ms, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	defer ms.Close()

	start := time.Now()
	last := start
	rep, err := generate.Generate(ctx, st, ms, generate.Options{
		Articles: articles, Seed: seed, Until: untilDay, Years: years,
		Progress: func(done int) {
			if time.Since(last) >= 5*time.Second || done == articles {
				last = time.Now()
				fmt.Fprintf(stderr, "generate: %d of %d articles (%s)\n", done, articles, time.Since(start).Round(100*time.Millisecond))
			}
		},
	})
	if err != nil {
		return err
	}
	took := time.Since(start).Round(10 * time.Millisecond)
	fmt.Fprintf(stdout, "generated %d articles (%d drafts, %d words) in %d sections, with %d authors and %d tags, in %s (%s)\n",
		rep.Articles, rep.Drafts, rep.Words, rep.Sections, rep.Authors, rep.Tags, took, st.Engine())
	return nil
}
