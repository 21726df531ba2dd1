package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/media"
)

const mediaUsage = `Usage: newsdesk media move --to WHERE [flags]

Copies every photo (originals and public copies) from where the site keeps
them now (--media, default the media folder in --data) to WHERE: an
s3://BUCKET/PREFIX address or a folder. Each object is read back from WHERE
and its SHA-256 compared with the source's; an object already at WHERE is
checked the same way and left, or replaced when it differs, so a move that
was stopped is resumed by running it again. Nothing is deleted from the
source. Run it once while the site serves, then stop the site, run it again
(it copies only what was uploaded meanwhile) and start the site with
--media WHERE.
`

// runMedia runs "newsdesk media ...": for now, "move".
func runMedia(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "move" {
		fmt.Fprint(stderr, mediaUsage)
		if len(args) == 0 {
			return usageError{"media: say what to do: media move --to WHERE"}
		}
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			return flag.ErrHelp
		}
		return usageError{fmt.Sprintf("media: unknown command %q (there is: move)", args[0])}
	}
	return runMediaMove(ctx, args[1:], getenv, stdout, stderr)
}

func runMediaMove(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("media move", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, mediaUsage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	var (
		from    mediaFlags
		data    string
		to      string
		workers int
	)
	fs.StringVar(&data, "data", "./data", "data `folder`: its media folder is the default source")
	from.register(fs)
	fs.StringVar(&to, "to", "", "where the photos go: s3://BUCKET/PREFIX or a `folder` (the --media-* flags apply to it too)")
	fs.IntVar(&workers, "workers", 4, "objects copied at once (`n`)")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("media move: unexpected argument %q", fs.Arg(0))}
	}
	if to == "" {
		return usageError{"media move: say where the photos go: --to s3://BUCKET/PREFIX or --to FOLDER"}
	}
	if workers < 1 || workers > 64 {
		return usageError{fmt.Sprintf("--workers %d: give a number from 1 to 64", workers)}
	}
	// --media-url is a serving setting; the rest describe a store on
	// either side.
	from.publicURL = ""
	dest := from
	dest.where = to
	// The endpoint flags may be given for a move between folder and
	// bucket, whichever side the bucket is on.
	check := func(f mediaFlags) error {
		if !f.s3() {
			f.endpoint, f.region, f.pathStyle = "", "", optionalBool{}
		}
		return f.check()
	}
	if err := check(from); err != nil {
		return err
	}
	if err := check(dest); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	src, err := from.open(ctx, data, getenv, log)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := dest.open(ctx, data, getenv, log)
	if err != nil {
		return err
	}
	defer dst.Close()
	if src.String() == dst.String() {
		return usageError{fmt.Sprintf("media move: the photos are in %s already", dst)}
	}
	m := &mover{src: src, dst: dst, out: stderr}
	err = m.run(ctx, workers)
	fmt.Fprintf(stdout, "%s -> %s: %d objects (%s): %d copied, %d already there and the same, %d replaced, %d failed\n",
		src, dst, m.total, megabytes(m.bytes.Load()), m.copied.Load(), m.same.Load(), m.replaced.Load(), m.failed.Load())
	if err != nil {
		return err
	}
	if n := m.failed.Load(); n > 0 {
		return fmt.Errorf("media move: %d objects were not copied (see above); run the move again once their cause is fixed", n)
	}
	fmt.Fprintf(stdout, "every object in %s is in %s, checked. Start the site with --media %s; %s is left as it was.\n", src, dst, to, src)
	return nil
}

// mover copies a store's objects from src to dst, checking each one.
type mover struct {
	src, dst media.Blobs
	out      io.Writer // progress and failures

	total                        int
	done, copied, same, replaced atomic.Int64
	failed, bytes                atomic.Int64
	mu                           sync.Mutex // out
}

