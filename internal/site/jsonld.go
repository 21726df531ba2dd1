package site

import (
	"time"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Structured data (schema.org, as JSON-LD). Maps keep the key "@type" and
// friends; encoding/json sorts map keys, so output is stable.
type ld = map[string]any

// organizationLD is the publication, as a news organization.
func (s *Site) organizationLD(st siteSettings) ld {
	v := s.publisherLD(st)
	v["@context"] = "https://schema.org"
	return v
}

// publisherLD is the publication without @context, to nest in others.
func (s *Site) publisherLD(st siteSettings) ld {
	v := ld{
		"@type": "NewsMediaOrganization",
		"@id":   s.cfg.abs("/#organization"),
		"name":  st.Name,
		"url":   s.cfg.abs("/"),
	}
	if st.Logo != "" {
		v["logo"] = ld{"@type": "ImageObject", "url": st.Logo}
	}
	var same []string
	if st.Twitter != "" {
		same = append(same, "https://x.com/"+st.Twitter[1:])
	}
	same = append(same, st.SameAs...)
	if len(same) > 0 {
		v["sameAs"] = same
	}
	s.addPageLinks(v, st)
	return v
}

// websiteLD is the site, with the search box search engines may show.
func (s *Site) websiteLD(st siteSettings) ld {
	return ld{
		"@context":   "https://schema.org",
		"@type":      "WebSite",
		"name":       st.Name,
		"url":        s.cfg.abs("/"),
		"inLanguage": st.Language,
		"publisher":  ld{"@id": s.cfg.abs("/#organization")},
		"potentialAction": ld{
			"@type":       "SearchAction",
			"target":      ld{"@type": "EntryPoint", "urlTemplate": s.cfg.abs("/search?q={search_term_string}")},
			"query-input": "required name=search_term_string",
		},
	}
}

// The article page's two blocks are structs rather than ld maps: a cold
// article page marshalled them on every render, and encoding/json sorts a
// map's keys and boxes every value (about 70 µs a page), where a struct's
// encoder is made once. Their fields are in the order encoding/json gives
// map keys (byte order: "@" first), so the bytes are those the maps made.

// newsArticleLD is a schema.org NewsArticle.
type newsArticleLD struct {
	Context             string         `json:"@context"`
	Type                string         `json:"@type"`
	ArticleSection      any            `json:"articleSection"` // a name, or the path of names
	Author              []personRefLD  `json:"author,omitempty"`
	Correction          []correctionLD `json:"correction,omitempty"`
	DateModified        string         `json:"dateModified"`
	DatePublished       string         `json:"datePublished"`
	Description         string         `json:"description,omitempty"`
	Headline            string         `json:"headline"`
	Image               []imageLD      `json:"image,omitempty"`
	InLanguage          string         `json:"inLanguage"`
	IsAccessibleForFree bool           `json:"isAccessibleForFree"`
	Keywords            []string       `json:"keywords,omitempty"`
	MainEntityOfPage    idTypeLD       `json:"mainEntityOfPage"`
	Publisher           ld             `json:"publisher"`
	URL                 string         `json:"url"`
}

type personRefLD struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type correctionLD struct {
	Type          string `json:"@type"`
	DatePublished string `json:"datePublished"`
	Text          string `json:"text"`
}

type imageLD struct {
	Type   string `json:"@type"`
	Height int    `json:"height"`
	URL    string `json:"url"`
	Width  int    `json:"width"`
}

type idTypeLD struct {
	ID   string `json:"@id"`
	Type string `json:"@type"`
}

// breadcrumbListLD is a schema.org BreadcrumbList.
type breadcrumbListLD struct {
	Context string       `json:"@context"`
	Type    string       `json:"@type"`
	Items   []listItemLD `json:"itemListElement"`
}

type listItemLD struct {
	Type     string `json:"@type"`
	Item     string `json:"item"`
	Name     string `json:"name"`
	Position int    `json:"position"`
}

// breadcrumbLD is the trail from the home page to crumbs' last entry.
func (s *Site) breadcrumbLD(st siteSettings, crumbs []navItem) *breadcrumbListLD {
	v := &breadcrumbListLD{Context: "https://schema.org", Type: "BreadcrumbList", Items: make([]listItemLD, 0, len(crumbs)+1)}
	v.Items = append(v.Items, listItemLD{Type: "ListItem", Position: 1, Name: st.Name, Item: s.cfg.abs("/")})
	for i, c := range crumbs {
		v.Items = append(v.Items, listItemLD{Type: "ListItem", Position: i + 2, Name: c.Name, Item: s.cfg.abs(c.URL)})
	}
	return v
}

// personLD is a byline: a Person, or an Organization for an agency, each
// with its page, so search engines tell the authors apart.
func (s *Site) personLD(a news.Author) ld {
	t := "Person"
	if a.Agency {
		t = "Organization"
	}
	return ld{"@type": t, "name": a.Name, "url": s.cfg.abs(a.URL())}
}

func (s *Site) authorLD(a news.Author) ld {
	v := s.personLD(a)
	v["@context"] = "https://schema.org"
	if a.Bio != "" {
		v["description"] = a.Bio
	}
	return v
}

// ldTime writes a time with its zone, as schema.org and Google want.
func ldTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// articleLD is a NewsArticle. Its image is the lead photo's 16:9, 4:3 and
// 1:1 crops, as Google asks for article results, each at least 1200
// pixels wide when the photo allows (see widestCrop).
func (s *Site) articleLD(st siteSettings, a *news.Article, crumbs []navItem) *newsArticleLD {
	u := s.cfg.abs(a.URL())
	v := &newsArticleLD{
		Context:             "https://schema.org",
		Type:                "NewsArticle",
		Headline:            a.Headline,
		URL:                 u,
		MainEntityOfPage:    idTypeLD{Type: "WebPage", ID: u},
		DatePublished:       ldTime(a.PublishedAt),
		DateModified:        ldTime(lastModified(a)),
		ArticleSection:      a.Section.Name,
		InLanguage:          st.Language,
		IsAccessibleForFree: true,
		Publisher:           s.publisherLD(st),
		Description:         a.Summary,
	}
	if len(crumbs) > 1 {
		// "News", "Europe": the whole path, top first.
		names := make([]string, len(crumbs))
		for i, c := range crumbs {
			names[i] = c.Name
		}
		v.ArticleSection = names
	}
	for _, b := range a.Bylines {
		t := "Person"
		if b.Agency {
			t = "Organization"
		}
		v.Author = append(v.Author, personRefLD{Type: t, Name: b.Name, URL: s.cfg.abs(b.URL())})
	}
	for _, t := range a.Tags {
		v.Keywords = append(v.Keywords, t.Name)
	}
	for _, shape := range news.Aspects {
		if im, ok := widestCrop(a.Photo, shape); ok {
			v.Image = append(v.Image, imageLD{Type: "ImageObject", URL: s.cfg.abs("/media/" + im.Key), Width: im.Width, Height: im.Height})
		}
	}
	for _, c := range a.Corrections {
		v.Correction = append(v.Correction, correctionLD{Type: "CorrectionComment", Text: c.Text, DatePublished: ldTime(c.At)})
	}
	return v
}

// collectionLD describes a list page (section, tag): a CollectionPage that
// is part of the site.
func (s *Site) collectionLD(st siteSettings, p *page) ld {
	return ld{
		"@context":   "https://schema.org",
		"@type":      "CollectionPage",
		"name":       p.Title,
		"url":        p.Canonical,
		"inLanguage": st.Language,
		"isPartOf":   ld{"@type": "WebSite", "name": st.Name, "url": s.cfg.abs("/")},
	}
}

// lastModified is the later of the publication, the last update and the
// last correction.
func lastModified(a *news.Article) time.Time {
	t := a.PublishedAt
	if a.UpdatedAt.After(t) {
		t = a.UpdatedAt
	}
	for _, c := range a.Corrections {
		if c.At.After(t) {
			t = c.At
		}
	}
	return t
}

// articleOG is an article's Open Graph: og:type article with its times,
// section and tags, and the lead photo's 16:9 crop as og:image (and
// twitter:image), the shape social networks show a link in, 1200 wide
// when the photo allows; im is that copy, when there is one.
func (s *Site) articleOG(a *news.Article) (og *openGraph, im media.Variant) {
	og = &openGraph{
		Type:        "article",
		Title:       a.Headline,
		Description: a.Summary,
		URL:         s.cfg.abs(a.URL()),
		Published:   ldTime(a.PublishedAt),
		Modified:    ldTime(lastModified(a)),
		Section:     a.Section.Name,
	}
	im, ok := widestCrop(a.Photo, news.Wide)
	if ok {
		og.Image = s.cfg.abs("/media/" + im.Key)
		og.ImageAlt = a.Photo.Alt
	}
	for _, t := range a.Tags {
		og.Tags = append(og.Tags, t.Name)
	}
	return og, im
}

// websiteOG is the Open Graph of any other page: og:type website, with the
// logo, when there is one, as its image.
func (s *Site) websiteOG(st siteSettings, p *page) *openGraph {
	title := p.Title
	if title == "" {
		title = st.Name
	}
	return &openGraph{Type: "website", Title: title, Description: p.Description, URL: p.Canonical, Image: st.Logo}
}
