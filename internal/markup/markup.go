// Package markup turns article bodies written in Markdown into HTML that is
// safe to put in a public page as is, and into plain text for summaries,
// feeds and search.
//
// Bodies are CommonMark with GFM tables and strikethrough, and typographic
// punctuation. Raw HTML in a body is dropped: bodies come from reporters, wire
// feeds and importers, and none of them needs it. The news blocks (figures
// with caption and credit, attributed quotes) are built on goldmark's AST, and
// the result is sanitized by a bluemonday allowlist as a second line of
// defence.
package markup

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Render converts an article body written in Markdown to HTML that is safe to put in a page as is.
//
// Body headings start at h2, as the page's h1 is the headline. Images load
// only from this site: an image whose source is not a path starting with a
// single "/" is replaced by its alt text. A paragraph holding only an image
// becomes a figure; the image title is its caption, and the part after the
// last " | " is the credit. A blockquote whose last paragraph starts with "—"
// or "-- " is an attributed quote, and that paragraph becomes its footer.
// A paragraph of the body holding only the URL of a known provider's post,
// video, audio, chart or map (see EmbedOf) becomes an embed card, which
// loads nothing until the page's script is asked to (embedblock.go).
//
// Render takes time linear in the body's length, whatever it holds (see
// bounded.go), and refuses bodies over 256 KiB; no article comes near that.
func Render(src string) (string, error) {
	if len(src) > maxBodySize {
		return "", fmt.Errorf("markup: body is %d KiB, more than the %d KiB an article body may be", len(src)>>10, maxBodySize>>10)
	}
	raw, err := renderHTML([]byte(src))
	if err != nil {
		return "", err
	}
	return sanitize(raw), nil
}

// sanitize is policy().SanitizeBytes(raw) as a string, written straight
// into a string of about its length instead of a buffer grown by doubling
// and then copied.
func sanitize(raw []byte) string {
	if len(bytes.TrimSpace(raw)) == 0 {
		// SanitizeBytes returns it as it is.
		return string(raw)
	}
	var b strings.Builder
	b.Grow(len(raw))
	if err := policy().SanitizeReaderToWriter(bytes.NewReader(raw), &b); err != nil {
		// SanitizeBytes returns nothing when the tokenizer fails.
		return ""
	}
	return b.String()
}

// renderHTML renders source before sanitizing. It should already be safe;
// FuzzRender checks that it is.
func renderHTML(source []byte) ([]byte, error) {
	doc := parse(source)
	var buf bytes.Buffer
	buf.Grow(len(source) + len(source)/4)
	if err := markdown().Renderer().Render(bufWriter{&buf}, source, doc); err != nil {
		return nil, fmt.Errorf("markup: render: %w", err)
	}
	return buf.Bytes(), nil
}

// maxBodySize is the longest body Render renders and Text reads, in bytes:
// about 40,000 words, several times the longest long read.
const maxBodySize = 256 << 10

// parse parses source into the AST that both Render and Text work from.
func parse(source []byte) ast.Node {
	return markdown().Parser().Parse(text.NewReader(source))
}

// markdown is the one goldmark instance; it is safe for concurrent use.
var markdown = sync.OnceValue(func() goldmark.Markdown { return newMarkdown(true) })

// newMarkdown builds the goldmark instance. With bounded false it uses
// goldmark's own parsers instead of the ones in bounded.go, which take time
// that grows with the square of some inputs' length: only the tests do, to
// check that both render every input the same.
func newMarkdown(bounded bool) goldmark.Markdown {
	// Characters rather than the default entities, so that Text gets
	// them too and does not have to decode them.
	typography := extension.WithTypographicSubstitutions(map[extension.TypographicPunctuation]string{
		extension.LeftSingleQuote:  "‘",
		extension.RightSingleQuote: "’",
		extension.LeftDoubleQuote:  "“",
		extension.RightDoubleQuote: "”",
		extension.EnDash:           "–",
		extension.EmDash:           "—",
		extension.Ellipsis:         "…",
		extension.LeftAngleQuote:   "«",
		extension.RightAngleQuote:  "»",
		extension.Apostrophe:       "’",
	})
	extensions := []goldmark.Extender{
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
	}
	renderers := []util.PrioritizedValue{
		// Ahead of goldmark's own HTML renderer (priority 1000) for the
		// kinds it registers.
		util.Prioritized(newsRenderer{}, 100),
	}
	var options []goldmark.Option
	if bounded {
		options = append(options, goldmark.WithParser(parser.NewParser(
			parser.WithBlockParsers(blockParsers()...),
			parser.WithInlineParsers(inlineParsers(extension.NewTypographerParser(typography))...),
			parser.WithParagraphTransformers(paragraphTransformers()...),
		)))
		// delimParser reads the tildes; the extension's renderer
		// writes them.
		renderers = append(renderers, util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500))
	} else {
		extensions = append(extensions, extension.Strikethrough, extension.NewTypographer(typography))
	}
	return goldmark.New(append(options,
		goldmark.WithExtensions(extensions...),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(newsTransformer{}, 100)),
		),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(renderers...)),
	)...)
}
