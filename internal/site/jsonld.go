package site

import (
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Structured data (schema.org, as JSON-LD). Maps keep the key "@type" and
// friends; encoding/json sorts map keys, so output is stable.

type ld = map[string]any

func (s *Site) organizationLD() ld {
	return ld{
		"@context": "https://schema.org",
		"@type":    "NewsMediaOrganization",
		"name":     s.cfg.Name,
		"url":      s.cfg.abs("/"),
	}
}

func (s *Site) websiteLD() ld {
	return ld{
		"@context": "https://schema.org",
		"@type":    "WebSite",
		"name":     s.cfg.Name,
		"url":      s.cfg.abs("/"),
	}
}

func (s *Site) breadcrumbLD(crumbs []navItem) ld {
	items := make([]ld, len(crumbs))
	for i, c := range crumbs {
		items[i] = ld{"@type": "ListItem", "position": i + 1, "name": c.Name, "item": s.cfg.abs(c.URL)}
	}
	return ld{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
}

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

func (s *Site) articleLD(a *news.Article, crumbs []navItem) ld {
	v := ld{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         a.Headline,
		"url":              s.cfg.abs(a.URL()),
		"mainEntityOfPage": s.cfg.abs(a.URL()),
		"datePublished":    a.PublishedAt.UTC().Format(time.RFC3339),
		"dateModified":     lastModified(a).UTC().Format(time.RFC3339),
		"articleSection":   a.Section.Name,
		"publisher":        s.organizationLD(),
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
	if p := newPhotoView(a.Photo, 1600); p != nil {
		v["image"] = []string{s.cfg.abs(p.Src)}
	}
	if len(a.Corrections) > 0 {
		var cs []ld
		for _, c := range a.Corrections {
			cs = append(cs, ld{"@type": "CorrectionComment", "text": c.Text, "datePublished": c.At.UTC().Format(time.RFC3339)})
		}
		v["correction"] = cs
	}
	return v
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

func (s *Site) articleOG(a *news.Article, p *photoView) *openGraph {
	og := &openGraph{
		Type:        "article",
		Title:       a.Headline,
		Description: a.Summary,
		URL:         s.cfg.abs(a.URL()),
		Published:   a.PublishedAt.UTC().Format(time.RFC3339),
		Modified:    lastModified(a).UTC().Format(time.RFC3339),
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
