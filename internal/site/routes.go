package site

import "net/http"

// Handler returns the public site with every route it answers, and the
// headers every answer carries. Pages, feeds and assets go through the
// page cache; media files are served from disk.
func (s *Site) Handler() http.Handler {
	pages := http.NewServeMux()
	pages.Handle("GET /{$}", s.handle(s.showHome))
	pages.Handle("GET /tag/{slug}", s.handle(s.showTag))
	pages.Handle("GET /author/{slug}", s.handle(s.showAuthor))
	pages.Handle("GET /robots.txt", s.handle(s.showRobots))
	pages.Handle("GET /static/{name}", s.handle(s.showAsset))
	// Section fronts end in "/", articles do not: /news/russia/ and
	// /news/russia/some-slug.
	pages.Handle("GET /{path...}", s.handle(s.showSectionOrArticle))
	pages.Handle("/", s.handle(s.notAllowed))

	root := http.NewServeMux()
	root.Handle("GET /media/{key...}", s.media.Handler())
	root.Handle("/", s.cache.Handler(pages))
	return securityHeaders(root)
}
