package site_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestKeptReadsFollowChanges: the section tree, "More from" lists and
// home page lists kept across changes (memo.go) are read again after
// every change that names what they show: a story published, a section
// renamed, an author of a listed story renamed, a listed story taken
// down, the top stories picked; and a change that names none of it
// leaves the page as it was.
func TestKeptReadsFollowChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{})
		const treaty, ferry = "/news/europe/negotiators-agree-on-river-treaty", "/news/europe/ferry-strike-ends"
		page := func(path string) string {
			t.Helper()
			return string(ds.get(t, path))
		}
		// Read (and keep) both pages' tree and lists.
		before := page(treaty)
		page(ferry)
		home := page("/")
		same := func(*testing.T) {} // the step before made the change

		steps := []struct {
			name   string
			change func(t *testing.T)
			path   string
			want   []string
			gone   []string
		}{
			{"a change to another section", func(t *testing.T) {
				ds.publish(t, "cup2.md", "---\ntitle: \"Harbour club signs a keeper\"\ndate: 2026-11-28T10:00:00Z\nsection: sport\n---\nText.\n")
			}, treaty, []string{before[strings.Index(before, `<section class="related"`):]}, nil},
			{"a change to another section, on the home page", same, "/", []string{`Harbour club signs a keeper</a>`}, nil},
			{"a story published in the section", func(t *testing.T) {
				ds.publish(t, "dam.md", "---\ntitle: \"Dam opens on the Vessa\"\ndate: 2026-11-28T11:30:00Z\nsection: news/europe\n---\nText.\n")
			}, treaty, []string{`Dam opens on the Vessa</a></h3>`}, nil},
			{"a story published, on the home page", same, "/", []string{`Dam opens on the Vessa</a>`}, nil},
			{"the section renamed", func(t *testing.T) {
				sec, err := s.SectionByPath(ctx, "news/europe")
				if err != nil {
					t.Fatal(err)
				}
				sec.Name = "Continental Europe"
				if err := s.UpdateSection(ctx, sec); err != nil {
					t.Fatal(err)
				}
				ds.site.Changed()
			}, treaty, []string{`<li><a href="/news/europe/">Continental Europe</a></li>`, `<a href="/news/europe/">Continental Europe</a></p>`},
				[]string{`>Europe</a>`}},
			{"a top section renamed", func(t *testing.T) {
				sec, err := s.SectionByPath(ctx, "sport")
				if err != nil {
					t.Fatal(err)
				}
				sec.Name = "Sports"
				if err := s.UpdateSection(ctx, sec); err != nil {
					t.Fatal(err)
				}
				ds.site.Changed()
			}, treaty, []string{`<li><a href="/sport/">Sports</a></li>`}, []string{`>Sport</a>`}},
			{"an author of a listed story renamed", func(t *testing.T) {
				a, err := s.AuthorBySlug(ctx, "ilse-fontaine")
				if err != nil {
					t.Fatal(err)
				}
				a.Name = "Ilse Fontaine-Roth"
				if err := s.UpdateAuthor(ctx, a); err != nil {
					t.Fatal(err)
				}
				ds.site.Changed()
			}, ferry, []string{`<a href="/author/ilse-fontaine">Ilse Fontaine-Roth</a>`}, []string{`>Ilse Fontaine<`}},
			{"an author renamed, on the home page", same, "/", []string{`<a href="/author/ilse-fontaine">Ilse Fontaine-Roth</a>`}, []string{`>Ilse Fontaine<`}},
			{"a listed story taken down", func(t *testing.T) {
				a, err := s.ArticleByPath(ctx, store.Full, "news/europe", "dam-opens-on-the-vessa")
				if err != nil {
					t.Fatal(err)
				}
				a.Status = news.Draft
				if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a) }); err != nil {
					t.Fatal(err)
				}
				ds.site.Changed()
			}, treaty, nil, []string{`Dam opens on the Vessa`}},
			{"a story taken down, on the home page", same, "/", nil, []string{`Dam opens on the Vessa`}},
			{"the top stories picked", func(t *testing.T) {
				a, err := s.ArticleByPath(ctx, store.Full, "culture", "film-festival-opens-by-the-sea")
				if err != nil {
					t.Fatal(err)
				}
				if err := s.SetTopStories(ctx, []int64{a.ID}); err != nil {
					t.Fatal(err)
				}
				ds.site.Changed()
			}, "/", []string{`<article class="lead-story">` + "\n" + `  <div class="card-text">` + "\n" + `    <p class="kicker"><a href="/culture/">Culture</a></p>`}, nil},
		}
		if !strings.Contains(home, "Negotiators agree on river treaty") {
			t.Fatalf("the home page does not show the treaty story: the steps test nothing")
		}
		for _, st := range steps {
			st.change(t)
			got := page(st.path)
			for _, w := range st.want {
				if !strings.Contains(got, w) {
					t.Errorf("after %s, %s lacks %q", st.name, st.path, w)
				}
			}
			for _, g := range st.gone {
				if strings.Contains(got, g) {
					t.Errorf("after %s, %s still shows %q", st.name, st.path, g)
				}
			}
		}
	})
}

