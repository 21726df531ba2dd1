package ghost

import (
	"encoding/json"
	"errors"
	"html"
	"strings"
)

// A Lexical document (Ghost 5 and later) is a tree of nodes under "root":
// element nodes (paragraph, heading, quote, list, listitem, link) have
// "children"; text nodes have "text" and a "format" bit set; Ghost's cards
// are leaf nodes whose fields are the card's payload. The node types are
// Lexical's own and Ghost's extended ones ("extended-text",
// "extended-heading", "extended-quote").

// renderLexical renders a post's lexical column as HTML.
func renderLexical(src string) (string, []string, error) {
	var doc struct {
		Root map[string]any `json:"root"`
	}
	if err := json.Unmarshal([]byte(src), &doc); err != nil {
		return "", nil, errors.New("not a Lexical document: " + err.Error())
	}
	if doc.Root == nil {
		return "", nil, errors.New(`not a Lexical document: no "root"`)
	}
	var b body
	lexicalChildren(&b, doc.Root)
	return b.String(), b.notes, nil
}

// Text format bits, as Lexical numbers them, and the element each becomes.
var formats = []struct {
	bit int
	tag string
}{
	{1, "strong"}, {2, "em"}, {4, "s"}, {8, "u"}, {16, "code"}, {32, "sub"}, {64, "sup"}, {128, "mark"},
}

func lexicalChildren(b *body, n map[string]any) {
	children, _ := n["children"].([]any)
	for _, c := range children {
		if m, ok := c.(map[string]any); ok {
			lexicalNode(b, m)
		}
	}
}

func lexicalNode(b *body, n map[string]any) {
	typ := str(n, "type")
	wrap := func(tag string) {
		b.WriteString("<" + tag + ">")
		lexicalChildren(b, n)
		b.WriteString("</" + tag + ">")
	}
	switch typ {
	case "root":
		lexicalChildren(b, n)
	case "paragraph":
		if children, _ := n["children"].([]any); len(children) == 0 {
			return // an empty line in the editor
		}
		wrap("p")
	case "heading", "extended-heading":
		tag := str(n, "tag")
		switch tag {
		case "h1", "h2", "h3", "h4", "h5", "h6":
		default:
			tag = "h2"
		}
		wrap(tag)
	case "quote", "extended-quote", "aside":
		wrap("blockquote")
	case "list":
		tag := "ul"
		if str(n, "listType") == "number" || str(n, "tag") == "ol" {
			tag = "ol"
		}
		wrap(tag)
	case "listitem":
		wrap("li")
	case "link", "autolink":
		b.WriteString(`<a href="` + html.EscapeString(str(n, "url")) + `"`)
		if rel := str(n, "rel"); rel != "" {
			b.WriteString(` rel="` + html.EscapeString(rel) + `"`)
		}
		b.WriteString(">")
		lexicalChildren(b, n)
		b.WriteString("</a>")
	case "text", "extended-text", "tk":
		if _, ok := n["children"]; ok && typ == "tk" {
			lexicalChildren(b, n)
			return
		}
		format, _ := n["format"].(float64)
		var closing []string
		for _, f := range formats {
			if int(format)&f.bit != 0 {
				b.WriteString("<" + f.tag + ">")
				closing = append(closing, "</"+f.tag+">")
			}
		}
		b.text(str(n, "text"))
		for i := len(closing) - 1; i >= 0; i-- {
			b.WriteString(closing[i])
		}
	case "linebreak":
		b.WriteString("<br>")
	case "tab":
		b.WriteString("\t")
	default:
		if _, ok := n["children"]; ok {
			// An element this package does not know: its words are
			// worth more than its shape.
			b.note("a %s block is kept as its text", strings.TrimSpace(typ))
			lexicalChildren(b, n)
			return
		}
		b.card(typ, n)
	}
}
