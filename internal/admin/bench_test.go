package admin

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// benchFixture is a SQLite newsroom with 300 articles in every status.
func benchFixture(b *testing.B) (*fixture, *client, int64) {
	b.Helper()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	f := newFixture(b, st)
	var id int64
	for i := range 300 {
		e := f.draft(b, []string{"contributor", "editor"}[i%2], "Benchmark story number "+itoa(int64(i)))
		id = e.Article.ID
		switch i % 3 {
		case 1:
			st.MoveArticle(ctx, id, store.Move{From: news.Draft, To: news.Review})
		case 2:
			st.MoveArticle(ctx, id, store.Move{From: news.Draft, To: news.Published})
		}
	}
	return f, f.as(b, "editor"), id
}

// benchPage measures one newsroom page, rendered in process (no network).
func benchPage(b *testing.B, path string) {
	f, c, id := benchFixture(b)
	h := f.adm.Handler()
	if path == "editor" {
		path = "/admin/articles/" + itoa(id)
	}
	for b.Loop() {
		r := httptest.NewRequest("GET", path, nil)
		r.AddCookie(c.cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, w.Code)
		}
	}
}

func BenchmarkDesk(b *testing.B)     { benchPage(b, "/admin/") }
func BenchmarkEditor(b *testing.B)   { benchPage(b, "editor") }
func BenchmarkArticles(b *testing.B) { benchPage(b, "/admin/articles") }
