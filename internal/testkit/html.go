package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// ValidateHTML checks the document html with the Nu HTML Checker and fails
// the test with each error it reports. name only labels the messages.
// The checker needs java and vnu.jar (NEWSDESK_VNU, else the repo's
// node_modules, else the folder of scripts/setup); without them it skips
// the test, or fails it under CI.
//
// Each call starts a JVM, which takes a second or two: check many pages with
// ValidateHTMLBatch.
func ValidateHTML(t testing.TB, name string, html []byte) {
	t.Helper()
	ValidateHTMLBatch(t, map[string][]byte{name: html})
}

// ValidateHTMLBatch checks many documents, keyed by name, in one run of the
// Nu HTML Checker, and fails the test with each error, under the name of its
// document.
func ValidateHTMLBatch(t testing.TB, docs map[string][]byte) {
	t.Helper()
	if len(docs) == 0 {
		return
	}
	jar := vnuJar(t)
	dir := t.TempDir()
	names := slices.Sorted(maps.Keys(docs))
	files := make(map[string]string, len(docs)) // file path -> name
	paths := make([]string, 0, len(docs))
	for i, n := range names {
		// Files are numbered: a name may hold slashes or odd characters.
		p := filepath.Join(dir, fmt.Sprintf("%04d.html", i))
		if err := os.WriteFile(p, docs[n], 0o644); err != nil {
			t.Fatal(err)
		}
		files[p] = n
		paths = append(paths, p)
	}
	errs, err := vnuCheck(jar, paths)
	if err != nil {
		t.Fatalf("Nu HTML Checker: %v", err)
	}
	for _, p := range paths {
		if msgs := errs[p]; len(msgs) > 0 {
			t.Errorf("%s is not valid HTML (Nu HTML Checker):\n\t%s", files[p], strings.Join(msgs, "\n\t"))
		}
	}
}

// vnuJar returns the path of vnu.jar, after checking that java is there too.
func vnuJar(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("java"); err != nil {
		missing(t, "java not found: the Nu HTML Checker needs it (scripts/setup installs it)")
	}
	if p := os.Getenv("NEWSDESK_VNU"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("NEWSDESK_VNU: %v", err)
		}
		return p
	}
	var candidates []string
	if root, err := repoRoot(); err == nil {
		candidates = append(candidates, filepath.Join(root, "node_modules", "vnu-jar", "build", "dist", "vnu.jar"))
	}
	if d := toolsDir(); d != "" {
		candidates = append(candidates, filepath.Join(d, "node_modules", "vnu-jar", "build", "dist", "vnu.jar"))
	}
	for _, p := range candidates {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	missing(t, "vnu.jar not found: set NEWSDESK_VNU or run scripts/setup (looked in %s)", strings.Join(candidates, ", "))
	return ""
}

// vnuMessage is one message of the checker's JSON output.
type vnuMessage struct {
	Type        string `json:"type"`    // "error", "info" or "non-document-error"
	SubType     string `json:"subType"` // "fatal", "warning", "io", ...
	URL         string `json:"url"`
	FirstLine   int    `json:"firstLine"`
	LastLine    int    `json:"lastLine"`
	FirstColumn int    `json:"firstColumn"`
	Message     string `json:"message"`
	Extract     string `json:"extract"`
}

// vnuCheck runs the checker once on the HTML files at paths and returns the
// errors of each file, keyed by its path, as "line:column: message". A file
// without errors has no key. The error is for a checker that did not run or
// could not read a file.
func vnuCheck(jar string, paths []string) (map[string][]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// JSON rather than text output: each message names its file in one field.
	args := append([]string{"-jar", jar, "--errors-only", "--format", "json", "--stdout"}, paths...)
	cmd := exec.CommandContext(ctx, "java", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // exit status 1 means "found errors"

	var out struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		if runErr != nil {
			return nil, fmt.Errorf("%v: %s", runErr, bytes.TrimSpace(stderr.Bytes()))
		}
		return nil, fmt.Errorf("reading its output: %v", err)
	}

	known := make(map[string]bool, len(paths))
	for _, p := range paths {
		known[p] = true
	}
	res := make(map[string][]string)
	var problems []string
	for _, m := range out.Messages {
		path := m.URL
		if u, err := url.Parse(m.URL); err == nil && u.Scheme == "file" {
			path = u.Path
		}
		if m.Type == "non-document-error" || !known[path] {
			problems = append(problems, fmt.Sprintf("%s: %s", m.URL, m.Message))
			continue
		}
		if m.Type != "error" {
			continue
		}
		line := m.FirstLine
		if line == 0 {
			line = m.LastLine
		}
		msg := fmt.Sprintf("%d:%d: %s", line, m.FirstColumn, m.Message)
		if ex := strings.TrimSpace(m.Extract); ex != "" {
			msg += fmt.Sprintf(" [%s]", strings.Join(strings.Fields(ex), " "))
		}
		res[path] = append(res[path], msg)
	}
	if len(problems) > 0 {
		return res, errors.New(strings.Join(problems, "; "))
	}
	if runErr != nil && len(res) == 0 {
		return nil, fmt.Errorf("%v: %s", runErr, bytes.TrimSpace(stderr.Bytes()))
	}
	return res, nil
}
