package news

import (
	"strings"
	"testing"
	"time"
)

// TestPageValidate: each rule a page breaks is named by its field.
func TestPageValidate(t *testing.T) {
	ok := func() *Page {
		return &Page{Slug: "about", Title: "About us", Status: Published, PublishedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			Footer: 1, Role: RoleAbout}
	}
	if err := ok().Validate(); err != nil {
		t.Fatalf("a good page: %v", err)
	}
	tests := []struct {
		name   string
		change func(p *Page)
		field  string
	}{
		{"no title", func(p *Page) { p.Title = " " }, "title"},
		{"no slug", func(p *Page) { p.Slug = "" }, "slug"},
		{"not a slug", func(p *Page) { p.Slug = "About" }, "slug"},
		{"a reserved word", func(p *Page) { p.Slug = "search" }, "slug"},
		{"reserved at every depth", func(p *Page) { p.Slug = "after" }, "slug"},
		{"a status pages lack", func(p *Page) { p.Status = Review }, "status"},
		{"published with no time", func(p *Page) { p.PublishedAt = time.Time{} }, "date"},
		{"a negative footer place", func(p *Page) { p.Footer = -1 }, "footer"},
		{"a footer place past the bound", func(p *Page) { p.Footer = MaxFooter + 1 }, "footer"},
		{"a role that is none", func(p *Page) { p.Role = "aboutPage" }, "role"},
		{"a NUL in the body", func(p *Page) { p.Body = "a\x00b" }, "body"},
		{"a long SEO title", func(p *Page) { p.SEOTitle = strings.Repeat("x", MaxSEOTitle+1) }, "seo_title"},
	}
	for _, tt := range tests {
		p := ok()
		tt.change(p)
		err := p.Validate()
		if ErrorCode(err) != EINVALID || err.(*Error).Field != tt.field {
			t.Errorf("%s: got %v, want an error on %s", tt.name, err, tt.field)
		}
	}
	// A draft needs no time; publishing sets one, once.
	p := ok()
	p.Status, p.PublishedAt = Draft, time.Time{}
	if err := p.Validate(); err != nil {
		t.Errorf("a draft: %v", err)
	}
	first := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	p.Publish(first)
	p.Status = Draft
	p.Publish(first.Add(time.Hour))
	if p.Status != Published || !p.PublishedAt.Equal(first) {
		t.Errorf("published again: %s at %v, want published at %v", p.Status, p.PublishedAt, first)
	}
}

// TestPageContent: what a revision keeps is what SetContent puts back.
func TestPageContent(t *testing.T) {
	p := &Page{Slug: "ethics", Title: "Ethics", Body: "Text", Footer: 3, Role: RoleEthics, SEOTitle: "S", SEODescription: "D", Status: Published}
	var q Page
	q.SetContent(p.Content())
	if q.Content() != p.Content() {
		t.Errorf("round trip: %+v, want %+v", q.Content(), p.Content())
	}
	if q.Status != "" {
		t.Errorf("SetContent set the status: %q", q.Status)
	}
	if !strings.Contains(p.Content().Text(), "Role: Ethics policy") {
		t.Errorf("Text() = %q", p.Content().Text())
	}
}
