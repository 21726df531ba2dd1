package site

import (
	"html/template"
	"net/http"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

type homeView struct {
	page
	Top    []card
	Latest []card // the newest stories after the top ones, as headlines
	// Written in Go (see frag.go): the top stories after the first as
	// cards, the latest as list items, and each top section's block.
	TopCards    template.HTML
	LatestItems template.HTML
	Blocks      template.HTML
}

// The home page's lists: the top stories when the editors picked none
// (the newest), the "Latest" headlines after them, and the stories of each
// top section's block.
const (
	homeTop    = 5
	homeLatest = 10
	homeBlock  = 4
)

// showHome shows the editors' top stories (the latest stories when they
// have picked none), then the latest of each top section.
func (s *Site) showHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	top, err := s.store.TopStories(ctx)
	if err != nil {
		return err
	}
	tree, err := s.tree(ctx)
	if err != nil {
		return err
	}
	roots := tree.Roots()
	groups := make([][]int64, len(roots))
	for i, sec := range roots {
		groups[i] = tree.SubtreeIDs(sec.ID)
	}
	pinned := make([]int64, len(top))
	for i, a := range top {
		pinned[i] = a.ID
	}
	// "Latest" and every top section's block in one query: the newest
	// ten after the top stories, and each section's newest four after the
	// top stories. With no top stories picked, the newest five are the
	// top stories: the newest fifteen are read, and the blocks leave out
	// the first five.
	n, skip := homeLatest, 0
	if len(top) == 0 {
		n, skip = homeTop+homeLatest, homeTop
	}
	latest, blocks, err := s.homeLists(ctx, pinned, skip, n, groups, homeBlock)
	if err != nil {
		return err
	}
	if len(top) == 0 {
		k := min(homeTop, len(latest))
		top, latest = latest[:k:k], latest[k:]
	}
	v := &homeView{page: s.newPage(ctx, "/", "")}
	st := s.settings(ctx)
	v.Title = st.Name
	v.Description = st.Description
	v.Top = newCards(top)
	v.Latest = newCards(latest)
	keys := newPageKeys(news.KeyHome)
	keys.cards(top)
	keys.cards(latest)
	f := newFrag(7168 * len(roots)) // four cards of some 1.5 KB each, and a heading
	for i, sec := range roots {
		list := blocks[i]
		if len(list) == 0 {
			continue
		}
		keys.cards(list)
		s.blockHTML(f, sec.Name, sec.URL(), newCards(list))
	}
	v.Blocks = f.html()
	if len(v.Top) > 0 {
		v.TopCards = s.cardList(v.Top[1:])
	}
	v.LatestItems = latestItems(v.Latest, s.zone())
	v.OG = s.websiteOG(st, &v.page)
	v.addJSONLD(s.websiteLD(st))
	v.addJSONLD(s.organizationLD(st))
	return s.renderKeyed(w, r, http.StatusOK, "home", v, keys)
}

// blockHTML writes one top section's block: its heading, a link to its
// front, and its latest stories as cards.
func (s *Site) blockHTML(f *frag, name, url string, cards []card) {
	f.raw("\n<section class=\"block\" aria-labelledby=\"s-")
	f.text(url)
	f.raw("\">\n  <h2 id=\"s-")
	f.text(url)
	f.raw("\"><a href=\"")
	f.url(url)
	f.raw("\">")
	f.text(name)
	f.raw("</a></h2>\n  ")
	s.writeCards(f, cards)
	f.raw("\n</section>")
}

// latestItems are the "Latest" list's items: the date, the headline as a
// link, and the section's name.
func latestItems(cards []card, zone *time.Location) template.HTML {
	f := newFrag(256 * len(cards))
	for i := range cards {
		c := &cards[i]
		f.raw("\n    <li>")
		timeHTML(f, c.Time, zone, shortDateLayout)
		f.raw(` <a href="`)
		f.url(c.URL)
		f.raw(`">`)
		f.text(c.Headline)
		f.raw(`</a> <span class="kicker-inline">`)
		f.text(c.Section.Name)
		f.raw("</span></li>")
	}
	return f.html()
}
