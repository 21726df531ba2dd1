package ghost

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"

	"github.com/newsdesk/newsdesk/internal/markup"
)

// A post without its html column (an export made with the html left out,
// or a post Ghost never rendered) is rendered here from its editor
// document: Lexical (Ghost 5 and later) or Mobiledoc (Ghost 1 to 4). The
// result is plain HTML for archive.Convert, not Ghost's themed markup:
// what a card means survives, its styling does not.

// body accumulates a rendered body and the notes about what did not make
// it whole.
type body struct {
	strings.Builder
	notes []string
}

func (b *body) text(s string) { b.WriteString(html.EscapeString(s)) }

func (b *body) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	for _, old := range b.notes {
		if old == n {
			return
		}
	}
	b.notes = append(b.notes, n)
}

// card writes one card: a Mobiledoc card or a Lexical decorator node,
// which carry the same payloads under mostly the same names.
func (b *body) card(name string, p map[string]any) {
	switch name {
	case "image":
		b.figure(p)
	case "gallery":
		images, _ := p["images"].([]any)
		b.WriteString(`<div class="gallery">`)
		for _, im := range images {
			if m, ok := im.(map[string]any); ok {
				b.figure(m)
			}
		}
		b.WriteString(`</div>`)
		if c := str(p, "caption"); c != "" {
			b.WriteString("<p>" + c + "</p>")
		}
	case "embed", "bookmark":
		u := str(p, "url")
		if u == "" {
			if meta, ok := p["metadata"].(map[string]any); ok {
				u = str(meta, "url")
			}
		}
		if u == "" {
			b.note("an %s card without an address is left out", name)
			return
		}
		b.WriteString("<p>")
		b.text(u)
		b.WriteString("</p>")
		if c := str(p, "caption"); c != "" {
			b.WriteString("<p>" + c + "</p>")
		}
	case "html":
		b.WriteString(str(p, "html"))
	case "markdown", "card-markdown":
		md := str(p, "markdown")
		if md == "" {
			md = str(p, "cardMarkdown")
		}
		if len(md) > maxCardMarkdown {
			// goldmark's own parsers take time that grows with the square
			// of some inputs' length; internal/markup's bounded ones do
			// not, but drop the HTML written in a card.
			rendered, err := markup.Render(md)
			if err != nil {
				b.note("a markdown card could not be rendered (%v): its text is kept", err)
				b.WriteString("<pre>")
				b.text(md)
				b.WriteString("</pre>")
				return
			}
			b.note("a markdown card of %d KB was rendered without the HTML written in it", len(md)>>10)
			b.WriteString(rendered)
			return
		}
		var out bytes.Buffer
		if err := markdown.Convert([]byte(md), &out); err != nil {
			b.note("a markdown card could not be rendered (%v): its text is kept", err)
			b.WriteString("<pre>")
			b.text(md)
			b.WriteString("</pre>")
			return
		}
		b.Write(out.Bytes())
	case "code", "codeblock":
		b.WriteString("<pre><code")
		if lang := str(p, "language"); lang != "" {
			b.WriteString(` class="language-` + html.EscapeString(lang) + `"`)
		}
		b.WriteString(">")
		b.text(str(p, "code"))
		b.WriteString("</code></pre>")
		if c := str(p, "caption"); c != "" {
			b.WriteString("<p>" + c + "</p>")
		}
	case "hr", "horizontalrule":
		b.WriteString("<hr>")
	case "email", "email-cta":
		b.note("an %s card (content for the newsletter only) is left out", name)
	case "paywall":
		b.note("the paywall card (where members-only content began) is left out")
	default:
		b.other(name, p)
	}
}

// figure writes an image card, or one image of a gallery.
func (b *body) figure(p map[string]any) {
	src := str(p, "src")
	if src == "" {
		return
	}
	b.WriteString("<figure>")
	href := str(p, "href")
	if href != "" {
		b.WriteString(`<a href="` + html.EscapeString(href) + `">`)
	}
	b.WriteString(`<img src="` + html.EscapeString(src) + `" alt="` + html.EscapeString(str(p, "alt")) + `">`)
	if href != "" {
		b.WriteString("</a>")
	}
	if c := str(p, "caption"); c != "" {
		b.WriteString("<figcaption>" + c + "</figcaption>")
	}
	b.WriteString("</figure>")
}

// otherText are the payload fields of Ghost's other cards (callout,
// toggle, header, signup, product, audio, video, file) that hold words
// worth keeping, in the order a reader would meet them.
var otherText = []string{
	"title", "heading", "header", "subheader", "calloutText", "content", "text",
	"productTitle", "productDescription", "fileTitle", "fileCaption", "caption", "disclaimer",
}

// other writes what can be kept of a card this package does not know:
// its words, each as a paragraph, and a button as a link; the note names
// the card.
func (b *body) other(name string, p map[string]any) {
	kept := false
	for _, k := range otherText {
		if t := plainText(str(p, k)); t != "" {
			b.WriteString("<p>")
			b.text(t)
			b.WriteString("</p>")
			kept = true
		}
	}
	if t, u := plainText(str(p, "buttonText")), str(p, "buttonUrl"); t != "" && u != "" {
		b.WriteString(`<p><a href="` + html.EscapeString(u) + `">`)
		b.text(t)
		b.WriteString("</a></p>")
		kept = true
	}
	if name == "" {
		name = "unnamed"
	}
	if kept {
		b.note("a %s card is not carried over: its text is kept", name)
	} else {
		b.note("a %s card is not carried over", name)
	}
}

// str is a payload's text field, "" when missing or not text.
func str(p map[string]any, key string) string {
	s, _ := p[key].(string)
	return s
}

// maxCardMarkdown is the longest Markdown card rendered as Ghost did
// (markdown, below): a hostile 64 KiB card takes a few seconds at worst.
const maxCardMarkdown = 64 << 10

// markdown renders Markdown cards as Ghost did: CommonMark with GitHub's
// tables, strikethrough and autolinks, footnotes, and the HTML written in
// them kept (the writer's sanitizer decides what of it stays).
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Footnote),
	goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
)

// plainText turns a bit of HTML (a caption: Ghost keeps links and
// emphasis in them) into its text, with runs of blanks made one space.
func plainText(s string) string {
	if s == "" {
		return ""
	}
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '<' && i+1 < len(s) && (isLetter(s[i+1]) || s[i+1] == '/' || s[i+1] == '!') {
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				break
			}
			tag := strings.ToLower(s[i : i+end])
			if strings.HasPrefix(tag, "<br") || strings.HasPrefix(tag, "</p") {
				out.WriteByte(' ')
			}
			i += end
			continue
		}
		out.WriteByte(c)
	}
	return strings.Join(strings.Fields(html.UnescapeString(out.String())), " ")
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
