package ghost

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"
)

// A Mobiledoc document (version 0.3, Ghost 1 to 4) is lists of lists:
//
//	sections: [1, "p", markers]   a paragraph, heading or quote
//	          [2, src]            an image
//	          [3, "ul", [markers…]] a list, one markers list per item
//	          [10, card index]    a card
//	markers:  [0, opened markups, closed count, "text"] or [1, …, atom index]
//	markups:  ["a", ["href", "https://…"]]
//	atoms:    ["soft-return", "", {}]
//	cards:    ["image", {"src": …}]
//
// Everything is read as plain JSON values and checked as it is used, so a
// document of the wrong shape gives an error or a note, never a panic.
type mobiledoc struct {
	Version  string `json:"version"`
	Atoms    []any  `json:"atoms"`
	Cards    []any  `json:"cards"`
	Markups  []any  `json:"markups"`
	Sections []any  `json:"sections"`
}

// renderMobiledoc renders a post's mobiledoc column as HTML.
func renderMobiledoc(src string) (string, []string, error) {
	var doc mobiledoc
	if err := json.Unmarshal([]byte(src), &doc); err != nil {
		return "", nil, errors.New("not a Mobiledoc document: " + err.Error())
	}
	if doc.Version != "" && !strings.HasPrefix(doc.Version, "0.3") {
		return "", nil, fmt.Errorf("Mobiledoc version %q is not one Ghost wrote (0.3)", doc.Version)
	}
	var b body
	for _, s := range doc.Sections {
		sec, _ := s.([]any)
		if len(sec) < 2 {
			continue
		}
		typ, _ := sec[0].(float64)
		switch typ {
		case 1: // markup section
			tag := blockTag(strOf(sec[1]))
			if len(sec) < 3 {
				continue
			}
			markers, _ := sec[2].([]any)
			if tag == "p" && len(markers) == 0 {
				continue // Ghost's editor leaves an empty paragraph at the end
			}
			b.WriteString("<" + tag + ">")
			doc.markers(&b, markers)
			b.WriteString("</" + tag + ">")
		case 2: // image section
			b.figure(map[string]any{"src": sec[1]})
		case 3: // list section
			tag := "ul"
			if strOf(sec[1]) == "ol" {
				tag = "ol"
			}
			if len(sec) < 3 {
				continue
			}
			items, _ := sec[2].([]any)
			b.WriteString("<" + tag + ">")
			for _, item := range items {
				markers, _ := item.([]any)
				b.WriteString("<li>")
				doc.markers(&b, markers)
				b.WriteString("</li>")
			}
			b.WriteString("</" + tag + ">")
		case 10: // card section
			i, ok := index(sec[1], len(doc.Cards))
			if !ok {
				b.note("a card section points at no card")
				continue
			}
			card, _ := doc.Cards[i].([]any)
			if len(card) == 0 {
				continue
			}
			payload := map[string]any{}
			if len(card) > 1 {
				payload, _ = card[1].(map[string]any)
			}
			b.card(strOf(card[0]), payload)
		}
	}
	return b.String(), b.notes, nil
}

// blockTag is the HTML element for a markup section's tag name: Ghost's
// alternative quote style ("aside") and pull quotes are quotes too.
func blockTag(t string) string {
	switch t = strings.ToLower(t); t {
	case "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "p":
		return t
	case "aside", "pull-quote":
		return "blockquote"
	}
	return "p"
}

// inlineTags are the markups kept; any other opens nothing.
var inlineTags = map[string]bool{
	"a": true, "b": true, "strong": true, "i": true, "em": true, "s": true, "del": true,
	"code": true, "u": true, "sup": true, "sub": true, "mark": true,
}

// markers writes a section's text with its markups opened and closed
// where the markers say.
func (doc *mobiledoc) markers(b *body, markers []any) {
	var open []string // the closing tags of the markups open, innermost last
	for _, m := range markers {
		mk, _ := m.([]any)
		if len(mk) < 4 {
			continue
		}
		opens, _ := mk[1].([]any)
		for _, o := range opens {
			i, ok := index(o, len(doc.Markups))
			if !ok {
				continue
			}
			markup, _ := doc.Markups[i].([]any)
			if len(markup) == 0 {
				continue
			}
			tag := strings.ToLower(strOf(markup[0]))
			if !inlineTags[tag] {
				open = append(open, "")
				continue
			}
			b.WriteString("<" + tag)
			if tag == "a" && len(markup) > 1 {
				attrs, _ := markup[1].([]any)
				for j := 0; j+1 < len(attrs); j += 2 {
					if name := strOf(attrs[j]); name == "href" || name == "rel" || name == "title" {
						b.WriteString(" " + name + `="` + html.EscapeString(strOf(attrs[j+1])) + `"`)
					}
				}
			}
			b.WriteString(">")
			open = append(open, "</"+tag+">")
		}
		switch kind, _ := mk[0].(float64); kind {
		case 0:
			b.text(strOf(mk[3]))
		case 1:
			if i, ok := index(mk[3], len(doc.Atoms)); ok {
				atom, _ := doc.Atoms[i].([]any)
				if len(atom) > 0 && strOf(atom[0]) == "soft-return" {
					b.WriteString("<br>")
				} else if len(atom) > 1 {
					b.text(strOf(atom[1]))
				}
			}
		}
		closed, _ := mk[2].(float64)
		for n := 0; n < int(closed) && len(open) > 0; n++ {
			b.WriteString(open[len(open)-1])
			open = open[:len(open)-1]
		}
	}
	for len(open) > 0 { // a document that leaves markups open
		b.WriteString(open[len(open)-1])
		open = open[:len(open)-1]
	}
}

// index reads v as an index into a list of n things.
func index(v any, n int) (int, bool) {
	f, ok := v.(float64)
	if !ok || f < 0 || f >= float64(n) || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

func strOf(v any) string {
	s, _ := v.(string)
	return s
}
