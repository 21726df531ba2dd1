package archive

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsdesk/newsdesk/internal/markup"
)

// ConvertOptions are what Convert needs to know of the old site.
type ConvertOptions struct {
	// SiteURL is the old site's address ("https://example.com"): links to
	// it (http or https, with or without www) become site paths
	// ("/2019/05/slug/"), which the import redirects to their new place.
	SiteURL string
	// Image is called once per image address in the body, with the
	// address made absolute against SiteURL (or left as a site path when
	// SiteURL is empty). It returns the address to use, a /media/... path,
	// or an error: then the image becomes a link to its old address with
	// its alt text as the words, and a Note says so. Nil, every image is
	// kept as such a link.
	Image func(src string) (string, error)
}

// Converted is a body in Markdown, and what was changed or left behind to
// make it, one report line each.
type Converted struct {
	Markdown string
	Notes    []string
}

// Convert turns an item's HTML body into internal/markup's Markdown
// dialect (docs/editor.md): subheads, lists, GFM tables, quotes with their
// attribution, figures with caption and credit, galleries as rows of
// figures, embeds as their address alone on a line, links, emphasis and
// code.
//
// The page an imported story is shown on makes no request to another site
// and holds no HTML from the export: markup drops raw HTML, so whatever the
// dialect cannot say is either turned into something it can (an embed's
// player into the embed's address, footnotes into numbered notes) or
// dropped, and every drop is counted into Notes, one line per kind ("dropped
// 2 <script> elements"). HTML comments (WordPress's block delimiters among
// them), attributes (classes, styles, event handlers) and the formatting of
// purely presentational elements (<span>, <u>, <font>) are not counted: a
// reader never saw them as content.
//
// The Markdown is not checked against markup's size limit; the writer's
// Render does that, with its own message.
func Convert(src string, opt ConvertOptions) (Converted, error) {
	st := &convertState{opt: opt, tally: map[string]*noteCount{}, images: map[string]imageResult{}}
	if opt.SiteURL != "" {
		u, err := url.Parse(strings.TrimSpace(opt.SiteURL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Converted{}, fmt.Errorf("convert: site address %q is not an http or https URL", opt.SiteURL)
		}
		st.site = u
		st.siteHost = stripWWW(strings.ToLower(u.Host))
		st.sitePath = strings.TrimSuffix(u.EscapedPath(), "/")
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(src), body)
	if err != nil {
		return Converted{}, fmt.Errorf("convert: reading the HTML: %w", err)
	}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	ctx := context.WithValue(context.Background(), stateKey{}, st)
	md, err := converter().ConvertNode(body, htmltomarkdown.WithContext(ctx))
	if err != nil {
		return Converted{}, fmt.Errorf("convert: %w", err)
	}
	return Converted{Markdown: string(md), Notes: st.notes()}, nil
}

// converter is the one html-to-markdown converter, with our rules as a
// plugin; it is safe for concurrent use, and each Convert's own state
// travels in the conversion's context.
var converter = sync.OnceValue(func() *htmltomarkdown.Converter {
	return htmltomarkdown.NewConverter(htmltomarkdown.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(
			commonmark.WithHorizontalRule("---"),
			// Two lists in a row get different markers instead
			// (renderList): markup drops the HTML comment the library
			// would put between them, and so would the editor.
			commonmark.WithListEndComment(false),
			commonmark.WithLinkEmptyHrefBehavior(commonmark.LinkBehaviorSkip),
			commonmark.WithLinkEmptyContentBehavior(commonmark.LinkBehaviorSkip),
		),
		table.NewTablePlugin(table.WithCellPaddingBehavior(table.CellPaddingBehaviorMinimal)),
		strikethrough.NewStrikethroughPlugin(),
		newsPlugin{},
	))
})

type stateKey struct{}

// listKey marks a list that renderList has already seen, so that it lets
// the commonmark plugin render it.
type listKey struct{}

func stateOf(ctx context.Context) *convertState { return ctx.Value(stateKey{}).(*convertState) }

// convertState is one Convert's options and what it has noted so far.
type convertState struct {
	opt                ConvertOptions
	site               *url.URL
	siteHost, sitePath string
	order              []string
	tally              map[string]*noteCount
	images             map[string]imageResult
}

type noteCount struct {
	n    int
	text func(n int) string
}

type imageResult struct {
	dest string
	err  error
}

// note counts one more of a kind of change; text writes the report line
// for n of them.
func (st *convertState) note(key string, text func(n int) string) {
	c, ok := st.tally[key]
	if !ok {
		c = &noteCount{text: text}
		st.tally[key] = c
		st.order = append(st.order, key)
	}
	c.n++
}

func (st *convertState) notes() []string {
	var out []string
	for _, k := range st.order {
		c := st.tally[k]
		out = append(out, c.text(c.n))
	}
	return out
}

