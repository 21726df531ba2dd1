package news

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Harbour reopens after the storm", "harbour-reopens-after-the-storm"},
		{"  Spaces   everywhere  ", "spaces-everywhere"},
		{"Café crème à Genève", "cafe-creme-a-geneve"},
		{"Europe's new deal", "europes-new-deal"},
		{"Q3 results: +12% (again!)", "q3-results-12-again"},
		{"Москва и Киев", "москва-и-киев"},
		{"東京オリンピック", "東京オリンピック"},
		{"हिंदी समाचार", "हिंदी-समाचार"},
		{"Йошкар-Ола", "йошкар-ола"},
		{"ﬁnal ﬂight", "final-flight"}, // ligatures fold (NFKD)
		{"<script>alert(1)</script>", "script-alert-1-script"},
		{"---", ""},
		{"", ""},
		{"!!!", ""},
		{strings.Repeat("word ", 40), strings.TrimSuffix(strings.Repeat("word-", 16), "-")},
		{strings.Repeat("a", 100), strings.Repeat("a", 80)},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidSlug(t *testing.T) {
	for _, s := range []string{"news", "middle-east", "q3-2026", "москва"} {
		if !ValidSlug(s) {
			t.Errorf("ValidSlug(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "-a", "a-", "a--b", "News", "a b", "a/b", "a.b", "../x", strings.Repeat("a", 81), "caf\u0065\u0301"} {
		if ValidSlug(s) {
			t.Errorf("ValidSlug(%q) = true, want false", s)
		}
	}
}

// FuzzSlugify: whatever the title, the slug is either empty or valid, and
// making a slug of a slug changes nothing.
func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Harbour reopens", "Café", "Москва", "\xff\xfe", "a\u0301", "ǅemal", "ß", "İstanbul", "---a---", strings.Repeat("ab ", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		s := Slugify(title)
		if s == "" {
			return
		}
		if !utf8.ValidString(s) || len(s) > MaxSlugLen {
			t.Fatalf("Slugify(%q) = %q: invalid or too long", title, s)
		}
		if !ValidSlug(s) {
			t.Fatalf("Slugify(%q) = %q, which ValidSlug refuses", title, s)
		}
		if again := Slugify(s); again != s {
			t.Fatalf("Slugify is not idempotent: %q -> %q -> %q", title, s, again)
		}
	})
}

func TestArticleValidate(t *testing.T) {
	good := func() *Article {
		return &Article{Headline: "A headline", Slug: "a-headline", Section: Section{ID: 1, Path: "news"}, Status: Draft}
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("a good draft: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(a *Article)
		field string
	}{
		{"empty headline", func(a *Article) { a.Headline = " " }, "title"},
		{"bad slug", func(a *Article) { a.Slug = "Not A Slug" }, "slug"},
		{"no section", func(a *Article) { a.Section = Section{} }, "section"},
		{"published without a time", func(a *Article) { a.Status = Published }, "date"},
		{"unknown status", func(a *Article) { a.Status = "gone" }, "status"},
		{"photo without alt", func(a *Article) { a.Photo = &Photo{} }, "image.alt"},
		{"long summary", func(a *Article) { a.Summary = strings.Repeat("x", MaxSummary+1) }, "summary"},
		{"invalid UTF-8", func(a *Article) { a.Headline = "\xff" }, "title"},
	}
	for _, tt := range tests {
		a := good()
		tt.edit(a)
		err := a.Validate()
		if ErrorCode(err) != EINVALID {
			t.Errorf("%s: got %v, want an invalid-input error", tt.name, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.field) {
			t.Errorf("%s: %q does not name %q", tt.name, err, tt.field)
		}
	}
}
