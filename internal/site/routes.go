package site

import (
	"net/http"
	"strings"
)

// Handler returns the public site with every route it answers, and the
// headers every answer carries. Pages, feeds and assets go through the
// page cache; media files are served from disk.
func (s *Site) Handler() http.Handler {
	pages := http.NewServeMux()
	pages.Handle("GET /{$}", s.handle(s.showHome))
	pages.Handle("GET /tag/{slug}", s.handle(s.showTag))
	pages.Handle("GET /author/{slug}", s.handle(s.showAuthor))
	pages.Handle("GET /robots.txt", s.handle(s.showRobots))
	pages.Handle("GET /mirrors.json", s.handle(s.showMirrors))
	// Feeds: the same three names at the home page, every section
	// (/news/europe/rss.xml, dispatched by showPathOrFeed), tag and author.
	pages.Handle("GET /rss.xml", s.handle(s.showHomeFeed))
	pages.Handle("GET /atom.xml", s.handle(s.showHomeFeed))
	pages.Handle("GET /feed.json", s.handle(s.showHomeFeed))
	pages.Handle("GET /tag/{slug}/{feed}", s.handle(s.showTagFeed))
	pages.Handle("GET /author/{slug}/{feed}", s.handle(s.showAuthorFeed))
	pages.Handle("GET /sitemap.xml", s.handle(s.showSitemapIndex))
	pages.Handle("GET /sitemaps/{name}", s.handle(s.showSitemap))
	pages.Handle("GET /static/{name}", s.handle(s.showAsset))
	// Section fronts end in "/", articles do not: /news/russia/ and
	// /news/russia/some-slug.
	pages.Handle("GET /{path...}", s.handle(s.showPathOrFeed))
	pages.Handle("/", s.handle(s.notAllowed))

	root := http.NewServeMux()
	// A photo's crop copies missing on disk (one stored before crops
	// were made) are made on the first request: see media.HandlerMaking.
	root.Handle("GET /media/{key...}", s.media.HandlerMaking(s.findMedia))
	// Outside the page cache: the news sitemap changes with the clock,
	// and oEmbed answers depend on a query parameter the cache ignores.
	root.Handle("GET /news-sitemap.xml", s.handle(s.showNewsSitemap))
	root.Handle("GET /oembed", s.handle(s.showOEmbed))
	// Search answers are not cached: each query is its own page, and made-up
	// queries would push every other page out of the cache.
	root.Handle("GET /search", s.handle(s.showSearch))
	// Draft preview links: for one reader each, never cached nor indexed
	// (preview.go).
	root.Handle("GET /preview/{token}", s.handle(s.showPreviewLink))
	// The security contact (RFC 9116): its Expires follows the clock, so
	// no cache keeps it past a day (securitytxt.go).
	root.Handle("GET "+securityTxtPath, s.handle(s.showSecurityTxt))
	cached := http.Handler(pages)
	if s.cfg.CacheBytes > 0 {
		cached = s.cache.Handler(pages)
	}
	root.Handle("/", cached)
	// Most requests are for cached pages: they skip the mux above with a
	// few string comparisons (the pages mux still cleans and matches the
	// path on a miss).
	// An old "/?p=123" address (imported from WordPress) would be the
	// home page to the cache, which ignores queries.
	oldQuery := s.handle(s.showOldQuery(cached))
	dispatch := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case !pageCached(r):
			root.ServeHTTP(w, r)
		case r.URL.Path == "/" && r.URL.RawQuery != "":
			oldQuery.ServeHTTP(w, r)
		default:
			cached.ServeHTTP(w, r)
		}
	})
	// A fresh page in the cache is answered before the request is copied
	// to carry its address (cachedHit); everything else is dispatched.
	var hit func(http.ResponseWriter, *http.Request, *origin) bool
	if s.cfg.CacheBytes > 0 {
		hit = s.cachedHit
	}
	// Every request is matched to one of the site's addresses before
	// anything reads the cache or renders (see hosts.go).
	return securityHeaders(s.withHosts(dispatch, hit))
}

// pageCached reports whether dispatch sends a request to the page cache:
// all but the paths the root mux serves outside it.
func pageCached(r *http.Request) bool {
	switch p := r.URL.Path; {
	case strings.HasPrefix(p, "/media/"), p == "/news-sitemap.xml", p == "/oembed", p == "/search", strings.HasPrefix(p, "/preview/"), p == securityTxtPath:
		return false
	}
	return true
}

// cachedHit answers a request that dispatch would send to the page cache
// from a fresh entry there, keyed by the address o that withHosts matched
// (what cacheVariant reads from the context on the way through dispatch),
// and reports whether it did. An old "/?p=123" address is left to dispatch.
func (s *Site) cachedHit(w http.ResponseWriter, r *http.Request, o *origin) bool {
	if !pageCached(r) || (r.URL.Path == "/" && r.URL.RawQuery != "") {
		return false
	}
	return s.cache.ServeHit(w, r, o.base)
}
