package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestServeWebSubHub: --websub-hub (or its variable) is checked, and the
// hub it names is announced in the feeds.
func TestServeWebSubHub(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--websub-hub", "ftp://hub.example.net/"}, env(nil), nil, &out, &errOut)
	if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "--websub-hub") {
		t.Errorf("bad --websub-hub: %v", err)
	}

	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer hub.Close()
	base := startServe(t, []string{"--data", t.TempDir()}, map[string]string{"NEWSDESK_WEBSUB_HUB": hub.URL + "/hub"})
	res, err := http.Get(base + "/atom.xml")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `<link rel="hub" href="`+hub.URL+`/hub"/>`) {
		t.Errorf("atom.xml: %d, no hub link\n%s", res.StatusCode, body)
	}
}
