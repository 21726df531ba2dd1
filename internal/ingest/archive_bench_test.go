package ingest_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/ingest/archive"
	"github.com/newsdesk/newsdesk/internal/ingest/wordpress"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/store"
)

// The import benchmarks read a WordPress export that scripts/wpgen
// writes: NEWSDESK_BENCH_POSTS posts (default 40) with twice as many
// photos in --uploads, generated into a temporary folder on each run (or
// read from NEWSDESK_BENCH_WPGEN, a folder wpgen wrote). They are the
// profile's half of scripts/bench-import, which times the command itself:
//
//	go test -run '^$' -bench 'ImportWordPress' -benchtime 1x -cpuprofile cpu.out ./internal/ingest/
//	go tool pprof -top ingest.test cpu.out

// wpgenExport returns the folder of a generated export: export.xml and
// uploads/.
func wpgenExport(b *testing.B) (dir string, posts, images int) {
	b.Helper()
	posts = 40
	if s := os.Getenv("NEWSDESK_BENCH_POSTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("NEWSDESK_BENCH_POSTS=%q: want a number of posts", s)
		}
		posts = n
	}
	images = 2 * posts
	if dir = os.Getenv("NEWSDESK_BENCH_WPGEN"); dir == "" {
		dir = b.TempDir()
		cmd := exec.Command("go", "run", "./scripts/wpgen", "-posts", strconv.Itoa(posts), "-images", strconv.Itoa(images), "-out", dir)
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("scripts/wpgen: %v\n%s", err, out)
		}
	}
	// wpgen.done, written last, names what the folder holds.
	done, err := os.ReadFile(filepath.Join(dir, "wpgen.done"))
	if err != nil {
		b.Fatalf("%s is not a whole export of scripts/wpgen: %v", dir, err)
	}
	if _, err := fmt.Sscanf(string(done), "posts=%d images=%d", &posts, &images); err != nil {
		b.Fatalf("%s/wpgen.done: %v", dir, err)
	}
	return dir, posts, images
}

// benchImport imports the export in dir into s, failing on any item that
// is not imported or passed over.
func benchImport(b *testing.B, im *ingest.Importer, dir string) *ingest.ArchiveReport {
	b.Helper()
	open := func() (io.ReadCloser, error) { return os.Open(filepath.Join(dir, "export.xml")) }
	src := &archive.MediaSource{Dir: filepath.Join(dir, "uploads")}
	var failed []string
	rep, err := im.ImportArchive(context.Background(), wordpress.Read, open, ingest.ArchiveOptions{Media: src}, func(l ingest.ArchiveLine) {
		if l.Failed {
			failed = append(failed, l.String())
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(failed) > 0 {
		b.Fatalf("%d items not imported, the first: %s", len(failed), failed[0])
	}
	return rep
}

func benchImporter(b *testing.B) *ingest.Importer {
	b.Helper()
	dir := b.TempDir()
	s, err := store.Open(context.Background(), filepath.Join(dir, "newsdesk.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ms, err := media.OpenStore(filepath.Join(dir, "media"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ms.Close() })
	return &ingest.Importer{Store: s, Media: ms}
}

// BenchmarkImportWordPress is a first import into an empty SQLite
// database and media folder: reading the XML twice, converting each body,
// storing each photo (decoded, re-encoded in its variants), writing each
// post in its transaction.
func BenchmarkImportWordPress(b *testing.B) {
	dir, posts, images := wpgenExport(b)
	var rep *ingest.ArchiveReport
	for b.Loop() {
		b.StopTimer()
		im := benchImporter(b)
		b.StartTimer()
		rep = benchImport(b, im, dir)
	}
	if rep.Imported+rep.Skipped != posts {
		b.Fatalf("%d imported and %d skipped of %d posts", rep.Imported, rep.Skipped, posts)
	}
	perOp := float64(b.Elapsed().Milliseconds()) / float64(b.N)
	b.ReportMetric(perOp/float64(posts), "ms/post")
	if images > 0 {
		b.ReportMetric(perOp/float64(images), "ms/photo")
	}
}

// BenchmarkImportWordPressAgain imports the same export again, nothing
// changed: every item is read and passed over by its digest.
func BenchmarkImportWordPressAgain(b *testing.B) {
	dir, posts, _ := wpgenExport(b)
	im := benchImporter(b)
	first := benchImport(b, im, dir)
	var rep *ingest.ArchiveReport
	for b.Loop() {
		rep = benchImport(b, im, dir)
	}
	if rep.Unchanged != first.Imported || rep.Imported != 0 || rep.Updated != 0 {
		b.Fatalf("again: %d imported, %d updated, %d unchanged; want all %d unchanged", rep.Imported, rep.Updated, rep.Unchanged, first.Imported)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(posts), "ms/post")
}
