// Command buildeditor bundles the newsroom's body editor (web/editor: the
// npm packages its lockfile pins, and src/*.js) into web/static/editor.js
// with esbuild's Go API, so that neither building nor running Newsdesk needs
// Node: npm only fetches the packages (scripts/build-editor runs npm ci).
//
// The bundle's first line records the SHA-256 of the lockfile and of the
// sources it was built from; a test (hashes_test.go) fails when they
// disagree with the files on disk, and -check rebuilds and compares bytes.
//
//	go run ./scripts/buildeditor [-out web/static/editor.js] [-check]
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

func main() {
	root := flag.String("root", ".", "the repository's root")
	out := flag.String("out", "web/static/editor.js", "the bundle to write, relative to -root")
	check := flag.Bool("check", false, "build in memory and fail unless the result equals -out byte for byte")
	flag.Parse()
	if err := run(*root, *out, *check); err != nil {
		fmt.Fprintln(os.Stderr, "buildeditor:", err)
		os.Exit(1)
	}
}

func run(root, out string, check bool) error {
	dir := filepath.Join(root, "web", "editor")
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		return fmt.Errorf("%s: no node_modules: run scripts/build-editor, which installs the locked packages first", dir)
	}
	js, err := build(dir)
	if err != nil {
		return err
	}
	target := filepath.Join(root, out)
	if check {
		old, err := os.ReadFile(target)
		if err != nil {
			return err
		}
		if !bytes.Equal(old, js) {
			return fmt.Errorf("%s differs from a fresh build of web/editor (%d bytes committed, %d built): run scripts/build-editor and commit the result", out, len(old), len(js))
		}
		fmt.Printf("%s: up to date (%d bytes)\n", out, len(js))
		return nil
	}
	if err := os.WriteFile(target, js, 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d bytes\n", out, len(js))
	return nil
}

// build bundles dir's src/main.js and returns the bundle with its header.
func build(dir string) ([]byte, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	header, err := Header(abs)
	if err != nil {
		return nil, err
	}
	res := api.Build(api.BuildOptions{
		AbsWorkingDir:     abs,
		EntryPoints:       []string{"src/main.js"},
		Bundle:            true,
		Write:             false,
		Format:            api.FormatIIFE,
		Target:            api.ES2020,
		Platform:          api.PlatformBrowser,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsEndOfFile,
		TreeShaking:       api.TreeShakingTrue,
		Sourcemap:         api.SourceMapNone,
		LogLevel:          api.LogLevelSilent,
		Outfile:           "editor.js",
		Banner:            map[string]string{"js": header},
	})
	if len(res.Errors) > 0 {
		var msgs []string
		for _, m := range api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage}) {
			msgs = append(msgs, strings.TrimSpace(m))
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	if len(res.OutputFiles) != 1 {
		return nil, fmt.Errorf("esbuild wrote %d files, want 1", len(res.OutputFiles))
	}
	return res.OutputFiles[0].Contents, nil
}

// Header is the bundle's first line: the SHA-256 of the lockfile and of
// the sources in dir (web/editor).
func Header(dir string) (string, error) {
	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return "", err
	}
	src, err := SourcesHash(dir)
	if err != nil {
		return "", err
	}
	l := sha256.Sum256(lock)
	return fmt.Sprintf("/* newsdesk editor, built by scripts/build-editor from web/editor: package-lock.json sha256 %s; src sha256 %s */",
		hex.EncodeToString(l[:]), src), nil
}

// SourcesHash is the SHA-256 of package.json and of every file under
// dir/src, by name in byte order: each file's slash-separated path, a NUL,
// its length, a NUL, its bytes.
func SourcesHash(dir string) (string, error) {
	var names []string
	err := filepath.WalkDir(filepath.Join(dir, "src"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	names = append(names, "package.json")
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
