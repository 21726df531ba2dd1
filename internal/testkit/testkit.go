// Package testkit gives tests the outside tools they need: a PostgreSQL
// server, the Nu HTML Checker and a headless Chromium. Each helper finds its
// tool from an environment variable (NEWSDESK_TEST_POSTGRES, NEWSDESK_VNU,
// NEWSDESK_CHROMIUM) or a usual place, and skips the test when the tool is
// missing, except under CI (CI=true), where a missing tool fails the test so
// that a green run means every test ran. scripts/setup installs the tools and
// scripts/test starts a PostgreSQL server.
//
// Only tests import it.
package testkit

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// missing stops the test because a tool it needs is not there: a failure
// under CI, a skip elsewhere.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI: "+format, args...)
	}
	t.Skipf(format, args...)
}

// repoRoot returns the folder with go.mod that holds the working directory,
// which is a package folder while tests run.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// toolsDir is where scripts/setup installs the npm tools; it matches
// nd_tools_dir in scripts/lib.sh.
func toolsDir() string {
	if d := os.Getenv("NEWSDESK_TOOLS"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "newsdesk-tools")
	}
	return ""
}
