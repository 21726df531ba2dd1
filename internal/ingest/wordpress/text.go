package wordpress

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

var (
	tagRE = regexp.MustCompile(`(?s)<!--.*?-->|<[a-zA-Z/!?][^>]*>`)
	// breakTagRE are tags that separate words: what stood on either side
	// of them keeps a space between.
	breakTagRE = regexp.MustCompile(`(?i)^</?(p|br|div|li|ul|ol|h[1-6]|blockquote|tr|td|th|table|figure|figcaption|hr|section|article|dd|dt)\b`)
)

// plainText is s (HTML, or text with entities) as plain text: tags
// stripped, entities decoded, runs of white space made one space.
func plainText(s string) string {
	if strings.ContainsAny(s, "<&") {
		s = tagRE.ReplaceAllStringFunc(s, func(t string) string {
			if breakTagRE.MatchString(t) {
				return " "
			}
			return ""
		})
		s = html.UnescapeString(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// SEO title variables. Yoast writes them %%title%%, Rank Math %title%.
var (
	seoVarRE = regexp.MustCompile(`%%[a-zA-Z0-9_]+%%|%[a-zA-Z][a-zA-Z0-9_]*%`)
	// Variables that name the site or separate parts of a title: the new
	// site adds its own name, so they are dropped.
	seoDropped = map[string]bool{
		"sitename": true, "sitedesc": true, "sep": true, "page": true,
		"pagenumber": true, "pagetotal": true, "site_title": true,
		"site_description": true,
	}
)

// seoTemplate fills an SEO title or description written with Yoast's or
// Rank Math's variables: the title variable becomes title, the excerpt
// variable excerpt, site name and separators go. Anything else left in
// (a variable this reader does not know) makes it "", so that the new
// site's own default is used rather than a half-filled template.
func seoTemplate(tmpl, title, excerpt string) string {
	tmpl = plainText(tmpl)
	if !strings.Contains(tmpl, "%") {
		return tmpl
	}
	unknown := false
	out := seoVarRE.ReplaceAllStringFunc(tmpl, func(v string) string {
		name := strings.ToLower(strings.Trim(v, "%"))
		switch {
		case name == "title":
			return title
		case name == "excerpt" || name == "excerpt_only":
			return excerpt
		case seoDropped[name]:
			return "\x00"
		}
		unknown = true
		return v
	})
	if unknown || seoVarRE.MatchString(strings.ReplaceAll(out, "\x00", " ")) {
		return ""
	}
	// Where a separator or the site's name stood, the words around it
	// may leave a dangling dash or bar: trim it on that side only.
	const dangling = " \t|-–—·•:»«/~"
	parts := strings.Split(out, "\x00")
	var kept []string
	for i, p := range parts {
		if i > 0 {
			p = strings.TrimLeft(p, dangling)
		}
		if i < len(parts)-1 {
			p = strings.TrimRight(p, dangling)
		}
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(strings.Fields(strings.Join(kept, " ")), " ")
}

// phpImageMetaCredit finds the credit in the PHP-serialized
// _wp_attachment_metadata WordPress keeps for an image
// (a:5:{...s:10:"image_meta";a:12:{...s:6:"credit";s:3:"AFP";...}}),
// read from the camera's IPTC data on upload. It reads just that string,
// by its byte length as PHP wrote it; "" when there is none.
func phpImageMetaCredit(meta string) string {
	i := strings.Index(meta, `s:10:"image_meta";`)
	if i < 0 {
		return ""
	}
	rest := meta[i:]
	const key = `s:6:"credit";s:`
	j := strings.Index(rest, key)
	if j < 0 {
		return ""
	}
	rest = rest[j+len(key):]
	colon := strings.IndexByte(rest, ':')
	if colon < 0 {
		return ""
	}
	n, err := strconv.Atoi(rest[:colon])
	if err != nil || n < 0 || colon+2+n > len(rest) || rest[colon+1] != '"' {
		return ""
	}
	return strings.TrimSpace(rest[colon+2 : colon+2+n])
}