// elements writes "1 <script>" or "2 <script> elements".
func elements(n int, tag string) string {
	if n == 1 {
		return "1 <" + tag + ">"
	}
	return strconv.Itoa(n) + " <" + tag + "> elements"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func (st *convertState) dropped(tag string) {
	st.note("drop "+tag, func(n int) string { return "dropped " + elements(n, tag) })
}

// newsPlugin is our dialect's rules for the library: a pass over the
// document before it is rendered (prepare), and renderers for what the
// commonmark plugin would write otherwise.
type newsPlugin struct{}

func (newsPlugin) Name() string { return "newsdesk" }

func (p newsPlugin) Init(conv *htmltomarkdown.Converter) error {
	// Ahead of the base plugin's own removal of scripts and frames, so
	// that each is counted, and embeds are found before their frames go.
	conv.Register.PreRenderer(prepare, htmltomarkdown.PriorityEarly-50)
	conv.Register.TagType(tagFigure, htmltomarkdown.TagTypeBlock, htmltomarkdown.PriorityEarly)
	conv.Register.TagType(tagEmbed, htmltomarkdown.TagTypeBlock, htmltomarkdown.PriorityEarly)
	conv.Register.RendererFor(tagFigure, htmltomarkdown.TagTypeBlock, renderFigure, htmltomarkdown.PriorityEarly)
	conv.Register.RendererFor(tagEmbed, htmltomarkdown.TagTypeBlock, renderEmbed, htmltomarkdown.PriorityEarly)
	conv.Register.RendererFor("img", htmltomarkdown.TagTypeInline, renderImage, htmltomarkdown.PriorityEarly)
	conv.Register.Renderer(renderList, htmltomarkdown.PriorityEarly)
	// Before the base plugin turns "<" into "&lt;" (PriorityStandard).
	conv.Register.TextTransformer(escapeEntities, htmltomarkdown.PriorityEarly)
	return nil
}

// The elements prepare makes for what the renderers below write.
const (
	tagFigure = "newsdesk-figure" // src, alt, title: a figure paragraph
	tagEmbed  = "newsdesk-embed"  // url: an embed's address alone on its line
)

// attrKeep marks a link prepare made to an old address that must stay
// absolute (an image or video file on the old site).
const attrKeep = "data-newsdesk-keep"

// entityLike is text Markdown would read as a character reference.
var entityLike = regexp.MustCompile(`&(?:#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,8};|[A-Za-z][A-Za-z0-9]{1,31};)`)

// escapeEntities writes a text's "&" as "&amp;" where Markdown would read
// it as the start of a character reference: "&copy;" in the text must
// stay those six characters.
func escapeEntities(_ htmltomarkdown.Context, s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return entityLike.ReplaceAllStringFunc(s, func(m string) string { return "&amp;" + m[1:] })
}

// ---- the pass before rendering ----

// prepare rewrites the document into what the Markdown can hold, noting
// what it drops. The order matters: footnotes before links (both read
// "#..." addresses), embeds before figures (an embed's figure holds no
// image), tables before images (a cell's image stays inline).
func prepare(ctx htmltomarkdown.Context, doc *html.Node) {
	st := stateOf(ctx)
	st.covers(doc)
	st.clean(doc)
	st.footnotes(doc)
	st.embeds(doc)
	st.tables(doc)
	st.pictures(doc)
	st.quotes(doc)
	st.links(doc)
}

// droppedTags are elements whose content is not the story's text, or that
// load or run something: each is dropped whole, and counted.
var droppedTags = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "link": true, "meta": true,
	"base": true, "title": true, "head": true, "object": true, "embed": true, "applet": true,
	"frame": true, "frameset": true, "portal": true, "svg": true, "math": true, "canvas": true,
	"form": true, "input": true, "textarea": true, "select": true, "button": true, "map": true,
	"param": true, "track": true, "slot": true,
}

// clean drops comments and the elements above, takes control characters
// (and the library's private markers) out of the text, turns <q> into
// quotation marks, audio and video into links to their files, and counts
// formatting whose loss changes what the text says (<sup>, <sub>).
func (st *convertState) clean(doc *html.Node) { st.walkChildren(doc) }

func (st *convertState) cleanElement(c *html.Node) {
	tag := c.Data
	if c.Namespace != "" {
		// <svg> and <math> come as foreign content; what is inside them
		// goes with them.
		tag = c.Namespace
	}
	switch {
	case droppedTags[tag]:
		c.Parent.RemoveChild(c)
		st.dropped(tag)
		return
	case tag == "source" && c.Parent != nil && (c.Parent.Data == "picture" || c.Parent.Data == "video" || c.Parent.Data == "audio"):
		// Other sizes or formats of the same picture or film.
		c.Parent.RemoveChild(c)
		return
	case tag == "source":
		c.Parent.RemoveChild(c)
		st.dropped(tag)
		return
	case tag == "video" || tag == "audio":
		st.mediaLink(c)
		return
	case tag == "q":
		c.InsertBefore(&html.Node{Type: html.TextNode, Data: "“"}, c.FirstChild)
		c.AppendChild(&html.Node{Type: html.TextNode, Data: "”"})
	case tag == "sup" || tag == "sub":
		// Counted after the footnotes have taken theirs.
	}
	for i := range c.Attr {
		c.Attr[i].Val = cleanText(c.Attr[i].Val)
	}
	st.walkChildren(c)
}

func (st *convertState) walkChildren(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.CommentNode, html.DoctypeNode:
			n.RemoveChild(c)
		case html.TextNode:
			c.Data = cleanText(c.Data)
		case html.ElementNode:
			st.cleanElement(c)
		}
		c = next
	}
}

// cleanText takes out control characters other than white space, and the
// characters the library uses as its own markers (U+0007 for escapes,
// U+F002 for a code block's new lines), which the text must not be able
// to forge.
func cleanText(s string) string {
	clean := true
	for _, r := range s {
		if isStrayRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isStrayRune(r) {
			return -1
		}
		return r
	}, s)
}

func isStrayRune(r rune) bool {
	return r < ' ' && r != '\t' && r != '\n' && r != '\r' || r == 0x7f || r == '\uF002'
}

// mediaLink replaces an <audio> or <video> with a link to its file: the
// page plays nothing from the old site, and markup has no player.
func (st *convertState) mediaLink(n *html.Node) {
	src := attr(n, "src")
	if src == "" {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data == "source" && attr(c, "src") != "" {
				src = attr(c, "src")
				break
			}
		}
	}
	abs, ok := st.absolute(src)
	if !ok {
		n.Parent.RemoveChild(n)
		st.dropped(n.Data)
		return
	}
	word := map[string]string{"video": "Video", "audio": "Audio"}[n.Data]
	p := element("p")
	a := element("a", "href", abs, attrKeep, "")
	a.AppendChild(text(word + ": " + path.Base(strings.SplitN(abs, "?", 2)[0])))
	p.AppendChild(a)
	n.Parent.InsertBefore(p, n)
	n.Parent.RemoveChild(n)
	tag := n.Data
	st.note("media "+tag, func(k int) string {
		return "kept " + elements(k, tag) + " as a link to its file"
	})
}

// ---- footnotes ----

