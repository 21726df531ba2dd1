package site

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
)

// page is what the layout needs on every page.
type page struct {
	SiteName    string
	Lang        string
	Title       string // the <title>, without the site name
	Description string
	Canonical   string // absolute URL on the primary address; "" for none
	Robots      string // a robots meta value, e.g. "noindex"
	CSS         string
	Icon        string // the favicon; without it browsers ask for /favicon.ico
	Nav         []navItem
	Footer      []navItem // the standing pages in the footer (pages.go)
	Current     string    // path of the top section the page belongs to
	Mirrors     []string
	JSONLD      []template.JS
	OG          *openGraph
	Path        string
	Head        pageHead // feeds, oEmbed and card links: see feeds.go

	// Written by finish (pagefrag.go) from the fields above when the
	// page is rendered: the <title>, the end of <head> and the
	// navigation's items.
	FullTitle string
	HeadLinks template.HTML
	NavItems  template.HTML
}

type navItem struct {
	Name    string
	URL     string
	Current bool // the link is to the page it is on
}

type openGraph struct {
	Type        string
	Title       string
	Description string
	URL         string
	Image       string
	ImageAlt    string
	Published   string
	Modified    string
	Section     string
	Tags        []string
}

// newPage fills the parts every page shares. The navigation needs the
// sections; if they cannot be read (the database is down), the page goes on
// without them.
func (s *Site) newPage(ctx context.Context, path, title string) page {
	st := s.settings(ctx)
	p := page{
		SiteName: st.Name,
		Lang:     st.Language,
		Title:    title,
		CSS:      s.css,
		Icon:     s.icon,
		Path:     path,
		Head:     pageHead{Feeds: s.feedLinks(ctx, "/", st.Name), Twitter: st.Twitter},
	}
	if path != "" {
		p.Canonical = s.cfg.abs(path)
	}
	// The notice lists every other address the site is at: on a mirror,
	// the primary is one of them; the one the reader is on is not.
	here := s.here(ctx).base
	others := append([]*url.URL{s.cfg.BaseURL}, st.Addresses.Mirrors...)
	if st.Addresses.Onion != nil {
		others = append(others, st.Addresses.Onion)
	}
	for _, u := range others {
		if u.String() != here {
			p.Mirrors = append(p.Mirrors, u.String())
		}
	}
	for _, f := range st.Footer {
		p.Footer = append(p.Footer, navItem{Name: f.Name, URL: f.URL, Current: f.URL == path})
	}
	if t, err := s.tree(ctx); err == nil {
		for _, sec := range t.Roots() {
			p.Nav = append(p.Nav, navItem{Name: sec.Name, URL: sec.URL()})
		}
	}
	return p
}

// addJSONLD adds a structured-data block. encoding/json escapes <, > and &,
// so the block cannot end its script element early.
func (p *page) addJSONLD(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	p.JSONLD = append(p.JSONLD, template.JS(b))
}

// photoView is a photo ready for an <img>: the largest variant as src, the
// others in srcset, and the intrinsic size so the page does not jump.
type photoView struct {
	Src     string
	SrcSet  string
	Width   int
	Height  int
	Alt     string
	Caption string
	Credit  string
}

// sizes for the lead photo and for cards; they match the stylesheet's
// column widths.
const (
	leadSizes = "(min-width: 56rem) 48rem, 100vw"
	cardSizes = "(min-width: 56rem) 18rem, (min-width: 36rem) 45vw, 7.5rem" // a thumbnail on a phone
)

func newPhotoView(p *news.Photo, maxWidth int) *photoView {
	if p == nil || p.Media.ID == 0 {
		return nil
	}
	set, ok := photoSetOf(p.Media, maxWidth)
	if !ok {
		return nil
	}
	return &photoView{Src: set.src, SrcSet: set.srcset, Width: set.width, Height: set.height,
		Alt: p.Alt, Caption: p.Caption, Credit: p.Credit}
}

// photoSet is what an <img> takes of a media file's variants.
type photoSet struct {
	src, srcset   string
	width, height int
}

