package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestServeCacheHeaders: with --purge-url the public site lets a CDN keep
// pages long; the newsroom and writes to the API are private and never
// stored; a bad --purge-url stops serve before it starts.
func TestServeCacheHeaders(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--purge-url", "ftp://cdn.example.net/"}, env(nil), nil, &out, &errOut)
	if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "--purge-url") {
		t.Errorf("bad --purge-url: %v", err)
	}

	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer receiver.Close()
	base := startServe(t, []string{"--data", t.TempDir(), "--demo"}, map[string]string{"NEWSDESK_PURGE_URL": receiver.URL + "/purge"})
	tests := []struct {
		method, path string
		want         string
	}{
		{"GET", "/", "public, max-age=60, s-maxage=3600, stale-while-revalidate=60, stale-if-error=86400"},
		{"GET", "/admin/login", "private, no-store"},
		{"POST", "/admin/login", "private, no-store"},
		{"GET", "/api/v1/search?q=river", "public, max-age=60, stale-while-revalidate=60, stale-if-error=86400"},
		{"POST", "/api/v1/search", "private, no-store"},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, base+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get("Cache-Control"); got != tt.want {
			t.Errorf("%s %s (%d): Cache-Control %q, want %q", tt.method, tt.path, res.StatusCode, got, tt.want)
		}
	}
}
