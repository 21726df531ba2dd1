package testkit

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const validPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Front page</title></head>
<body><main><h1>News</h1><p>Hello.</p></main></body></html>
`

const invalidPage = `<!doctype html>
<html lang="en"><head><title>Broken</title></head>
<body><p><div>block in a paragraph</p><blink>old</blink></body></html>
`

func TestVNUCheck(t *testing.T) {
	jar := vnuJar(t)
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.html"), filepath.Join(dir, "bad.html")
	for p, s := range map[string]string{good: validPage, bad: invalidPage} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	errs, err := vnuCheck(jar, []string{good, bad})
	if err != nil {
		t.Fatal(err)
	}
	if got := errs[good]; len(got) != 0 {
		t.Errorf("valid page: got errors %q, want none", got)
	}
	got := strings.Join(errs[bad], "\n")
	for _, want := range []string{`“p” end tag`, `“blink”`} {
		if !strings.Contains(got, want) {
			t.Errorf("invalid page: errors\n%s\ndo not mention %s", got, want)
		}
	}
	if len(errs) != 1 {
		t.Errorf("errors for %d files, want only for bad.html: %q", len(errs), errs)
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestValidateHTMLBatch(t *testing.T) {
	vnuJar(t) // skip here, not in the recorder, when the checker is missing
	r := &recorder{TB: t}
	ValidateHTMLBatch(r, map[string][]byte{
		"front page":     []byte(validPage),
		"article/broken": []byte(invalidPage),
	})
	if len(r.errors) != 1 || !strings.HasPrefix(r.errors[0], "article/broken is not valid HTML") {
		t.Errorf("got failures %q, want one for article/broken", r.errors)
	}

	ValidateHTML(t, "front page", []byte(validPage))
}

func TestBrowserContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, validPage)
	}))
	defer srv.Close()

	ctx := BrowserContext(t)
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title != "Front page" {
		t.Errorf("title: got %q, want %q", title, "Front page")
	}
}

func TestFreshPostgres(t *testing.T) {
	server := Postgres(t)
	var name string
	t.Run("postgres", func(t *testing.T) {
		dsn := FreshPostgres(t)
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		// Left open on purpose: the drop must get past open connections.
		if err := db.QueryRow("SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, "nd_test_") {
			t.Errorf("database name %q, want prefix nd_test_", name)
		}
		if _, err := db.Exec("CREATE TABLE t (id int PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 0 {
			t.Errorf("count of a new table: got %d, %v; want 0", n, err)
		}
	})
	if name == "" {
		return
	}
	db, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("database %s still exists after its test ended", name)
	}
}

func TestWithDatabase(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable", "postgres://postgres@127.0.0.1:55432/nd_x?sslmode=disable"},
		{"postgresql://u:p@h/", "postgresql://u:p@h/nd_x"},
		{"host=127.0.0.1 port=55432 user=postgres dbname=postgres", "host=127.0.0.1 port=55432 user=postgres dbname=postgres dbname=nd_x"},
	} {
		got, err := withDatabase(tc.in, "nd_x")
		if err != nil || got != tc.want {
			t.Errorf("withDatabase(%q): got %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
