package markup

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

var kindEmbed = ast.NewNodeKind("Embed")

// embedBlock is a paragraph that held nothing but the URL of a known
// provider's post, video, audio, chart or map. It has no children.
type embedBlock struct {
	ast.BaseBlock
	embed Embed
}

func (n *embedBlock) Kind() ast.NodeKind { return kindEmbed }

func (n *embedBlock) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"URL": n.embed.URL}, nil)
}

// embedOfParagraph returns the embed p stands for: p is a paragraph of the
// body itself (not in a quote or a list), of one line, and that line is
// one URL of a known provider, bare or in angle brackets (an autolink).
func embedOfParagraph(p *ast.Paragraph, source []byte) (Embed, bool) {
	if _, ok := p.Parent().(*ast.Document); !ok || p.Lines().Len() != 1 {
		return Embed{}, false
	}
	line := p.Lines().At(0)
	u := bytes.TrimSpace(line.Value(source))
	if len(u) > 2 && u[0] == '<' && u[len(u)-1] == '>' {
		u = u[1 : len(u)-1]
	}
	if !hasPrefixFold(u, "https://") && !hasPrefixFold(u, "http://") {
		return Embed{}, false
	}
	return EmbedOf(string(u))
}

// replaceWithEmbed puts an embed block in p's place.
func replaceWithEmbed(p *ast.Paragraph, e Embed) {
	n := &embedBlock{embed: e}
	n.SetLines(text.NewSegments())
	p.Parent().ReplaceChild(p.Parent(), p, n)
}

// The embed card, before the page's script (web/static/embed.js) finds it:
//
//	<figure class="embed embed-16x9" data-embed="youtube" data-embed-src="https://www.youtube-nocookie.com/embed/…">
//	<figcaption>Video on YouTube: <a href="https://www.youtube.com/watch?v=…" rel="noopener noreferrer">https://www.youtube.com/watch?v=…</a></figcaption>
//	<button type="button" class="embed-load" hidden="">Load the video from YouTube</button></figure>
//
// Nothing in it loads anything: the player's address is data for the
// script, which shows the button and, when it is pressed, puts the player
// in its place. Without the script, the reader has the card and the link.
func (newsRenderer) renderEmbed(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	e := n.(*embedBlock).embed
	_, _ = w.WriteString(`<figure class="embed embed-`)
	_, _ = w.WriteString(e.Ratio)
	_, _ = w.WriteString(`" data-embed="`)
	_, _ = w.WriteString(e.Provider)
	_, _ = w.WriteString(`" data-embed-src="`)
	_, _ = w.WriteString(html.EscapeString(e.Src))
	_, _ = w.WriteString("\">\n<figcaption>")
	_, _ = w.WriteString(html.EscapeString(e.Label()))
	_, _ = w.WriteString(`: <a href="`)
	_, _ = w.WriteString(html.EscapeString(e.URL))
	_, _ = w.WriteString(`" rel="noopener noreferrer">`)
	_, _ = w.WriteString(html.EscapeString(e.URL))
	_, _ = w.WriteString("</a></figcaption>\n")
	_, _ = w.WriteString(`<button type="button" class="embed-load" hidden="">`)
	_, _ = w.WriteString(html.EscapeString(e.LoadText()))
	_, _ = w.WriteString("</button></figure>\n")
	return ast.WalkSkipChildren, nil
}

// embedRatios are the frame shapes an embed card's class names.
const embedRatios = `16x9|9x16|4x3|1x1|post|audio|list`

// embedSrcPatterns are, by provider, what EmbedOf writes as a player's
// address, as regular expressions: the sanitizer lets data-embed-src
// through only when it is one of them.
var embedSrcPatterns = map[string]string{
	"youtube":       `https://www\.youtube-nocookie\.com/embed/[A-Za-z0-9_-]{11}(?:\?start=[0-9]{1,5})?`,
	"vimeo":         `https://player\.vimeo\.com/video/[0-9]{1,12}\?dnt=1(?:&h=[0-9a-f]{6,32})?`,
	"x":             `https://platform\.twitter\.com/embed/Tweet\.html\?dnt=true&id=[0-9]{1,20}`,
	"instagram":     `https://www\.instagram\.com/(?:p|reel)/[A-Za-z0-9_-]{5,64}/embed/`,
	"facebook":      `https://www\.facebook\.com/plugins/(?:post\.php\?show_text=true|video\.php\?show_text=false)&href=` + queryValue,
	"tiktok":        `https://www\.tiktok\.com/embed/v2/[0-9]{1,20}`,
	"soundcloud":    `https://w\.soundcloud\.com/player/\?visual=false&show_comments=false&url=` + queryValue,
	"spotify":       `https://open\.spotify\.com/embed/(?:track|album|playlist|artist|episode|show)/[A-Za-z0-9]{22}`,
	"datawrapper":   `https://datawrapper\.dwcdn\.net/[A-Za-z0-9]{5}/(?:[0-9]{1,4}/)?`,
	"flourish":      `https://flo\.uri\.sh/(?:visualisation|story)/[0-9]{1,12}/embed`,
	"openstreetmap": `https://www\.openstreetmap\.org/export/embed\.html\?bbox=` + degree + `,` + degree + `,` + degree + `,` + degree + `&layer=mapnik(?:&marker=` + degree + `,` + degree + `)?`,
	"googlemaps":    `https://www\.google\.com/maps(?:/embed\?pb=` + queryValue + `|\?output=embed&q=` + queryValue + `(?:&ll=` + degree + `,` + degree + `)?(?:&z=[0-9]{1,2})?)`,
}

const (
	// queryValue is a value url.QueryEscape wrote, or a pair of degrees.
	queryValue = `[A-Za-z0-9%._~+,-]+`
	degree     = `-?[0-9]{1,3}(?:\.[0-9]{1,6})?`
)

// embedSrcPattern matches the address of every provider's player.
var embedSrcPattern = sync.OnceValue(func() *regexp.Regexp {
	var alts []string
	for _, p := range providers {
		alts = append(alts, embedSrcPatterns[p.ID])
	}
	return regexp.MustCompile(`^(?:` + strings.Join(alts, "|") + `)$`)
})

// embedProviderPattern matches a provider's id.
var embedProviderPattern = sync.OnceValue(func() *regexp.Regexp {
	var ids []string
	for _, p := range providers {
		ids = append(ids, regexp.QuoteMeta(p.ID))
	}
	return regexp.MustCompile(`^(?:` + strings.Join(ids, "|") + `)$`)
})

// EmbedsAsLinks returns html, a body as Render made it, with each embed
// card written as a paragraph holding its label and link ("Video on
// YouTube: https://…"), for readers that run no page script and must load
// no player: feeds, e-mail.
func EmbedsAsLinks(body string) string {
	const start, capStart, capEnd, end = `<figure class="embed `, "<figcaption>", "</figcaption>", "</figure>\n"
	if !strings.Contains(body, start) {
		return body
	}
	var b strings.Builder
	b.Grow(len(body))
	rest := body
	for {
		i := strings.Index(rest, start)
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], end)
		c0 := strings.Index(rest[i:], capStart)
		c1 := strings.Index(rest[i:], capEnd)
		if j < 0 || c0 < 0 || c1 < c0 || c1 > j {
			break // not a card Render wrote; left as it is
		}
		b.WriteString(rest[:i])
		b.WriteString("<p>")
		b.WriteString(rest[i+c0+len(capStart) : i+c1])
		b.WriteString("</p>\n")
		rest = rest[i+j+len(end):]
	}
	b.WriteString(rest)
	return b.String()
}
