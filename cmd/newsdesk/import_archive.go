package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/ingest/archive"
	"github.com/newsdesk/newsdesk/internal/netx"
)

// exportFlags are import's flags for other systems' exports.
type exportFlags struct {
	mediaDir string
	fetch    bool
	dryRun   bool
	loopback bool
}

// archiveArg says whether an argument is another system's export, by its
// first bytes, and returns its reader and the file's real path.
func archiveArg(arg string) (archive.Reader, string) {
	real, err := filepath.EvalSymlinks(arg)
	if err != nil {
		return nil, ""
	}
	// Stat before opening: opening a named pipe would wait for a writer.
	// (The Markdown import that takes over then refuses it.)
	if info, err := os.Stat(real); err != nil || !info.Mode().IsRegular() {
		return nil, ""
	}
	f, err := os.OpenFile(real, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, ""
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil, ""
	}
	head := make([]byte, ingest.SniffBytes)
	n, _ := io.ReadFull(f, head)
	return ingest.DetectArchive(head[:n]), real
}

// importExport imports one export file, printing one line per item as it
// goes and a summary at the end; it returns how many items failed.
func importExport(ctx context.Context, im *ingest.Importer, read archive.Reader, path, arg string, ex exportFlags, stdout io.Writer) (int, error) {
	src := &archive.MediaSource{Dir: ex.mediaDir, Fetch: ex.fetch}
	if ex.fetch {
		src.Client = netx.OutboundClient(netx.OutboundOptions{AllowLoopback: ex.loopback, Timeout: 30 * time.Second, MaxRedirects: 5})
	}
	if ex.mediaDir != "" {
		if info, err := os.Stat(ex.mediaDir); err != nil || !info.IsDir() {
			return 0, fmt.Errorf("--uploads %s is not a folder that can be read", ex.mediaDir)
		}
	}
	open := func() (io.ReadCloser, error) { return os.Open(path) }
	failed := 0
	rep, err := im.ImportArchive(ctx, read, open, ingest.ArchiveOptions{Media: src, DryRun: ex.dryRun}, func(l ingest.ArchiveLine) {
		if l.Failed {
			failed++
		}
		say(stdout, where(arg, l.At)+l.Text)
	})
	if rep != nil {
		say(stdout, arg+": "+summaryLine(rep, ex.dryRun))
	}
	if se, ok := err.(*archive.SyntaxError); ok {
		return failed, fmt.Errorf("%scannot be read on: %v (the items above it were handled; nothing of the broken one was written)", where("", se.At), se.Err)
	}
	return failed, err
}

// where is the report's "file:line: " (or "file, offset N: ") prefix.
func where(file, at string) string {
	if n, ok := strings.CutPrefix(at, "line "); ok {
		if file == "" {
			return "line " + n + ": "
		}
		return file + ":" + n + ": "
	}
	if at == "" {
		return file + ": "
	}
	if file == "" {
		return at + ": "
	}
	return file + ", " + at + ": "
}

// summaryLine counts what an import did, and what the export held that
// was not imported.
func summaryLine(rep *ingest.ArchiveReport, dry bool) string {
	name := map[string]string{"wordpress": "WordPress export", "ghost": "Ghost export"}[rep.Source]
	if name == "" {
		name = "export"
	}
	verb := "imported"
	if dry {
		verb = "would be imported (dry run: nothing was written)"
	}
	parts := []string{fmt.Sprintf("%s: %d %s", name, rep.Imported, verb)}
	for _, c := range []struct {
		n    int
		what string
	}{{rep.Updated, "updated"}, {rep.Unchanged, "unchanged"}, {rep.Skipped, "skipped"}, {rep.Failed, "failed"}, {rep.Notes, "notes"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	line := strings.Join(parts, ", ")
	var left []string
	for k, n := range rep.Left {
		// Attachments are brought in where posts use them; the rest of
		// the media library stays behind, as it counts.
		if n > 0 && k != "attachments" {
			left = append(left, fmt.Sprintf("%s: %d", k, n))
		}
	}
	sort.Strings(left)
	if len(left) > 0 {
		line += "; not imported: " + strings.Join(left, ", ")
	}
	return line
}
