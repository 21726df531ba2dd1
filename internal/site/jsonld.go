package site

import (
	"time"

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

// breadcrumbLD is the trail from the home page to crumbs' last entry.
func (s *Site) breadcrumbLD(st siteSettings, crumbs []navItem) ld {
	items := []ld{{"@type": "ListItem", "position": 1, "name": st.Name, "item": s.cfg.abs("/")}}
	for i, c := range crumbs {
		items = append(items, ld{"@type": "ListItem", "position": i + 2, "name": c.Name, "item": s.cfg.abs(c.URL)})
	}
	return ld{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
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

// articleLD is a NewsArticle. Google asks for images in 16:9, 4:3 and 1:1;
// the media package makes width-resized copies only (no crops), so the
// largest copy, in the photo's own proportions, is the one image given.
func (s *Site) articleLD(st siteSettings, a *news.Article, crumbs []navItem) ld {
	u := s.cfg.abs(a.URL())
	v := ld{
		"@context":            "https://schema.org",
		"@type":               "NewsArticle",
		"headline":            a.Headline,
		"url":                 u,
		"mainEntityOfPage":    ld{"@type": "WebPage", "@id": u},
		"datePublished":       ldTime(a.PublishedAt),
		"dateModified":        ldTime(lastModified(a)),
		"articleSection":      a.Section.Name,
		"inLanguage":          st.Language,
		"isAccessibleForFree": true,
		"publisher":           s.publisherLD(st),
	}
	if len(crumbs) > 1 {
		// "News", "Europe": the whole path, top first.
		var names []string
		for _, c := range crumbs {
			names = append(names, c.Name)
		}
		v["articleSection"] = names
	}
	if a.Summary != "" {
		v["description"] = a.Summary
	}
	var authors []ld
	for _, b := range a.Bylines {
		authors = append(authors, s.personLD(b))
	}
	if len(authors) > 0 {
		v["author"] = authors
	}
	if len(a.Tags) > 0 {
		var kw []string
		for _, t := range a.Tags {
			kw = append(kw, t.Name)
		}
		v["keywords"] = kw
	}
	if im, ok := largestVariant(a.Photo); ok {
		v["image"] = []ld{{"@type": "ImageObject", "url": s.cfg.abs("/media/" + im.Key), "width": im.Width, "height": im.Height}}
	}
	if len(a.Corrections) > 0 {
		var cs []ld
		for _, c := range a.Corrections {
			cs = append(cs, ld{"@type": "CorrectionComment", "text": c.Text, "datePublished": ldTime(c.At)})
		}
		v["correction"] = cs
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
// section and tags, and the lead photo as og:image.
func (s *Site) articleOG(a *news.Article, p *photoView) *openGraph {
	og := &openGraph{
		Type:        "article",
		Title:       a.Headline,
		Description: a.Summary,
		URL:         s.cfg.abs(a.URL()),
		Published:   ldTime(a.PublishedAt),
		Modified:    ldTime(lastModified(a)),
		Section:     a.Section.Name,
	}
	if p != nil {
		og.Image = s.cfg.abs(p.Src)
		og.ImageAlt = p.Alt
	}
	for _, t := range a.Tags {
		og.Tags = append(og.Tags, t.Name)
	}
	return og
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
