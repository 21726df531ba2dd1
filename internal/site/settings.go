package site

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The keys of the per-site settings in the store: see news.SettingName and
// the others. The newsroom edits them; the site reads them with defaults
// from Config.
const (
	SettingName        = news.SettingName
	SettingLanguage    = news.SettingLanguage
	SettingDescription = news.SettingDescription
	SettingLogo        = news.SettingLogo
	SettingTwitter     = news.SettingTwitter
	SettingSameAs      = news.SettingSameAs
	SettingIDAuthority = news.SettingIDAuthority
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
	// Addresses are the alternate addresses: the mirrors given by flags
	// and those the newsroom added, the onion address, where static
	// copies are, and the key that signs them.
	Addresses news.Addresses
	// AddressesChanged is when the newsroom last changed the addresses;
	// zero when it never has (they come from flags alone).
	AddressesChanged time.Time
	// Zone is the time zone the pages' dates are written in; UTC unless
	// the newsroom set one. Machine-readable times stay in UTC.
	Zone *time.Location
	// Footer are the published standing pages in the footer, in order;
	// PageLinks those with a role, for the publisher's structured data
	// (pages.go). Every change to them names news.KeySite, so they are
	// read with the settings.
	Footer    []navItem
	PageLinks []pageLink
	// SecurityContact and SecurityPolicy are for /.well-known/security.txt
	// (securitytxt.go): URIs, "" when not set.
	SecurityContact, SecurityPolicy string
}

// distribution is the Site's state for the settings and WebSub.
type distribution struct {
	// version moves whenever the Site learns of a change: the page
	// cache's generation, and the memo's (see memo.go).
	version atomic.Uint64
	// settingsVersion moves with version unless the Site knows the
	// change left the settings alone (see contentChanged); settings read
	// in an older one are read again.
	settingsVersion atomic.Uint64

	mu       sync.Mutex
	settings *siteSettings
	readIn   uint64 // the settingsVersion settings was read in
	// zone is settings.Zone, for the date functions, which read it
	// without a request (see Site.zone).
	zone atomic.Pointer[time.Location]

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
		Addresses:   news.Addresses{Mirrors: s.cfg.Mirrors, Onion: s.cfg.Onion},
		Zone:        time.UTC,
	}
}

// zone is the time zone of the settings last read. Every page reads the
// settings (newPage) before it writes a date, so on a page it is the zone
// the settings say now.
func (s *Site) zone() *time.Location {
	if l := s.dist.zone.Load(); l != nil {
		return l
	}
	return time.UTC
}

// Language is the site's language as its settings say now (BCP 47), for
// pages written outside the templates, such as an export's moved-page
// notes.
func (s *Site) Language(ctx context.Context) string { return s.settings(ctx).Language }

// settings returns the per-site settings. They are read from the store once
// per change the Site learns of that may touch them (the change watcher and
// Changed bump a version), so a page render costs no query for them, and
// the first one after a change one query.
func (s *Site) settings(ctx context.Context) siteSettings {
	d := &s.dist
	v := d.settingsVersion.Load()
	d.mu.Lock()
	if d.settings != nil && d.readIn == v {
		st := *d.settings
		d.mu.Unlock()
		return st
	}
	d.mu.Unlock()

	m, times, err := s.store.SettingsAt(ctx)
	var pages []*news.Page
	if err == nil {
		pages, err = s.store.LinkedPages(ctx)
	}
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
	linkPages(&st, pages)
	for _, k := range news.AddressSettings {
		if at := times[k]; at.After(st.AddressesChanged) {
			st.AddressesChanged = at
		}
	}
	d.mu.Lock()
	// A slower read that began before a newer one must not overwrite it.
	if d.settings == nil || v >= d.readIn {
		d.settings, d.readIn = &st, v
		d.zone.Store(st.Zone)
	}
	d.mu.Unlock()
	return st
}

// settingsStale makes the next settings call read the store again, and
// moves the memo's version. The change watcher calls it before it empties
// the page cache, so no page is rendered into the new generation with the
// old settings.
func (s *Site) settingsStale() {
	s.dist.settingsVersion.Add(1)
	s.dist.version.Add(1)
}

// contentStale is settingsStale for a change known to leave the settings
// alone: the memo's version moves, the settings are kept.
func (s *Site) contentStale() { s.dist.version.Add(1) }

