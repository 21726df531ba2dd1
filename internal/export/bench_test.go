package export

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// benchExporter is an exporter over a generated archive of n articles on
// SQLite.
func benchExporter(b *testing.B, n int) *Exporter {
	b.Helper()
	dir := b.TempDir()
	st, ms := testkit.Archive(b, dir, n, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	cfg, err := site.NewConfig("https://news.example.org", nil, "Bench")
	if err != nil {
		b.Fatal(err)
	}
	return &Exporter{Dir: filepath.Join(dir, "site"), Store: st, Media: ms, Site: cfg, Generator: "bench"}
}

// BenchmarkExportFull renders every page of a 500-article archive, writing
// only what changed (after the first round, nothing).
func BenchmarkExportFull(b *testing.B) {
	ex := benchExporter(b, 500)
	ex.Full = true
	for b.Loop() {
		if _, err := ex.Export(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExportOneChange is an incremental export after one article of
// a 2,000-article archive changed.
func BenchmarkExportOneChange(b *testing.B) {
	ex := benchExporter(b, 2000)
	if _, err := ex.Export(ctx); err != nil {
		b.Fatal(err)
	}
	list, err := ex.Store.PublishedArticles(ctx, store.ArticleFilter{Limit: 200})
	if err != nil {
		b.Fatal(err)
	}
	a, err := ex.Store.ArticleByID(ctx, list[len(list)-1].ID)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		if err := ex.Store.AddCorrections(ctx, a.ID, []news.Correction{{At: time.Now(), Text: "A benchmark correction."}}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := ex.Export(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if res.Full || res.Written == 0 {
			b.Fatalf("%+v: want an incremental export that wrote the changed pages", res)
		}
	}
}
