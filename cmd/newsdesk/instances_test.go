package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/testkit"
)

// fetch GETs a URL and returns the status and body.
func fetch(t *testing.T, u string) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	res, err := client.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func importArticle(t *testing.T, vars map[string]string, dir, title, section string) string {
	t.Helper()
	file := filepath.Join(dir, strings.ReplaceAll(strings.ToLower(title), " ", "-")+".md")
	writeFile(t, file, []byte("---\ntitle: "+title+"\ndate: "+time.Now().UTC().Format(time.RFC3339)+"\nsection: "+section+"\n---\nBody.\n"))
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", file}, env(vars), nil, &out, io.Discard); err != nil {
		t.Fatalf("import: %v: %s", err, out.String())
	}
	return strings.TrimSpace(out.String())
}

// TestTwoInstancesOnePostgres: an article imported from the command line
// shows on both instances, on the home page and its section, within a
// second.
func TestTwoInstancesOnePostgres(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		dsn := testkit.FreshPostgres(t)
		data := t.TempDir() // the media folder is shared, as the README says
		vars := map[string]string{"NEWSDESK_DB": dsn, "NEWSDESK_DATA": data}
		first := importArticle(t, vars, t.TempDir(), "Opening story", "news/world")
		a := startServe(t, nil, vars)
		b := startServe(t, nil, vars)
		for _, base := range []string{a, b} {
			if _, body := fetch(t, base+"/"); !strings.Contains(body, first) {
				t.Fatalf("%s does not show the first story", base)
			}
		}
		path := importArticle(t, vars, t.TempDir(), "Breaking story", "news/world")
		imported := time.Now()
		for _, base := range []string{a, b} {
			for _, page := range []string{"/", "/news/world/", "/news/"} {
				for {
					_, body := fetch(t, base+page)
					if strings.Contains(body, `href="`+path+`"`) {
						break
					}
					if time.Since(imported) > time.Second {
						t.Fatalf("%s%s does not show the new story a second after the import", base, page)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
		}
		t.Logf("visible on both instances, 3 pages each, %v after the import returned", time.Since(imported).Round(time.Millisecond))
	})
}

// proxy is a TCP relay to the database that the test can cut and restore,
// as a network failure or a stopped server would, without touching the
// server other tests use.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	go p.accept()
	t.Cleanup(func() { ln.Close(); p.cut() })
	return p
}

func (p *proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns[c], p.conns[up] = true, true
		p.mu.Unlock()
		go func() { io.Copy(up, c); up.Close() }()
		go func() { io.Copy(c, up); c.Close() }()
	}
}

// cut closes every open connection and refuses new ones.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *proxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

// TestDatabaseOutage: with the database gone, cached pages are still
// served, the rest is answered 503 with Retry-After, nothing crashes, and
// everything works again when the database returns.
func TestDatabaseOutage(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		dsn := testkit.FreshPostgres(t)
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		p := newProxy(t, u.Host)
		u.Host = p.ln.Addr().String()
		data := t.TempDir()
		vars := map[string]string{"NEWSDESK_DB": u.String(), "NEWSDESK_DATA": data}
		story := importArticle(t, vars, t.TempDir(), "Before the outage", "news/world")
		base := startServe(t, nil, vars)
		cached := []string{"/", story, "/news/world/"}
		for _, page := range cached {
			if status, _ := fetch(t, base+page); status != 200 {
				t.Fatalf("%s: %d before the outage", page, status)
			}
		}

		p.cut()
		// Let the change watcher notice; it must keep the cache.
		time.Sleep(300 * time.Millisecond)
		deadline := time.Now().Add(2 * time.Second)
		for time.Now().Before(deadline) {
			for _, page := range cached {
				if status, _ := fetch(t, base+page); status != 200 {
					t.Fatalf("%s: %d during the outage, want the cached page", page, status)
				}
			}
		}
		res, err := http.Get(base + "/news/")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
			t.Errorf("uncached page during the outage: %d (Retry-After %q), want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
		}

		p.restore()
		recovered := time.Now()
		for {
			status, _ := fetch(t, base+"/news/")
			if status == 200 {
				break
			}
			if time.Since(recovered) > 10*time.Second {
				t.Fatalf("/news/ still %d 10 s after the database returned", status)
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("recovered %v after the database returned", time.Since(recovered).Round(time.Millisecond))
		// Changes flow again.
		after := importArticle(t, vars, t.TempDir(), "After the outage", "news/world")
		for start := time.Now(); ; {
			if _, body := fetch(t, base+"/"); strings.Contains(body, after) {
				break
			}
			if time.Since(start) > 2*time.Second {
				t.Fatal("a story imported after the outage does not show on the home page")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// TestMigrateDB: the sample newsroom moved from SQLite to PostgreSQL serves
// the same pages, byte for byte.
func TestMigrateDB(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		data := t.TempDir()
		common := []string{"--data", data, "--base-url", "https://news.example.org", "--site-name", "Meridian 24"}
		before := startServe(t, append([]string{"--demo"}, common...), nil)
		pages := []string{"/", "/news/", "/news/europe/", "/tag/elections", "/robots.txt"}
		_, home := fetch(t, before+"/")
		i := strings.Index(home, `<h3><a href="/`)
		if i < 0 {
			t.Fatal("no story on the home page")
		}
		story := home[i+len(`<h3><a href="`):]
		pages = append(pages, story[:strings.IndexByte(story, '"')])

		dsn := testkit.FreshPostgres(t)
		var out bytes.Buffer
		if err := run(context.Background(), []string{"migrate-db", "--data", data, "--to", dsn}, env(nil), nil, &out, io.Discard); err != nil {
			t.Fatalf("migrate-db: %v\n%s", err, out.String())
		}
		if !strings.Contains(out.String(), "Verified") {
			t.Errorf("migrate-db output: %s", out.String())
		}
		after := startServe(t, append([]string{"--db", dsn}, common...), nil)
		for _, page := range pages {
			s1, b1 := fetch(t, before+page)
			s2, b2 := fetch(t, after+page)
			if s1 != s2 || b1 != b2 {
				t.Errorf("%s differs after the move: %d vs %d (%d vs %d bytes)", page, s1, s2, len(b1), len(b2))
			}
		}
		// Moving into a database that has content is refused.
		err := run(context.Background(), []string{"migrate-db", "--data", data, "--to", dsn}, env(nil), nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Errorf("second migrate-db: %v, want a refusal", err)
		}
	})
}