// footnotes turns footnotes into what markup can show: markup has no
// footnotes and drops HTML, so a reference becomes its number in brackets
// in the text ("[1]"), and the notes an ordered list under a "Notes"
// subhead at the end. It reads WordPress's core/footnotes block
// (<ol class="wp-block-footnotes">, references in <sup class="fn">) and the
// footnotes of Markdown processors (<div class="footnotes"> or <section
// class="footnotes">, as Ghost's Markdown card and Jetpack write them).
func (st *convertState) footnotes(doc *html.Node) {
	var containers []*html.Node
	findAll(doc, func(n *html.Node) bool {
		switch {
		case n.Data == "ol" && hasClass(n, "wp-block-footnotes"),
			(n.Data == "div" || n.Data == "section" || n.Data == "ol") && hasClass(n, "footnotes"):
			containers = append(containers, n)
			return false
		}
		return true
	})
	if len(containers) == 0 {
		return
	}
	numbers := map[string]int{}
	var items []*html.Node
	for _, c := range containers {
		list := c
		if c.Data != "ol" {
			list = findFirst(c, func(n *html.Node) bool { return n.Data == "ol" })
			if list == nil {
				continue
			}
		}
		for li := list.FirstChild; li != nil; li = li.NextSibling {
			if li.Type != html.ElementNode || li.Data != "li" {
				continue
			}
			items = append(items, li)
			if id := attr(li, "id"); id != "" {
				numbers[id] = len(items)
			}
		}
	}
	if len(items) == 0 {
		return
	}
	inNotes := func(n *html.Node) bool {
		for p := n; p != nil; p = p.Parent {
			for _, c := range containers {
				if p == c {
					return true
				}
			}
		}
		return false
	}
	refIDs := map[string]bool{}
	var refs []*html.Node
	findAll(doc, func(n *html.Node) bool {
		if n.Data == "a" && !inNotes(n) {
			if id, ok := strings.CutPrefix(attr(n, "href"), "#"); ok && numbers[id] > 0 {
				refs = append(refs, n)
			}
		}
		return true
	})
	for _, a := range refs {
		id, _ := strings.CutPrefix(attr(a, "href"), "#")
		target := a
		if p := a.Parent; p != nil && p.Data == "sup" && onlyChild(p, a) {
			target = p
		}
		for _, n := range []*html.Node{a, target} {
			if id := attr(n, "id"); id != "" {
				refIDs[id] = true
			}
		}
		target.Parent.InsertBefore(text("["+strconv.Itoa(numbers[id])+"]"), target)
		target.Parent.RemoveChild(target)
	}
	// The notes' links back to their references go: there is nothing
	// for them to jump to.
	for _, li := range items {
		var back []*html.Node
		findAll(li, func(n *html.Node) bool {
			if n.Data != "a" {
				return true
			}
			href := attr(n, "href")
			t := strings.TrimSpace(collectText(n))
			if id, ok := strings.CutPrefix(href, "#"); ok && (refIDs[id] || t == "" ||
				strings.ContainsAny(t, "↩↑^") || hasClass(n, "footnote-backref") || hasClass(n, "reversefootnote")) {
				back = append(back, n)
			}
			return false
		})
		for _, n := range back {
			n.Parent.RemoveChild(n)
		}
	}
	level := 2
	if h := findFirst(doc, func(n *html.Node) bool { return isHeading(n.Data) }); h != nil {
		level = min(int(h.Data[1]-'0'), level)
		findAll(doc, func(n *html.Node) bool {
			if isHeading(n.Data) {
				level = min(level, int(n.Data[1]-'0'))
			}
			return true
		})
	}
	for _, c := range containers {
		// The rule markdown-it writes before its footnotes.
		prev := c.PrevSibling
		for prev != nil && prev.Type == html.TextNode && strings.TrimSpace(prev.Data) == "" {
			prev = prev.PrevSibling
		}
		if prev != nil && prev.Type == html.ElementNode && prev.Data == "hr" && hasClass(prev, "footnotes-sep") {
			prev.Parent.RemoveChild(prev)
		}
		c.Parent.RemoveChild(c)
	}
	h := element("h" + strconv.Itoa(max(level, 1)))
	h.AppendChild(text("Notes"))
	ol := element("ol")
	for _, li := range items {
		li.Parent.RemoveChild(li)
		li.Attr = nil
		ol.AppendChild(li)
	}
	doc.AppendChild(h)
	doc.AppendChild(ol)
	for range items {
		st.note("footnotes", func(n int) string {
			return "made " + plural(n, "footnote", "footnotes") + " a numbered list under “Notes” at the end"
		})
	}
}

func isHeading(tag string) bool {
	return len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6'
}

// ---- covers ----

// backgroundURL is the picture a style attribute paints behind an element.
var backgroundURL = regexp.MustCompile(`(?i)background-image\s*:\s*url\(\s*(?:&#0?39;|&quot;|['"])?([^'")&]+)`)

// covers gives a cover block whose picture is only its background (the
// block editor's cover-image, and cover before WordPress 5.7, paint it
// with the style attribute, which is dropped) that picture as a figure
// before its words, so that it is brought in like any other image.
func (st *convertState) covers(doc *html.Node) {
	var found []*html.Node
	findAll(doc, func(n *html.Node) bool {
		if hasClass(n, "wp-block-cover-image") || hasClass(n, "wp-block-cover") {
			found = append(found, n)
			return false
		}
		return true
	})
	for _, n := range found {
		if findFirst(n, func(c *html.Node) bool { return c.Data == "img" || c.Data == "video" }) != nil {
			continue
		}
		m := backgroundURL.FindStringSubmatch(attr(n, "style"))
		if m == nil || strings.TrimSpace(m[1]) == "" {
			continue
		}
		fig := element("figure")
		fig.AppendChild(element("img", "src", strings.TrimSpace(m[1]), "alt", ""))
		n.Parent.InsertBefore(fig, n)
	}
}

// ---- embeds ----

