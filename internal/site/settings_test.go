package site_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSettingsShow: a setting changed in the store shows everywhere it is
// used, at once after Changed (the newsroom's path) and within a poll
// through the change watcher (an import or another instance); a setting
// that makes no sense leaves the default.
func TestSettingsShow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{})
		art := fixtureArticle(t, "a1-treaty.md").path
		// The defaults, from Config, read (and kept) first.
		mustHave(t, "home before", string(ds.get(t, "/")), "<title>Meridian 24</title>", `lang="en"`)
		mustHave(t, "rss before", string(ds.get(t, "/rss.xml")), "<title>Meridian 24</title>", "<language>en</language>")
		if p := string(ds.get(t, art)); strings.Contains(p, "twitter:site") {
			t.Error("twitter:site without a handle set")
		}

		for k, v := range map[string]string{
			site.SettingName:        "Meridian Twenty-Four",
			site.SettingLanguage:    "pt-BR",
			site.SettingDescription: "News from the delta, every hour.",
			site.SettingTwitter:     "https://x.com/meridian_24",
			site.SettingLogo:        "/media/brand/logo.png",
			site.SettingIDAuthority: "meridian24.example",
		} {
			if err := s.SetSetting(ctx, k, v); err != nil {
				t.Fatal(err)
			}
		}
		ds.site.Changed()
		checks := map[string][]string{
			"/":                      {"<title>Meridian Twenty-Four</title>", `lang="pt-BR"`, `content="News from the delta, every hour."`, `"name":"Meridian Twenty-Four"`, `"logo":{"@type":"ImageObject","url":"https://news.example.org/media/brand/logo.png"}`},
			art:                      {`<meta property="og:site_name" content="Meridian Twenty-Four">`, `<meta name="twitter:site" content="@meridian_24">`, `"inLanguage":"pt-BR"`},
			"/rss.xml":               {"<title>Meridian Twenty-Four</title>", "<language>pt-BR</language>", "<description>News from the delta, every hour.</description>", "<guid isPermaLink=\"false\">tag:meridian24.example,2026:article/", "<url>https://news.example.org/media/brand/logo.png</url>"},
			"/news/europe/feed.json": {`"title": "Meridian Twenty-Four: News / Europe"`, `"language": "pt-BR"`},
			"/news-sitemap.xml":      {"<news:name>Meridian Twenty-Four</news:name>", "<news:language>pt</news:language>"},
		}
		for p, wants := range checks {
			mustHave(t, p+" after Changed", string(ds.get(t, p)), wants...)
		}

		// Through the watcher, with no call to Changed.
		wctx, stop := context.WithCancel(ctx)
		defer stop()
		go ds.site.Watch(wctx)
		time.Sleep(50 * time.Millisecond)
		if err := s.SetSetting(ctx, site.SettingName, "Meridian 24 Extra"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 3*time.Second, "the watcher to pick up the new name", func() bool {
			return strings.Contains(string(ds.get(t, "/atom.xml")), `<title type="text">Meridian 24 Extra</title>`)
		})

		// Nonsense keeps the defaults (and does not break the pages).
		for k, v := range map[string]string{
			site.SettingName:        "   ",
			site.SettingLanguage:    "not a language!",
			site.SettingTwitter:     "@@ no",
			site.SettingLogo:        "javascript:alert(1)",
			site.SettingIDAuthority: "bad authority/with slash",
		} {
			if err := s.SetSetting(ctx, k, v); err != nil {
				t.Fatal(err)
			}
		}
		ds.site.Changed()
		home := string(ds.get(t, "/"))
		mustHave(t, "home with nonsense settings", home, "<title>Meridian 24</title>", `lang="en"`)
		if strings.Contains(home, "javascript:") || strings.Contains(home, "twitter:site") {
			t.Error("a nonsense setting reached the page")
		}
		mustHave(t, "rss with nonsense settings", string(ds.get(t, "/rss.xml")), "tag:news.example.org,2026:article/")
	})
}
