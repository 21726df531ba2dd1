package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestListPlansOnSQLite reads SQLite's plans of the queries that were slow
// over a 100,000-article archive, so a change of query or index that
// brings the slow plan back fails here, not in production. (SQLite keeps
// no statistics here, so its plans depend on the query's shape and the
// indexes alone, and are the same on a small database as on a large one.)
func TestListPlansOnSQLite(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plans.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The pages after a cursor, as PublishedArticles and APIArticles ask
	// for them: the index search must be bounded by the cursor's time.
	// (SQLite finds the bound in "t < x OR (t = x AND id < y)" as well:
	// PostgreSQL did not, see TestCursorPlansOnPostgres.)
	after := Cursor{Time: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), ID: 500}
	frontWhere, frontArgs := publishedWhere(ArticleFilter{After: after})
	tagWhere, tagArgs := publishedWhere(ArticleFilter{TagID: 1, After: after})
	apiFrontWhere, apiFrontArgs := apiWhere(APIFilter{After: after})
	tests := []struct {
		name, where string
		args        []any
		want        []string // each must be in the plan
		not         []string // none may be
	}{
		{"a page of the archive after a cursor seeks to it", frontWhere, frontArgs,
			[]string{"INDEX articles_listing (status=? AND published_at<?)"}, []string{"SCAN a", "TEMP B-TREE"}},
		{"a page of a tag after a cursor seeks to it", tagWhere, tagArgs,
			[]string{"INDEX article_tags_listing (tag_id=? AND listed_at>? AND listed_at<?)"}, []string{"TEMP B-TREE"}},
		{"a page of the API's list after a cursor seeks to it", apiFrontWhere, apiFrontArgs,
			[]string{"INDEX articles_listing (status=? AND published_at<?)"}, []string{"TEMP B-TREE"}},
		{"top stories by primary key, never by status", topStoriesWhere, nil,
			[]string{"SEARCH a USING INTEGER PRIMARY KEY"}, []string{"SCAN a", "(status=?)"}},
		{"a front with subsections walks the listing index", `WHERE a.status = $1 AND a.section_id IN ($2, $3) AND a.id NOT IN ($4)
			ORDER BY a.published_at DESC, a.id DESC LIMIT $5`, []any{"published", 1, 2, 3, 4},
			[]string{"USING INDEX articles_listing"}, []string{"SCAN a", "TEMP B-TREE"}},
		{"a front of one section walks its own index", `WHERE a.status = $1 AND a.section_id IN ($2)
			ORDER BY a.published_at DESC, a.id DESC LIMIT $3`, []any{"published", 1, 4},
			[]string{"articles_section_published"}, []string{"SCAN a", "TEMP B-TREE"}},
	}
	for _, tt := range tests {
		rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+articleSelect+articleFrom+" "+tt.where, tt.args...)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the plan does not say %q:\n%s", tt.name, w, text)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(text, n) {
				t.Errorf("%s: the plan says %q:\n%s", tt.name, n, text)
			}
		}
	}
}