// embeds turns a known provider's player (an <iframe>, or the blockquote
// its script would turn into one) and a paragraph holding only a known
// provider's address into an embed: the address alone on its line, which
// markup shows as a card that loads nothing until the reader asks. Other
// frames are dropped, by site.
func (st *convertState) embeds(doc *html.Node) {
	var found, links []*html.Node
	findAll(doc, func(n *html.Node) bool {
		switch {
		case n.Data == "iframe":
			found = append(found, n)
			return false
		case n.Data == "blockquote" && (hasClass(n, "twitter-tweet") || hasClass(n, "twitter-video") ||
			hasClass(n, "instagram-media") || hasClass(n, "tiktok-embed")),
			n.Data == "div" && (hasClass(n, "fb-post") || hasClass(n, "fb-video")):
			found = append(found, n)
			return false
		case n.Data == "p" || n.Data == "div" && hasClass(n, "wp-block-embed__wrapper"):
			if u := loneURL(n); u != "" {
				if _, ok := markup.EmbedOf(u); ok {
					found = append(found, n)
					return false
				}
				if bareURL(n) {
					links = append(links, n)
					return false
				}
			}
		}
		return true
	})
	// An address alone on its line that is no embed we know (a profile,
	// a page, a provider markup does not load) is a link, as WordPress
	// shows an embed it cannot load: as text it would not even be one.
	for _, n := range links {
		u := loneURL(n)
		a := element("a", "href", u)
		a.AppendChild(text(u))
		p := element("p")
		p.AppendChild(a)
		replace(n, p)
		st.note("embed link", func(k int) string {
			if k == 1 {
				return "kept 1 address that is not a known embed as a link"
			}
			return "kept " + strconv.Itoa(k) + " addresses that are not known embeds as links"
		})
	}
	for _, n := range found {
		switch n.Data {
		case "iframe":
			src := strings.TrimSpace(attr(n, "src"))
			if u, ok := playerPage(src); ok {
				replace(n, element(tagEmbed, "url", u))
				continue
			}
			host := "an unknown address"
			if u, err := url.Parse(src); err == nil && u.Host != "" {
				host = strings.ToLower(u.Host)
			} else if src == "" && attr(n, "srcdoc") != "" {
				host = "its own HTML (srcdoc)"
			}
			n.Parent.RemoveChild(n)
			st.note("iframe "+host, func(k int) string {
				return "dropped " + elements(k, "iframe") + " from " + host + " (not a known embed)"
			})
		case "p", "div":
			if n.Data == "div" && !hasClass(n, "wp-block-embed__wrapper") {
				u := attr(n, "data-href")
				if e, ok := markup.EmbedOf(u); ok {
					replace(n, element(tagEmbed, "url", e.URL))
				}
				continue
			}
			replace(n, element(tagEmbed, "url", loneURL(n)))
		case "blockquote":
			u := attr(n, "data-instgrm-permalink")
			if u == "" {
				u = attr(n, "cite")
			}
			if u == "" {
				// A tweet's blockquote ends with the link to the tweet.
				var last string
				findAll(n, func(c *html.Node) bool {
					if c.Data == "a" && attr(c, "href") != "" {
						last = attr(c, "href")
					}
					return true
				})
				u = last
			}
			if e, ok := markup.EmbedOf(strings.TrimSpace(u)); ok {
				replace(n, element(tagEmbed, "url", e.URL))
			}
			// Else it stays a quote, with its text and links.
		}
	}
}

// bareURL reports whether n's one piece of text is an address as text,
// not a link.
func bareURL(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "a" {
			return false
		}
	}
	return true
}

// loneURL returns the address n holds and nothing else: its text is one
// http(s) URL, bare or as a link whose words are its address.
func loneURL(n *html.Node) string {
	var u string
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
		case c.Type == html.TextNode && u == "":
			u = strings.TrimSpace(c.Data)
		case c.Type == html.ElementNode && c.Data == "br":
		case c.Type == html.ElementNode && c.Data == "a" && u == "":
			t := strings.TrimSpace(collectText(c))
			if t != strings.TrimSpace(attr(c, "href")) {
				return ""
			}
			u = t
		default:
			return ""
		}
	}
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") || strings.ContainsAny(u, " \t\n") {
		return ""
	}
	return u
}

// playerPage returns the public page of a known provider's player: the
// address its embed code frames ("https://www.youtube.com/embed/ID")
// becomes the one a reader would share ("https://www.youtube.com/watch?v=ID").
func playerPage(src string) (string, bool) {
	if strings.HasPrefix(src, "//") {
		src = "https:" + src
	}
	if e, ok := markup.EmbedOf(src); ok {
		return e.URL, true
	}
	u, err := url.Parse(src)
	if err != nil {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	var page string
	switch {
	case strings.Contains(host, "youtube") && len(segs) == 2 && segs[0] == "embed":
		page = "https://www.youtube.com/watch?v=" + segs[1]
	case host == "player.vimeo.com" && len(segs) == 2 && segs[0] == "video":
		page = "https://vimeo.com/" + segs[1]
	case host == "w.soundcloud.com":
		page = u.Query().Get("url")
	case strings.HasSuffix(host, "facebook.com") && len(segs) == 2 && segs[0] == "plugins":
		page = u.Query().Get("href")
	case (host == "www.instagram.com" || host == "instagram.com") && len(segs) >= 3 && (segs[0] == "p" || segs[0] == "reel"):
		page = "https://www.instagram.com/" + segs[0] + "/" + segs[1] + "/"
	case host == "platform.twitter.com" && u.Query().Get("id") != "":
		page = "https://twitter.com/i/status/" + u.Query().Get("id")
	}
	if e, ok := markup.EmbedOf(page); ok {
		return e.URL, true
	}
	return "", false
}

// ---- tables ----

var alignClass = regexp.MustCompile(`(?:^|\s)has-text-align-(left|center|right)(?:\s|$)`)
var alignStyle = regexp.MustCompile(`(?i)text-align\s*:\s*(left|center|right)`)

// tables gives each cell the alignment WordPress writes as a class or a
// style, and flattens cells that hold more than a line of text (a list, a
// quote, paragraphs, line breaks, a table): a GFM cell holds one line, so
// the cell keeps its words and inline formatting, and a Note says so.
func (st *convertState) tables(doc *html.Node) {
	var cells []*html.Node
	findAll(doc, func(n *html.Node) bool {
		if n.Data == "td" || n.Data == "th" {
			cells = append(cells, n)
			// A table inside a cell is flattened with the cell.
			return false
		}
		return true
	})
	for _, c := range cells {
		if attr(c, "align") == "" {
			if m := alignClass.FindStringSubmatch(attr(c, "class")); m != nil {
				setAttr(c, "align", m[1])
			} else if m := alignStyle.FindStringSubmatch(attr(c, "style")); m != nil {
				setAttr(c, "align", strings.ToLower(m[1]))
			}
		}
		if what := blockInCell(c); what != "" {
			flatten(c)
			st.note("cell "+what, func(n int) string {
				return "kept the text of " + plural(n, "<table> cell", "<table> cells") + " holding " + what
			})
		}
	}
}

// blockInCell names the first thing in a cell that a GFM cell cannot
// hold, or returns "".
func blockInCell(cell *html.Node) string {
	var what string
	paragraphs := 0
	findAll(cell, func(n *html.Node) bool {
		if what != "" {
			return false
		}
		switch n.Data {
		case "ul", "ol", "dl":
			what = "a list"
		case "table":
			what = "a table"
		case "blockquote":
			what = "a quote"
		case "pre":
			what = "a code block"
		case "h1", "h2", "h3", "h4", "h5", "h6":
			what = "a heading"
		case "hr":
			what = "a rule"
		case "br":
			what = "a line break"
		case "iframe", "video", "audio", "figure":
			what = "a figure or embed"
		case "p", "div":
			if paragraphs++; paragraphs > 1 {
				what = "several paragraphs"
			}
		}
		return true
	})
	return what
}

// flatten unwraps every block inside a cell, with a space (or "; "
// between list items) where a block ended.
func flatten(cell *html.Node) {
	var blocks []*html.Node
	findAll(cell, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n != cell && (isBlockTag(n.Data) || n.Data == "br" || n.Data == "hr") {
			blocks = append(blocks, n)
		}
		return true
	})
	for i := len(blocks) - 1; i >= 0; i-- {
		n := blocks[i]
		sep := " "
		if n.Data == "li" || n.Data == "dd" || n.Data == "dt" {
			sep = "; "
		}
		if n.PrevSibling != nil {
			n.Parent.InsertBefore(text(sep), n)
		}
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			n.RemoveChild(c)
			n.Parent.InsertBefore(c, n)
			c = next
		}
		n.Parent.RemoveChild(n)
	}
}

