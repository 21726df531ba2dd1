package site

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/netx"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Config is what the public site needs to know about the publication.
type Config struct {
	BaseURL  *url.URL   // the primary address: canonical links name it
	Mirrors  []*url.URL // alternate addresses where the site can also be read
	Name     string     // the publication's name
	Language string     // BCP 47, e.g. "en"
	PageSize int        // articles per page of a list
	// Onion is the site's onion service address (http://NAME.onion), or
	// nil. The site answers on it, and names it in the Onion-Location
	// header of every answer to an HTTPS request (see ParseOnion).
	Onion *url.URL
	// StrictHosts answers a request for a host that is none of the site's
	// addresses with 421 Misdirected Request; otherwise such a request is
	// answered as if it had come to the primary address.
	StrictHosts bool
	// Proxies are the reverse proxies whose X-Forwarded-For, -Proto and
	// -Host headers are believed; the rest of the program uses the same.
	Proxies netx.Proxies
	// CacheBytes bounds the page cache's memory; 0 turns the cache off
	// (the static export renders each page once: keeping, hashing and
	// copying its bytes were 2% of its time for nothing).
	CacheBytes int64
	// PollInterval is how often the change log is read, to learn of
	// changes made by other processes (an import, another instance).
	PollInterval time.Duration
	// WebSubHub is a WebSub hub, announced in every feed and told of every
	// change (see ParseWebSubHub); nil for none.
	WebSubHub *url.URL
	// PurgeURL is told the surrogate keys of every change, to purge a CDN
	// in front (see ParsePurgeURL and purge.go); nil for none. With it,
	// pages may stay in the CDN far longer than in browsers.
	PurgeURL *url.URL
	// SitemapSize is how many articles one article sitemap lists; 0 means
	// the protocol's most, 50,000. Tests make it small.
	SitemapSize int
	// Now tells the time; nil means time.Now. Tests set a fixed clock.
	Now func() time.Time
}

// NewConfig checks the addresses an operator gave and returns a Config with
// defaults for the rest.
func NewConfig(baseURL string, mirrors []string, name string) (Config, error) {
	base, err := parseSiteURL("--base-url", baseURL)
	if err != nil {
		return Config{}, err
	}
	c := Config{BaseURL: base, Name: strings.TrimSpace(name), Language: "en", PageSize: 20,
		CacheBytes: 64 << 20, PollInterval: 50 * time.Millisecond}
	if c.Name == "" {
		c.Name = "Newsdesk"
	}
	for _, m := range mirrors {
		if strings.TrimSpace(m) == "" {
			continue
		}
		u, err := parseSiteURL("--mirror", m)
		if err != nil {
			return Config{}, err
		}
		c.Mirrors = append(c.Mirrors, u)
	}
	return c, nil
}

// parseSiteURL accepts an absolute http or https URL with a host and no
// query, and drops a trailing slash.
func parseSiteURL(flag, s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%s %q: give an absolute http:// or https:// address such as https://news.example.org", flag, s)
	}
	if strings.Trim(u.Path, "/") != "" {
		return nil, fmt.Errorf("%s %q: the site must be at the root of its address (no path after the host)", flag, s)
	}
	u.Path = ""
	return u, nil
}

// ParseOnion checks an onion service address for --onion: an http or
// https origin whose host is a version 3 onion name (56 letters and digits,
// then ".onion"; version 2 names stopped working in 2021, so a shorter name
// is a typo Tor Browser would never reach). "" is no onion address: nil, no
// error.
func ParseOnion(s string) (*url.URL, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	u, err := news.ParseOnion("--onion", s)
	if err != nil {
		return nil, fmt.Errorf("--onion %q: give an onion service address, http:// then 56 letters and digits then .onion", s)
	}
	return u, nil
}

// abs returns the absolute URL of a site path on the primary address. It
// is for what must always name the primary: canonical links, structured
// data, WebSub topics. Links that should keep a reader on the address they
// came through use Site.link.
func (c Config) abs(path string) string {
	return c.BaseURL.String() + path
}
