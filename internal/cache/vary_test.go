package cache

import (
	"net/http"
	"strings"
	"testing"
)

// TestVaryBy: with a variant, the same path is one entry per variant, and
// the variant comes from the function only, never from the request.
func TestVaryBy(t *testing.T) {
	c := New(1 << 20)
	c.VaryBy(func(r *http.Request) string {
		// As the site does: a known name, or the default for anything else.
		if r.Host == "mirror.example.net" {
			return "https://mirror.example.net"
		}
		return "https://news.example.org"
	})
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("rendered for " + r.Host))
	}))
	tests := []struct {
		host, want string
	}{
		{"evil.example", "rendered for evil.example"}, // first: fills the default's entry
		{"news.example.org", "rendered for evil.example"},
		{"mirror.example.net", "rendered for mirror.example.net"},
		{"mirror.example.net", "rendered for mirror.example.net"},
		{"other.example", "rendered for evil.example"},
	}
	for i, tt := range tests {
		r := httptestRequest(tt.host, "/a")
		w := newRecorder()
		h.ServeHTTP(w, r)
		if got := w.body.String(); got != tt.want {
			t.Errorf("request %d (%s): got %q, want %q", i, tt.host, got, tt.want)
		}
	}
	if st := c.Stats(); st.Entries != 2 || st.Misses != 2 {
		t.Errorf("stats %+v: want 2 entries from 2 misses", st)
	}
	if k := c.key(httptestRequest("mirror.example.net", "/a b?after=1")); !strings.HasPrefix(k, "https://mirror.example.net /a%20b") {
		t.Errorf("key %q: want the variant, a space, then the path as sent (escaped)", k)
	}
}

func httptestRequest(host, target string) *http.Request {
	r, _ := http.NewRequest("GET", "http://"+host+target, nil)
	r.Host = host
	return r
}
