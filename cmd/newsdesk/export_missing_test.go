package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestExportFailsOnMissingFiles runs export as an operator would with
// photos gone from the media folder (issue 14, finding 11): one photo,
// then the whole folder (a variant alone gone is made again from its
// original). The export exits with status 1 and names what is
// missing, and how many; --allow-missing exits 0 with a warning naming
// the same; a copy whose files are all there exits 0 and says nothing.
func TestExportFailsOnMissingFiles(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		data := filepath.Join(dir, "data")
		vars := map[string]string{"NEWSDESK_DATA": data, "NEWSDESK_DB": dsn, "NEWSDESK_BASE_URL": "https://news.example.org"}
		cmd := func(args ...string) (string, string, error) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), args, env(vars), nil, &out, &errOut)
			return out.String(), errOut.String(), err
		}
		// exitCode(nil) is 1 too: a failure must be an error first.
		exit1 := func(err error) bool { return err != nil && exitCode(err) == 1 }
		if out, errOut, err := cmd("import", demoDir(t)); err != nil {
			t.Fatalf("import: %v\n%s%s", err, out, errOut)
		}
		if out, errOut, err := cmd("export", filepath.Join(dir, "whole")); err != nil || errOut != "" {
			t.Fatalf("export with every file there: %v, stderr %q\n%s", err, errOut, out)
		}

		// One variant of one photo gone.
		public := filepath.Join(data, "media", "public")
		var variants []string
		filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				variants = append(variants, p)
			}
			return nil
		})
		if len(variants) == 0 {
			t.Fatal("no photo variants in the media folder")
		}
		gone := variants[0]
		if err := os.Remove(gone); err != nil {
			t.Fatal(err)
		}
		goneURL := "/media/" + filepath.ToSlash(strings.TrimPrefix(gone, public+string(filepath.Separator)))
		// A variant gone while its original is there is made again, as
		// one an import left to be made (media.Store.PutLater) is.
		if out, errOut, err := cmd("export", filepath.Join(dir, "remade")); err != nil || errOut != "" {
			t.Errorf("export with a variant gone and its original there: %v, stderr %q\n%s", err, errOut, out)
		}
		if _, err := os.Stat(gone); err != nil {
			t.Errorf("the variant was not made again: %v", err)
		}
		// Gone with its original: nothing can make it.
		hash := strings.SplitN(filepath.Base(gone), "-", 2)[0]
		originals, _ := filepath.Glob(filepath.Join(data, "media", "originals", hash[:2], hash+".*"))
		if len(originals) != 1 {
			t.Fatalf("the original of %s: %v", gone, originals)
		}
		for _, p := range []string{gone, originals[0]} {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		}
		_, errOut, err := cmd("export", filepath.Join(dir, "one"))
		if !exit1(err) || !strings.Contains(errOut, "export: error: the copy is incomplete: 1 missing (1 files, 0 pages)") ||
			!strings.Contains(errOut, "missing file "+goneURL+", linked from /") || !strings.Contains(errOut, "--allow-missing") {
			t.Errorf("export with a variant gone: %v, want exit 1 naming %s\n%s", err, goneURL, errOut)
		}
		// Run again with nothing changed: still missing, still status 1.
		if _, errOut, err := cmd("export", filepath.Join(dir, "one")); !exit1(err) || !strings.Contains(errOut, goneURL) {
			t.Errorf("the same export again: %v, want exit 1 naming %s\n%s", err, goneURL, errOut)
		}
		out, errOut, err := cmd("export", filepath.Join(dir, "one"), "--allow-missing")
		if err != nil || !strings.Contains(errOut, "export: warning: the copy is incomplete") || !strings.Contains(errOut, goneURL) || !strings.Contains(out, "exported ") {
			t.Errorf("export --allow-missing with a variant gone: %v, want exit 0 with a warning naming %s\n%s%s", err, goneURL, out, errOut)
		}

		// The whole media folder gone.
		if err := os.RemoveAll(filepath.Join(data, "media")); err != nil {
			t.Fatal(err)
		}
		_, errOut, err = cmd("export", filepath.Join(dir, "none"))
		if !exit1(err) || !strings.Contains(errOut, "export: error: the copy is incomplete") ||
			!strings.Contains(errOut, " more\n") || strings.Count(errOut, "missing file /media/") != maxNamed {
			t.Errorf("export with the media folder gone: %v, want exit 1 naming the first %d files and counting the rest\n%s", err, maxNamed, errOut)
		}
		if _, errOut, err := cmd("export", filepath.Join(dir, "none2"), "--allow-missing"); err != nil || !strings.Contains(errOut, "export: warning: the copy is incomplete") {
			t.Errorf("export --allow-missing with the media folder gone: %v, want exit 0 and a warning\n%s", err, errOut)
		}
	})
}

// TestExportWatchGoesOnWhenFilesAreMissing: a watcher keeps a copy as
// close to the site as it can, so a missing photo does not stop it; it
// says what is missing, as an error, and goes on until interrupted.
func TestExportWatchGoesOnWhenFilesAreMissing(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	vars := map[string]string{"NEWSDESK_DATA": data, "NEWSDESK_BASE_URL": "https://news.example.org"}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"import", demoDir(t)}, env(vars), nil, &out, &errOut); err != nil {
		t.Fatalf("import: %v\n%s%s", err, &out, &errOut)
	}
	// The photos gone, originals and all (a variant alone is made again
	// from its original).
	for _, d := range []string{"public", "originals"} {
		if err := os.RemoveAll(filepath.Join(data, "media", d)); err != nil {
			t.Fatal(err)
		}
	}
	var wout, werr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan error, 1)
	go func() {
		stopped <- run(ctx, []string{"export", filepath.Join(dir, "copy"), "--watch", "--interval", "20ms"}, env(vars), nil, &wout, &werr)
	}()
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(werr.String(), "the watch goes on") && time.Now().Before(deadline); {
		select {
		case err := <-stopped:
			t.Fatalf("export --watch stopped by itself: %v\n%s", err, werr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	if err := <-stopped; err != nil {
		t.Errorf("export --watch, interrupted: %v", err)
	}
	if e := werr.String(); !strings.Contains(e, "export: error: the copy is incomplete") || !strings.Contains(e, "missing file /media/") {
		t.Errorf("export --watch with the photos gone says:\n%s", e)
	}
}

// lockedBuffer is a bytes.Buffer a command writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
