package site

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// routeFiles hold every address the program answers itself, beside the
// sections and articles: the route tables of the three surfaces, the
// dispatch in front of them, and the files a static copy adds.
var routeFiles = []string{
	"routes.go",                      // the site's pages, feeds, assets, media, search
	"../admin/routes.go",             // the newsroom
	"../api/routes.go",               // the APIs
	"../../cmd/newsdesk/newsroom.go", // which surface answers which prefix
	"../export/export.go",            // the static copy's own pages (/404.html, /search)
}

// TestRoutesAreReserved walks the route tables as source and fails when
// the first segment of an address the program answers could be a top
// section's slug but is not reserved: such a section's front and stories
// would be shadowed (issue 14, finding 9). A route added without its word
// in news.reservedTop fails here.
func TestRoutesAreReserved(t *testing.T) {
	seen := map[string]bool{}
	for _, file := range routeFiles {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			// "GET /tag/{slug}" or "/media/": a method, then a path.
			if m, p, ok := strings.Cut(s, " "); ok && m == strings.ToUpper(m) && strings.HasPrefix(p, "/") {
				s = p
			}
			if !strings.HasPrefix(s, "/") || strings.ContainsAny(s, " \n") {
				return true
			}
			seg, _, _ := strings.Cut(strings.TrimPrefix(s, "/"), "/")
			if seg == "" || strings.HasPrefix(seg, "{") {
				return true
			}
			seen[seg] = true
			if news.ValidSlug(seg) && news.ReservedSlug(seg, true) == "" {
				t.Errorf("%s: %q answers /%s, but a top section may be named %q: reserve it in internal/news/reserved.go", file, s, seg, seg)
			}
			return true
		})
	}
	// The walk must have found the routes, or it checks nothing.
	for _, want := range []string{"admin", "api", "tag", "author", "media", "static", "search", "sitemaps", "oembed", "robots.txt"} {
		if !seen[want] {
			t.Errorf("the walk over the route files found no route under /%s: has a route file moved?", want)
		}
	}
}

// TestListAddressesAreReserved covers the addresses below a section: a
// section's feeds (file names with a dot, which no slug has) and its later
// pages, under a word that no section or article may take.
func TestListAddressesAreReserved(t *testing.T) {
	for _, f := range feedFormats {
		if news.ValidSlug(f.name) {
			t.Errorf("feed file %q could be an article's or a section's slug", f.name)
		}
	}
	base := "/news/europe/"
	p := pagedPath(base, cursorParam(time.Unix(1_700_000_000, 0), 42))
	word, _, _ := strings.Cut(strings.TrimPrefix(p, base), "/")
	if news.ReservedSlug(word, false) == "" || news.ReservedSlug(word, true) == "" {
		t.Errorf("later pages are at %s, but %q is not reserved for sections and articles", p, word)
	}
}

// TestWatchWarnsOfShadowedSections: a database with sections an older
// version let in under reserved words still serves (nothing refuses to
// start), and the watcher's first read logs each of them once, with what
// to do; an ordinary section, or a subsection of a shadowed one, is not
// named.
func TestWatchWarnsOfShadowedSections(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		db := storetest.RawDB(t, dsn)
		for _, q := range []string{
			`INSERT INTO sections (parent_id, slug, name, description, position, path) VALUES (NULL, 'admin', 'Admin', '', 0, 'admin')`,
			`INSERT INTO sections (parent_id, slug, name, description, position, path) VALUES (NULL, 'news', 'News', '', 1, 'news')`,
			`INSERT INTO sections (parent_id, slug, name, description, position, path) SELECT id, 'after', 'After', '', 0, 'news/after' FROM sections WHERE path = 'news'`,
			`INSERT INTO sections (parent_id, slug, name, description, position, path) SELECT id, 'search', 'Search', '', 1, 'news/search' FROM sections WHERE path = 'news'`,
			`INSERT INTO sections (parent_id, slug, name, description, position, path) SELECT id, 'sub', 'Sub', '', 0, 'admin/sub' FROM sections WHERE path = 'admin'`,
		} {
			if _, err := db.ExecContext(context.Background(), q); err != nil {
				t.Fatal(err)
			}
		}
		cfg, err := NewConfig("https://news.example.org", nil, "Meridian 24")
		if err != nil {
			t.Fatal(err)
		}
		var logs syncBuf
		s, err := New(cfg, st, nil, slog.New(slog.NewTextHandler(&logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { s.Watch(ctx); close(done) }()
		for deadline := time.Now().Add(20 * time.Second); strings.Count(logs.String(), "level=WARN") < 2 && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		<-done
		out := logs.String()
		for _, want := range []string{"section=/admin/", "section=/news/after/", "the newsroom", "give it another slug"} {
			if !strings.Contains(out, want) {
				t.Errorf("the log lacks %q:\n%s", want, out)
			}
		}
		for _, not := range []string{"section=/news/ ", "section=/news/search/", "section=/admin/sub/"} {
			if strings.Contains(out, not) {
				t.Errorf("the log names %q:\n%s", not, out)
			}
		}
		if n := strings.Count(out, "level=WARN"); n != 2 {
			t.Errorf("%d warnings, want 2:\n%s", n, out)
		}
	})
}

// syncBuf collects log lines written while the test reads them.
type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
