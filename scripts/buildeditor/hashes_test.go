package main

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"
)

// TestBundleMatchesSources fails when web/static/editor.js was not built
// from the lockfile and sources on disk: someone changed web/editor and did
// not run scripts/build-editor, or edited the bundle by hand. It reads only
// hashes, so it needs no Node; scripts/build-editor --check rebuilds and
// compares the bytes.
func TestBundleMatchesSources(t *testing.T) {
	root := filepath.Join("..", "..")
	want, err := Header(filepath.Join(root, "web", "editor"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(root, "web", "static", "editor.js"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	if !sc.Scan() {
		t.Fatalf("web/static/editor.js is empty: %v", sc.Err())
	}
	if got := sc.Text(); got != want {
		t.Errorf("web/static/editor.js was built from other sources than web/editor holds: run scripts/build-editor and commit the bundle.\nits first line: %s\nthe sources':  %s", got, want)
	}
}

// TestSourcesHashSeesEveryChange: a changed byte, a renamed file or a new
// file under src changes the hash.
func TestSourcesHashSeesEveryChange(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("package.json", "{}")
	write("src/a.js", "a")
	seen := map[string]string{}
	step := func(what string) {
		t.Helper()
		h, err := SourcesHash(dir)
		if err != nil {
			t.Fatal(err)
		}
		if prev, ok := seen[h]; ok {
			t.Fatalf("%s: same hash as after %s", what, prev)
		}
		seen[h] = what
	}
	step("start")
	write("src/a.js", "b")
	step("a changed byte")
	if err := os.Rename(filepath.Join(dir, "src", "a.js"), filepath.Join(dir, "src", "b.js")); err != nil {
		t.Fatal(err)
	}
	step("a rename")
	write("src/sub/c.js", "")
	step("a new empty file")
	write("package.json", "{ }")
	step("package.json")
}
