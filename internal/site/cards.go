package site

import (
	"html/template"
	"time"
)

// Cards are the same few dozen stories on the home page, every front, tag
// and author page and every article's "More from", and a full export
// writes each article's card on every list it is on. A card is written in
// Go (writeCard), the bytes of the "card" template of parts.html, which
// stays as the reference: TestCardHTMLIsTheCardTemplate and
// TestCardShowsEveryField run both on the same cards. Executing the
// template cost a reflective call a value; keeping its output by what it
// showed (as this did before) cost building that key, about as much as
// writing the card now costs, and 20 MB of memory.

// cardHTML is a card's HTML, for the templates' "cards".
func (s *Site) cardHTML(c card) template.HTML {
	f := newFrag(1024 + len(c.Summary))
	writeCard(f, &c, s.zone())
	return f.html()
}

// writeCard is the "card" template of parts.html.
func writeCard(f *frag, c *card, zone *time.Location) {
	f.raw("\n<article class=\"card\">")
	if p := c.Photo; p != nil {
		f.raw("\n  ")
		if t := c.Thumb; t != nil {
			// On a phone, the 4:3 crop (see crops.go).
			f.raw(`<picture><source media="`)
			f.text(cardThumbMedia)
			f.raw(`" srcset="`)
			f.srcset(t.SrcSet)
			f.raw(`" sizes="`)
			f.text(cardThumbSizes)
			f.raw(`" width="`)
			f.num(t.Width)
			f.raw(`" height="`)
			f.num(t.Height)
			f.raw(`">`)
		}
		imgHTML(f, p, cardSizes, `loading="lazy" decoding="async"`)
		if c.Thumb != nil {
			f.raw("</picture>")
		}
	}
	f.raw("\n  <div class=\"card-text\">\n    <p class=\"kicker\"><a href=\"")
	f.url(c.Section.URL)
	f.raw(`">`)
	f.text(c.Section.Name)
	f.raw("</a></p>\n    <h3><a href=\"")
	f.url(c.URL)
	f.raw(`">`)
	f.text(c.Headline)
	f.raw("</a></h3>")
	if c.Summary != "" {
		f.raw("\n    <p class=\"summary\">")
		f.text(c.Summary)
		f.raw("</p>")
	}
	f.raw("\n    <p class=\"meta\">")
	bylinesHTML(f, c.Bylines)
	f.raw(" ")
	timeHTML(f, c.Time, zone, shortDateLayout)
	f.raw("</p>\n  </div>\n</article>\n")
}

// cardList is the "cards" template of parts.html written in Go: the cards'
// kept HTML in a <div class="cards">, without a reflective template call
// per card (TestCardListIsTheCardsTemplate).
func (s *Site) cardList(cards []card) template.HTML {
	f := newFrag(32 + 1536*len(cards))
	s.writeCards(f, cards)
	return f.html()
}

// writeCards writes cardList's HTML into f.
func (s *Site) writeCards(f *frag, cards []card) {
	f.raw("\n<div class=\"cards\">")
	zone := s.zone()
	for i := range cards {
		writeCard(f, &cards[i], zone)
	}
	f.raw("\n</div>\n")
}
