package site

import (
	"net/http"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// showAsset serves an embedded asset by its hashed name, cacheable for a
// year: a changed file gets a new name.
func (s *Site) showAsset(w http.ResponseWriter, r *http.Request) error {
	a, ok := s.assets[r.PathValue("name")]
	if !ok {
		return news.NotFound("no asset %s", r.URL.Path)
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	if r.Method != http.MethodHead {
		w.Write(a.body)
	}
	return nil
}

// showRobots tells crawlers what to leave alone.
func (s *Site) showRobots(w http.ResponseWriter, r *http.Request) error {
	var b strings.Builder
	// Older pages of lists and search results are left to the sitemaps,
	// which name every article once: crawlers spend their visits on
	// stories, not on the same stories listed again.
	b.WriteString("User-agent: *\nAllow: /\nDisallow: /admin/\nDisallow: /api/\nDisallow: /search\nDisallow: /*?after=\nDisallow: /*/after/\n")
	// The sitemaps on the address robots.txt was read on: a crawler that
	// reaches only a mirror finds the mirror's.
	ctx := r.Context()
	b.WriteString("\nSitemap: " + s.link(ctx, "/sitemap.xml") + "\nSitemap: " + s.link(ctx, "/news-sitemap.xml") + "\n")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	if r.Method != http.MethodHead {
		w.Write([]byte(b.String()))
	}
	return nil
}

// notAllowed answers methods the public site does not take.
func (s *Site) notAllowed(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "Method not allowed: the public site only answers GET and HEAD.", http.StatusMethodNotAllowed)
	return nil
}
