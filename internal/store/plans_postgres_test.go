package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestCursorPlansOnPostgres reads PostgreSQL's plans of the lists' pages
// after a cursor, the site's (PublishedArticles: section fronts, archives,
// tag and author pages) and the API's (APIArticles): the index scan must
// seek to the cursor, its time bound an Index Cond, not walk from the
// newest entry and filter every one above it (66 ms halfway down 100,000
// articles; docs/performance.md, "Lists at 100,000 articles"). SQLite's
// plans are TestListPlansOnSQLite's.
func TestCursorPlansOnPostgres(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if s.Engine() != "postgres" {
			t.Skip("PostgreSQL's plans")
		}
		after := store.Cursor{Time: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), ID: 500}
		site := func(f store.ArticleFilter) (string, []any) { f.After = after; return store.PublishedQuery(f) }
		api := func(f store.APIFilter) (string, []any) { f.After = after; return store.APIQuery(f) }
		for _, tt := range []struct {
			name  string
			where func() (string, []any)
			seek  string // the bound the index scan must seek by
		}{
			{"site: the whole archive", func() (string, []any) { return site(store.ArticleFilter{}) }, "published_at <="},
			{"site: a front with subsections", func() (string, []any) { return site(store.ArticleFilter{SectionIDs: []int64{1, 2}}) }, "published_at <="},
			{"site: a tag", func() (string, []any) { return site(store.ArticleFilter{TagID: 1}) }, "listed_at <="},
			{"site: an author", func() (string, []any) { return site(store.ArticleFilter{AuthorID: 1}) }, "listed_at <="},
			{"api: by publication", func() (string, []any) { return api(store.APIFilter{}) }, "published_at <="},
			{"api: a tag", func() (string, []any) { return api(store.APIFilter{TagID: 1}) }, "listed_at <="},
			{"api: by modification", func() (string, []any) { return api(store.APIFilter{Order: store.ByModified}) }, "modified_at <="},
		} {
			where, args := tt.where()
			plan, err := s.ExplainArticles(ctx, where, args...)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			seeks := false
			for _, line := range plan {
				if strings.Contains(line, "Index Cond:") && strings.Contains(line, tt.seek) {
					seeks = true
				}
			}
			if !seeks {
				t.Errorf("%s: no index scan seeks by %q:\n%s", tt.name, tt.seek, strings.Join(plan, "\n"))
			}
		}
	})
}
