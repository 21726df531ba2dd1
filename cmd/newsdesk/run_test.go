package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// env returns a getenv that knows only vars.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestVersionAndUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"version"}, env(nil), nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "newsdesk ") {
		t.Errorf("version: %q", out.String())
	}
	err := run(context.Background(), []string{"frobnicate"}, env(nil), nil, &out, &errOut)
	if err == nil || exitCode(err) != 2 || !strings.Contains(errOut.String(), "Usage: newsdesk") {
		t.Errorf("unknown command: err %v, exit %d, stderr %q", err, exitCode(err), errOut.String())
	}
	err = run(context.Background(), []string{"serve", "--base-url", "not a url"}, env(nil), nil, &out, &errOut)
	if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "--base-url") {
		t.Errorf("bad --base-url: %v", err)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestImportCommand(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		var jpg bytes.Buffer
		jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 320, 180)), nil)
		writeFile(t, filepath.Join(dir, "in/photo.jpg"), jpg.Bytes())
		writeFile(t, filepath.Join(dir, "in/good.md"), []byte("---\ntitle: Good story\ndate: 2026-11-20T08:00:00Z\nsection: news/world\nimage:\n  src: photo.jpg\n  alt: A grey square\n---\nBody.\n"))
		writeFile(t, filepath.Join(dir, "in/bad.md"), []byte("---\ndate: 2026-11-20T08:00:00Z\nsection: news\n---\nNo title.\n"))
		var out, errOut bytes.Buffer
		// Flags from the environment, as an operator's unit file would set them.
		vars := map[string]string{"NEWSDESK_DATA": filepath.Join(dir, "data"), "NEWSDESK_DB": dsn}
		err := run(context.Background(), []string{"import", filepath.Join(dir, "in")}, env(vars), nil, &out, &errOut)
		if err == nil || exitCode(err) != 1 {
			t.Errorf("a failed file: err %v, want exit 1", err)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) != 2 {
			t.Fatalf("want one line per file, got %q", out.String())
		}
		if !strings.Contains(lines[0], "bad.md:1: title: is missing") {
			t.Errorf("bad file line: %q", lines[0])
		}
		if lines[1] != "/news/world/good-story" {
			t.Errorf("good file line: %q", lines[1])
		}
		// Importing the good file alone succeeds, and again does not duplicate.
		for range 2 {
			out.Reset()
			if err := run(context.Background(), []string{"import", filepath.Join(dir, "in/good.md")}, env(vars), nil, &out, &errOut); err != nil {
				t.Fatalf("%v: %s", err, out.String())
			}
			if strings.TrimSpace(out.String()) != "/news/world/good-story" {
				t.Errorf("got %q", out.String())
			}
		}
	})
}

// startServe runs "newsdesk serve" with args and returns its base URL; the
// server stops when the test ends, and must stop cleanly.
func startServe(t *testing.T, args []string, vars map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), env(vars), nil, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve ended with %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve said nothing: %v", err)
	}
	go io.Copy(io.Discard, pr)
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("serve said %q", line)
	}
	return strings.TrimSuffix(strings.TrimSpace(line[i:]), "/")
}

func TestServeDemo(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		base := startServe(t, []string{"--demo", "--data", dir, "--db", dsn, "--mirror", "https://mirror.example.net"}, nil)
		res, err := http.Get(base + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), "Meridian 24") || !strings.Contains(string(body), "mirror.example.net") {
			t.Errorf("home: %d\n%s", res.StatusCode, body)
		}
		if strings.Count(string(body), `<article class="card">`) < 10 {
			t.Errorf("home lists fewer than 10 stories")
		}
	})
}

// TestExitCode pins the exit status of each kind of outcome; a test that
// checks for status 1 must not pass when the command succeeded.
func TestExitCode(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{errSilent, 1},
		{errors.New("disk full"), 1},
		{usageError{"bad flag"}, 2},
		{fmt.Errorf("import: %w", usageError{"bad flag"}), 2},
		{flag.ErrHelp, 2},
	} {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
