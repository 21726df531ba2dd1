package site

import (
	"html/template"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The pieces of pages written in Go (see frag.go). Each writes exactly the
// bytes its template did; the comment above each says which template part
// it stands for.

// pageData is every view: each embeds page.
type pageData interface{ base() *page }

func (p *page) base() *page { return p }

// Layout is the page for layout.html. The layout reads its fields from it
// rather than from the view: text/template finds a field of an embedded
// struct by a reflective search (with allocations) at every use, and the
// layout's fifteen such lookups were a fifth of a cold article page's
// template time.
func (p *page) Layout() *page { return p }

// finish writes the layout's lists and title once the handler has filled
// the page.
func (p *page) finish() {
	p.HeadLinks = p.headLinks()
	p.NavItems = p.navItems()
	// "Story | Site", or the site's name alone on its home page.
	p.FullTitle = p.SiteName
	if p.Title != "" && p.Title != p.SiteName {
		p.FullTitle = p.Title + " | " + p.SiteName
	}
}

// headLinks is the end of <head>: the feeds' autodiscovery links, the
// oEmbed link, Open Graph and Twitter tags, the JSON-LD blocks and the
// page's scripts, each on a line of its own. The feed types are written
// out, as the template did (html/template would escape their "+").
func (p *page) headLinks() template.HTML {
	f := newFrag(2048)
	for _, l := range p.Head.Feeds {
		f.raw("\n<link rel=\"alternate\" type=\"")
		switch l.Format {
		case "rss":
			f.raw("application/rss+xml")
		case "atom":
			f.raw("application/atom+xml")
		default:
			f.raw("application/feed+json")
		}
		f.raw("\" title=\"")
		f.text(l.Title)
		f.raw("\" href=\"")
		f.url(l.URL)
		f.raw("\">")
	}
	if p.Head.OEmbed != "" {
		f.raw("\n<link rel=\"alternate\" type=\"application/json+oembed\" title=\"")
		f.text(p.Title)
		f.raw("\" href=\"")
		f.url(p.Head.OEmbed)
		f.raw("\">")
	}
	if og := p.OG; og != nil {
		meta := func(attr, name, value string) {
			f.raw("\n<meta ")
			f.raw(attr)
			f.raw("=\"")
			f.raw(name)
			f.raw("\" content=\"")
			f.text(value)
			f.raw("\">")
		}
		meta("property", "og:site_name", p.SiteName)
		meta("property", "og:type", og.Type)
		meta("property", "og:title", og.Title)
		meta("property", "og:url", og.URL)
		if og.Description != "" {
			meta("property", "og:description", og.Description)
		}
		if og.Image != "" {
			meta("property", "og:image", og.Image)
		}
		if w := p.Head.ImageWidth; w != 0 {
			f.raw("\n<meta property=\"og:image:width\" content=\"")
			f.num(w)
			f.raw("\">")
		}
		if h := p.Head.ImageHeight; h != 0 {
			f.raw("\n<meta property=\"og:image:height\" content=\"")
			f.num(h)
			f.raw("\">")
		}
		if og.ImageAlt != "" {
			meta("property", "og:image:alt", og.ImageAlt)
			meta("name", "twitter:image:alt", og.ImageAlt)
		}
		if og.Image != "" && og.Type == "article" {
			f.raw("\n<meta name=\"twitter:card\" content=\"summary_large_image\">")
		} else {
			f.raw("\n<meta name=\"twitter:card\" content=\"summary\">")
		}
		if p.Head.Twitter != "" {
			meta("name", "twitter:site", p.Head.Twitter)
		}
		if og.Type == "article" {
			meta("property", "article:published_time", og.Published)
			meta("property", "article:modified_time", og.Modified)
			meta("property", "article:section", og.Section)
			for _, t := range og.Tags {
				meta("property", "article:tag", t)
			}
		}
	}
	for _, js := range p.JSONLD {
		f.raw("\n<script type=\"application/ld+json\">")
		f.jsonLD(js)
		f.raw("</script>")
	}
	for _, src := range p.Head.Scripts {
		f.raw("\n<script src=\"")
		f.url(src)
		f.raw("\" defer></script>")
	}
	return f.html()
}

// navItems are the navigation's list items ("range .Nav" in layout.html);
// the top section the page belongs to is marked current.
func (p *page) navItems() template.HTML {
	f := newFrag(80 * len(p.Nav))
	for _, n := range p.Nav {
		f.raw("\n      <li><a href=\"")
		f.url(n.URL)
		f.raw("\"")
		if n.URL == p.Current {
			f.raw(" aria-current=\"true\"")
		}
		f.raw(">")
		f.text(n.Name)
		f.raw("</a></li>")
	}
	return f.html()
}

// bylinesHTML is the "bylines" template of parts.html: "By A, B and C",
// each a link to the author's page; nothing for no author.
func bylinesHTML(f *frag, authors []news.Author) {
	if len(authors) == 0 {
		return
	}
	f.raw(`<span class="byline">By `)
	for i := range authors {
		if i > 0 {
			if i+1 == len(authors) {
				f.raw(" and ")
			} else {
				f.raw(", ")
			}
		}
		f.raw(`<a href="`)
		f.url(authors[i].URL())
		f.raw(`">`)
		f.text(authors[i].Name)
		f.raw("</a>")
	}
	f.raw("</span>")
}

// timeHTML is <time datetime="2026-11-27T06:30:00Z">text</time>, with the
// text in layout (the "date" and "shortdate" template functions' formats)
// in the site's time zone loc; the attribute stays in UTC.
func timeHTML(f *frag, t time.Time, loc *time.Location, layout string) {
	f.raw(`<time datetime="`)
	f.b = t.UTC().AppendFormat(f.b, time.RFC3339) // digits, '-', ':', 'T', 'Z': nothing to escape
	f.raw(`">`)
	var buf [40]byte
	f.text(string(t.In(loc).AppendFormat(buf[:0], layout)))
	f.raw("</time>")
}

// The layouts of the "date" and "shortdate" template functions.
const (
	dateLayout      = "2 January 2006, 15:04 MST"
	shortDateLayout = "2 Jan 2006"
)

// crumbsHTML is the "crumbs" template of parts.html: the breadcrumb trail,
// the current page marked.
func crumbsHTML(items []navItem) template.HTML {
	if len(items) == 0 {
		return "\n"
	}
	f := newFrag(128 + 64*len(items))
	f.raw("\n<nav class=\"crumbs\" aria-label=\"Breadcrumb\">\n  <ol>")
	for _, c := range items {
		f.raw("\n    <li><a href=\"")
		f.url(c.URL)
		f.raw("\"")
		if c.Current {
			f.raw(` aria-current="page"`)
		}
		f.raw(">")
		f.text(c.Name)
		f.raw("</a></li>")
	}
	f.raw("\n  </ol>\n</nav>\n")
	return f.html()
}

// imgHTML writes a photo's <img> with its sources, sizes and alt text;
// rest is constant attributes written last.
func imgHTML(f *frag, p *photoView, sizes, rest string) {
	f.raw(`<img src="`)
	f.url(p.Src)
	f.raw(`" srcset="`)
	f.srcset(p.SrcSet)
	f.raw(`" sizes="`)
	f.text(sizes)
	f.raw(`" width="`)
	f.num(p.Width)
	f.raw(`" height="`)
	f.num(p.Height)
	f.raw(`" alt="`)
	f.text(p.Alt)
	f.raw(`" `)
	f.raw(rest)
	f.raw(">")
}

// leadPhotoHTML is an article's lead photo: the largest paint of the
// page, so it loads at once and first; nothing when there is none.
func leadPhotoHTML(p *photoView) template.HTML {
	if p == nil {
		return ""
	}
	f := newFrag(len(p.SrcSet) + len(p.Caption) + 256)
	f.raw("\n  <figure class=\"lead-photo\">\n    ")
	imgHTML(f, p, leadSizes, `fetchpriority="high"`)
	if p.Caption != "" || p.Credit != "" {
		f.raw("\n    <figcaption>")
		f.text(p.Caption)
		if p.Credit != "" {
			f.raw(` <span class="credit">(`)
			f.text(p.Credit)
			f.raw(")</span>")
		}
		f.raw("</figcaption>")
	}
	f.raw("\n  </figure>")
	return f.html()
}
