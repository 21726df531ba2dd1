package news

import (
	"regexp"
	"strings"
	"time"
)

// The keys of the per-site settings, stored by the newsroom and read by the
// site with defaults from its configuration.
const (
	SettingName        = "site.name"         // the publication's name
	SettingLanguage    = "site.language"     // BCP 47, e.g. "en", "pt-BR"
	SettingDescription = "site.description"  // one sentence: the home page's and home feeds' description
	SettingLogo        = "site.logo"         // a path on the site ("/media/...") or an absolute URL
	SettingTwitter     = "site.twitter"      // the publication's handle on X (Twitter): "@name"
	SettingSameAs      = "site.same_as"      // the publication's profiles elsewhere, one URL a line
	SettingIDAuthority = "site.id_authority" // the host name in feed ids; set it before moving to a new domain
	SettingTimeZone    = "site.time_zone"    // an IANA zone name ("Europe/Paris"): the zone dates are shown and schedules typed in; "" is UTC

	// The alternate addresses (see Addresses): when any of them changes,
	// /mirrors.json says so.
	SettingMirrors    = "site.mirrors"     // origins the site is also served at, one a line
	SettingOnion      = "site.onion"       // the onion service's origin
	SettingSnapshots  = "site.snapshots"   // where static copies are hosted, one URL a line
	SettingSigningKey = "site.signing_key" // the public key that signs snapshots
	// SettingFlagAddresses is what the server was last started with
	// (--base-url, --mirror, --onion), kept so that a change of flags
	// is dated like a change in the newsroom.
	SettingFlagAddresses = "site.flag_addresses"
)

// AddressSettings are the keys of the alternate addresses.
var AddressSettings = []string{SettingMirrors, SettingOnion, SettingSnapshots, SettingSigningKey, SettingFlagAddresses}

var (
	languageTag   = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)
	twitterHandle = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)
	hostName      = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$`)
)

// ValidLanguage reports whether v looks like a BCP 47 language tag.
func ValidLanguage(v string) bool { return languageTag.MatchString(v) }

// ValidHostName reports whether v is a lower-case host name.
func ValidHostName(v string) bool { return len(v) <= 253 && hostName.MatchString(v) }

// TwitterHandle reads a handle on X (Twitter) typed as "@name", "name" or a
// profile URL, and returns it as "@name"; ok is false when it is not one.
func TwitterHandle(v string) (handle string, ok bool) {
	v = strings.TrimSpace(v)
	for _, p := range []string{"https://x.com/", "https://twitter.com/", "http://x.com/", "http://twitter.com/", "@"} {
		v = strings.TrimPrefix(v, p)
	}
	if !twitterHandle.MatchString(v) {
		return "", false
	}
	return "@" + v, true
}

// ParseTimeZone reads the site's time zone setting, an IANA zone name such
// as "Europe/Paris", for field (the form field, for the error). Empty is
// UTC. "Local" is refused: it would be whatever zone the server happens to
// run in, and two instances could disagree.
func ParseTimeZone(field, v string) (*time.Location, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.UTC, nil
	}
	if v == "Local" || len(v) > 64 {
		return nil, Invalid(field, "%q is not a time zone name such as Europe/Paris or America/New_York", v)
	}
	loc, err := time.LoadLocation(v)
	if err != nil {
		return nil, Invalid(field, "%q is not a time zone name such as Europe/Paris or America/New_York", v)
	}
	return loc, nil
}
