package site_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSecurityTxt: /.well-known/security.txt (RFC 9116) is 404 until the
// newsroom sets a security contact; then it is text/plain with the
// contact, an Expires a year ahead of the answer less a day (under the
// year the RFC advises, for as long as a cache may keep it), the policy,
// the site's language and every address the site answers at as
// Canonical. It follows the clock (no page cache keeps an old Expires),
// and a contact stored without the newsroom's checks that does not pass
// them is not published.
func TestSecurityTxt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ms, err := media.OpenStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ms.Close() })
		cfg, err := site.NewConfig("https://news.example.org", []string{"https://mirror.example.net"}, "Meridian 24")
		if err != nil {
			t.Fatal(err)
		}
		clock := &testClock{t: time.Date(2026, 12, 7, 22, 30, 15, 500, time.UTC)}
		cfg.Now = clock.Now
		si, err := site.New(cfg, s, ms, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := si.Handler()
		get := func(method string) *httptest.ResponseRecorder {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(method, "https://news.example.org/.well-known/security.txt", nil))
			return w
		}
		set := func(k, v string) {
			t.Helper()
			if err := s.SetSetting(ctx, k, v); err != nil {
				t.Fatal(err)
			}
			si.Changed()
		}

		if w := get("GET"); w.Code != http.StatusNotFound {
			t.Errorf("with no contact set: %d, want 404", w.Code)
		}

		set(news.SettingSecurityContact, "mailto:security@example.org")
		set(news.SettingSecurityPolicy, "https://news.example.org/security-policy")
		set(news.SettingLanguage, "pt-BR")
		w := get("GET")
		want := "Contact: mailto:security@example.org\n" +
			"Expires: 2027-12-06T22:30:15Z\n" +
			"Policy: https://news.example.org/security-policy\n" +
			"Preferred-Languages: pt-BR\n" +
			"Canonical: https://news.example.org/.well-known/security.txt\n" +
			"Canonical: https://mirror.example.net/.well-known/security.txt\n"
		if w.Code != http.StatusOK || w.Body.String() != want {
			t.Errorf("security.txt: %d\n%s\nwant 200\n%s", w.Code, w.Body, want)
		}
		if ct := w.Header().Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("Content-Type %q, want text/plain; charset=utf-8", ct)
		}
		if cc := w.Header().Get("Cache-Control"); cc != "public, max-age=86400" {
			t.Errorf("Cache-Control %q, want a day at most", cc)
		}
		expires, err := time.Parse(time.RFC3339, strings.TrimPrefix(strings.Split(w.Body.String(), "\n")[1], "Expires: "))
		if err != nil || !expires.After(clock.Now().AddDate(0, 11, 0)) || !expires.Before(clock.Now().AddDate(1, 0, 0).Add(-24*time.Hour+time.Second)) {
			t.Errorf("Expires %v (%v): want under a year ahead by at least the day a cache may keep it", expires, err)
		}
		if w := get("HEAD"); w.Code != http.StatusOK || w.Body.Len() != 0 {
			t.Errorf("HEAD: %d with %d bytes, want 200 and no body", w.Code, w.Body.Len())
		}

		// A month later, the answer is a month later too.
		clock.Set(clock.Now().Add(30 * 24 * time.Hour))
		if w := get("GET"); !strings.Contains(w.Body.String(), "Expires: 2028-01-05T22:30:15Z\n") {
			t.Errorf("a month later:\n%s\nwant Expires a month later", w.Body)
		}

		// Stored past the newsroom's checks: not published.
		set(news.SettingSecurityContact, "mailto:security@example.org?cc=someone@example.net")
		if w := get("GET"); w.Code != http.StatusNotFound {
			t.Errorf("with a contact that does not pass the checks: %d, want 404\n%s", w.Code, w.Body)
		}
	})
}
