package news

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
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
	if !lineSafe(v) {
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
	if uri, ok := httpsURI(v); ok {
		return uri, nil
	}
	return "", bad
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
	uri, ok := "", lineSafe(v)
	if ok {
		uri, ok = httpsURI(v)
	}
	if !ok {
		return "", Invalid(field, "%q is not an https:// address such as https://example.org/security-policy", v)
	}
	return uri, nil
}

// httpsURI reads an https:// address with a host and no credentials, as
// it is to be published. The host must be in ASCII (an international
// name in its xn-- form): net/url would publish any other %-escaped,
// which names no host.
func httpsURI(v string) (string, bool) {
	u, err := url.Parse(v)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	for i := 0; i < len(u.Host); i++ {
		if u.Host[i] >= 0x80 {
			return "", false
		}
	}
	u.Scheme = "https"
	return u.String(), true
}

// lineSafe reports whether v can be one field of a line of security.txt
// whatever reads it: no control character (C0, DEL, C1 with NEL), no
// space of any kind, no line or paragraph separator (U+2028, U+2029:
// Python's splitlines and JavaScript's multiline ^ and $ break lines
// there, and net/url keeps them as they are in a query) and no invisible
// format character (a right-to-left override, a zero-width space). A URI
// needs none of them, nor bytes that are not UTF-8.
func lineSafe(v string) bool {
	if !utf8.ValidString(v) {
		return false
	}
	for _, r := range v {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Cf) {
			return false
		}
	}
	return true
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
