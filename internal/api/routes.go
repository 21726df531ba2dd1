package api

import (
	"net/http"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Handler returns the API with every route it answers, under /api/.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/search", a.handle(a.search))
	// The content: reads, public; anonymous ones are served from the page
	// cache before this table when they can be (dispatch.go).
	mux.Handle("GET /api/v1/articles", a.handle(a.listArticles))
	mux.Handle("GET /api/v1/articles/{id}", a.handle(a.showArticle))
	mux.Handle("GET /api/v1/lookup", a.handle(a.lookup))
	mux.Handle("GET /api/v1/sections", a.handle(a.showSections))
	mux.Handle("GET /api/v1/tags", a.handle(a.showTags))
	mux.Handle("GET /api/v1/authors", a.handle(a.showAuthors))
	mux.Handle("GET /api/v1/pages", a.handle(a.showPages))
	mux.Handle("GET /api/v1/site", a.handle(a.showSite))
	mux.Handle("GET /api/v1/openapi.json", http.HandlerFunc(a.showOpenAPI))
	// Writes, with a token (write.go).
	a.writeRoutes(mux)
	// Browsers ask before a cross-origin request that is not simple.
	mux.HandleFunc("OPTIONS /api/", a.preflight)
	mux.Handle("/api/", a.handle(a.notFound(mux)))
	// Every request's token, if it has one, is checked first (auth.go).
	h := a.authenticate(mux)
	if a.cache == nil {
		return h
	}
	return a.dispatch(h)
}

// notFound answers any other address under /api/, and a method that an
// address does not take: 405 with the methods it takes.
func (a *API) notFound(mux *http.ServeMux) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if allow := allowed(mux, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			a.writeJSON(w, r, http.StatusMethodNotAllowed, errorBody{Error: errorJSON{Code: "method_not_allowed",
				Message: r.Method + " is not allowed here: use " + strings.Join(allow, ", ") + "."}})
			return nil
		}
		return news.NotFound("no API at %s", r.URL.Path)
	}
}

// allowed lists the methods r's address takes, asking the route table for
// each, so a new route is in the Allow header without being named here.
// HEAD goes with GET; OPTIONS, the preflight every address answers, is not
// named.
func allowed(mux *http.ServeMux, r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/api/" {
			out = append(out, m)
			if m == http.MethodGet {
				out = append(out, http.MethodHead)
			}
		}
	}
	return out
}
