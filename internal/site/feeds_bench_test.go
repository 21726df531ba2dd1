package site_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
)

// BenchmarkHomeFeed renders /rss.xml over a newsroom of 200 articles: the
// 50 newest read whole from SQLite and written out. "render" empties the
// page cache before each request, as a publish does; "cached" is every
// request after the first.
func BenchmarkHomeFeed(b *testing.B) {
	s, err := store.Open(ctx, filepath.Join(b.TempDir(), "newsdesk.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ds := newDistSite(b, s, distOptions{})
	for i := range 200 {
		name := fmt.Sprintf("bench-%03d.md", i)
		md := fmt.Sprintf("---\ntitle: \"Bench story %d\"\ndate: 2026-10-01T%02d:%02d:00Z\nsection: news/asia\nauthors: [\"Ravi Menon\"]\ntags: [\"Weather\"]\n---\n", i, i/60, i%60)
		for range 20 {
			md += "Paragraph of a story of ordinary length, with a [link](/news/) and *some* emphasis.\n\n"
		}
		if _, err := ds.im.ImportFile(ctx, mapFile(name, md), name); err != nil {
			b.Fatal(err)
		}
	}
	ds.site.Changed()
	for _, mode := range []string{"render", "cached"} {
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if mode == "render" {
					ds.site.Changed()
				}
				ds.get(b, "/rss.xml")
			}
		})
	}
}
