//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestImportReportEscapesControlCharacters: the folder being imported may
// be a stranger's, and its file names and front matter reach the
// operator's terminal in the report. An escape sequence there (clear the
// screen, set the window title), a newline that forges a success line, a
// bidirectional override, or bytes that are not UTF-8 are printed escaped:
// one report line per file, and no byte a terminal acts on.
func TestImportReportEscapesControlCharacters(t *testing.T) {
	in := t.TempDir()
	// A photo path with a screen-clearing escape, a title escape (ended
	// by a bell), a one-byte CSI (U+009B) and a right-to-left override.
	writeFile(t, filepath.Join(in, "a.md"), storyWithPhoto("Ferries", `"\e[2J\e]2;pwned\a\u009b31m\u202egpj.jpg"`))
	// A file name that forges a line of the report, with a byte that is
	// not UTF-8.
	writeFile(t, filepath.Join(in, "b\n/news/forged\xff.md"), []byte("---\ntitle: Forged\n---\n"))
	stdout, _, err := importRun(t, t.TempDir(), nil, in)
	if err == nil {
		t.Fatalf("both files imported: %q", stdout)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 2 {
		t.Errorf("%d report lines for 2 files, want 2:\n%s", len(lines), stdout)
	}
	for _, bad := range []string{"\x1b", "\a", "\u009b", "\u202e", "\xff"} {
		if strings.Contains(stdout, bad) {
			t.Errorf("the report holds %q raw:\n%q", bad, stdout)
		}
	}
	for _, want := range []string{`a.md:7: image.src: \x1b[2J\x1b]2;pwned\a\u009b31m\u202egpj.jpg does not exist`, `b\n/news/forged\xff.md: file: b\n/news/forged\xff.md has a name that is not UTF-8 text: rename it`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %s:\n%s", want, stdout)
		}
	}
}

// TestImportNamesWhyAnArgumentCannotBeRead: an argument that cannot be
// opened is reported with the system's reason, not only "does not exist".
func TestImportNamesWhyAnArgumentCannotBeRead(t *testing.T) {
	in := t.TempDir()
	writeFile(t, filepath.Join(in, "a.md"), []byte("x"))
	stdout, _, _ := importRun(t, t.TempDir(), nil, filepath.Join(in, "a.md", "b.md"), filepath.Join(in, "none.md"))
	for _, want := range []string{"a.md/b.md: cannot be read: not a directory", "none.md: does not exist"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
}
