package site_test

import (
	"net/http"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestOldAddresses checks that the addresses an import keeps from the old
// site (store.AddOldAddress) answer a 301 to the new ones: a query form at
// the root that the page cache would take for the home page, paths with
// and without their trailing slash, and fixed paths (a tag page, a feed).
// Any other query at the root is the home page, and an unknown old address
// is a 404.
func TestOldAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ts := newTestSite(t, s)
		a, err := s.ArticleByPath(ctx, store.Full, "news/europe", "negotiators-agree-on-river-treaty-after-all-night-talks")
		if err != nil {
			t.Fatal(err)
		}
		sec, err := s.SectionByPath(ctx, "news/europe")
		if err != nil {
			t.Fatal(err)
		}
		for from, to := range map[string]store.OldAddress{
			"/?p=123":                   {ArticleID: a.ID},
			"/2019/05/03/river-treaty/": {ArticleID: a.ID},
			"/category/news/europe/":    {SectionID: sec.ID},
			"/tag/diplomacy/":           {Path: "/tag/diplomacy"},
			"/feed/":                    {Path: "/rss.xml"},
			"/?cat=7":                   {SectionID: sec.ID},
		} {
			if err := s.AddOldAddress(ctx, from, to); err != nil {
				t.Fatal(err)
			}
		}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for _, c := range []struct{ path, want string }{
			{"/?p=123", a.URL()},
			{"/?p=123&utm_source=x", a.URL()},
			{"/2019/05/03/river-treaty/", a.URL()},
			{"/2019/05/03/river-treaty", a.URL()},
			{"/category/news/europe/", "/news/europe/"},
			{"/tag/diplomacy/", "/tag/diplomacy"},
			{"/feed/", "/rss.xml"},
			{"/feed", "/rss.xml"},
			{"/?cat=7", "/news/europe/"},
		} {
			res, err := client.Get(ts.srv.URL + c.path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != c.want {
				t.Errorf("%s: %d to %q, want 301 to %q", c.path, res.StatusCode, res.Header.Get("Location"), c.want)
			}
		}
		for _, c := range []struct {
			path   string
			status int
		}{{"/?p=999", 200}, {"/?utm_source=x", 200}, {"/2019/05/03/gone/", 404}} {
			res, err := client.Get(ts.srv.URL + c.path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != c.status {
				t.Errorf("%s: %d, want %d", c.path, res.StatusCode, c.status)
			}
		}
	})
}
