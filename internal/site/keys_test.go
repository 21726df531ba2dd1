package site

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
)

// TestPageKeysBound: the keys of a long list give way to "lists" within
// the header bound, and the page's own keys stay.
func TestPageKeysBound(t *testing.T) {
	list := func(n int) []*news.Article {
		out := make([]*news.Article, n)
		for i := range out {
			out[i] = &news.Article{ID: int64(100000 + i), Bylines: []news.Author{{ID: int64(i % 40)}}}
		}
		return out
	}
	tests := []struct {
		name      string
		articles  int
		wantLists bool
	}{
		{"a front of 20", 20, false},
		{"a big front of 100", 100, false},
		{"a list of 1,000", 1000, true},
	}
	for _, tt := range tests {
		k := listKeys(news.SectionKey(7), list(tt.articles))
		k.add(news.KeyLayout, news.KeySite)
		got := k.list()
		joined := strings.Join(got, " ")
		if len(joined) > maxKeysHeader {
			t.Errorf("%s: %d bytes of keys, want at most %d", tt.name, len(joined), maxKeysHeader)
		}
		for _, own := range []string{news.SectionKey(7), news.KeyLayout, news.KeySite} {
			if !slices.Contains(got, own) {
				t.Errorf("%s: keys lack the page's own %s", tt.name, own)
			}
		}
		if has := slices.Contains(got, news.KeyLists); has != tt.wantLists {
			t.Errorf("%s: lists key %v, want %v", tt.name, has, tt.wantLists)
		}
		if !tt.wantLists && !slices.Contains(got, news.ArticleKey(100000+int64(tt.articles)-1)) {
			t.Errorf("%s: the last article's key is missing", tt.name)
		}
	}
}
