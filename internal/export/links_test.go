package export

import (
	"slices"
	"testing"
)

// TestLinks: the addresses a page refers to, found in one pass: href, src
// and srcset attributes (each candidate of a srcset), absolute URLs on the
// primary address anywhere in the text, and nothing else: no other
// attribute that ends in the same letters, no attribute name written
// inside another attribute's value, no other host, no query, no
// fragment-only link. The worker's cache answers the same on a second page.
func TestLinks(t *testing.T) {
	r := &run{base: "https://news.example.org", host: "news.example.org"}
	page := []byte(`<!doctype html><html lang="en"><head>
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="canonical" href="https://news.example.org/news/a-story">
<meta property="og:image" content="https://news.example.org/media/ab/abc-1200.jpg">
<script type="application/ld+json">{"url":"https://news.example.org/news/a-story","logo":"https://news.example.org/static/logo.png"}</script>
</head><body>
<a href="/news/">News</a> <a class="x" href="/tag/rivers">Rivers</a>
<a href="https://elsewhere.example.com/x">off-site</a> <a href="/search?q=x">search</a> <a href="#top">top</a>
<img src="/media/ab/abc-320.jpg" srcset="/media/ab/abc-320.jpg 320w,
  /media/ab/abc-640.jpg 640w" data-src="/not/this" alt="a = b">
<p>2 + 2 = 4, and x="y" in text is no attribute.</p>
<a href="/news/after/123-4/?x=1&amp;y=2">later</a><a href="/author/ana-ruiz">Ana</a>
<a href="/news/y" title="How to write href=">the guide</a> and <a href="/news/z">the follow-up</a>
<img alt="a src=" src="/media/cd/cde-320.jpg">
</body></html>`)
	want := []string{"/fr/", "/news/a-story", "/news/", "/tag/rivers", "/media/ab/abc-320.jpg", "/media/ab/abc-320.jpg",
		"/media/ab/abc-640.jpg", "/author/ana-ruiz", "/news/y", "/news/z", "/media/cd/cde-320.jpg",
		"/news/a-story", "/media/ab/abc-1200.jpg", "/news/a-story", "/static/logo.png"}
	w := newWorker()
	for round := range 2 {
		if got := r.links(w, page); !slices.Equal(got, want) {
			t.Errorf("round %d: links =\n %q\nwant\n %q", round+1, got, want)
		}
	}
	if len(w.resolved) == 0 {
		t.Error("the worker's cache stayed empty")
	}
}
