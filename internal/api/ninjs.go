package api

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
)

// IPTC's ninjs 2.1 ("News in JSON"), the form wire services and syndication
// partners read (Accept: application/ninjs+json, or ?format=ninjs). Every
// field written is one the standard's JSON Schema names; the tests check
// each answer against a copy of it (testdata/ninjs-schema_2.1.json).

const ninjsSchema = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"

type ninjsItem struct {
	URI                string             `json:"uri"`
	Standard           ninjsStandard      `json:"standard"`
	Type               string             `json:"type"`
	RepresentationType string             `json:"representationtype"`
	Profile            string             `json:"profile"`
	FirstCreated       string             `json:"firstcreated,omitempty"`
	VersionCreated     string             `json:"versioncreated"`
	ContentCreated     string             `json:"contentcreated,omitempty"`
	PubStatus          string             `json:"pubstatus"`
	Language           string             `json:"language,omitempty"`
	CopyrightHolder    string             `json:"copyrightholder,omitempty"`
	Slugline           string             `json:"slugline,omitempty"`
	By                 string             `json:"by,omitempty"`
	Headlines          []ninjsText        `json:"headlines"`
	Descriptions       []ninjsText        `json:"descriptions,omitempty"`
	Bodies             []ninjsBody        `json:"bodies,omitempty"`
	People             []ninjsParty       `json:"people,omitempty"`
	Organisations      []ninjsParty       `json:"organisations,omitempty"`
	Subjects           []ninjsParty       `json:"subjects,omitempty"`
	Renditions         []ninjsRendition   `json:"renditions,omitempty"`
	Associations       []ninjsAssociation `json:"associations,omitempty"`
	AltIDs             []ninjsAltID       `json:"altids,omitempty"`
}

type ninjsStandard struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Schema  string `json:"schema"`
}

type ninjsText struct {
	Role        string `json:"role,omitempty"`
	ContentType string `json:"contenttype,omitempty"`
	Value       string `json:"value"`
}

type ninjsBody struct {
	Role        string `json:"role,omitempty"`
	ContentType string `json:"contenttype"`
	CharCount   int    `json:"charcount,omitempty"`
	WordCount   int    `json:"wordcount,omitempty"`
	Value       string `json:"value"`
}

type ninjsParty struct {
	Name    string `json:"name"`
	Rel     string `json:"rel,omitempty"`
	URI     string `json:"uri,omitempty"`
	Literal string `json:"literal,omitempty"`
}

