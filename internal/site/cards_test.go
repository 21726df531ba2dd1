package site

import (
	"bytes"
	"html/template"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// cardsBefore is the "cards" template as it was before cards were kept:
// the card template called in place for each card.
const cardsBefore = `{{define "cardsBefore"}}
<div class="cards">
{{- range .}}{{template "card" .}}{{end}}
</div>
{{end}}`

func cardArticles() []*news.Article {
	sec := news.Section{ID: 3, Path: "news/europe", Name: "Europe & Co"}
	photo := &news.Photo{
		Media: news.Media{ID: 9, Hash: strings.Repeat("ab", 32), Type: "image/jpeg", Width: 1600, Height: 900},
		Alt:   `Delegates "shake" hands <at> a table`,
	}
	when := time.Date(2026, 11, 27, 6, 30, 0, 0, time.FixedZone("CET", 3600))
	return []*news.Article{
		{ID: 1, Slug: "treaty", Headline: "Treaty <signed> & sealed", Summary: "Three countries' deal", Section: sec, PublishedAt: when, Photo: photo,
			Bylines: []news.Author{{ID: 1, Slug: "ilse-fontaine", Name: "Ilse Fontaine"}, {ID: 2, Slug: "afp", Name: "AFP"}, {ID: 3, Slug: "o-neil", Name: "Ann O'Neil"}}},
		{ID: 2, Slug: "no-photo", Headline: "No photo, no summary", Section: sec, PublishedAt: when.Add(-time.Hour)},
		{ID: 3, Slug: "one", Headline: "One byline", Summary: "x", Section: sec, PublishedAt: when.Add(-48 * time.Hour),
			Bylines: []news.Author{{ID: 1, Slug: "ilse-fontaine", Name: "Ilse Fontaine"}}},
	}
}

// newCardSite returns a Site with no store, and a clone of its list page
// template that also defines cardsBefore.
func newCardSite(t *testing.T) (*Site, *template.Template) {
	t.Helper()
	cfg, err := NewConfig("https://news.example.org", nil, "Meridian 24")
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	before, err := s.pages["list"].Clone()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := before.Parse(cardsBefore); err != nil {
		t.Fatal(err)
	}
	return s, before
}

// runCards executes the list page's "cards" and cardsBefore on the same
// cards.
func runCards(t *testing.T, s *Site, before *template.Template, cards []card) (got, want string) {
	t.Helper()
	var b bytes.Buffer
	if err := s.pages["list"].ExecuteTemplate(&b, "cards", cards); err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	if err := before.ExecuteTemplate(&w, "cardsBefore", cards); err != nil {
		t.Fatal(err)
	}
	return b.String(), w.String()
}

// TestCardHTMLIsTheCardTemplate: the cards written in Go are the bytes the
// card template of parts.html writes in place.
func TestCardHTMLIsTheCardTemplate(t *testing.T) {
	s, before := newCardSite(t)
	cards := newCards(cardArticles())
	got, want := runCards(t, s, before, cards)
	if got != want {
		t.Fatalf("cards:\ngot  %q\nwant %q", got, want)
	}
	if n := strings.Count(got, `<article class="card">`); n != len(cards) {
		t.Fatalf("%d cards, want %d", n, len(cards))
	}
}

// TestCardShowsEveryField: a change to anything the card template shows
// changes the card written in Go the same way.
func TestCardShowsEveryField(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *card)
	}{
		{"url", func(c *card) { c.URL += "-2" }},
		{"headline", func(c *card) { c.Headline = "Treaty torn up" }},
		{"summary", func(c *card) { c.Summary = "" }},
		{"section name", func(c *card) { c.Section.Name = "World" }},
		{"section url", func(c *card) { c.Section.URL = "/world/" }},
		{"time", func(c *card) { c.Time = c.Time.Add(24 * time.Hour) }},
		{"byline name", func(c *card) { c.Bylines[0].Name = "Ilse F." }},
		{"byline url", func(c *card) { c.Bylines[1].Slug = "reuters" }},
		{"one byline less", func(c *card) { c.Bylines = c.Bylines[:2] }},
		{"no bylines", func(c *card) { c.Bylines = nil }},
		{"no photo", func(c *card) { c.Photo = nil }},
		{"photo src", func(c *card) { c.Photo.Src += "?v2" }},
		{"photo srcset", func(c *card) { c.Photo.SrcSet = "/media/x.jpg 320w" }},
		{"photo width", func(c *card) { c.Photo.Width++ }},
		{"photo height", func(c *card) { c.Photo.Height++ }},
		{"photo alt", func(c *card) { c.Photo.Alt = "A table" }},
		{"no thumbnail", func(c *card) { c.Thumb = nil }},
		{"thumbnail srcset", func(c *card) { c.Thumb.SrcSet = "/media/x-4x3.jpg 320w" }},
		{"thumbnail width", func(c *card) { c.Thumb.Width++ }},
		{"thumbnail height", func(c *card) { c.Thumb.Height-- }},
		{"moves text between fields", func(c *card) { c.Headline, c.Summary = c.Headline+c.Summary[:5], c.Summary[5:] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, before := newCardSite(t)
			orig := newCards(cardArticles()[:1])
			if got, want := runCards(t, s, before, orig); got != want {
				t.Fatalf("before the change:\ngot  %q\nwant %q", got, want)
			}
			c := newCards(cardArticles()[:1])
			tt.change(&c[0])
			got, want := runCards(t, s, before, c)
			if got != want {
				t.Errorf("after the change:\ngot  %q\nwant %q", got, want)
			}
			if orig0, _ := runCards(t, s, before, orig); orig0 == got {
				t.Errorf("the change shows nothing: the case tests no field")
			}
		})
	}
}

// TestCardsConcurrently: pages rendered at once, before any card is kept,
// each get the same bytes (run with -race).
func TestCardsConcurrently(t *testing.T) {
	s, before := newCardSite(t)
	cards := newCards(cardArticles())
	var w bytes.Buffer
	if err := before.ExecuteTemplate(&w, "cardsBefore", cards); err != nil {
		t.Fatal(err)
	}
	want := w.String()
	// Nothing is kept yet: the renders race to render and keep each card.
	got := make([]string, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			var b bytes.Buffer
			if err := s.pages["list"].ExecuteTemplate(&b, "cards", cards); err != nil {
				t.Error(err)
			}
			got[i] = b.String()
		})
	}
	wg.Wait()
	for i, g := range got {
		if g != want {
			t.Errorf("render %d:\ngot  %q\nwant %q", i, g, want)
		}
	}
}
