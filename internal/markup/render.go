package markup

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// newsRenderer renders the news blocks, and the kinds of goldmark's own
// renderer whose output the page needs to differ: links (scheme allowlist,
// rel), images (local only, lazy), blockquotes (attributed quotes) and raw
// HTML (dropped). It holds no state, so one value serves every Render.
type newsRenderer struct{}

func (r newsRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindFigure, r.renderFigure)
	reg.Register(kindEmbed, r.renderEmbed)
	reg.Register(kindAttribution, r.renderAttribution)
	reg.Register(ast.KindBlockquote, r.renderBlockquote)
	reg.Register(ast.KindLink, r.renderLink)
	reg.Register(ast.KindAutoLink, r.renderAutoLink)
	reg.Register(ast.KindImage, r.renderImage)
	reg.Register(ast.KindRawHTML, skip)
	reg.Register(ast.KindHTMLBlock, skip)
}

func skip(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}

func (newsRenderer) renderBlockquote(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	switch {
	case !entering:
		_, _ = w.WriteString("</blockquote>\n")
	case n.LastChild() != nil && n.LastChild().Kind() == kindAttribution:
		_, _ = w.WriteString("<blockquote class=\"quote\">\n")
	default:
		_, _ = w.WriteString("<blockquote>\n")
	}
	return ast.WalkContinue, nil
}

func (newsRenderer) renderAttribution(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<footer>— ")
	} else {
		_, _ = w.WriteString("</footer>\n")
	}
	return ast.WalkContinue, nil
}

func (newsRenderer) renderFigure(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	fig := n.(*figure)
	img := fig.FirstChild().(*ast.Image)
	_, _ = w.WriteString("<figure>")
	if fig.photo != nil {
		writePhoto(w, source, img, fig.photo, fig.sizes)
	} else {
		writeImage(w, source, img, false)
	}
	if caption, credit := splitTitle(img.Title); caption != "" || credit != "" {
		_, _ = w.WriteString("<figcaption>")
		_, _ = w.WriteString(html.EscapeString(caption))
		if credit != "" {
			if caption != "" {
				_ = w.WriteByte(' ')
			}
			_, _ = w.WriteString(`<small class="credit">`)
			_, _ = w.WriteString(html.EscapeString(credit))
			_, _ = w.WriteString("</small>")
		}
		_, _ = w.WriteString("</figcaption>")
	}
	_, _ = w.WriteString("</figure>\n")
	return ast.WalkSkipChildren, nil
}

// splitTitle splits an image title, as written in the Markdown, into
// caption and credit, as plain text: the credit is what follows the last
// " | ", as in "Rescuers at work | AFP". The split is made before escapes are
// resolved, so "\|" or "&#124;" writes a bar that is not a separator.
func splitTitle(title []byte) (caption, credit string) {
	i := bytes.LastIndex(title, []byte(" | "))
	if i < 0 {
		return strings.TrimSpace(plainInline(title)), ""
	}
	return strings.TrimSpace(plainInline(title[:i])), strings.TrimSpace(plainInline(title[i+len(" | "):]))
}

func (newsRenderer) renderImage(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		writeImage(w, source, n.(*ast.Image), true)
	}
	return ast.WalkSkipChildren, nil
}

// writeImage writes img as an <img> element. The transformer has already
// taken foreign images out; the check here keeps that true for any AST.
func writeImage(w util.BufWriter, source []byte, img *ast.Image, withTitle bool) {
	alt := html.EscapeString(plainText(img, source))
	dest := util.URLEscape(img.Destination, true)
	if !isLocalPath(dest) {
		_, _ = w.WriteString(alt)
		return
	}
	_, _ = w.WriteString(`<img src="`)
	_, _ = w.Write(util.EscapeHTML(dest))
	_, _ = w.WriteString(`" alt="`)
	_, _ = w.WriteString(alt)
	_ = w.WriteByte('"')
	if withTitle && img.Title != nil {
		_, _ = w.WriteString(` title="`)
		_, _ = w.WriteString(html.EscapeString(plainInline(img.Title)))
		_ = w.WriteByte('"')
	}
	_, _ = w.WriteString(` loading="lazy">`)
}

func (newsRenderer) renderLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	dest := util.URLEscape(n.Destination, true)
	kind := classifyURL(dest)
	if kind == urlUnsafe {
		// Keep the words, lose the link.
		return ast.WalkContinue, nil
	}
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	var title string
	if n.Title != nil {
		title = plainInline(n.Title)
	}
	writeLinkStart(w, dest, title, kind)
	return ast.WalkContinue, nil
}

func (newsRenderer) renderAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	label := n.Label(source)
	dest := util.URLEscape(n.URL(source), false)
	if n.AutoLinkType == ast.AutoLinkEmail && !hasPrefixFold(dest, "mailto:") {
		dest = append([]byte("mailto:"), dest...)
	}
	kind := classifyURL(dest)
	if kind != urlUnsafe {
		writeLinkStart(w, dest, "", kind)
	}
	_, _ = w.Write(util.EscapeHTML(label))
	if kind != urlUnsafe {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func writeLinkStart(w util.BufWriter, dest []byte, title string, kind urlKind) {
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML(dest))
	_ = w.WriteByte('"')
	if title != "" {
		_, _ = w.WriteString(` title="`)
		_, _ = w.WriteString(html.EscapeString(title))
		_ = w.WriteByte('"')
	}
	if kind == urlExternal {
		// The page must not hand its window or its address to the
		// site it links to.
		_, _ = w.WriteString(` rel="noopener noreferrer"`)
	}
	_ = w.WriteByte('>')
}