// TestKeptReadsSaveQueries: after a change that names nothing an article
// page shows, the page is rendered without reading the section tree or its
// "More from" list again: only the change log is read for them.
func TestKeptReadsSaveQueries(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, ms, im := countingNewsroom(t, dsn)
		fsys := fstest.MapFS{}
		for i := range 6 {
			fsys[fmt.Sprintf("s%d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
				"---\ntitle: \"Story %d\"\ndate: %s\nsection: news/world\nauthors: [\"Desk\"]\n---\nText.\n",
				i, time.Date(2026, 11, 1, i, 0, 0, 0, time.UTC).Format(time.RFC3339)))}
		}
		if _, err := im.ImportTree(ctx, fsys, "."); err != nil {
			t.Fatal(err)
		}
		cfg, _ := site.NewConfig("https://news.example.org", nil, "Test")
		si, err := site.New(cfg, st, ms, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := si.Handler()
		get := func() (string, int64) {
			t.Helper()
			before := st.Queries()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", "/news/world/story-2", nil))
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			return w.Body.String(), st.Queries() - before
		}
		first, cold := get()
		si.Changed()
		again, kept := get()
		if again != first {
			t.Errorf("the page changed with nothing changed")
		}
		// The first render reads the tree and the list (each after the
		// newest change id, and the list with its bylines); the second
		// reads the change log once instead.
		if want := cold - 4; kept != want {
			t.Errorf("after a change naming nothing on the page: %d queries, want %d (first render: %d)", kept, want, cold)
		}
		t.Logf("article page: %d queries cold, %d after a change it does not show", cold, kept)
	})
}

// TestKeptReadsSeeLateCommits: on PostgreSQL a change can commit after a
// change with a higher id. A "More from" list kept by a page rendered in
// between must still be read again when that change names it. The late
// commit is made by hand: a change row taken out of the log while the page
// renders, and put back after, as its writer's commit would.
func TestKeptReadsSeeLateCommits(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		// The log's rows are moved through a connection of the test's own.
		raw := storetest.RawDB(t, dsn)
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := raw.ExecContext(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		ds := newDistSite(t, s, distOptions{})
		const treaty = "/news/europe/negotiators-agree-on-river-treaty"
		ds.get(t, treaty)
		sec, err := s.SectionByPath(ctx, "news/europe")
		if err != nil {
			t.Fatal(err)
		}
		// Writer A takes change id x and has not committed; writer B
		// commits x+1, which names the section, so the next page reads
		// and keeps "More from" again, at x+1.
		x, err := s.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		x++
		exec(`INSERT INTO changes (id, at, what) VALUES ($1, $2, $3)`, x+1, time.Now().UnixMicro(), news.SectionKey(sec.ID))
		if store.IsPostgres(dsn) {
			// Ids given by hand do not move the sequence.
			exec(`SELECT setval(pg_get_serial_sequence('changes', 'id'), $1)`, x+1)
		}
		ds.site.Changed()
		ds.get(t, treaty)
		// A commits: a story in the section, its change row at x.
		if _, err := ds.im.ImportFile(ctx, fstest.MapFS{"late.md": {Data: []byte("---\ntitle: \"Locks reopen on the Vessa\"\ndate: 2026-11-28T12:30:00Z\nsection: news/europe\n---\nText.\n")}}, "late.md"); err != nil {
			t.Fatal(err)
		}
		last, err := s.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		exec(`UPDATE changes SET id = $1 WHERE id = $2`, x, last)
		ds.site.Changed()
		if body := string(ds.get(t, treaty)); !strings.Contains(body, `Locks reopen on the Vessa</a></h3>`) {
			t.Errorf("after a late commit, the page's More from lacks the story it published:\n%s", body[strings.Index(body, `<section class="related"`):])
		}
	})
}