var blockTags = map[string]bool{
	"p": true, "div": true, "ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true,
	"table": true, "thead": true, "tbody": true, "tfoot": true, "tr": true, "td": true, "th": true,
	"caption": true, "blockquote": true, "pre": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "figure": true, "figcaption": true, "section": true, "article": true,
	"aside": true, "header": true, "footer": true, "nav": true, "main": true, "details": true,
	"summary": true, "address": true, "center": true,
}

func isBlockTag(tag string) bool { return blockTags[tag] }

// ---- figures, galleries and images ----

// pictures brings every image in through Options.Image and writes it the
// dialect's way: a figure (a paragraph holding only the image, its title
// "caption | credit"), a gallery as consecutive figures, any other image
// inline. An image that cannot be brought in becomes a link to its old
// address.
func (st *convertState) pictures(doc *html.Node) {
	var todo []*html.Node
	findAll(doc, func(n *html.Node) bool {
		switch {
		case n.Data == "figure" && hasClass(n, "kg-bookmark-card"):
			// Ghost's own HTML puts the other site's icon and picture in
			// the card: two images that are not a gallery.
			if a := findFirst(n, func(c *html.Node) bool { return c.Data == "a" && hasClass(c, "kg-bookmark-container") }); a != nil {
				todo = append(todo, n)
				return false
			}
		case isGallery(n):
			todo = append(todo, n)
			return false
		case n.Data == "figure" || n.Data == "div" && hasClass(n, "wp-caption"):
			if imgs := imagesIn(n); len(imgs) > 1 {
				todo = append(todo, n) // a gallery by another name
				return false
			} else if len(imgs) == 1 && onlyPicture(n, imgs[0]) {
				todo = append(todo, n)
				return false
			}
		case n.Data == "p" && inTable(n) == false:
			if imgs := imagesIn(n); len(imgs) == 1 && onlyPicture(n, imgs[0]) {
				todo = append(todo, n)
				return false
			}
		case n.Data == "a" && hasClass(n, "kg-bookmark-container"):
			todo = append(todo, n)
			return false
		case n.Data == "img":
			todo = append(todo, n)
		}
		return true
	})
	for _, n := range todo {
		switch {
		case n.Data == "img":
			st.inlineImage(n)
		case n.Data == "a":
			st.bookmark(n)
		case hasClass(n, "kg-bookmark-card"):
			st.bookmarkCard(n)
		case isGallery(n) || len(imagesIn(n)) > 1:
			st.gallery(n)
		default:
			img := imagesIn(n)[0]
			var caption, credit string
			if c := captionOf(n); c != nil {
				caption, credit = captionText(c)
			}
			replaceAll(n, st.figure(img, caption, credit)...)
		}
	}
}

func isGallery(n *html.Node) bool {
	switch n.Data {
	case "div":
		return hasClass(n, "gallery") || hasClass(n, "tiled-gallery")
	case "figure":
		return hasClass(n, "wp-block-gallery") || hasClass(n, "kg-gallery-card")
	case "ul":
		return hasClass(n, "blocks-gallery-grid") || hasClass(n, "wp-block-gallery")
	}
	return false
}

func inTable(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Data == "td" || p.Data == "th" {
			return true
		}
	}
	return false
}

func imagesIn(n *html.Node) []*html.Node {
	var out []*html.Node
	findAll(n, func(c *html.Node) bool {
		if c.Data == "img" {
			out = append(out, c)
		}
		return true
	})
	return out
}

// onlyPicture reports whether n holds nothing but img (perhaps in a link
// or a wrapper) and a caption.
func onlyPicture(n, img *html.Node) bool {
	ok := true
	walkNodes(n, func(c *html.Node) bool {
		switch {
		case !ok:
			return false
		case c == img:
		case c.Type == html.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				ok = false
			}
		case isCaption(c):
			return false
		case c.Data == "a" || c.Data == "div" || c.Data == "span" || c.Data == "picture" || c.Data == "br" || c.Data == "p" || c.Data == "figure":
		default:
			ok = false
		}
		return true
	})
	return ok
}

func isCaption(n *html.Node) bool {
	return n.Data == "figcaption" || n.Data == "dd" || hasClass(n, "wp-caption-text") ||
		hasClass(n, "gallery-caption") || hasClass(n, "blocks-gallery-item__caption")
}

func captionOf(n *html.Node) *html.Node {
	return findFirst(n, isCaption)
}

// captionText reads a caption as plain text, and its credit where the
// caption marks one (Newspack's <span class="image-credit">, or any
// element whose class names a credit).
func captionText(c *html.Node) (caption, credit string) {
	cr := findFirst(c, func(n *html.Node) bool {
		for _, cl := range strings.Fields(attr(n, "class")) {
			if strings.Contains(cl, "credit") && !strings.Contains(cl, "label") {
				return true
			}
		}
		return false
	})
	if cr != nil {
		if label := findFirst(cr, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "label") }); label != nil {
			label.Parent.RemoveChild(label)
		}
		credit = squash(collectText(cr))
		cr.Parent.RemoveChild(cr)
	}
	return squash(collectText(c)), credit
}

// squash folds white space runs into single spaces.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// gallery replaces a gallery with one figure per image, in order, and the
// gallery's own caption as a paragraph after them.
func (st *convertState) gallery(g *html.Node) {
	var out []*html.Node
	for _, img := range imagesIn(g) {
		item := img
		for item.Parent != nil && item.Parent != g && len(imagesIn(item.Parent)) == 1 {
			item = item.Parent
		}
		var caption, credit string
		if c := captionOf(item); c != nil && c != item {
			caption, credit = captionText(c)
		}
		out = append(out, st.figure(img, caption, credit)...)
	}
	// The gallery's caption: one that is no image's.
	findAll(g, func(n *html.Node) bool {
		if n.Data == "figcaption" && len(imagesIn(n.Parent)) > 1 && strings.TrimSpace(collectText(n)) != "" {
			p := element("p")
			p.AppendChild(text(squash(collectText(n))))
			out = append(out, p)
			return false
		}
		return true
	})
	replaceAll(g, out...)
}