// parseSettings applies stored values over the defaults. A value that does
// not make sense is ignored, and the default stands: a typo in the
// newsroom must not break every feed.
func (s *Site) parseSettings(m map[string]string) siteSettings {
	st := s.defaultSettings()
	if v := news.CleanText(m[SettingName]); v != "" {
		st.Name = v
		st.Description = v + ": the latest news, with every story's sources, corrections and updates."
	}
	if v := strings.TrimSpace(m[SettingLanguage]); news.ValidLanguage(v) {
		st.Language = v
	}
	if v := news.CleanText(m[SettingDescription]); v != "" {
		st.Description = v
	}
	st.Logo = s.absoluteURL(m[SettingLogo])
	if h, ok := news.TwitterHandle(m[SettingTwitter]); ok {
		st.Twitter = h
	}
	for _, line := range strings.FieldsFunc(m[SettingSameAs], func(r rune) bool { return r == '\n' || r == ',' }) {
		if u := s.absoluteURL(line); u != "" && !strings.HasPrefix(strings.TrimSpace(line), "/") {
			st.SameAs = append(st.SameAs, u)
		}
	}
	if v := strings.ToLower(strings.TrimSpace(m[SettingIDAuthority])); news.ValidHostName(v) {
		st.IDAuthority = v
	}
	st.Addresses = s.addresses(m)
	if loc, err := news.ParseTimeZone(news.SettingTimeZone, m[news.SettingTimeZone]); err == nil {
		st.Zone = loc
	}
	st.SecurityContact, _ = news.ParseSecurityContact(news.SettingSecurityContact, m[news.SettingSecurityContact])
	st.SecurityPolicy, _ = news.ParseSecurityPolicy(news.SettingSecurityPolicy, m[news.SettingSecurityPolicy])
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

// addresses merges the alternate addresses given by flags with those the
// newsroom stored. The newsroom's form checks them before they are stored;
// a line that no longer passes (stored by an older version) is skipped, not
// fatal.
func (s *Site) addresses(m map[string]string) news.Addresses {
	a := news.Addresses{}
	seen := map[string]bool{s.cfg.BaseURL.String(): true}
	add := func(u *url.URL) {
		if !seen[u.String()] {
			seen[u.String()] = true
			a.Mirrors = append(a.Mirrors, u)
		}
	}
	for _, u := range s.cfg.Mirrors {
		add(u)
	}
	for _, line := range strings.Split(m[news.SettingMirrors], "\n") {
		if u, err := news.ParseOrigin("mirrors", line); err == nil {
			add(u)
		}
	}
	// The newsroom's onion address replaces the one given by --onion: a
	// new onion service is how a seized one is replaced.
	a.Onion = s.cfg.Onion
	if u, err := news.ParseOnion("onion", m[news.SettingOnion]); err == nil {
		a.Onion = u
	}
	for _, line := range strings.Split(m[news.SettingSnapshots], "\n") {
		if u, err := news.ParseWebURL("snapshots", line); err == nil && strings.TrimSpace(line) != "" {
			a.Snapshots = append(a.Snapshots, u)
		}
	}
	if k, err := news.ParsePublicKey("signing_key", m[news.SettingSigningKey]); err == nil {
		a.SigningKey = news.FormatPublicKey(k)
	}
	return a
}

// settingsScan bounds the changes settingsTouched reads; a longer run of
// changes (an import) reads the settings again rather than the log.
const settingsScan = 64

// settingsTouched reports whether the changes after change id from, up to
// to, may have touched the settings: every write of a setting records
// news.KeySite (store.SetSetting), and so does any change that cannot
// say what it touched. When the log cannot be read, or has more than
// settingsScan changes in the range, the answer is yes. Reading the
// settings again costs a page render one query; reading the log here
// costs the watcher one, off the render path.
func (s *Site) settingsTouched(ctx context.Context, from, to int64) bool {
	if from < 0 || to <= from {
		return true
	}
	changes, err := s.store.ChangesSince(ctx, from, settingsScan)
	if err != nil || len(changes) == 0 {
		return true
	}
	if last := changes[len(changes)-1].ID; len(changes) == settingsScan && last < to {
		return true
	}
	for _, c := range changes {
		if c.ID > to {
			break
		}
		for _, k := range c.Keys {
			if k == news.KeySite {
				return true
			}
		}
	}
	return false
}
