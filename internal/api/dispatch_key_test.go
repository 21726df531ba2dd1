package api

import (
	"net/http/httptest"
	"testing"
)

// TestCacheKey: the key names the parameters that select an answer in
// their list's order, whatever order the query gives them in, each
// parameter's values in the order given (the handler reads them so), and
// nothing else.
func TestCacheKey(t *testing.T) {
	tests := []struct{ target, accept, want string }{
		{"/api/v1/articles", "", "/api/v1/articles"},
		{"/api/v1/articles", "application/ninjs+json", "/api/v1/articles|ninjs"},
		{"/api/v1/articles?tag=b&section=news&utm_source=x", "", "/api/v1/articles?section=news&tag=b"},
		{"/api/v1/articles?section=news&tag=b", "", "/api/v1/articles?section=news&tag=b"},
		{"/api/v1/articles?tag=b&tag=a", "", "/api/v1/articles?tag=b&tag=a"},
		{"/api/v1/articles?tag=a&per_page=5&tag=b", "", "/api/v1/articles?tag=a&tag=b&per_page=5"},
		{"/api/v1/articles?%73ection=a+b&x;y=1&=z", "", "/api/v1/articles?section=a+b"},
		{"/api/v1/articles?sec%zztion=a&section=%zz", "", "/api/v1/articles"},
		{"/api/v1/articles?format=ninjs&format=json", "", "/api/v1/articles?format=ninjs&format=json|ninjs"},
		{"/api/v1/articles?format=json", "application/ninjs+json", "/api/v1/articles?format=json"},
		{"/api/v1/articles/7?format=ninjs&section=x", "", "/api/v1/articles/7?format=ninjs|ninjs"},
		{"/api/v1/lookup?format=json&path=/a", "", "/api/v1/lookup?path=%2Fa&format=json"},
		{"/api/v1/sections?section=x", "", "/api/v1/sections"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.target, nil)
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		got, ok := cacheKey(r)
		if !ok || got != tt.want {
			t.Errorf("cacheKey(%s, Accept %q) = %q, %v; want %q", tt.target, tt.accept, got, ok, tt.want)
		}
	}
	for _, target := range []string{"/api/v1/search?q=a", "/api/v1/articles/", "/api/v1/articles/a%2Fb", "/other"} {
		if key, ok := cacheKey(httptest.NewRequest("GET", target, nil)); ok {
			t.Errorf("cacheKey(%s) = %q, true; want no key", target, key)
		}
	}
}
