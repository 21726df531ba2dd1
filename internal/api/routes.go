package api

import (
	"net/http"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Handler returns the API with every route it answers, under /api/.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/search", a.handle(a.search))
	mux.Handle("/api/", a.handle(a.notFound))
	return mux
}

// notFound answers any other address under /api/, and a method other than
// GET (or HEAD) on a known one.
func (a *API) notFound(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Path == "/api/v1/search" {
		w.Header().Set("Allow", "GET, HEAD")
		a.writeJSON(w, r, http.StatusMethodNotAllowed, errorBody{Error: errorJSON{Code: "method_not_allowed",
			Message: r.Method + " is not allowed here: use GET."}})
		return nil
	}
	return news.NotFound("no API at %s", r.URL.Path)
}
