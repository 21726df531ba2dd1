package ingest_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// sqliteEnv is an importer on a fresh SQLite store: what the tests of file
// reading need, which the database engine does not change.
func sqliteEnv(t *testing.T) env {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return newEnv(t, s)
}

// TestImportChecksLimitsBeforeRendering: a file over any limit is refused
// without rendering its Markdown (the costly part: an adversarial body
// once took 90 s to render before its length was checked). A good file is
// rendered once, so the count is real.
func TestImportChecksLimitsBeforeRendering(t *testing.T) {
	e := sqliteEnv(t)
	renders := 0
	ingest.SetRender(e.im, func(md string) (string, error) {
		renders++
		return markup.Render(md)
	})
	head := "---\ntitle: \"A story\"\ndate: 2026-11-20T08:15:00Z\nsection: news\n---\n"
	tests := []struct {
		name, file, want string
	}{
		// Under the file limit (2 MiB), over the body's (200,000
		// characters), and of the kind that rendered slowest.
		{"long body", head + strings.Repeat("*a_", news.MaxBody/3+1), "a.md:6: body: is longer than 200000 characters"},
		{"long title", strings.Replace(head, "A story", strings.Repeat("x", news.MaxHeadline+1), 1) + "Body.\n", "title: is longer than"},
		{"lastmod before date", strings.Replace(head, "section:", "lastmod: 2020-01-01T00:00:00Z\nsection:", 1) + "Body.\n", "lastmod"},
		{"missing photo", strings.Replace(head, "section:", "image: {src: nowhere.jpg, alt: A photo}\nsection:", 1) + "Body.\n", "nowhere.jpg does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			renders = 0
			r := e.im.Import(ctx, fstest.MapFS{"a.md": {Data: []byte(tt.file)}}, "a.md")
			if r.Err == nil || !strings.Contains(r.Err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", r.Err, tt.want)
			}
			if renders != 0 {
				t.Errorf("rendered %d times before refusing; want 0", renders)
			}
		})
	}
	renders = 0
	if r := e.im.Import(ctx, fstest.MapFS{"a.md": {Data: []byte(head + "Body.\n")}}, "a.md"); r.Err != nil {
		t.Fatal(r.Err)
	}
	if renders != 1 {
		t.Errorf("a good file: rendered %d times, want 1", renders)
	}
}

// TestImportSchedulesFutureStories: a story dated ahead of now is
// scheduled for its date, not published; the scheduler publishes it when
// the date comes, as it does the newsroom's. One dated now or earlier is
// published at once.
func TestImportSchedulesFutureStories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		date := time.Date(2026, 11, 20, 8, 15, 0, 0, time.UTC)
		now := date.Add(-time.Hour)
		e.im.Now = func() time.Time { return now }
		file := "---\ntitle: \"Embargoed results\"\ndate: 2026-11-20T08:15:00Z\nsection: news\n---\nBody.\n"
		fsys := fstest.MapFS{"a.md": {Data: []byte(file)}}
		r := e.im.Import(ctx, fsys, "a.md")
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		if r.Status != news.Scheduled || !r.PublishAt.Equal(date) {
			t.Errorf("result: status %q, publish at %v; want scheduled for %v", r.Status, r.PublishAt, date)
		}
		a, err := s.ArticleByPath(ctx, store.Full, "news", "embargoed-results")
		if err != nil {
			t.Fatal(err)
		}
		ed, err := s.Editorial(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != news.Scheduled || !ed.PublishAt.Equal(date) || !a.PublishedAt.IsZero() {
			t.Errorf("stored: status %q, publish at %v, published at %v; want scheduled for %v, never published", a.Status, ed.PublishAt, a.PublishedAt, date)
		}
		if list, _ := s.PublishedArticles(ctx, store.ArticleFilter{}); len(list) != 0 {
			t.Errorf("readers see %d articles before the date; want none", len(list))
		}

		// Imported again, still before its date: still scheduled, once.
		if r := e.im.Import(ctx, fsys, "a.md"); r.Err != nil || r.Status != news.Scheduled {
			t.Errorf("re-import: %+v", r)
		}
		// The scheduler's rule publishes it at its date, not before.
		if ids, err := s.PublishDue(ctx, date.Add(-time.Second)); err != nil || len(ids) != 0 {
			t.Errorf("due a second early: %v %v", ids, err)
		}
		if ids, err := s.PublishDue(ctx, date); err != nil || len(ids) != 1 || ids[0] != a.ID {
			t.Errorf("due at its date: %v %v, want [%d]", ids, err, a.ID)
		}
		if a, _ = s.ArticleByID(ctx, a.ID); a.Status != news.Published || !a.PublishedAt.Equal(date) {
			t.Errorf("after the scheduler: %q at %v", a.Status, a.PublishedAt)
		}

		// Dated exactly now: due, so published at once.
		now = date.Add(time.Hour)
		fsys["b.md"] = &fstest.MapFile{Data: []byte(strings.Replace(strings.Replace(file, "Embargoed results", "On time", 1), "08:15:00Z", "09:15:00Z", 1))}
		if r := e.im.Import(ctx, fsys, "b.md"); r.Err != nil || r.Status != news.Published || !r.PublishAt.IsZero() {
			t.Errorf("a story dated now: %+v, want published", r)
		}
	})
}

// TestImportKeepsAPublishedStoryUp: importing a story readers already have
// with a date ahead of now is refused, naming the date, and the story stays
// published as it was; before, the import took it off the site until then.
func TestImportKeepsAPublishedStoryUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		e.im.Now = func() time.Time { return now }
		file := "---\ntitle: \"Harbour reopens\"\ndate: 2026-11-20T08:15:00Z\nsection: news\n---\nBody.\n"
		fsys := fstest.MapFS{"a.md": {Data: []byte(file)}}
		if r := e.im.Import(ctx, fsys, "a.md"); r.Err != nil || r.Status != news.Published {
			t.Fatalf("first import: %+v", r)
		}
		fsys["a.md"] = &fstest.MapFile{Data: []byte(strings.Replace(strings.Replace(file, "2026-11-20T08", "2026-11-27T08", 1), "Body.", "Body, changed.", 1))}
		r := e.im.Import(ctx, fsys, "a.md")
		if r.Err == nil || !strings.Contains(r.Err.Error(), "already published") || !strings.Contains(r.Err.Error(), "2026-11-27T08:15:00Z") {
			t.Fatalf("re-import dated a week ahead: %+v; want a refusal naming the date", r)
		}
		a, err := s.ArticleByPath(ctx, store.Full, "news", "harbour-reopens")
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != news.Published || !a.PublishedAt.Equal(now.Add(-45*time.Minute)) || strings.TrimSpace(a.Body) != "Body." {
			t.Errorf("after the refused import: %q published %v body %q; want it as it was", a.Status, a.PublishedAt, a.Body)
		}
		if list, _ := s.PublishedArticles(ctx, store.ArticleFilter{}); len(list) != 1 {
			t.Errorf("readers see %d articles; want 1", len(list))
		}
	})
}
