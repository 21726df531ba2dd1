package feed_test

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/feed"
)

// bigFeed is a feed as the site serves it: 50 items of about 6 KB of HTML
// each, with authors, tags and a photo.
func bigFeed() *feed.Feed {
	f := sample()
	f.Items = nil
	para := "<p>" + strings.Repeat("The river belongs to all of us, said the minister &amp; the delegates agreed. ", 8) + "</p>\n"
	for i := range 50 {
		it := sample().Items[0]
		it.ID = feed.TagURI("news.example.org", published, "article", int64(1000+i))
		it.URL = fmt.Sprintf("https://news.example.org/news/europe/story-%d", i)
		it.Title = fmt.Sprintf("Story number %d about the treaty", i)
		it.ContentHTML = strings.Repeat(para, 10)
		it.Published = published.Add(-time.Duration(i) * time.Hour)
		f.Items = append(f.Items, it)
	}
	return f
}

// BenchmarkWrite renders a 50-item feed in each format: the work the site
// does once per change for each feed asked for.
func BenchmarkWrite(b *testing.B) {
	f := bigFeed()
	for _, name := range []string{"rss", "atom", "json"} {
		write := writers[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := write(io.Discard, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkURLSet writes a sitemap of 50,000 URLs with an image each, the
// largest piece the site serves.
func BenchmarkURLSet(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		u := feed.NewURLSet(io.Discard)
		for i := range feed.MaxURLs {
			u.Add(feed.URL{Loc: "https://news.example.org/news/europe/story-" + fmt.Sprint(i), LastMod: published,
				Images: []string{"https://news.example.org/media/ab/abcdef-1600.jpg"}})
		}
		if err := u.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
