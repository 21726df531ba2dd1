// Package mailserver gives tests a real SMTP server: Mailpit, which
// scripts/setup builds from the Go module proxy into the tools folder
// (bin/mailpit), started for the test on free loopback ports and stopped
// when it ends. Tests read what was delivered through Mailpit's HTTP API.
// Like testkit, it skips a test when the program is missing, except under
// CI (CI=true), where it fails it.
//
// It imports nothing of Newsdesk, so that any package's tests can use it.
package mailserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Server is a running Mailpit.
type Server struct {
	SMTP string // smtp://127.0.0.1:PORT?tls=none, for mail.ParseSMTP
	HTTP string // http://127.0.0.1:PORT, its API
	cmd  *exec.Cmd
}

// Path is where scripts/setup puts Mailpit; $NEWSDESK_MAILPIT wins.
func Path() string {
	if p := os.Getenv("NEWSDESK_MAILPIT"); p != "" {
		return p
	}
	dir := os.Getenv("NEWSDESK_TOOLS") // as nd_tools_dir in scripts/lib.sh
	if dir == "" {
		c, _ := os.UserCacheDir()
		dir = filepath.Join(c, "newsdesk-tools")
	}
	return filepath.Join(dir, "bin", "mailpit")
}

// Start runs a Mailpit of the test's own, stopped when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Path()
	if _, err := os.Stat(bin); err != nil {
		msg := fmt.Sprintf("no Mailpit at %s: the mail tests need a real SMTP server (scripts/setup builds it; NEWSDESK_MAILPIT names another)", bin)
		if os.Getenv("CI") == "true" {
			t.Fatal("CI: " + msg)
		}
		t.Skip(msg)
	}
	var s *Server
	// Free ports are found by listening and letting go: another program
	// may take one meanwhile, so a failed start is tried again.
	for try := 0; ; try++ {
		var err error
		s, err = start(t, bin)
		if err == nil {
			break
		}
		if try == 4 {
			t.Fatalf("starting Mailpit: %v", err)
		}
	}
	return s
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func start(t testing.TB, bin string) (*Server, error) {
	smtpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	dir := t.TempDir()
	cmd := exec.Command(bin,
		"--smtp", "127.0.0.1:"+strconv.Itoa(smtpPort),
		"--listen", "127.0.0.1:"+strconv.Itoa(httpPort),
		"--database", filepath.Join(dir, "mailpit.db"),
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure",
		"--disable-version-check", "--quiet")
	logf, err := os.Create(filepath.Join(dir, "log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	s := &Server{SMTP: fmt.Sprintf("smtp://127.0.0.1:%d?tls=none", smtpPort), HTTP: fmt.Sprintf("http://127.0.0.1:%d", httpPort), cmd: cmd}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-exited:
			out, _ := os.ReadFile(filepath.Join(dir, "log"))
			return nil, fmt.Errorf("mailpit exited: %v: %s", err, out)
		default:
		}
		if _, err := s.Messages(); err == nil {
			if c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(smtpPort), time.Second); err == nil {
				c.Close()
				break
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-exited
			return nil, fmt.Errorf("mailpit did not answer within 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	return s, nil
}

// Address is one address of a delivered message.
type Address struct {
	Name    string
	Address string
}

// Message is one delivered message as Mailpit read it.
type Message struct {
	ID      string
	From    Address
	To      []Address
	Subject string
	Text    string
	HTML    string
}

// Recipients lists m's To addresses.
func (m Message) Recipients() []string {
	var out []string
	for _, a := range m.To {
		out = append(out, a.Address)
	}
	return out
}

func (s *Server) get(path string, v any) error {
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(s.HTTP + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Messages returns every message delivered so far, oldest first, with
// their bodies.
func (s *Server) Messages() ([]Message, error) {
	var list struct {
		Messages []struct{ ID string }
	}
	if err := s.get("/api/v1/messages?limit=1000", &list); err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(list.Messages))
	for i := len(list.Messages) - 1; i >= 0; i-- { // the API lists newest first
		var m Message
		if err := s.get("/api/v1/message/"+url.PathEscape(list.Messages[i].ID), &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// WaitFor returns the messages delivered to addr once there are at least
// n, failing the test after 30 s.
func (s *Server) WaitFor(t testing.TB, addr string, n int) []Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		all, err := s.Messages()
		if err != nil {
			t.Fatalf("reading Mailpit: %v", err)
		}
		var got []Message
		for _, m := range all {
			for _, a := range m.To {
				if strings.EqualFold(a.Address, addr) {
					got = append(got, m)
					break
				}
			}
		}
		if len(got) >= n {
			return got
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d message(s) to %s after 30 s, want %d", len(got), addr, n)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
