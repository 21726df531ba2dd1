package markup

// urlKind is what a link's destination means for the page.
type urlKind int

const (
	// urlUnsafe is a destination the page must not link to: any scheme
	// but http, https and mailto (javascript:, vbscript:, data:, file:...),
	// or one with control characters in it.
	urlUnsafe urlKind = iota
	// urlInternal is a relative URL or a mailto: link.
	urlInternal
	// urlExternal is an absolute http(s) URL or a scheme-relative one
	// ("//host/path"): another site, as far as this package can tell.
	urlExternal
)

// classifyURL says what kind of destination u is. u is a destination as it
// will be written in the href, already percent-encoded by goldmark.
//
// The package does not know the site's own host names, so every absolute
// URL counts as external; links within the site are written as paths.
func classifyURL(u []byte) urlKind {
	for _, c := range u {
		// Browsers drop tabs and newlines inside URLs and leading
		// control characters and spaces, which would let "java\tscript:"
		// through a scheme check; such bytes have no place in a link.
		if c <= ' ' || c == 0x7f {
			return urlUnsafe
		}
	}
	if scheme, ok := urlScheme(u); ok {
		switch {
		case equalFold(scheme, "http"), equalFold(scheme, "https"):
			return urlExternal
		case equalFold(scheme, "mailto"):
			return urlInternal
		default:
			return urlUnsafe
		}
	}
	// Browsers read a backslash as a slash in http(s) URLs.
	if len(u) >= 2 && isSlash(u[0]) && isSlash(u[1]) {
		return urlExternal
	}
	return urlInternal
}

// urlScheme returns the scheme of u, if u starts with one (RFC 3986:
// a letter, then letters, digits, "+", "-" or ".", then ":").
func urlScheme(u []byte) ([]byte, bool) {
	for i, c := range u {
		switch {
		case c == ':':
			return u[:i], i > 0
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return nil, false
		}
	}
	return nil, false
}

// isLocalPath reports whether u is a path on this site: it starts with a
// single "/" and holds only printable ASCII other than "\". Such a URL can
// load nothing from another origin, which is the only kind of image a public
// page may show. The sanitizer's image rule (localPathPattern) says the same.
func isLocalPath(u []byte) bool {
	if len(u) == 0 || u[0] != '/' || len(u) > 1 && isSlash(u[1]) {
		return false
	}
	for _, c := range u {
		if c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return true
}

// localPathPattern is isLocalPath as a regular expression, for bluemonday.
const localPathPattern = `^/(?:[!-.0-\[\]-~][!-\[\]-~]*)?$`

func isSlash(c byte) bool { return c == '/' || c == '\\' }

// equalFold reports whether b equals the lower-case ASCII s, ignoring case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether b starts with the lower-case ASCII prefix,
// ignoring case.
func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && equalFold(b[:len(prefix)], prefix)
}
