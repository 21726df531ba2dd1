package site

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The keys of the per-site settings in the store. The newsroom edits them;
// the site reads them with defaults from Config.
const (
	SettingName        = "site.name"         // the publication's name
	SettingLanguage    = "site.language"     // BCP 47, e.g. "en", "pt-BR"
	SettingDescription = "site.description"  // one sentence: the home page's and home feeds' description
	SettingLogo        = "site.logo"         // a path on the site ("/media/...") or an absolute URL
	SettingTwitter     = "site.twitter"      // the publication's handle on X (Twitter): "@name"
	SettingSameAs      = "site.same_as"      // the publication's profiles elsewhere, one URL a line
	SettingIDAuthority = "site.id_authority" // the host name in feed ids; set it before moving to a new domain
)

// siteSettings are the per-site settings as pages, feeds and structured data
// use them: checked, with defaults filled in, and URLs absolute.
type siteSettings struct {
	Name        string
	Language    string
	Description string
	Logo        string   // absolute URL, or "" for none
	Twitter     string   // "@name", or ""
	SameAs      []string // absolute URLs
	// IDAuthority is the host name in the tag: URIs that identify articles
	// in feeds. It defaults to the base URL's host; a site that moves to
	// a new domain keeps its old one here, so readers see no duplicates.
	IDAuthority string
}

// distribution is the Site's state for the settings and WebSub.
type distribution struct {
	// version moves whenever the Site learns of a change; settings read
	// in an older version are read again.
	version atomic.Uint64

	mu       sync.Mutex
	settings *siteSettings
	readIn   uint64 // the version settings was read in

	hubOnce sync.Once
	hub     *announcer
}

// defaultSettings are the settings when none are stored.
func (s *Site) defaultSettings() siteSettings {
	return siteSettings{
		Name:        s.cfg.Name,
		Language:    s.cfg.Language,
		Description: s.cfg.Name + ": the latest news, with every story's sources, corrections and updates.",
		IDAuthority: s.cfg.BaseURL.Hostname(),
	}
}

// settings returns the per-site settings. They are read from the store once
// per change the Site learns of (the change watcher and Changed bump a
// version), so a page render costs no query for them.
func (s *Site) settings(ctx context.Context) siteSettings {
	d := &s.dist
	v := d.version.Load()
	d.mu.Lock()
	if d.settings != nil && d.readIn == v {
		st := *d.settings
		d.mu.Unlock()
		return st
	}
	d.mu.Unlock()

	m, err := s.store.Settings(ctx)
	if err != nil {
		// The database is out of reach: the request fails on its own
		// queries and says so. Until then, the last settings read (or the
		// defaults) are better than none; nothing is kept, so the next
		// request reads again.
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.settings != nil {
			return *d.settings
		}
		return s.defaultSettings()
	}
	st := s.parseSettings(m)
	d.mu.Lock()
	// A slower read that began before a newer one must not overwrite it.
	if d.settings == nil || v >= d.readIn {
		d.settings, d.readIn = &st, v
	}
	d.mu.Unlock()
	return st
}

// settingsStale makes the next settings call read the store again. The
// change watcher calls it before it empties the page cache, so no page is
// rendered into the new generation with the old settings.
func (s *Site) settingsStale() { s.dist.version.Add(1) }

var (
	languageTag   = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)
	twitterHandle = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)
	hostName      = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$`)
)

// parseSettings applies stored values over the defaults. A value that does
// not make sense is ignored, and the default stands: a typo in the
// newsroom must not break every feed.
func (s *Site) parseSettings(m map[string]string) siteSettings {
	st := s.defaultSettings()
	if v := news.CleanText(m[SettingName]); v != "" {
		st.Name = v
		st.Description = v + ": the latest news, with every story's sources, corrections and updates."
	}
	if v := strings.TrimSpace(m[SettingLanguage]); languageTag.MatchString(v) {
		st.Language = v
	}
	if v := news.CleanText(m[SettingDescription]); v != "" {
		st.Description = v
	}
	st.Logo = s.absoluteURL(m[SettingLogo])
	if v := strings.TrimSpace(m[SettingTwitter]); v != "" {
		for _, p := range []string{"https://x.com/", "https://twitter.com/", "http://x.com/", "http://twitter.com/", "@"} {
			v = strings.TrimPrefix(v, p)
		}
		if twitterHandle.MatchString(v) {
			st.Twitter = "@" + v
		}
	}
	for _, line := range strings.FieldsFunc(m[SettingSameAs], func(r rune) bool { return r == '\n' || r == ',' }) {
		if u := s.absoluteURL(line); u != "" && !strings.HasPrefix(strings.TrimSpace(line), "/") {
			st.SameAs = append(st.SameAs, u)
		}
	}
	if v := strings.ToLower(strings.TrimSpace(m[SettingIDAuthority])); hostName.MatchString(v) {
		st.IDAuthority = v
	}
	return st
}

// absoluteURL makes a path on the site absolute and passes an absolute
// http(s) URL through; anything else is "".
func (s *Site) absoluteURL(v string) string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") {
		if _, err := url.Parse(v); err == nil {
			return s.cfg.abs(v)
		}
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
