package site

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/cache"
	"github.com/newsdesk/newsdesk/internal/news"
)

// What the content API (internal/api) reads of the site: the settings as
// readers may know them, bodies as the pages show them, and the page
// cache. The API answers on the site's addresses (WithHosts) and is made
// stale by the same changes, so it shares the site's page cache rather
// than keep a second one that every change would have to reach too.

// PublicInfo is what the site tells apps about itself: the settings that
// its pages show anyone, with defaults filled in.
type PublicInfo struct {
	Name        string
	Language    string // BCP 47
	Description string
	Logo        string // absolute URL on the address asked, or ""
	TimeZone    string // the zone the pages' dates are written in: "Europe/Paris"
	SameAs      []string
	// IDAuthority is the host name in the tag: URIs that name articles
	// for good (feeds' ids, ninjs's uri).
	IDAuthority string
	// Primary is the site's primary address; Mirrors, Onion and Snapshots
	// are where else it can be read (as /mirrors.json says), and
	// SigningKey the key that signs the static copies.
	Primary          string
	Mirrors          []string
	Onion            string
	Snapshots        []string
	SigningKey       string
	AddressesChanged time.Time
}

// PublicInfo returns the site's public settings, read once per change as
// the pages read them.
func (s *Site) PublicInfo(ctx context.Context) PublicInfo {
	st := s.settings(ctx)
	p := PublicInfo{Name: st.Name, Language: st.Language, Description: st.Description, Logo: s.rebase(ctx, st.Logo),
		TimeZone: st.Zone.String(), SameAs: append([]string{}, st.SameAs...), IDAuthority: st.IDAuthority, Primary: s.cfg.BaseURL.String(),
		Mirrors: []string{}, Snapshots: []string{}, SigningKey: st.Addresses.SigningKey, AddressesChanged: st.AddressesChanged}
	for _, u := range st.Addresses.Mirrors {
		p.Mirrors = append(p.Mirrors, u.String())
	}
	if st.Addresses.Onion != nil {
		p.Onion = st.Addresses.Onion.String()
	}
	for _, u := range st.Addresses.Snapshots {
		p.Snapshots = append(p.Snapshots, u.String())
	}
	if p.AddressesChanged.IsZero() {
		p.AddressesChanged = s.started
	}
	p.AddressesChanged = p.AddressesChanged.UTC().Truncate(time.Second)
	return p
}

// BodyHTML is an article's body as its page shows it: the sanitized HTML
// saved with it, with every figure's photo set (srcset, sizes, width and
// height). Its links are paths on the site.
func (s *Site) BodyHTML(ctx context.Context, a *news.Article) string { return s.bodyHTML(ctx, a) }

// Purging reports whether a CDN in front is told of every change by
// surrogate key (the purge hook is set): answers may then name their keys
// and be kept long by the CDN.
func (s *Site) Purging() bool { return s.cfg.PurgeURL != nil }

// AnswerCache is the page cache, for answers of the API, or nil when it is
// off. Its keys start with the address asked (see cacheVariant); the API
// gives the rest of each key (cache.Cache.ServeKeyed), which must say
// everything that selects its answer.
func (s *Site) AnswerCache() *cache.Cache {
	if s.cfg.CacheBytes <= 0 {
		return nil
	}
	return s.cache
}
