package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestExportSignVerify runs keygen, export --sign and verify as an
// operator would, and checks each command's exit status.
func TestExportSignVerify(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		data, copyDir, key := filepath.Join(dir, "data"), filepath.Join(dir, "copy"), filepath.Join(dir, "keys", "site")
		os.MkdirAll(filepath.Dir(key), 0o700)
		vars := map[string]string{"NEWSDESK_DATA": data, "NEWSDESK_DB": dsn}
		cmd := func(args ...string) (string, string, error) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), args, env(vars), nil, &out, &errOut)
			return out.String(), errOut.String(), err
		}
		// A database with the sample newsroom, through the importer.
		if out, _, err := cmd("import", demoDir(t)); err != nil {
			t.Fatalf("import: %v\n%s", err, out)
		}

		if _, _, err := cmd("keygen"); exitCode(err) != 2 {
			t.Errorf("keygen without --out: %v, want exit 2", err)
		}
		out, _, err := cmd("keygen", "--out", key)
		if err != nil || !strings.Contains(out, "newsdesk-ed25519 ") {
			t.Fatalf("keygen: %v\n%s", err, out)
		}
		if _, _, err := cmd("keygen", "--out", key); err == nil || exitCode(err) != 1 {
			t.Errorf("keygen over an existing key: %v, want exit 1", err)
		}

		if _, _, err := cmd("export", copyDir); exitCode(err) != 2 {
			t.Errorf("export without --base-url: %v, want exit 2", err)
		}
		out, _, err = cmd("export", copyDir, "--base-url", "https://news.example.org", "--sign", key)
		if err != nil || !strings.Contains(out, "written") || !strings.Contains(out, "took") {
			t.Fatalf("export: %v\n%s", err, out)
		}
		out, _, err = cmd("export", "--base-url", "https://news.example.org", "--sign", key, copyDir)
		if err != nil || !strings.Contains(out, " 0 written") {
			t.Errorf("a second export: %v\n%s", err, out)
		}

		out, _, err = cmd("verify", copyDir, "--key", key+".pub")
		if err != nil || !strings.HasPrefix(out, "OK: ") {
			t.Errorf("verify a fresh copy: %v\n%s", err, out)
		}
		os.WriteFile(filepath.Join(copyDir, "extra.html"), []byte("x"), 0o644)
		os.Remove(filepath.Join(copyDir, "robots.txt"))
		out, _, err = cmd("verify", copyDir, "--key", key+".pub")
		if err == nil || exitCode(err) != 1 || !strings.Contains(out, "extra: extra.html") || !strings.Contains(out, "missing: robots.txt") {
			t.Errorf("verify a tampered copy: %v, want exit 1 naming both files\n%s", err, out)
		}
		if _, _, err := cmd("verify", copyDir); exitCode(err) != 2 {
			t.Errorf("verify without --key: %v, want exit 2", err)
		}
	})
}

// demoDir writes the sample newsroom's files to a folder, for import.
func demoDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, demo.Files()); err != nil {
		t.Fatal(err)
	}
	return dir
}
