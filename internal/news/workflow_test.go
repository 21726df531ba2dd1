package news

import (
	"strings"
	"testing"
	"time"
)

func TestCheckTransition(t *testing.T) {
	allowed := map[[2]Status]bool{
		{Draft, Review}: true, {Draft, Published}: true, {Draft, Scheduled}: true,
		{Review, Draft}: true, {Review, Published}: true, {Review, Scheduled}: true,
		{Scheduled, Draft}: true, {Scheduled, Published}: true, {Scheduled, Scheduled}: true,
		{Published, Draft}: true,
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			err := CheckTransition(from, to)
			if want := allowed[[2]Status{from, to}]; (err == nil) != want {
				t.Errorf("%s -> %s: got %v, want allowed=%v", from, to, err, want)
			}
			if err != nil && ErrorCode(err) != ECONFLICT {
				t.Errorf("%s -> %s: error kind %s, want conflict", from, to, ErrorCode(err))
			}
		}
	}
}

func TestEditorialValidate(t *testing.T) {
	base := func() *Editorial {
		return &Editorial{Article: &Article{Headline: "H", Slug: "h", Section: Section{ID: 1}, Status: Draft}}
	}
	tests := []struct {
		name  string
		edit  func(e *Editorial)
		field string
	}{
		{"a draft", func(*Editorial) {}, ""},
		{"in review", func(e *Editorial) { e.Article.Status = Review }, ""},
		{"scheduled with a time", func(e *Editorial) { e.Article.Status = Scheduled; e.PublishAt = time.Now() }, ""},
		{"scheduled without", func(e *Editorial) { e.Article.Status = Scheduled }, "publish_at"},
		{"unknown status", func(e *Editorial) { e.Article.Status = "archived" }, "status"},
		{"long SEO title", func(e *Editorial) { e.SEOTitle = strings.Repeat("x", MaxSEOTitle+1) }, "seo_title"},
	}
	for _, tt := range tests {
		e := base()
		tt.edit(e)
		err := e.Validate()
		if tt.field == "" && err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if tt.field != "" && (err == nil || !strings.Contains(err.Error(), tt.field)) {
			t.Errorf("%s: got %v, want a problem with %s", tt.name, err, tt.field)
		}
	}
}

func TestUserRules(t *testing.T) {
	for _, s := range []string{"contributor", " Editor ", "ADMIN"} {
		if _, err := ParseRole(s); err != nil {
			t.Errorf("ParseRole(%q): %v", s, err)
		}
	}
	if _, err := ParseRole("root"); ErrorCode(err) != EINVALID {
		t.Errorf("ParseRole(root): %v", err)
	}
	u := &User{Email: NormalizeEmail(" Ana@Example.ORG "), Name: "Ana", Role: Editor}
	if err := u.Validate(); err != nil || u.Email != "ana@example.org" {
		t.Errorf("a good account: %v (%q)", err, u.Email)
	}
	for _, bad := range []string{"", "ana", "Ana <ana@example.org>", "ana@example.org, ben@example.org"} {
		if err := (&User{Email: bad, Name: "A", Role: Editor}).Validate(); err == nil {
			t.Errorf("e-mail %q accepted", bad)
		}
	}
	for pw, ok := range map[string]bool{"short": false, "twelve chars": true, strings.Repeat("x", MaxPassword+1): false, "\xff\xfe long enough x": false} {
		if err := CheckPassword(pw); (err == nil) != ok {
			t.Errorf("CheckPassword(%.20q): %v, want ok=%v", pw, err, ok)
		}
	}
}

func TestRevisionText(t *testing.T) {
	c := RevisionContent{Headline: "Dam opens", Slug: "dam-opens", SectionPath: "news", Bylines: []string{"Ana", "AFP"},
		Tags: []string{"Water"}, PhotoID: 7, PhotoAlt: "A dam", Body: "First.\n\nSecond.\n"}
	want := "Headline: Dam opens\nSlug: dam-opens\nSection: news\nBylines: Ana; AFP\nTags: Water\nPhoto: #7\nPhoto alt text: A dam\n\nFirst.\n\nSecond.\n"
	if got := c.Text(); got != want {
		t.Errorf("Text:\n%s\nwant\n%s", got, want)
	}
}

func TestArticleScope(t *testing.T) {
	mine := &Editorial{Article: &Article{}, CreatedBy: 7}
	theirs := &Editorial{Article: &Article{}, CreatedBy: 8}
	imported := &Editorial{Article: &Article{}} // CreatedBy 0
	tests := []struct {
		name  string
		s     ArticleScope
		wants [3]bool // mine, theirs, imported
	}{
		{"every article", EveryArticle(), [3]bool{true, true, true}},
		{"one writer's", WriterArticles(7), [3]bool{true, false, false}},
		{"the zero scope sees none", ArticleScope{}, [3]bool{false, false, false}},
		{"writer 0 sees none", WriterArticles(0), [3]bool{false, false, false}},
	}
	for _, tt := range tests {
		for i, e := range []*Editorial{mine, theirs, imported} {
			if got := tt.s.Includes(e); got != tt.wants[i] {
				t.Errorf("%s: Includes(created by %d) = %v, want %v", tt.name, e.CreatedBy, got, tt.wants[i])
			}
		}
	}
	if EveryArticle().Writer() != 0 || WriterArticles(7).Writer() != 7 || !EveryArticle().All() || WriterArticles(7).All() {
		t.Error("All and Writer do not say what the scope is")
	}
}
