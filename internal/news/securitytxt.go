package news

import (
	"net/mail"
	"net/url"
	"strings"
)

// The publication's security contact, for /.well-known/security.txt (RFC
// 9116): where someone who finds a vulnerability in the site (not in the
// Newsdesk software, which has its own address: docs/security.md) should
// write. With no contact set, the site has no security.txt.
const (
	SettingSecurityContact = "site.security_contact" // a mailto: or https: URI
	SettingSecurityPolicy  = "site.security_policy"  // an https: URI of the disclosure policy, or ""
)

// maxSecurityURI bounds both settings: a contact is an address, not a
// document.
const maxSecurityURI = 500

// ParseSecurityContact reads the security contact typed for field: an
// e-mail address (written as a mailto: URI), a mailto: URI of one address,
// or an https:// address, as RFC 9116 asks of a Contact. It returns the
// URI to publish, or "" for none. Anything else is refused, naming the
// field: the value becomes a line of a file that others parse, so a line
// break, a display name or a query that could carry one cannot pass.
func ParseSecurityContact(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	bad := Invalid(field, "%q is not an e-mail address or an https:// address such as mailto:security@example.org or https://example.org/security", v)
	if len(v) > maxSecurityURI {
		return "", Invalid(field, "is longer than %d characters", maxSecurityURI)
	}
	if strings.IndexFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 }) >= 0 {
		return "", bad
	}
	if !strings.Contains(v, ":") && strings.Contains(v, "@") {
		v = "mailto:" + v
	}
	if rest, ok := cutPrefixFold(v, "mailto:"); ok {
		a, err := mail.ParseAddress(rest)
		if err != nil || a.Name != "" || a.Address != rest || strings.ContainsAny(rest, "?#/\\ \t") {
			return "", bad
		}
		return "mailto:" + rest, nil
	}
	u, err := url.Parse(v)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", bad
	}
	u.Scheme = "https"
	return u.String(), nil
}

// ParseSecurityPolicy reads the address of the publication's disclosure
// policy for field: an https:// address, or "" for none.
func ParseSecurityPolicy(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if len(v) > maxSecurityURI {
		return "", Invalid(field, "is longer than %d characters", maxSecurityURI)
	}
	u, err := url.Parse(v)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", Invalid(field, "%q is not an https:// address such as https://example.org/security-policy", v)
	}
	u.Scheme = "https"
	return u.String(), nil
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