// figure returns what stands for one figure: the figure paragraph, or a
// link to the old address (and the caption as a paragraph after it) when
// the image cannot be brought in.
func (st *convertState) figure(img *html.Node, caption, credit string) []*html.Node {
	src, dest, ok := st.bringIn(img)
	alt := squash(attr(img, "alt"))
	if ok {
		// The title is written escaped here, where caption and credit
		// are still apart.
		title := escapeTitle(caption)
		if credit != "" {
			title += " | " + escapeTitle(credit)
		}
		return []*html.Node{element(tagFigure, "src", dest, "alt", alt, "title", strings.TrimSpace(title))}
	}
	var out []*html.Node
	if src != "" {
		p := element("p")
		p.AppendChild(st.oldImageLink(img, src))
		out = append(out, p)
	}
	if words := strings.TrimSpace(strings.TrimSpace(caption) + " " + credit); words != "" {
		p := element("p")
		p.AppendChild(text(words))
		out = append(out, p)
	}
	return out
}

// inlineImage brings in an image inside the text.
func (st *convertState) inlineImage(img *html.Node) {
	if img.Parent == nil {
		return
	}
	src, dest, ok := st.bringIn(img)
	switch {
	case ok:
		img.Attr = []html.Attribute{{Key: "src", Val: dest}, {Key: "alt", Val: squash(attr(img, "alt"))}}
	case src != "":
		replace(img, st.oldImageLink(img, src))
	default:
		if alt := squash(attr(img, "alt")); alt != "" {
			replace(img, text(alt))
		} else {
			img.Parent.RemoveChild(img)
		}
	}
}

// oldImageLink is the link an image becomes when it cannot be brought in.
func (st *convertState) oldImageLink(img *html.Node, src string) *html.Node {
	words := squash(attr(img, "alt"))
	if words == "" {
		words = path.Base(strings.SplitN(src, "?", 2)[0])
	}
	a := element("a", "href", src, attrKeep, "")
	a.AppendChild(text(words))
	return a
}

// bringIn finds an image's address and asks Options.Image for its new
// one. It returns the old address (absolute; "" when the image has none
// worth keeping, which it notes), and the new one when ok.
func (st *convertState) bringIn(img *html.Node) (src, dest string, ok bool) {
	raw := strings.TrimSpace(attr(img, "src"))
	// Lazy-loading plugins put a placeholder in src and the picture in
	// data-src (or data-lazy-src).
	if raw == "" || strings.HasPrefix(strings.ToLower(raw), "data:") {
		for _, k := range []string{"data-src", "data-lazy-src", "data-original"} {
			if v := strings.TrimSpace(attr(img, k)); v != "" {
				raw = v
				break
			}
		}
	}
	if raw == "" {
		st.note("image none", func(n int) string {
			return "dropped " + plural(n, "image without an address", "images without an address") + " (kept any alt text)"
		})
		return "", "", false
	}
	abs, good := st.absolute(raw)
	if !good {
		scheme := "an unreadable"
		if u, err := url.Parse(raw); err == nil && u.Scheme != "" {
			scheme = "a " + strings.ToLower(u.Scheme) + ":"
		}
		st.note("image scheme "+scheme, func(n int) string {
			return "dropped " + plural(n, "image", "images") + " with " + scheme + " address (kept any alt text)"
		})
		return "", "", false
	}
	r, seen := st.images[abs]
	if !seen {
		if st.opt.Image == nil {
			r.err = fmt.Errorf("images are not being imported")
		} else {
			r.dest, r.err = st.opt.Image(abs)
			if r.err == nil && !localPath(r.dest) {
				r.err = fmt.Errorf("the import gave %q, not a path on this site", r.dest)
			}
		}
		st.images[abs] = r
	}
	if r.err != nil {
		msg := "image " + abs + " not available (" + r.err.Error() + "): kept as a link"
		st.note(msg, func(int) string { return msg })
		return abs, "", false
	}
	return abs, r.dest, true
}

// localPath reports whether p is a path on this site, which markup shows
// as an image (internal/markup's isLocalPath).
func localPath(p string) bool {
	if len(p) < 2 || p[0] != '/' || p[1] == '/' || p[1] == '\\' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return true
}

// bookmark turns Ghost's bookmark card (a link with the page's title,
// description, icon and picture, all from the other site) into a
// paragraph linking its title, and the description after it.
func (st *convertState) bookmark(a *html.Node) {
	replaceAll(a, st.bookmarkNodes(a)...)
}

// bookmarkNodes returns the paragraphs a bookmark card becomes.
func (st *convertState) bookmarkNodes(a *html.Node) []*html.Node {
	titleOf := func(class string) string {
		if n := findFirst(a, func(n *html.Node) bool { return hasClass(n, class) }); n != nil {
			return squash(collectText(n))
		}
		return ""
	}
	title, desc := titleOf("kg-bookmark-title"), titleOf("kg-bookmark-description")
	href := attr(a, "href")
	if title == "" {
		title = href
	}
	link := element("a", "href", href)
	link.AppendChild(text(title))
	p := element("p")
	p.AppendChild(link)
	out := []*html.Node{p}
	if desc != "" {
		d := element("p")
		d.AppendChild(text(desc))
		out = append(out, d)
	}
	if n := len(imagesIn(a)); n > 0 {
		st.note("bookmark", func(k int) string {
			return "dropped the other site's pictures of " + plural(k, "bookmark card", "bookmark cards") + " (kept the link)"
		})
	}
	return out
}

// bookmarkCard is the figure around a bookmark: the card's link becomes
// paragraphs, and its caption, if any, a paragraph after them.
func (st *convertState) bookmarkCard(fig *html.Node) {
	a := findFirst(fig, func(c *html.Node) bool { return c.Data == "a" && hasClass(c, "kg-bookmark-container") })
	out := st.bookmarkNodes(a)
	if cap := findFirst(fig, func(c *html.Node) bool { return c.Data == "figcaption" }); cap != nil && squash(collectText(cap)) != "" {
		p := element("p")
		for c := cap.FirstChild; c != nil; {
			next := c.NextSibling
			cap.RemoveChild(c)
			p.AppendChild(c)
			c = next
		}
		out = append(out, p)
	}
	replaceAll(fig, out...)
}