// photoSetKey is what a photoSet is made from: the media fields that
// media.Variants reads, and the widest src wanted.
type photoSetKey struct {
	hash, typ            string
	width, height, limit int
	aspect               news.Aspect // a crop's shape (cropSetOf); zero for the whole photo
	crop                 news.Rect
}

// photoSets keeps photo sets, which every card and article page made
// again (a regular expression and a dozen strings each, a tenth of a cold
// home page). A set depends on nothing but its key, so it never goes stale
// and is shared by every Site; at most maxPhotoSets are kept.
var (
	photoSets  sync.Map // photoSetKey -> photoSet
	nPhotoSets atomic.Int64
)

const maxPhotoSets = 50_000

// photoSetOf returns the <img> sources of m's variants: the largest that
// fits maxWidth as src, for browsers that ignore srcset, and all of them
// in srcset. It reports false for a file with no variants.
func photoSetOf(m news.Media, maxWidth int) (photoSet, bool) {
	k := photoSetKey{hash: m.Hash, typ: m.Type, width: m.Width, height: m.Height, limit: maxWidth}
	if v, ok := photoSets.Load(k); ok {
		return v.(photoSet), true
	}
	vs := media.Variants(m)
	if len(vs) == 0 {
		return photoSet{}, false
	}
	var set []string
	// Variants come smallest first.
	best := vs[0]
	for _, x := range vs {
		set = append(set, "/media/"+x.Key+" "+strconv.Itoa(x.Width)+"w")
		if x.Width <= maxWidth {
			best = x
		}
	}
	ps := photoSet{src: "/media/" + best.Key, srcset: strings.Join(set, ", "), width: best.Width, height: best.Height}
	if nPhotoSets.Load() < maxPhotoSets {
		if _, loaded := photoSets.LoadOrStore(k, ps); !loaded {
			nPhotoSets.Add(1)
		}
	}
	return ps, true
}

// card is an article in a list.
type card struct {
	URL      string
	Headline string
	Summary  string
	Section  navItem
	Bylines  []news.Author
	Time     time.Time
	// Photo is the 16:9 crop the card grid and the lead story show;
	// Thumb the 4:3 crop of a phone's rows (see crops.go).
	Photo *photoView
	Thumb *photoView
}

func newCard(a *news.Article) card {
	return card{
		URL:      a.URL(),
		Headline: a.Headline,
		Summary:  a.Summary,
		Section:  navItem{Name: a.Section.Name, URL: a.Section.URL()},
		Bylines:  a.Bylines,
		Time:     a.PublishedAt,
		Photo:    newCropView(a.Photo, news.Wide, 640),
		Thumb:    newCropView(a.Photo, news.Standard, 320),
	}
}

func newCards(list []*news.Article) []card {
	out := make([]card, len(list))
	for i, a := range list {
		out[i] = newCard(a)
	}
	return out
}

// funcs are the template helpers.
func (s *Site) funcs() template.FuncMap {
	return template.FuncMap{
		"datetime":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"date":       func(t time.Time) string { return t.In(s.zone()).Format(dateLayout) },
		"shortdate":  func(t time.Time) string { return t.In(s.zone()).Format(shortDateLayout) },
		"leadSizes":  func() string { return leadSizes },
		"cardSizes":  func() string { return cardSizes },
		"thumbMedia": func() string { return cardThumbMedia },
		"thumbSizes": func() string { return cardThumbSizes },
		"host": func(u string) string {
			if p, err := url.Parse(u); err == nil && p.Host != "" {
				return p.Host
			}
			return u
		},
		"add":      func(a, b int) int { return a + b },
		"cardHTML": s.cardHTML,
	}
}

// cursorParam encodes a list position for ?after=.
func cursorParam(t time.Time, id int64) string {
	return fmt.Sprintf("%d-%d", t.UnixMicro(), id)
}

// errorView is the 404, 400 and 500 page.
type errorView struct {
	page
	Status  int
	Heading string
	Message string
}
