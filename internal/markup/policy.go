package markup

import (
	"regexp"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// policy is the allowlist every rendered body goes through. Render already
// writes only what this allows; the policy is there so that a mistake in
// the renderer, or in goldmark, cannot reach a reader's browser.
var policy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements(
		"p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
		"em", "strong", "del", "code", "pre",
		"ul", "ol", "li", "blockquote", "footer",
		"table", "thead", "tbody", "tr", "th", "td",
		"figure", "figcaption", "small",
	)

	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	p.AllowAttrs("href", "title").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^noopener noreferrer$`)).OnElements("a")

	p.AllowAttrs("src").Matching(regexp.MustCompile(localPathPattern)).OnElements("img")
	p.AllowAttrs("alt", "title").OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	// A figure's photo set (RenderWith).
	p.AllowAttrs("srcset").Matching(regexp.MustCompile(srcsetPattern)).OnElements("img")
	p.AllowAttrs("sizes").Matching(sizesPattern).OnElements("img")
	p.AllowAttrs("width", "height").Matching(regexp.MustCompile(`^[1-9][0-9]{0,4}$`)).OnElements("img")

	// The embed card (embedblock.go): the player's address is data for
	// the page's script, and only ever one of the providers' players.
	p.AllowElements("button")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^embed embed-(?:` + embedRatios + `)$`)).OnElements("figure")
	p.AllowAttrs("data-embed").Matching(embedProviderPattern()).OnElements("figure")
	p.AllowAttrs("data-embed-src").Matching(embedSrcPattern()).OnElements("figure")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^button$`)).OnElements("button")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^embed-load$`)).OnElements("button")
	p.AllowAttrs("hidden").Matching(regexp.MustCompile(`^$`)).OnElements("button")

	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(?:left|center|right)$`)).OnElements("th", "td")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^quote$`)).OnElements("blockquote")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^credit$`)).OnElements("small")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w.+#-]+$`)).OnElements("code")
	return p
})
