package site

import "net/http"

// Handler returns the public site with every route it answers, and the
// headers every answer carries.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", s.handle(s.showHome))
	mux.Handle("GET /tag/{slug}", s.handle(s.showTag))
	mux.Handle("GET /author/{slug}", s.handle(s.showAuthor))
	mux.Handle("GET /robots.txt", s.handle(s.showRobots))
	mux.Handle("GET /static/{name}", s.handle(s.showAsset))
	mux.Handle("GET /media/{key...}", s.media.Handler())
	// Section fronts end in "/", articles do not: /news/russia/ and
	// /news/russia/some-slug.
	mux.Handle("GET /{path...}", s.handle(s.showSectionOrArticle))
	mux.Handle("/", s.handle(s.notAllowed))
	return securityHeaders(gzipText(mux))
}