type ninjsRendition struct {
	Name        string `json:"name"`
	Href        string `json:"href"`
	ContentType string `json:"contenttype,omitempty"`
	Title       string `json:"title,omitempty"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
}

// ninjsAssociation is an associated item: the lead photo.
type ninjsAssociation struct {
	Name         string           `json:"name"`
	URI          string           `json:"uri"`
	Type         string           `json:"type"`
	By           string           `json:"by,omitempty"`
	Headlines    []ninjsText      `json:"headlines,omitempty"`
	Descriptions []ninjsText      `json:"descriptions,omitempty"`
	Renditions   []ninjsRendition `json:"renditions"`
}

type ninjsAltID struct {
	Role  string `json:"role"`
	Value string `json:"value"`
}

// ninjsOf is an article in ninjs 2.1, with links on the address asked.
// Its uri is the same tag URI the site's feeds give the story, which no
// change of slug, section or address alters.
func (a *API) ninjsOf(ctx context.Context, art *news.Article, info site.PublicInfo) ninjsItem {
	stamp := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	bodyHTML := a.bodyHTML(ctx, art)
	text := markup.Text(art.Body)
	it := ninjsItem{
		URI:                feed.TagURI(info.IDAuthority, art.PublishedAt, "article", art.ID),
		Standard:           ninjsStandard{Name: "ninjs", Version: "2.1", Schema: ninjsSchema},
		Type:               "text",
		RepresentationType: "full",
		Profile:            "newsdesk-article",
		VersionCreated:     stamp(art.ModifiedAt),
		PubStatus:          pubStatus(art),
		Language:           info.Language,
		CopyrightHolder:    info.Name,
		Slugline:           art.Slug,
		Headlines:          []ninjsText{{Role: "main", ContentType: "text/plain", Value: art.Headline}},
		Bodies: []ninjsBody{
			{Role: "main", ContentType: "text/html", CharCount: utf8.RuneCountInString(text), WordCount: len(strings.Fields(text)), Value: bodyHTML},
			{Role: "main", ContentType: "text/plain", CharCount: utf8.RuneCountInString(text), WordCount: len(strings.Fields(text)), Value: text},
		},
		Renditions: []ninjsRendition{{Name: "web", Href: a.abs(ctx, art.URL()), ContentType: "text/html", Title: art.Headline}},
		AltIDs:     []ninjsAltID{{Role: "newsdesk-id", Value: itoa(art.ID)}},
	}
	if !art.PublishedAt.IsZero() {
		it.FirstCreated = stamp(art.PublishedAt)
	}
	if !art.CreatedAt.IsZero() {
		it.ContentCreated = stamp(art.CreatedAt)
	}
	if art.Summary != "" {
		it.Descriptions = append(it.Descriptions, ninjsText{Role: "summary", ContentType: "text/plain", Value: art.Summary})
	}
	// Corrections are public notes on the story: descriptions, each
	// dated, so a partner's copy carries them too.
	for _, c := range art.Corrections {
		it.Descriptions = append(it.Descriptions, ninjsText{Role: "correction", ContentType: "text/plain",
			Value: c.At.UTC().Format(time.RFC3339) + " " + c.Text})
	}
	var names []string
	for _, b := range art.Bylines {
		names = append(names, b.Name)
		p := ninjsParty{Name: b.Name, Rel: "author", URI: a.abs(ctx, b.URL()), Literal: b.Slug}
		if b.Agency {
			it.Organisations = append(it.Organisations, p)
		} else {
			it.People = append(it.People, p)
		}
	}
	it.By = strings.Join(names, ", ")
	it.Subjects = append(it.Subjects, ninjsParty{Name: art.Section.Name, Rel: "section", URI: a.abs(ctx, art.Section.URL()), Literal: art.Section.Path})
	for _, t := range art.Tags {
		it.Subjects = append(it.Subjects, ninjsParty{Name: t.Name, Rel: "tag", URI: a.abs(ctx, t.URL()), Literal: t.Slug})
	}
	if p := art.Photo; p != nil && p.Media.ID != 0 {
		if vs := media.Variants(p.Media); len(vs) > 0 {
			as := ninjsAssociation{Name: "featureimage", Type: "picture", By: p.Credit,
				URI: feed.TagURI(info.IDAuthority, p.Media.CreatedAt, "photo", p.Media.ID)}
			if p.Caption != "" {
				as.Headlines = []ninjsText{{Role: "caption", ContentType: "text/plain", Value: p.Caption}}
			}
			if p.Alt != "" {
				as.Descriptions = []ninjsText{{Role: "alt", ContentType: "text/plain", Value: p.Alt}}
			}
			for _, v := range vs {
				as.Renditions = append(as.Renditions, ninjsRendition{Name: "w" + itoa(int64(v.Width)), Href: a.abs(ctx, "/media/"+v.Key),
					ContentType: v.Type, Width: v.Width, Height: v.Height})
			}
			it.Associations = append(it.Associations, as)
		}
	}
	return it
}

// pubStatus is ninjs's publication status of a story, as a partner's
// system acts on it: "usable" when it is public; "canceled" when it was
// public and has been taken down (a copy kept elsewhere must go too); and
// "withheld", not yet to be used, for a draft, a story in review or a
// scheduled one, even one taken down before and now due again. Only a
// token with read:drafts sees the last two.
func pubStatus(art *news.Article) string {
	switch {
	case art.Status == news.Published:
		return "usable"
	case art.Status != news.Scheduled && news.PreviewWithdrawn(art):
		return "canceled"
	}
	return "withheld"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
