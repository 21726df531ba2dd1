package markup

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

var (
	kindFigure      = ast.NewNodeKind("Figure")
	kindAttribution = ast.NewNodeKind("Attribution")
)

// figure is a paragraph that held nothing but one image; its only child is
// that *ast.Image.
type figure struct {
	ast.BaseBlock
	// photo is the image's variants when RenderWith was told them, and
	// sizes the sizes attribute for them.
	photo *PhotoSet
	sizes string
}

func (n *figure) Kind() ast.NodeKind { return kindFigure }

func (n *figure) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// attribution is the last paragraph of an attributed quote, the "— Name"
// line, with the dash taken off its inline children.
type attribution struct {
	ast.BaseBlock
}

func (n *attribution) Kind() ast.NodeKind { return kindAttribution }

func (n *attribution) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// newsTransformer rewrites the parsed body into the page's shape: headings
// ranked under the headline, foreign images out, figures, embeds and
// attributed quotes in.
type newsTransformer struct{}

func (newsTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	var (
		headings    []*ast.Heading
		images      []*ast.Image
		paragraphs  []*ast.Paragraph
		blockquotes []*ast.Blockquote
	)
	// Collect first, change after: moving nodes in the middle of a walk
	// would make it skip or revisit siblings.
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			headings = append(headings, n)
		case *ast.Image:
			images = append(images, n)
			// An image's children are its alt text; nothing in them
			// is rendered as markup.
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph:
			paragraphs = append(paragraphs, n)
		case *ast.Blockquote:
			blockquotes = append(blockquotes, n)
		}
		return ast.WalkContinue, nil
	})

	// The page's h1 is the headline, so the body's top heading is an h2,
	// whichever level the writer typed it at ("#" or "##"), and the levels
	// below it keep their distance: the outline never skips a rank from
	// the headline down.
	top := 6
	for _, h := range headings {
		top = min(top, h.Level)
	}
	for _, h := range headings {
		h.Level = min(h.Level-top+2, 6)
	}

	for _, img := range images {
		if isLocalPath(util.URLEscape(img.Destination, true)) {
			continue
		}
		// Loading it would tell another site who reads what. The alt
		// text stays, as plain text, so the sentence around it still
		// reads.
		alt := ast.NewString([]byte(plainText(img, source)))
		alt.SetRaw(true)
		img.Parent().ReplaceChild(img.Parent(), img, alt)
	}

	for _, p := range paragraphs {
		if onlyRawHTML(p, source) {
			// What was in it is dropped; an empty <p> would remain.
			p.Parent().RemoveChild(p.Parent(), p)
			continue
		}
		if e, ok := embedOfParagraph(p, source); ok && workOf(pc).affords(embed, 1) {
			workOf(pc).pay(embed, 1)
			replaceWithEmbed(p, e)
			continue
		}
		img, ok := p.FirstChild().(*ast.Image)
		if !ok || p.ChildCount() != 1 {
			continue
		}
		fig := &figure{}
		p.RemoveChild(p, img)
		fig.AppendChild(fig, img)
		p.Parent().ReplaceChild(p.Parent(), p, fig)
	}

	for _, bq := range blockquotes {
		attribute(bq, source)
	}
}

// onlyRawHTML reports whether p holds nothing but raw HTML and white space.
func onlyRawHTML(p *ast.Paragraph, source []byte) bool {
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.RawHTML:
		case *ast.Text:
			if !c.Segment.IsEmpty() && len(bytes.TrimSpace(c.Segment.Value(source))) > 0 {
				return false
			}
		default:
			return false
		}
	}
	return p.HasChildren()
}

// attribute turns the last paragraph of bq into an attribution when it
// starts with a dash and something else comes before it.
func attribute(bq *ast.Blockquote, source []byte) {
	p, ok := bq.LastChild().(*ast.Paragraph)
	if !ok || p.PreviousSibling() == nil || p.Lines().Len() == 0 {
		return
	}
	first := p.Lines().At(0)
	line := bytes.TrimLeft(first.Value(source), " \t")
	var marker string
	for _, m := range []string{"—", "--- ", "-- "} {
		if bytes.HasPrefix(line, []byte(m)) {
			marker = m
			break
		}
	}
	if marker == "" || len(bytes.TrimSpace(line[len(marker):])) == 0 {
		return
	}

	// Take the dash off; the renderer writes its own. "--" and "---" are
	// a String of the typographer's, "—" starts the first Text.
	switch c := p.FirstChild().(type) {
	case *ast.String:
		if marker != "—" {
			p.RemoveChild(p, c)
		}
	case *ast.Text:
		if marker == "—" {
			c.Segment = c.Segment.WithStart(c.Segment.Start + len("—"))
		}
	}
	if t, ok := p.FirstChild().(*ast.Text); ok {
		t.Segment = t.Segment.TrimLeftSpace(source)
		if t.Segment.IsEmpty() && !t.SoftLineBreak() && !t.HardLineBreak() {
			p.RemoveChild(p, t)
		}
	}

	a := &attribution{}
	for c := p.FirstChild(); c != nil; {
		next := c.NextSibling()
		a.AppendChild(a, c)
		c = next
	}
	bq.ReplaceChild(bq, p, a)
}