// ---- quotes ----

var dashLead = regexp.MustCompile(`^\s*(?:—|–|―|--+|-)\s*`)

// quotes makes a quote's attribution the dialect's: the quote's last
// paragraph "— Name". WordPress writes it as a <cite> (core/quote,
// core/pullquote), others as a <footer> or a last paragraph starting with
// a dash.
func (st *convertState) quotes(doc *html.Node) {
	var quotes []*html.Node
	findAll(doc, func(n *html.Node) bool {
		if n.Data == "blockquote" {
			quotes = append(quotes, n)
		}
		return true
	})
	for _, q := range quotes {
		last := lastElement(q)
		if last == nil {
			continue
		}
		if last.Data == "p" {
			// <p>words<br><cite>Name</cite></p>
			if c := lastElement(last); c != nil && c.Data == "cite" && strings.TrimSpace(trailingText(c)) == "" && hasTextBefore(last, c) {
				last.RemoveChild(c)
				if b := lastElement(last); b != nil && b.Data == "br" && strings.TrimSpace(trailingText(b)) == "" {
					last.RemoveChild(b)
				}
				q.AppendChild(c)
				last = c
			}
		}
		switch {
		case (last.Data == "cite" || last.Data == "footer") && hasTextBefore(q, last):
			who := squash(collectText(last))
			if who == "" {
				last.Parent.RemoveChild(last)
				continue
			}
			p := element("p")
			p.AppendChild(text("— " + dashLead.ReplaceAllString(who, "")))
			replace(last, p)
		case last.Data == "p" && hasTextBefore(q, last):
			if t := firstText(last); t != nil && dashLead.MatchString(t.Data) && strings.TrimSpace(collectText(last)) != strings.TrimSpace(t.Data[:len(dashLead.FindString(t.Data))]) {
				t.Data = "— " + strings.TrimPrefix(t.Data, dashLead.FindString(t.Data))
			}
		}
	}
}

func lastElement(n *html.Node) *html.Node {
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		if c.Type == html.ElementNode {
			return c
		}
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return nil
		}
	}
	return nil
}

func trailingText(n *html.Node) string {
	var b strings.Builder
	for c := n.NextSibling; c != nil; c = c.NextSibling {
		b.WriteString(collectText(c))
	}
	return b.String()
}

// hasTextBefore reports whether parent holds words before child.
func hasTextBefore(parent, child *html.Node) bool {
	for c := parent.FirstChild; c != nil && c != child; c = c.NextSibling {
		if strings.TrimSpace(collectText(c)) != "" || c.Data == "img" {
			return true
		}
	}
	return false
}

func firstText(n *html.Node) *html.Node {
	var found *html.Node
	walkNodes(n, func(c *html.Node) bool {
		if found == nil && c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			found = c
		}
		return found == nil
	})
	return found
}

// ---- links ----

// links makes links to the old site site paths, which the import
// redirects, and keeps only the words of links the page may not follow
// (javascript:, data: and any scheme but http, https and mailto).
func (st *convertState) links(doc *html.Node) {
	var links []*html.Node
	findAll(doc, func(n *html.Node) bool {
		switch n.Data {
		case "a":
			links = append(links, n)
		case "sup", "sub":
			tag := n.Data
			st.note("format "+tag, func(k int) string { return "kept the text of " + elements(k, tag) + " as plain text" })
		case "area":
			st.dropped("area")
		}
		return true
	})
	for _, a := range links {
		if _, keep := getAttr(a, attrKeep); keep {
			continue
		}
		href, ok := getAttr(a, "href")
		if !ok {
			continue
		}
		href = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(href), "__GHOST_URL__"))
		u, err := url.Parse(href)
		if err != nil {
			unwrap(a)
			st.note("link bad", func(k int) string {
				return "kept the words of " + plural(k, "link", "links") + " with an unreadable address, without the link"
			})
			continue
		}
		scheme := strings.ToLower(u.Scheme)
		switch scheme {
		case "", "http", "https":
			if p, ok := st.sitePathOf(u); ok {
				if uploaded(u.Path) {
					// A PDF or a sound file the old site serves: not
					// brought in (only images are) and not at that path
					// here, so the link keeps the old address.
					st.note("link upload", func(k int) string {
						return "kept " + plural(k, "link", "links") + " to a file uploaded to the old site at its old address (files other than images are not brought in)"
					})
				} else {
					href = p
				}
			}
			setAttr(a, "href", href)
		case "mailto":
		default:
			unwrap(a)
			st.note("link "+scheme, func(k int) string {
				return "kept the words of " + plural(k, "link", "links") + " to a " + scheme + ": address, without the link"
			})
		}
	}
}

// uploaded reports whether a path on the old site is a file uploaded to
// it: WordPress's wp-content/uploads, Ghost's content/images, files and
// media.
func uploaded(p string) bool {
	for _, dir := range []string{"/wp-content/uploads/", "/content/images/", "/content/files/", "/content/media/"} {
		if strings.Contains(p, dir) {
			return true
		}
	}
	return false
}

// sitePathOf returns the site path of an address on the old site.
func (st *convertState) sitePathOf(u *url.URL) (string, bool) {
	if st.site == nil || u.Host == "" || stripWWW(strings.ToLower(u.Host)) != st.siteHost {
		return "", false
	}
	p := u.EscapedPath()
	if st.sitePath != "" && p != st.sitePath && !strings.HasPrefix(p, st.sitePath+"/") {
		return "", false
	}
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		p += "#" + u.EscapedFragment()
	}
	return p, true
}

// absolute makes an image's or file's address absolute against the site
// (or a site path when the site is not known). It refuses any scheme but
// http and https.
func (st *convertState) absolute(raw string) (string, bool) {
	raw = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(raw), "__GHOST_URL__"))
	if raw == "" {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.String(), u.Host != ""
	case "":
	default:
		return "", false
	}
	if st.site != nil {
		return st.site.ResolveReference(u).String(), true
	}
	if u.Host != "" {
		u.Scheme = "https"
		return u.String(), true
	}
	root := &url.URL{Path: "/"}
	return root.ResolveReference(u).String(), true
}

func stripWWW(host string) string { return strings.TrimPrefix(host, "www.") }

// ---- renderers ----

