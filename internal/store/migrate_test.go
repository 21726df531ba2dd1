package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
)

// TestArticleTextLastKeepsEverything stores articles with everything an
// article can have under the schema before migration 0008 (which rebuilds
// SQLite's articles table with the text last), applies it, and checks that
// nothing was lost or changed: each article reads back the same, with its
// bylines, tags, photo, corrections and revisions; the rows that refer to
// articles are all there; search still finds old and new text through the
// rebuilt triggers; and foreign keys are enforced again afterwards.
func TestArticleTextLastKeepsEverything(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "old.db")
	old, err := OpenWith(ctx, dsn, Options{migrateUpTo: 7})
	if err != nil {
		t.Fatal(err)
	}
	if got := lastColumns(t, old); slices.Equal(got, []string{"body_html", "body"}) {
		t.Fatalf("before 0008 the text is already last (%v): the test would prove nothing", got)
	}
	indexesBefore := schemaNames(t, old, "index")

	m := &news.Media{Hash: strings.Repeat("ab", 32), Type: "image/jpeg", Size: 1234, Width: 1600, Height: 900,
		Name: "harbour.jpg", CreatedAt: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)}
	if err := old.SaveMedia(ctx, m); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 2, 6, 30, 0, 0, time.UTC)
	var ids []int64
	for i, h := range []string{"Harbour cranes return after the storm", "Council votes on the ferry timetable", "A draft about lighthouses"} {
		var a *news.Article
		err := old.InTx(ctx, func(tx *Store) error {
			sec, err := tx.EnsureSectionPath(ctx, "news/coast")
			if err != nil {
				return err
			}
			au, err := tx.EnsureAuthor(ctx, "Ines Varga")
			if err != nil {
				return err
			}
			agency, err := tx.EnsureAuthor(ctx, "AFP")
			if err != nil {
				return err
			}
			tg, err := tx.EnsureTag(ctx, "Harbours")
			if err != nil {
				return err
			}
			a = &news.Article{Headline: h, Slug: news.Slugify(h), Section: sec, Summary: "Summary of " + h,
				Body:    strings.Repeat("A long paragraph about "+h+" that spills into overflow pages. ", 200),
				Bylines: []news.Author{au, agency}, Tags: []news.Tag{tg},
				Photo:    &news.Photo{Media: *m, Alt: "Cranes", Caption: "The quay, 1 November", Credit: "By AFP"},
				SEOTitle: "SEO " + h, SEODescription: "Described " + h}
			a.BodyHTML = "<p>" + a.Body + "</p>"
			if i < 2 {
				a.Status, a.PublishedAt = news.Published, t0.Add(time.Duration(i)*time.Hour)
			} else {
				a.Status = news.Draft
			}
			return tx.SaveArticle(ctx, a)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := old.AddCorrections(ctx, a.ID, []news.Correction{{At: t0.Add(3 * time.Hour), Text: "An earlier version misnamed the quay."}}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	before := map[int64]*news.Article{}
	for _, id := range ids {
		if before[id], err = old.ArticleByID(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	countsBefore := referringRows(t, old)
	old.Close()

	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("migrating: %v", err)
	}
	defer s.Close()
	var free int
	if err := s.db.QueryRowContext(ctx, `PRAGMA freelist_count`).Scan(&free); err != nil || free != 0 {
		t.Errorf("%d free pages after the rebuild (%v), want 0: the old table's pages were not given back", free, err)
	}
	// (0011 adds the body's passages after it.)
	if got := lastColumns(t, s); !slices.Equal(got, []string{"body", "body_passages"}) {
		t.Errorf("last columns after 0008 and 0011 = %v, want [body body_passages]", got)
	}
	// Every index before is there still (0026 adds the desk list's).
	got := schemaNames(t, s, "index")
	for _, name := range indexesBefore {
		if !slices.Contains(got, name) {
			t.Errorf("index %s is gone after 0008 (indexes now %v, before %v)", name, got, indexesBefore)
		}
	}
	if got, want := schemaNames(t, s, "trigger"), []string{"articles_fts_delete", "articles_fts_insert", "articles_fts_update"}; !slices.Equal(got, want) {
		t.Errorf("triggers after 0008 = %v, want %v", got, want)
	}
	for _, id := range ids {
		got, err := s.ArticleByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if diff := differentFields(*got, *before[id]); len(diff) > 0 {
			t.Errorf("article %d after 0008 differs in %v", id, diff)
		}
	}
	if got := referringRows(t, s); !reflect.DeepEqual(got, countsBefore) {
		t.Errorf("rows referring to articles after 0008 = %v, want %v", got, countsBefore)
	}

	// The full-text index still answers for text stored before, and the
	// rebuilt triggers keep it in step with an edit after.
	find := func(q string) []int64 {
		t.Helper()
		res, err := s.Search(ctx, SearchOptions{Query: search.Parse(q), IncludeDrafts: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, h := range res.Hits {
			got = append(got, h.Article.ID)
		}
		slices.Sort(got)
		return got
	}
	if got := find("overflow"); !slices.Equal(got, ids) {
		t.Errorf("search for old text finds %v, want %v", got, ids)
	}
	a := before[ids[0]]
	a.Body, a.BodyHTML = "Seagulls everywhere.", "<p>Seagulls everywhere.</p>"
	if err := s.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got := find("seagulls"); !slices.Equal(got, ids[:1]) {
		t.Errorf("search for edited text finds %v, want %v", got, ids[:1])
	}
	if got := find("overflow"); !slices.Equal(got, ids[1:]) {
		t.Errorf("search for the replaced text finds %v, want %v", got, ids[1:])
	}

	// Foreign keys are on again on every pooled connection.
	for range 4 {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO article_tags (article_id, tag_id) VALUES (999999, 1)`); err == nil {
			t.Fatal("a tag link to a missing article was stored: foreign keys are off after the migration")
		}
	}
}

// TestMigrationWithForeignKeysOffChecksThem: a migration run with foreign
// keys off that leaves a row referring to nothing is rolled back, with an
// error naming the table, and the connection enforces foreign keys again.
func TestMigrationWithForeignKeysOffChecksThem(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "fk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.db.SetMaxOpenConns(1) // the migration's connection is the one checked after
	err = s.migrationTx(ctx, true, func(tx *Store) error {
		_, err := tx.q.ExecContext(ctx, `INSERT INTO article_tags (article_id, tag_id) VALUES (424242, 1)`)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "article_tags row") {
		t.Fatalf("a dangling reference: err = %v, want the foreign key check naming article_tags", err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM article_tags`).Scan(&n); err != nil || n != 0 {
		t.Errorf("article_tags holds %d rows (%v) after the failed migration, want 0", n, err)
	}
	var on int
	if err := s.db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on); err != nil || on != 1 {
		t.Errorf("foreign_keys = %d (%v) after the migration, want 1", on, err)
	}
}

// differentFields names the fields of two articles that differ.
func differentFields(a, b news.Article) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	var out []string
	for i := range va.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out = append(out, va.Type().Field(i).Name)
		}
	}
	return out
}

// lastColumns is the last two columns of SQLite's articles table.
func lastColumns(t *testing.T, s *Store) []string {
	t.Helper()
	cols, err := s.columns(context.Background(), "articles")
	if err != nil {
		t.Fatal(err)
	}
	return cols[len(cols)-2:]
}

// schemaNames lists the names of the articles table's indexes or triggers.
func schemaNames(t *testing.T, s *Store, kind string) []string {
	t.Helper()
	names, err := column[string](context.Background(), s,
		`SELECT name FROM sqlite_schema WHERE type = $1 AND tbl_name = 'articles' ORDER BY name`, kind)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// referringRows counts the rows of each table that refers to articles.
func referringRows(t *testing.T, s *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"article_authors", "article_tags", "corrections", "revisions", "changes", "redirects", "top_stories"} {
		var n int
		if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// TestMigrationWaitsForAnotherProcessLock: a migration that finds the
// database locked by another process for longer than the busy timeout (a
// second instance rebuilding a table, starting the same new version)
// waits for it instead of failing the start.
func TestMigrationWaitsForAnotherProcessLock(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "busy.db")
	old, err := OpenWith(ctx, dsn, Options{migrateUpTo: 7})
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	// Another process holds the write lock for five busy timeouts.
	other, err := sql.Open("sqlite", "file:"+dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	go func() {
		defer close(released)
		time.Sleep(time.Second)
		conn.ExecContext(ctx, `COMMIT`)
		conn.Close()
	}()
	s, err := OpenWith(ctx, dsn, Options{busyTimeout: 200 * time.Millisecond})
	<-released
	if err != nil {
		t.Fatalf("opening while another process held the lock: %v", err)
	}
	defer s.Close()
	if got := lastColumns(t, s); !slices.Equal(got, []string{"body", "body_passages"}) {
		t.Errorf("after waiting, the migrations did not run: last columns %v", got)
	}
}
