package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestExportFailsOnMissingFiles runs export as an operator would with
// photos gone from the media folder (issue 14, finding 11): one variant,
// then the whole folder. The export exits with status 1 and names what is
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
