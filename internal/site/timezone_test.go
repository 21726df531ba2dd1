package site_test

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestDatesInTheSiteZone: the dates readers read (an article's Published
// line, the cards' dates) are in the site's time zone, and a change of the
// zone shows at once on pages already cached; the machine-readable
// datetime attributes and JSON-LD stay in UTC.
func TestDatesInTheSiteZone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{})
		art := fixtureArticle(t, "a1-treaty.md") // published 2026-11-27 06:30 UTC
		attr := `<time datetime="2026-11-27T06:30:00Z">`
		mustHave(t, "article in UTC", string(ds.get(t, art.path)), "Published "+attr+"27 November 2026, 06:30 UTC</time>")
		mustHave(t, "section in UTC", string(ds.get(t, "/news/")), attr+"27 Nov 2026</time>")

		if err := s.SetSetting(ctx, news.SettingTimeZone, "America/Los_Angeles"); err != nil {
			t.Fatal(err)
		}
		ds.site.Changed()
		page := string(ds.get(t, art.path))
		mustHave(t, "article in Los Angeles", page, "Published "+attr+"26 November 2026, 22:30 PST</time>", `"datePublished":"2026-11-27T06:30:00Z"`)
		mustHave(t, "section in Los Angeles", string(ds.get(t, "/news/")), attr+"26 Nov 2026</time>")
		mustHave(t, "home in Los Angeles", string(ds.get(t, "/")), attr+"26 Nov 2026</time>")
		if strings.Contains(page, "06:30 UTC") {
			t.Error("the article page still shows the time in UTC")
		}

		// A name that is no zone (stored by hand) leaves UTC, not a
		// broken page.
		if err := s.SetSetting(ctx, news.SettingTimeZone, "Mars/Olympus"); err != nil {
			t.Fatal(err)
		}
		ds.site.Changed()
		mustHave(t, "article with a bad zone", string(ds.get(t, art.path)), "Published "+attr+"27 November 2026, 06:30 UTC</time>")
	})
}