// run lists the source, then copies its objects with n workers,
// reporting progress every few seconds. It fails only when the source
// cannot be listed or ctx ends; objects that fail are counted, reported
// and left for the next run.
func (m *mover) run(ctx context.Context, n int) error {
	var todo []media.BlobInfo
	err := m.src.List(ctx, "", func(i media.BlobInfo) error {
		todo = append(todo, i)
		return nil
	})
	if err != nil {
		return fmt.Errorf("media move: listing %s: %w", m.src, err)
	}
	m.total = len(todo)
	var size int64
	for _, i := range todo {
		size += i.Size
	}
	m.printf("media move: %d objects (%s) in %s", len(todo), megabytes(size), m.src)

	jobs := make(chan media.BlobInfo)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for i := range jobs {
				if err := m.one(ctx, i); err != nil {
					if ctx.Err() != nil {
						continue
					}
					m.failed.Add(1)
					m.printf("media move: %s: %v", i.Name, err)
				}
				m.done.Add(1)
			}
		})
	}
	tick := time.NewTicker(5 * time.Second)
	stopTicks := make(chan struct{})
	go func() {
		for {
			select {
			case <-tick.C:
				m.progress()
			case <-stopTicks:
				return
			}
		}
	}()
feed:
	for _, i := range todo {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	tick.Stop()
	close(stopTicks)
	if err := ctx.Err(); err != nil {
		m.progress()
		return fmt.Errorf("media move: stopped (%w); run it again to go on", err)
	}
	m.progress()
	return nil
}

func (m *mover) printf(format string, args ...any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintf(m.out, format+"\n", args...)
}

func (m *mover) progress() {
	m.printf("media move: %d of %d objects done (%s copied): %d copied, %d already there, %d replaced, %d failed",
		m.done.Load(), m.total, megabytes(m.bytes.Load()), m.copied.Load(), m.same.Load(), m.replaced.Load(), m.failed.Load())
}

// one copies the object i unless dst holds the same bytes already, and
// reads back what it wrote.
func (m *mover) one(ctx context.Context, i media.BlobInfo) error {
	data, err := readBlob(ctx, m.src, i.Name)
	if err != nil {
		return fmt.Errorf("reading it from %s: %w", m.src, err)
	}
	sum := sha256.Sum256(data)
	// An original's name is its SHA-256: one that differs is damaged
	// where it is, and is not carried over.
	if want, ok := originalSum(i.Name); ok && want != hex.EncodeToString(sum[:]) {
		return fmt.Errorf("damaged in %s: its SHA-256 is %x, its name says %s; not copied", m.src, sum, want)
	}
	there, err := readBlob(ctx, m.dst, i.Name)
	switch {
	case err == nil && bytes.Equal(there, data):
		m.same.Add(1)
		return nil
	case err == nil:
		// Different bytes under the same name: a copy damaged, or cut
		// short by something other than this command, which writes
		// whole objects. The source's replace them.
		if err := m.dst.Delete(ctx, i.Name); err != nil {
			return fmt.Errorf("replacing a different copy in %s: %w", m.dst, err)
		}
		defer m.replaced.Add(1)
	case errors.Is(err, fs.ErrNotExist):
		defer m.copied.Add(1)
	default:
		return fmt.Errorf("looking in %s: %w", m.dst, err)
	}
	if err := m.dst.Put(ctx, i.Name, data); err != nil {
		return fmt.Errorf("writing it to %s: %w", m.dst, err)
	}
	back, err := readBlob(ctx, m.dst, i.Name)
	if err != nil {
		return fmt.Errorf("reading it back from %s: %w", m.dst, err)
	}
	if got := sha256.Sum256(back); got != sum {
		return fmt.Errorf("read back from %s with SHA-256 %x, not %x: run the move again", m.dst, got, sum)
	}
	m.bytes.Add(int64(len(data)))
	return nil
}

// originalSum is the SHA-256 an original's name gives,
// "originals/ab/abcd….jpg".
func originalSum(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "originals/")
	if !ok {
		return "", false
	}
	base := path.Base(rest)
	sum := strings.TrimSuffix(base, path.Ext(base))
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return "", false
	}
	return sum, true
}

// readBlob reads the object name whole.
func readBlob(ctx context.Context, b media.Blobs, name string) ([]byte, error) {
	f, err := b.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// megabytes writes n bytes for people.
func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