func renderFigure(ctx htmltomarkdown.Context, w htmltomarkdown.Writer, n *html.Node) htmltomarkdown.RenderStatus {
	w.WriteString("\n\n![")
	w.WriteString(escapeInline(attr(n, "alt")))
	w.WriteString("](")
	w.WriteString(escapeDest(attr(n, "src")))
	if t := attr(n, "title"); t != "" {
		w.WriteString(` "`)
		w.WriteString(t)
		w.WriteString(`"`)
	}
	w.WriteString(")\n\n")
	return htmltomarkdown.RenderSuccess
}

func renderImage(ctx htmltomarkdown.Context, w htmltomarkdown.Writer, n *html.Node) htmltomarkdown.RenderStatus {
	src := attr(n, "src")
	if !localPath(src) {
		// Only pictures prepare brought in reach here; anything else
		// keeps its words.
		w.WriteString(escapeInline(attr(n, "alt")))
		return htmltomarkdown.RenderSuccess
	}
	w.WriteString("![")
	w.WriteString(escapeInline(attr(n, "alt")))
	w.WriteString("](")
	w.WriteString(escapeDest(src))
	w.WriteString(")")
	return htmltomarkdown.RenderSuccess
}

func renderEmbed(ctx htmltomarkdown.Context, w htmltomarkdown.Writer, n *html.Node) htmltomarkdown.RenderStatus {
	u := attr(n, "url")
	w.WriteString("\n\n")
	nested := false
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Data == "li" || p.Data == "blockquote" || p.Data == "td" || p.Data == "th" {
			nested = true
		}
	}
	// markup's embedOfParagraph reads the line as it is, bare or in
	// angle brackets; the brackets also keep "_" and "*" in it from being
	// read as emphasis where it is not an embed (in a list or a quote).
	if nested || strings.ContainsAny(u, "*_~`[]&\\") {
		w.WriteString("<" + u + ">")
	} else {
		w.WriteString(u)
	}
	w.WriteString("\n\n")
	return htmltomarkdown.RenderSuccess
}

var orderedMarker = regexp.MustCompile(`^([0-9]+)\. `)

// renderList writes the second of two lists in a row with the other
// marker ("*" for "-", ")" for "."), or Markdown would read them as one,
// and keeps a tight list tight.
func renderList(ctx htmltomarkdown.Context, w htmltomarkdown.Writer, n *html.Node) htmltomarkdown.RenderStatus {
	if n.Data != "ul" && n.Data != "ol" || ctx.Value(listKey{}) == n {
		return htmltomarkdown.RenderTryNext
	}
	run := 0
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.TextNode && strings.TrimSpace(p.Data) == "" {
			continue
		}
		if p.Type != html.ElementNode || p.Data != n.Data {
			break
		}
		run++
	}
	var buf bytes.Buffer
	ctx.RenderNodes(ctx.WithValue(listKey{}, n), &buf, n)
	lines := strings.Split(buf.String(), "\n")
	out := lines[:0]
	for i, l := range lines {
		// The library leaves a blank line between an item's words and
		// the list inside it, which would make a loose list (each item
		// a paragraph) of what was a tight one.
		if strings.TrimSpace(l) == "" && i > 0 && i+1 < len(lines) && strings.TrimSpace(lines[i-1]) != "" && nestedMarker.MatchString(lines[i+1]) {
			continue
		}
		if run%2 == 1 {
			if n.Data == "ul" && strings.HasPrefix(l, "- ") {
				l = "* " + l[2:]
			} else if n.Data == "ol" {
				l = orderedMarker.ReplaceAllString(l, "$1) ")
			}
		}
		out = append(out, l)
	}
	w.WriteString(strings.Join(out, "\n"))
	return htmltomarkdown.RenderSuccess
}

// nestedMarker is the first line of a list inside a list item.
var nestedMarker = regexp.MustCompile(`^ +(?:[-*+]|[0-9]+[.)]) `)

// escapeInline escapes text for an image's alt or a link's words: every
// character Markdown's inline syntax (or a table's cell) would read.
func escapeInline(s string) string {
	var b strings.Builder
	for _, r := range squash(s) {
		if strings.ContainsRune("\\`*_[]<>&!~|", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeTitle escapes a caption or a credit for a figure's title, in
// double quotes. Bars are escaped: markup splits caption from credit at
// the last " | " that is not.
func escapeTitle(s string) string {
	var b strings.Builder
	for _, r := range squash(s) {
		if strings.ContainsRune(`\"|&`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeDest percent-encodes what would end an image's destination.
func escapeDest(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>\"'`, c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ---- DOM helpers ----

func attr(n *html.Node, key string) string {
	v, _ := getAttr(n, key)
	return v
}

func getAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func element(tag string, attrs ...string) *html.Node {
	n := &html.Node{Type: html.ElementNode, Data: tag, DataAtom: atom.Lookup([]byte(tag))}
	for i := 0; i+1 < len(attrs); i += 2 {
		n.Attr = append(n.Attr, html.Attribute{Key: attrs[i], Val: attrs[i+1]})
	}
	return n
}

func text(s string) *html.Node { return &html.Node{Type: html.TextNode, Data: s} }

func replace(old, n *html.Node) { replaceAll(old, n) }

func replaceAll(old *html.Node, nodes ...*html.Node) {
	if old.Parent == nil {
		return
	}
	for _, n := range nodes {
		old.Parent.InsertBefore(n, old)
	}
	old.Parent.RemoveChild(old)
}

// unwrap puts n's children in its place.
func unwrap(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		n.Parent.InsertBefore(c, n)
		c = next
	}
	n.Parent.RemoveChild(n)
}

func onlyChild(parent, child *html.Node) bool {
	for c := parent.FirstChild; c != nil; c = c.NextSibling {
		if c != child && (c.Type != html.TextNode || strings.TrimSpace(c.Data) != "") {
			return false
		}
	}
	return true
}

// findAll calls match on every element under n in document order; match
// returns whether to look inside the element.
func findAll(n *html.Node, match func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && match(c) {
			findAll(c, match)
		}
	}
}

// walkNodes is findAll for text nodes too.
func walkNodes(n *html.Node, match func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if (c.Type == html.ElementNode || c.Type == html.TextNode) && match(c) && c.Type == html.ElementNode {
			walkNodes(c, match)
		}
	}
}

func findFirst(n *html.Node, match func(*html.Node) bool) *html.Node {
	var found *html.Node
	findAll(n, func(c *html.Node) bool {
		if found != nil {
			return false
		}
		if match(c) {
			found = c
			return false
		}
		return true
	})
	return found
}

func collectText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	walkNodes(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return true
	})
	return b.String()
}
