package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRoute(t *testing.T) {
	named := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(name)) })
	}
	h := route(named("site"), named("newsroom"), named("api"))
	tests := map[string]string{
		"/":                      "site",
		"/news/europe/a-story":   "site",
		"/apis":                  "site",
		"/administration/":       "site",
		"/api/v1/articles":       "api",
		"/api/":                  "api",
		"/admin":                 "newsroom",
		"/admin/":                "newsroom",
		"/admin/articles/12":     "newsroom",
		"/search?q=admin":        "site",
		"/tag/api/rss.xml":       "site",
		"/media/ab/cd/photo.jpg": "site",
	}
	for path, want := range tests {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if got := w.Body.String(); got != want {
			t.Errorf("%s went to %s, want %s", path, got, want)
		}
	}
}
