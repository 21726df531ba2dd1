package cache

import (
	"net/http"
	"testing"
	"time"
)

func TestIfModifiedSince(t *testing.T) {
	c := New(1 << 20)
	p := newPage(long)
	h := c.Handler(p)

	first := get(t, h, "/a")
	lm := first.Header().Get("Last-Modified")
	at, err := http.ParseTime(lm)
	if err != nil || time.Since(at) > time.Minute {
		t.Fatalf("Last-Modified %q (%v): want about now", lm, err)
	}
	etag := first.Header().Get("ETag")
	later := at.Add(time.Hour).Format(http.TimeFormat)
	earlier := at.Add(-time.Hour).Format(http.TimeFormat)

	tests := []struct {
		name   string
		header []string
		want   int
	}{
		{"same date", []string{"If-Modified-Since", lm}, http.StatusNotModified},
		{"later date", []string{"If-Modified-Since", later}, http.StatusNotModified},
		{"earlier date", []string{"If-Modified-Since", earlier}, http.StatusOK},
		{"not a date", []string{"If-Modified-Since", "yesterday"}, http.StatusOK},
		{"If-None-Match wins when it differs", []string{"If-None-Match", `"other"`, "If-Modified-Since", later}, http.StatusOK},
		{"If-None-Match wins when it matches", []string{"If-None-Match", etag, "If-Modified-Since", earlier}, http.StatusNotModified},
	}
	for _, tt := range tests {
		if w := get(t, h, "/a", tt.header...); w.Code != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, w.Code, tt.want)
		}
	}

	// A change elsewhere renders the page again, the same: its date stays,
	// so readers that have it are still told 304.
	time.Sleep(1100 * time.Millisecond)
	c.Invalidate()
	again := get(t, h, "/a")
	if got := again.Header().Get("Last-Modified"); got != lm {
		t.Errorf("the same bytes rendered again: Last-Modified %q, want the first %q", got, lm)
	}
	if w := get(t, h, "/a", "If-Modified-Since", lm); w.Code != http.StatusNotModified {
		t.Errorf("after a render of the same bytes: %d, want 304", w.Code)
	}

	// A change to the page itself: a new date, and a full answer.
	p.body.Store(long + "<p>Corrected.</p>")
	c.Invalidate()
	changed := get(t, h, "/a")
	if changed.Header().Get("Last-Modified") == lm {
		t.Error("a changed page kept its old Last-Modified")
	}
	if w := get(t, h, "/a", "If-Modified-Since", lm); w.Code != http.StatusOK {
		t.Errorf("a changed page, asked with the old date: %d, want 200", w.Code)
	}
}
