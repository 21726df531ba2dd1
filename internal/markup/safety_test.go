package markup

import (
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
)

// allowedAttrs is, per element, every attribute a rendered body may carry.
// It is written out here, apart from the policy, so that a too-generous
// policy fails the tests instead of defining what they accept.
var allowedAttrs = map[string][]string{
	"p": nil, "br": nil, "hr": nil,
	"h2": nil, "h3": nil, "h4": nil, "h5": nil, "h6": nil,
	"em": nil, "strong": nil, "del": nil, "pre": nil,
	"ul": nil, "li": nil, "footer": nil, "figcaption": nil,
	"table": nil, "thead": nil, "tbody": nil, "tr": nil,
	"ol":         {"start"},
	"th":         {"align"},
	"td":         {"align"},
	"code":       {"class"},
	"blockquote": {"class"},
	"small":      {"class"},
	"a":          {"href", "title", "rel"},
	"img":        {"src", "srcset", "sizes", "width", "height", "alt", "title", "loading"},
	"figure":     {"class", "data-embed", "data-embed-src"},
	"button":     {"type", "class", "hidden"},
}

// problems lists what makes out unfit for a public page: an element or
// attribute off the list, a link that runs script, an image from another
// origin. Because text and attribute values come out HTML-escaped, every "<"
// in out starts a tag and the next ">" ends it; that is checked too.
//
// The checks look at the markup, not at the text: a body may well say
// "javascript:" or "onerror=" in a sentence, and that is harmless.
func problems(out string) []string {
	var probs []string
	lower := strings.ToLower(out)
	for _, bad := range []string{"<script", "<iframe", "<style", "<h1", "<object", "<embed", "<form", "<input", "<svg", "<!--"} {
		if strings.Contains(lower, bad) {
			probs = append(probs, fmt.Sprintf("contains %q", bad))
		}
	}
	rest := out
	for {
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '>')
		if j < 0 {
			probs = append(probs, fmt.Sprintf("unclosed tag at %q", rest[i:]))
			break
		}
		probs = append(probs, tagProblems(rest[i+1:i+j])...)
		rest = rest[i+j+1:]
	}
	return probs
}

// tagProblems checks one tag, given without its angle brackets.
func tagProblems(tag string) []string {
	if strings.HasPrefix(tag, "/") {
		if _, ok := allowedAttrs[tag[1:]]; !ok {
			return []string{fmt.Sprintf("end tag %q", tag)}
		}
		return nil
	}
	tag = strings.TrimSuffix(tag, "/")
	name, attrs, _ := strings.Cut(tag, " ")
	allowed, ok := allowedAttrs[name]
	if !ok {
		return []string{fmt.Sprintf("element %q", name)}
	}
	var probs []string
	for attrs != "" {
		key, rest, _ := strings.Cut(attrs, `="`)
		val, rest2, ok := strings.Cut(rest, `"`)
		if !ok || strings.ContainsAny(key, " \t\n<>'\"=") {
			return append(probs, fmt.Sprintf("malformed attributes in <%s>", tag))
		}
		attrs = strings.TrimPrefix(rest2, " ")
		key = strings.ToLower(key)
		val = html.UnescapeString(val)
		switch {
		case !slices.Contains(allowed, key):
			probs = append(probs, fmt.Sprintf("attribute %s on <%s>", key, name))
		case key == "href" && !safeHref(val):
			probs = append(probs, fmt.Sprintf("href %q", val))
		case key == "src" && !localSrc(val):
			probs = append(probs, fmt.Sprintf("src %q", val))
		case key == "srcset" && !localSrcset(val):
			probs = append(probs, fmt.Sprintf("srcset %q", val))
		case key == "data-embed-src" && !playerSrc(val):
			probs = append(probs, fmt.Sprintf("data-embed-src %q", val))
		case key == "type" && val != "button":
			probs = append(probs, fmt.Sprintf("button type %q", val))
		}
	}
	return probs
}

var schemePattern = regexp.MustCompile(`^[a-z][a-z0-9+.-]*$`)

// safeHref reports whether href, as a browser would read it, is http(s),
// mailto or relative.
func safeHref(href string) bool {
	// Browsers ignore leading C0 controls and spaces, and tabs and
	// newlines anywhere.
	s := strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, href)
	s = strings.ToLower(s)
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || !schemePattern.MatchString(scheme) {
		// No scheme, so a relative URL: "java%09script:x" is a path.
		return true
	}
	return scheme == "http" || scheme == "https" || scheme == "mailto"
}

// localSrc reports whether src can only load from the page's own origin.
func localSrc(src string) bool {
	return strings.HasPrefix(src, "/") && !strings.HasPrefix(src, "//") &&
		!strings.ContainsAny(src, "\\ \t\n\r\f") && !strings.HasPrefix(src, "/\\")
}

// localSrcset reports whether every source in a srcset can only load from
// the page's own origin.
func localSrcset(srcset string) bool {
	for cand := range strings.SplitSeq(srcset, ",") {
		u, _, _ := strings.Cut(strings.TrimSpace(cand), " ")
		if !localSrc(u) {
			return false
		}
	}
	return true
}

// playerOrigins are the players a card may name, written out here apart
// from the package's own table.
var playerOrigins = []string{
	"https://www.youtube-nocookie.com/", "https://player.vimeo.com/", "https://platform.twitter.com/",
	"https://www.instagram.com/", "https://www.facebook.com/", "https://www.tiktok.com/",
	"https://w.soundcloud.com/", "https://open.spotify.com/", "https://datawrapper.dwcdn.net/",
	"https://flo.uri.sh/", "https://www.openstreetmap.org/", "https://www.google.com/maps",
}

// playerSrc reports whether src is the https address of a known player,
// with nothing in it a browser would read otherwise.
func playerSrc(src string) bool {
	if strings.ContainsAny(src, "\"<>'` \t\n\r\f") {
		return false
	}
	for _, o := range playerOrigins {
		if strings.HasPrefix(src, o) {
			return true
		}
	}
	return false
}
