package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestLateCommitIsExportedNextTime: on PostgreSQL a change can commit after
// one with a higher id. An incremental export made in between must not
// count the copy as having it: the next export renders what it touched.
// The late commit is made by hand, through a connection of the test's own:
// a change row at x+1 first, then a correction whose row is moved to x.
func TestLateCommitIsExportedNextTime(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		raw := storetest.RawDB(t, dsn)
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := raw.ExecContext(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		f := newFixture(t, st)
		dir := t.TempDir()
		f.export(t, dir)

		list, err := st.PublishedArticles(ctx, store.ArticleFilter{Limit: 200})
		if err != nil || len(list) < 2 {
			t.Fatalf("articles: %d, %v", len(list), err)
		}
		a, b := list[len(list)-1], list[0] // the oldest story, and the newest
		x, err := st.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		x++
		// B's writer commits x+1 while A's writer holds x.
		exec(`INSERT INTO changes (id, at, what) VALUES ($1, $2, $3)`, x+1, time.Now().UnixMicro(), news.ArticleKey(b.ID))
		if store.IsPostgres(dsn) {
			exec(`SELECT setval(pg_get_serial_sequence('changes', 'id'), $1)`, x+1)
		}
		if res := f.export(t, dir); res.Full || res.Change != x+1 {
			t.Fatalf("export after x+1: %+v, want an incremental export up to %d", res, x+1)
		}
		// A commits: a correction, its change row at x.
		const note = "An earlier version of this story gave the wrong year."
		if err := st.AddCorrections(ctx, a.ID, []news.Correction{{At: time.Now(), Text: note}}); err != nil {
			t.Fatal(err)
		}
		last, err := st.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		exec(`UPDATE changes SET id = $1 WHERE id = $2`, x, last)

		res := f.export(t, dir)
		if res.Full {
			t.Errorf("export after the late commit: %+v, want an incremental one", res)
		}
		page, err := os.ReadFile(filepath.Join(dir, fileFor(a.URL())))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(page), note) {
			t.Errorf("the copy of %s lacks the correction that committed late", a.URL())
		}
		sameAsFull(t, f, dir)
	})
}
