package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestUserAdd(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"NEWSDESK_DATA": t.TempDir(), "NEWSDESK_DB": dsn}
		add := func(stdin string, args ...string) (string, error) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"user", "add"}, args...), env(vars), strings.NewReader(stdin), &out, &errOut)
			return out.String(), err
		}
		out, err := add("a long enough password\n", "--email", "Ana@Example.org", "--name", "Ana Ruiz", "--role", "editor", "--password-stdin")
		if err != nil || !strings.HasPrefix(out, "created editor ana@example.org") {
			t.Fatalf("user add: %q, %v", out, err)
		}
		tests := []struct {
			name, stdin string
			args        []string
			code        int
			msg         string
		}{
			{"no --password-stdin", "pw\n", []string{"--email", "b@example.org", "--name", "B", "--role", "editor"}, 2, "--password-stdin"},
			{"bad role", "a long enough password\n", []string{"--email", "b@example.org", "--name", "B", "--role", "boss", "--password-stdin"}, 2, "not a role"},
			{"short password", "short\n", []string{"--email", "b@example.org", "--name", "B", "--role", "admin", "--password-stdin"}, 1, "at least 12"},
			{"taken address", "a long enough password\n", []string{"--email", "ana@example.org", "--name", "B", "--role", "admin", "--password-stdin"}, 1, "exists already"},
			{"bad address", "a long enough password\n", []string{"--email", "not an address", "--name", "B", "--role", "admin", "--password-stdin"}, 1, "not an e-mail address"},
		}
		for _, tt := range tests {
			_, err := add(tt.stdin, tt.args...)
			if err == nil || exitCode(err) != tt.code || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("%s: got %v (exit %d), want exit %d naming %q", tt.name, err, exitCode(err), tt.code, tt.msg)
			}
		}
		st, err := store.Open(context.Background(), dsnOf(vars))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		u, err := st.UserByEmail(context.Background(), "ana@example.org")
		if err != nil || u.Role != news.Editor || u.Name != "Ana Ruiz" {
			t.Fatalf("the account: %+v, %v", u, err)
		}
		if ok, _ := auth.CheckPassword(u.PasswordHash, "a long enough password"); !ok {
			t.Error("the stored hash does not match the password read from standard input")
		}
		if n, _ := st.CountUsers(context.Background()); n != 1 {
			t.Errorf("accounts after the refused attempts: %d, want 1", n)
		}
	})
}

// dsnOf is the database the variables name.
func dsnOf(vars map[string]string) string {
	if vars["NEWSDESK_DB"] != "" {
		return vars["NEWSDESK_DB"]
	}
	return filepath.Join(vars["NEWSDESK_DATA"], "newsdesk.db")
}

// startServeLogged is startServe keeping the log, for the setup link.
func startServeLogged(t *testing.T, args []string, vars map[string]string) (string, *syncWriter) {
	t.Helper()
	logs := &syncWriter{}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), env(vars), nil, pw, logs)
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
	buf := make([]byte, 512)
	n, err := pr.Read(buf)
	if err != nil {
		t.Fatalf("serve said nothing: %v\n%s", err, logs.String())
	}
	go io.Copy(io.Discard, pr)
	line := string(buf[:n])
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("serve said %q", line)
	}
	return strings.TrimSuffix(strings.TrimSpace(line[i:]), "/"), logs
}

var setupLinkPattern = regexp.MustCompile(`link=(http://\S+/admin/setup/[A-Za-z0-9_-]+)`)

func TestServeLogsSetupLinkAndServesNewsroom(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"NEWSDESK_DATA": t.TempDir(), "NEWSDESK_DB": dsn}
		base, logs := startServeLogged(t, nil, vars)
		m := setupLinkPattern.FindStringSubmatch(logs.String())
		if m == nil {
			t.Fatalf("no setup link in the log:\n%s", logs.String())
		}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := client.Get(m[1])
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("the setup link: %d", res.StatusCode)
		}
		res, err = client.Get(base + "/admin/")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/login") {
			t.Errorf("/admin/ without a session: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if code, _ := fetch(t, base+"/"); code != 200 {
			t.Errorf("the public home beside the newsroom: %d", code)
		}
	})
}

// syncWriter is a log destination safe for concurrent writes.
type syncWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// testPhoto is a small JPEG with some detail in it.
func testPhoto(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 900, 600))
	for y := range 600 {
		for x := range 900 {
			img.Set(x, y, color.RGBA{uint8(x / 4), uint8(y / 3), 140, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
