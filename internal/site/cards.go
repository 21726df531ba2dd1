package site

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"sync"

	"github.com/newsdesk/newsdesk/web"
)

// Cards are the same few dozen stories on the home page, every front, tag
// and author page and every article's "More from": a cold home page ran
// the card template 30 times (about 2.5 ms, most of its render), and a
// full export ran it again for each article on every list it is on. Each
// card is now rendered once and kept as HTML, which list templates emit
// through cardHTML.
//
// A kept card is found by everything the card template shows (cardKey),
// not by article and version: a change to one story, or to the settings,
// leaves the other stories' cards as they were, so the first home page
// after a publish renders one or two cards instead of thirty. A card whose
// story changed has a new key, so it is rendered again; its old entry is
// never found again and gives way when the memo is full.

// memoCards bounds the cards kept: some 1.3 KB of HTML and 0.3 KB of key
// each, so about 20 MB at most; an export of 10,000 articles keeps all.
const memoCards = 12_000

// cardMemo is the kept cards.
type cardMemo struct {
	mu   sync.RWMutex
	html map[string]template.HTML // by cardKey
}

// parseCardTemplate parses the card template on its own, outside the page
// templates: executing a page's own "card" from inside that page's
// execution would escape and share its trees across goroutines. The card
// is in HTML text context both here and inside "cards", so its bytes are
// those it had when "cards" called it in place
// (TestCardHTMLIsTheCardTemplate).
func (s *Site) parseCardTemplate() error {
	t, err := template.New("parts.html").Funcs(s.funcs()).ParseFS(web.Templates, "templates/parts.html")
	if err != nil {
		return err
	}
	s.cardTmpl = t.Lookup("card")
	if s.cardTmpl == nil {
		return fmt.Errorf("parts.html defines no card")
	}
	return nil
}

// cardKey names everything the card template (and the bylines template it
// calls) shows of c, each string with its length in front so no two cards
// share a key. A field the template starts to use must be added here;
// TestCardKeyCoversTheCard changes each one and expects a new card.
func cardKey(c *card) string {
	b := make([]byte, 0, 320)
	str := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
	}
	num := func(n int64) {
		b = strconv.AppendInt(b, n, 10)
		b = append(b, ';')
	}
	str(c.URL)
	str(c.Headline)
	str(c.Summary)
	str(c.Section.Name)
	str(c.Section.URL)
	num(c.Time.UnixNano()) // the template shows it in UTC: the instant is all
	num(int64(len(c.Bylines)))
	for i := range c.Bylines {
		str(c.Bylines[i].Name)
		str(c.Bylines[i].URL())
	}
	if p := c.Photo; p != nil {
		str(p.Src)
		str(p.SrcSet)
		num(int64(p.Width))
		num(int64(p.Height))
		str(p.Alt)
	} else {
		b = append(b, '-')
	}
	return string(b)
}

// cardHTML is the card template's output for c, rendered once and kept.
func (s *Site) cardHTML(c card) (template.HTML, error) {
	m := &s.memo.cards
	key := cardKey(&c)
	m.mu.RLock()
	h, ok := m.html[key]
	m.mu.RUnlock()
	if ok {
		return h, nil
	}
	var b bytes.Buffer
	b.Grow(1536)
	if err := s.cardTmpl.Execute(&b, c); err != nil {
		return "", err
	}
	h = template.HTML(b.String())
	m.mu.Lock()
	if m.html == nil {
		m.html = make(map[string]template.HTML)
	}
	if _, ok := m.html[key]; !ok && len(m.html) >= memoCards {
		for k := range m.html { // any one: a bound, not an LRU
			delete(m.html, k)
			break
		}
	}
	m.html[key] = h
	m.mu.Unlock()
	return h, nil
}

// cardList is the "cards" template of parts.html written in Go: the cards'
// kept HTML in a <div class="cards">, without a reflective template call
// per card (TestCardListIsTheCardsTemplate).
func (s *Site) cardList(cards []card) (template.HTML, error) {
	f := newFrag(32 + 1536*len(cards))
	if err := s.writeCards(f, cards); err != nil {
		return "", err
	}
	return f.html(), nil
}

// writeCards writes cardList's HTML into f.
func (s *Site) writeCards(f *frag, cards []card) error {
	f.raw("\n<div class=\"cards\">")
	for i := range cards {
		h, err := s.cardHTML(cards[i])
		if err != nil {
			return err
		}
		f.markup(h)
	}
	f.raw("\n</div>\n")
	return nil
}
