package news

import (
	"crypto/ed25519"
	"encoding/base64"
	"net/url"
	"strings"
)

// Addresses are where readers can find the publication besides its primary
// address: when a domain is blocked or seized, the site goes on at a mirror,
// at an onion address, or as a static copy anyone can host. The newsroom
// edits them at run time; they are shown on every page and in /mirrors.json.
type Addresses struct {
	Mirrors    []*url.URL // other origins the same server answers on
	Onion      *url.URL   // an onion service's origin, or nil
	Snapshots  []*url.URL // where static copies of the site are hosted (any path)
	SigningKey string     // the public key that signs snapshots, "newsdesk-ed25519 BASE64", or ""
}

// ParseOrigin checks an address the site is served at: an absolute http or
// https URL with a host and nothing after it but an optional "/". field
// names the form field or flag in the error.
func ParseOrigin(field, s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, Invalid(field, "%q is not an address such as https://news.example.org", s)
	}
	if strings.Trim(u.Path, "/") != "" {
		return nil, Invalid(field, "%q has a path; the site is served at the root of its address", s)
	}
	u.Host = strings.ToLower(u.Host)
	u.Path, u.RawPath = "", ""
	return u, nil
}

// ParseOnion checks an onion service's address: an origin whose host ends
// in ".onion" (version 3 names are 56 base32 characters).
func ParseOnion(field, s string) (*url.URL, error) {
	u, err := ParseOrigin(field, s)
	if err != nil {
		return nil, err
	}
	name, ok := strings.CutSuffix(u.Hostname(), ".onion")
	if !ok || len(name) != 56 || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		return nil, Invalid(field, "%q is not an onion address (56 letters and digits, then .onion)", s)
	}
	return u, nil
}

// ParseWebURL checks an address on the web: any absolute http or https
// URL, a path included (a static copy may live in a folder, a profile
// has one).
func ParseWebURL(field, s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return nil, Invalid(field, "%q is not an address such as https://copy.example.net/news/", s)
	}
	u.Fragment = ""
	return u, nil
}

// KeyPrefix starts the text form of a snapshot signing public key.
const KeyPrefix = "newsdesk-ed25519 "

// ParsePublicKey reads a signing public key in its text form,
// "newsdesk-ed25519 " and the key's 32 bytes in standard base64.
func ParsePublicKey(field, s string) (ed25519.PublicKey, error) {
	b64, ok := strings.CutPrefix(strings.TrimSpace(s), KeyPrefix)
	if !ok {
		return nil, Invalid(field, "a public key starts with %q (the first line of the .pub file newsdesk keygen writes)", strings.TrimSpace(KeyPrefix))
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil || len(key) != ed25519.PublicKeySize {
		return nil, Invalid(field, "the key after %q is not %d bytes of base64", strings.TrimSpace(KeyPrefix), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(key), nil
}

// FormatPublicKey is the text form of a signing public key.
func FormatPublicKey(key ed25519.PublicKey) string {
	return KeyPrefix + base64.StdEncoding.EncodeToString(key)
}

// ParseAddresses checks the addresses as the newsroom's form gives them:
// one URL a line for mirrors and snapshots. Blank lines and duplicates are
// dropped; the first bad line is reported with its field and line number.
func ParseAddresses(mirrors, onion, snapshots, key string) (*Addresses, error) {
	a := &Addresses{}
	seen := map[string]bool{}
	for i, line := range strings.Split(mirrors, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		u, err := ParseOrigin("mirrors", line)
		if err != nil {
			return nil, lineError(err, i+1)
		}
		if !seen[u.String()] {
			seen[u.String()] = true
			a.Mirrors = append(a.Mirrors, u)
		}
	}
	if strings.TrimSpace(onion) != "" {
		u, err := ParseOnion("onion", onion)
		if err != nil {
			return nil, err
		}
		a.Onion = u
	}
	for i, line := range strings.Split(snapshots, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		u, err := ParseWebURL("snapshots", line)
		if err != nil {
			return nil, lineError(err, i+1)
		}
		if !seen[u.String()] {
			seen[u.String()] = true
			a.Snapshots = append(a.Snapshots, u)
		}
	}
	if strings.TrimSpace(key) != "" {
		k, err := ParsePublicKey("signing_key", key)
		if err != nil {
			return nil, err
		}
		a.SigningKey = FormatPublicKey(k)
	}
	return a, nil
}

// lineError adds the line number to a field's error.
func lineError(err error, line int) error {
	if e, ok := err.(*Error); ok {
		return Invalid(e.Field, "line %d: %s", line, e.Message)
	}
	return err
}

// Lines is the form's text of a list of URLs: one a line.
func Lines(us []*url.URL) string {
	var b strings.Builder
	for _, u := range us {
		b.WriteString(u.String())
		b.WriteByte('\n')
	}
	return b.String()
}
