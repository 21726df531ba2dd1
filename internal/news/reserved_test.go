package news

import (
	"strings"
	"testing"
	"time"
)

func TestReservedSlugs(t *testing.T) {
	for _, tc := range []struct {
		slug     string
		top, sub bool // reserved for a top section, for a subsection or an article
	}{
		{"admin", true, false},
		{"api", true, false},
		{"media", true, false},
		{"static", true, false},
		{"tag", true, false},
		{"author", true, false},
		{"search", true, false},
		{"sitemaps", true, false},
		{"oembed", true, false},
		{"after", true, true},
		{"news", false, false},
		{"tags", false, false},
		{"administration", false, false},
		{"search-and-rescue", false, false},
		{"media-watch", false, false},
	} {
		if got := ReservedSlug(tc.slug, true) != ""; got != tc.top {
			t.Errorf("ReservedSlug(%q, top) = %v, want %v", tc.slug, got, tc.top)
		}
		if got := ReservedSlug(tc.slug, false) != ""; got != tc.sub {
			t.Errorf("ReservedSlug(%q, not top) = %v, want %v", tc.slug, got, tc.sub)
		}
		sec := Section{Slug: tc.slug, Name: "X"}
		if err := sec.Validate(); (err != nil) != tc.top {
			t.Errorf("top section %q: Validate() = %v, want refused %v", tc.slug, err, tc.top)
		} else if err != nil && !strings.Contains(err.Error(), "slug: ") {
			t.Errorf("top section %q: %v does not name the slug", tc.slug, err)
		}
		sec.ParentID = 7
		if err := sec.Validate(); (err != nil) != tc.sub {
			t.Errorf("subsection %q: Validate() = %v, want refused %v", tc.slug, err, tc.sub)
		}
		a := &Article{Headline: "X", Slug: tc.slug, Section: Section{ID: 1, Path: "news"}, Status: Draft}
		if err := a.Validate(); (err != nil) != tc.sub {
			t.Errorf("article slug %q: Validate() = %v, want refused %v", tc.slug, err, tc.sub)
		}
	}
}

func TestSectionPathRule(t *testing.T) {
	for _, tc := range []struct {
		path, want string // want: part of the error, "" for none
	}{
		{"news", ""},
		{"news/world", ""},
		{"news/admin", ""}, // /news/admin/ shadows nothing
		{"news/search/local", ""},
		{"admin", `"admin" is the address of the newsroom`},
		{"search/local", `"search" is the address of the search page`},
		{"media", "photos"},
		{"news/after", "later pages"},
		{"news/europe/after", "later pages"},
		{"after", "later pages"},
		{"News", "not a section path"},
		{"news//world", "not a section path"},
		{"", "is missing"},
	} {
		err := checkSectionPath(tc.path)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("checkSectionPath(%q) = %v, want nil", tc.path, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("checkSectionPath(%q) = %v, want an error with %q", tc.path, err, tc.want)
		case err != nil && ErrorCode(err) != EINVALID:
			t.Errorf("checkSectionPath(%q): code %q, want %q", tc.path, ErrorCode(err), EINVALID)
		}
		// An article on its way in by path (the importer's) is held to
		// the same rule before anything is written.
		a := &Article{Headline: "X", Slug: "x", Section: Section{Path: tc.path}, Status: Published, PublishedAt: time.Unix(1, 0)}
		if aerr := a.Validate(); (aerr == nil) != (err == nil) {
			t.Errorf("article in section %q: Validate() = %v, checkSectionPath = %v", tc.path, aerr, err)
		}
	}
}
