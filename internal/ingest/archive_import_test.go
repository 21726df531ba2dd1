package ingest_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/ingest/archive"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// items is a reader that hands out the items it holds, then the error
// (a syntax error mid-export, say) and the summary.
func items(sum *archive.Summary, err error, list ...*archive.Item) archive.Reader {
	return func(ctx context.Context, _ archive.Open, emit func(*archive.Item) error) (*archive.Summary, error) {
		for _, it := range list {
			c := *it
			if e := emit(&c); e != nil {
				return nil, e
			}
		}
		if err != nil {
			return nil, err
		}
		return sum, nil
	}
}

func noOpen() (io.ReadCloser, error) { return nil, errors.New("not read") }

var when = time.Date(2021, 5, 3, 9, 30, 0, 0, time.UTC)

func post(id, title, slug string, status news.Status) *archive.Item {
	return &archive.Item{Source: "wordpress", ID: id, Kind: archive.Post, At: "line " + id, Title: title, Slug: slug,
		Status: status, PublishedAt: when, HTML: "<p>The council <strong>met</strong> on Monday.</p>",
		Section:  []archive.Term{{Slug: "news", Name: "News"}, {Slug: "city-hall", Name: "City Hall"}},
		Tags:     []archive.Term{{Slug: "budget-2021", Name: "Budget 2021"}},
		Authors:  []archive.Person{{Slug: "jdoe", Name: "Jane Doe", Bio: "Covers the council."}},
		OldPaths: []string{"/2021/05/03/" + slug + "/", "/?p=" + id}}
}

type run struct {
	lines []ingest.ArchiveLine
	rep   *ingest.ArchiveReport
	err   error
}

func (r run) text() string {
	var b strings.Builder
	for _, l := range r.lines {
		b.WriteString(l.String() + "\n")
	}
	return b.String()
}

func importItems(t *testing.T, im *ingest.Importer, read archive.Reader, opt ingest.ArchiveOptions) run {
	t.Helper()
	var r run
	r.rep, r.err = im.ImportArchive(ctx, read, noOpen, opt, func(l ingest.ArchiveLine) { r.lines = append(r.lines, l) })
	return r
}

func newImporter(t *testing.T, s *store.Store) *ingest.Importer {
	t.Helper()
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	return &ingest.Importer{Store: s, Media: ms}
}

// TestImportArchive follows one export through a first import, an import
// of the same items, and one of changed items: what each item becomes,
// the old addresses kept, the statuses, and the report's lines.
func TestImportArchive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		im := newImporter(t, s)
		pub := post("101", "Council passes the budget", "council-passes-the-budget", news.Published)
		pub.Summary = "After a long night."
		pub.SEOTitle = "Budget passed | Old Site"
		draft := post("102", "Draft on parking", "", news.Draft)
		review := post("103", "Pending piece", "pending-piece", news.Review)
		future := post("104", "Tomorrow's story", "tomorrows-story", news.Scheduled)
		future.PublishedAt = time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
		trash := post("105", "Binned", "binned", news.Draft)
		trash.Skip = "in the trash"
		noID := post("", "No id", "no-id", news.Published)
		hostile := post("107", "Hostile <script>alert(1)</script>", "hostile", news.Published)
		hostile.HTML = `<p onclick="x()">Hi<script>alert(1)</script><img src=x onerror=alert(1)></p><iframe src="https://evil.example/"></iframe>`
		page := &archive.Item{Source: "wordpress", ID: "7", Kind: archive.Page, At: "line 7", Title: "Corrections policy",
			Slug: "corrections", Status: news.Published, PublishedAt: when, HTML: "<p>We correct errors.</p>", OldPaths: []string{"/corrections/", "/?page_id=7"}}
		sum := &archive.Summary{Source: "wordpress", OldPaths: map[string]string{
			"/category/news/city-hall/":      "section:news/city-hall",
			"/category/news/city-hall/feed/": "feed:section:news/city-hall",
			"/tag/budget-2021/":              "tag:budget-2021",
			"/feed/":                         "feed:",
			"/?attachment_id=900":            "item:101",
			"/category/sport/":               "section:sport", // no post there: left alone
		}, Counts: map[string]int{"comments": 12}}
		read := items(sum, nil, pub, draft, review, future, trash, noID, hostile, page)

		r := importItems(t, im, read, ingest.ArchiveOptions{Workers: 3})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.text())
		}
		out := r.text()
		for _, want := range []string{
			`line 101: post 101 "Council passes the budget": /news/city-hall/council-passes-the-budget` + "\n",
			`line 102: post 102 "Draft on parking": /news/city-hall/draft-on-parking (draft)`,
			`line 103: post 103 "Pending piece": /news/city-hall/pending-piece (`,
			`line 104: post 104 "Tomorrow's story": /news/city-hall/tomorrows-story (scheduled for ` + future.PublishedAt.Format(time.RFC3339) + ")",
			`line 105: post 105 "Binned": skipped: in the trash`,
			`not imported: id is missing`,
			`line 7: page 7 "Corrections policy": /corrections` + "\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("report lacks %q:\n%s", want, out)
			}
		}
		// In the export's order, whatever the workers' order.
		if i, j := strings.Index(out, "post 101"), strings.Index(out, "page 7"); i < 0 || j < i {
			t.Errorf("report out of order:\n%s", out)
		}
		if r.rep.Imported != 6 || r.rep.Skipped != 1 || r.rep.Failed != 1 || r.rep.Left["comments"] != 12 {
			t.Errorf("report counts %+v", r.rep)
		}

		a, err := s.ArticleByPath(ctx, store.Full, "news/city-hall", "council-passes-the-budget")
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != news.Published || !a.PublishedAt.Equal(when) || a.Summary != "After a long night." ||
			!strings.Contains(a.BodyHTML, "<strong>met</strong>") || len(a.Bylines) != 1 || a.Bylines[0].Name != "Jane Doe" ||
			len(a.Tags) != 1 || a.Tags[0].Slug != "budget-2021" || a.Tags[0].Name != "Budget 2021" {
			t.Errorf("article: %+v", a)
		}
		if sec, _ := s.SectionByPath(ctx, "news/city-hall"); sec.Name != "City Hall" {
			t.Errorf("section named %q, want the category's name", sec.Name)
		}
		if seo, _, _ := s.SEO(ctx, a.ID); seo != "Budget passed | Old Site" {
			t.Errorf("SEO title %q", seo)
		}
		h, err := s.ArticleByPath(ctx, store.Full, "news/city-hall", "hostile")
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<script", "onerror", "onclick", "<iframe", "evil.example"} {
			if strings.Contains(h.BodyHTML, bad) {
				t.Errorf("hostile body keeps %q: %s", bad, h.BodyHTML)
			}
		}
		for _, c := range []struct{ from, to string }{
			{"/2021/05/03/council-passes-the-budget/", "/news/city-hall/council-passes-the-budget"},
			{"/?p=101", "/news/city-hall/council-passes-the-budget"},
			{"/category/news/city-hall/", "/news/city-hall/"},
			{"/category/news/city-hall/feed/", "/news/city-hall/rss.xml"},
			{"/tag/budget-2021/", "/tag/budget-2021"},
			{"/feed/", "/rss.xml"},
			{"/?attachment_id=900", "/news/city-hall/council-passes-the-budget"},
			{"/?page_id=7", "/corrections"},
		} {
			if got, err := s.Redirect(ctx, c.from); err != nil || got != c.to {
				t.Errorf("%s leads to %q (%v), want %q", c.from, got, err, c.to)
			}
		}
		if _, err := s.Redirect(ctx, "/category/sport/"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("an archive with no section leads somewhere: %v", err)
		}
		// A draft's old address leads nowhere until it is published.
		if _, err := s.Redirect(ctx, "/?p=102"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a draft's old address: %v", err)
		}
		pg, err := s.PageBySlug(ctx, "corrections")
		if err != nil || pg.Role != news.RoleCorrections || pg.Footer == 0 || pg.Status != news.Published {
			t.Errorf("page %+v, %v", pg, err)
		}

		// Again, nothing changed: nothing written, nothing duplicated
		// (the hostile post, whose image was missing, is looked at again
		// and, still missing it, passed over too).
		before, _ := s.CountArticles(ctx)
		revs, _ := s.Revisions(ctx, a.ID)
		r = importItems(t, im, read, ingest.ArchiveOptions{})
		if r.err != nil || r.rep.Unchanged != 6 || r.rep.Imported != 0 || r.rep.Updated != 0 {
			t.Errorf("second import: %v %+v\n%s", r.err, r.rep, r.text())
		}
		after, _ := s.CountArticles(ctx)
		if before[news.Published] != after[news.Published] || before[news.Draft] != after[news.Draft] {
			t.Errorf("counts moved: %v then %v", before, after)
		}
		if again, _ := s.Revisions(ctx, a.ID); len(again) != len(revs) {
			t.Errorf("unchanged import added revisions: %d then %d", len(revs), len(again))
		}

		// Changed on the old site: updated in place, with a revision.
		// (One that went back to draft there is left as it is here:
		// TestReimportKeepsUnpublishedTextOffTheSite.)
		pub2 := *pub
		pub2.Title = "Council passes the budget after all-night session"
		r = importItems(t, im, items(sum, nil, &pub2), ingest.ArchiveOptions{})
		if r.err != nil || r.rep.Updated != 1 {
			t.Fatalf("third import: %v %+v\n%s", r.err, r.rep, r.text())
		}
		a2, err := s.ArticleByID(ctx, a.ID)
		if err != nil || a2.Headline != pub2.Title || a2.Status != news.Published {
			t.Errorf("updated article: %+v %v", a2, err)
		}
		if again, _ := s.Revisions(ctx, a.ID); len(again) != len(revs)+1 || again[0].Note != "imported again from WordPress" {
			t.Errorf("revisions after a changed import: %d then %d (%+v)", len(revs), len(again), again)
		}
	})
}

// TestImportArchiveBrokenExport checks that an export that breaks off
// keeps the items before the break, and says where it broke.
func TestImportArchiveBrokenExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		im := newImporter(t, s)
		broken := &archive.SyntaxError{At: "line 88", Err: errors.New("unexpected EOF")}
		r := importItems(t, im, items(nil, broken, post("1", "First", "first", news.Published)), ingest.ArchiveOptions{})
		var se *archive.SyntaxError
		if !errors.As(r.err, &se) || se.At != "line 88" {
			t.Fatalf("error %v", r.err)
		}
		if _, err := s.ArticleByPath(ctx, store.Full, "news/city-hall", "first"); err != nil {
			t.Errorf("the item before the break: %v", err)
		}
	})
}

// TestImportArchiveDryRun checks that a dry run says what an import would
// and writes nothing: no article, no photo file.
func TestImportArchiveDryRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		im := newImporter(t, s)
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "2021", "05"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "2021", "05", "lead.jpg"), jpegBytes(t, 400, 300), 0o644); err != nil {
			t.Fatal(err)
		}
		it := post("9", "With a photo", "with-a-photo", news.Published)
		it.Lead = &archive.Image{URL: "https://old.example/wp-content/uploads/2021/05/lead.jpg", Alt: "A crowd"}
		it.HTML = `<p>Text</p><figure><img src="https://old.example/wp-content/uploads/2021/05/lead.jpg" alt="Again"><figcaption>The same</figcaption></figure>`
		opt := ingest.ArchiveOptions{DryRun: true, Media: &archive.MediaSource{Dir: dir}}
		r := importItems(t, im, items(&archive.Summary{Source: "wordpress"}, nil, it), opt)
		if r.err != nil || r.rep.Imported != 1 || !strings.Contains(r.text(), "/news/city-hall/with-a-photo") {
			t.Fatalf("%v %+v\n%s", r.err, r.rep, r.text())
		}
		if n, _ := s.CountArticles(ctx); n[news.Published] != 0 {
			t.Errorf("a dry run wrote articles: %v", n)
		}
		if _, err := s.ImportedItem(ctx, "wordpress", "9"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a dry run recorded the import: %v", err)
		}
		// The real import then brings the photo in, as the lead and in
		// the body.
		opt.DryRun = false
		r = importItems(t, im, items(&archive.Summary{Source: "wordpress"}, nil, it), opt)
		if r.err != nil || r.rep.Imported != 1 {
			t.Fatalf("%v %+v\n%s", r.err, r.rep, r.text())
		}
		a, err := s.ArticleByPath(ctx, store.Full, "news/city-hall", "with-a-photo")
		if err != nil {
			t.Fatal(err)
		}
		if a.Photo == nil || a.Photo.Alt != "A crowd" || a.Photo.Media.ID == 0 {
			t.Errorf("lead photo %+v", a.Photo)
		}
		if !strings.Contains(a.Body, "](/media/"+a.Photo.Media.Hash[:2]+"/"+a.Photo.Media.Hash) || !strings.Contains(a.BodyHTML, "<figcaption>") {
			t.Errorf("body photo not brought in:\n%s\n%s", a.Body, a.BodyHTML)
		}
	})
}

// TestImportArchiveSlugTaken checks that two old posts with one slug in
// one section both come in, the second at an address of its own, said.
func TestImportArchiveSlugTaken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		im := newImporter(t, s)
		r := importItems(t, im, items(&archive.Summary{Source: "wordpress"}, nil,
			post("1", "Same", "same", news.Published), post("2", "Same again", "same", news.Published)), ingest.ArchiveOptions{})
		if r.err != nil || r.rep.Imported != 2 || !strings.Contains(r.text(), "/news/city-hall/same-2") ||
			!strings.Contains(r.text(), "is another article's address") {
			t.Fatalf("%v %+v\n%s", r.err, r.rep, r.text())
		}
		if got, _ := s.Redirect(ctx, "/?p=2"); got != "/news/city-hall/same-2" {
			t.Errorf("/?p=2 leads to %q", got)
		}
	})
}

// TestImportArchiveImagesLater checks that an item whose images were not
// found is done again by the next import, which then brings them in,
// though the item itself has not changed: an operator imports, sees the
// notes, copies the uploads folder over and imports again.
func TestImportArchiveImagesLater(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		im := newImporter(t, s)
		it := post("9", "Photo later", "photo-later", news.Published)
		it.Lead = &archive.Image{URL: "https://old.example/wp-content/uploads/2021/05/lead.jpg", Alt: "A crowd"}
		dir := t.TempDir()
		opt := ingest.ArchiveOptions{Media: &archive.MediaSource{Dir: dir}}
		r := importItems(t, im, items(&archive.Summary{Source: "wordpress"}, nil, it), opt)
		if r.err != nil || r.rep.Imported != 1 || !strings.Contains(r.text(), "featured image") {
			t.Fatalf("%v %+v\n%s", r.err, r.rep, r.text())
		}
		// The note says why, so the operator knows what to do.
		if !strings.Contains(r.text(), "not in --uploads (looked for") || strings.Contains(r.text(), "Internal error") {
			t.Errorf("the featured image's note does not say why it is missing:\n%s", r.text())
		}
		a, err := s.ArticleByPath(ctx, store.Full, "news/city-hall", "photo-later")
		if err != nil {
			t.Fatal(err)
		}
		revs, _ := s.Revisions(ctx, a.ID)
		// Still missing: nothing written, no revision added.
		r = importItems(t, im, items(&archive.Summary{Source: "wordpress"}, nil, it), opt)
		if again, _ := s.Revisions(ctx, a.ID); r.err != nil || r.rep.Unchanged != 1 || len(again) != len(revs) {
			t.Fatalf("import with the image still missing: %v %+v, %d revisions then %d\n%s", r.err, r.rep, len(revs), len(again), r.text())
		}
		if err := os.MkdirAll(filepath.Join(dir, "2021", "05"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "2021", "05", "lead.jpg"), jpegBytes(t, 400, 300), 0o644); err != nil {
			t.Fatal(err)
		}
		r = importItems(t, im, items(&archive.Summary{Source: "wordpress"}, nil, it), opt)
		if r.err != nil || r.rep.Updated != 1 {
			t.Fatalf("second import: %v %+v\n%s", r.err, r.rep, r.text())
		}
		a, err = s.ArticleByPath(ctx, store.Full, "news/city-hall", "photo-later")
		if err != nil || a.Photo == nil {
			t.Fatalf("no lead photo after the second import: %+v %v", a, err)
		}
		// Now whole: a third import passes it over.
		r = importItems(t, im, items(&archive.Summary{Source: "wordpress"}, nil, it), opt)
		if r.err != nil || r.rep.Unchanged != 1 {
			t.Errorf("third import: %v %+v\n%s", r.err, r.rep, r.text())
		}
	})
}

// TestImportArchiveKeepsOldAddresses checks that an export cannot take
// over an address that leads somewhere already: one the newsroom's moves
// left, or another item's.
func TestImportArchiveKeepsOldAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		im := newImporter(t, s)
		first := post("1", "First", "first", news.Published)
		r := importItems(t, im, items(&archive.Summary{Source: "wordpress"}, nil, first), ingest.ArchiveOptions{})
		if r.err != nil || r.rep.Imported != 1 {
			t.Fatalf("%v\n%s", r.err, r.text())
		}
		sec, err := s.SectionByPath(ctx, "news/city-hall")
		if err != nil {
			t.Fatal(err)
		}
		// The newsroom's: /news/old-front leads to the section.
		if err := s.AddOldAddress(ctx, "/news/old-front", store.OldAddress{SectionID: sec.ID}); err != nil {
			t.Fatal(err)
		}
		other := post("2", "Other", "other", news.Published)
		other.Source = "ghost"
		other.OldPaths = []string{"/news/old-front", "/?p=1", "/?p=2"}
		r = importItems(t, im, items(&archive.Summary{Source: "ghost"}, nil, other), ingest.ArchiveOptions{})
		if r.err != nil || r.rep.Imported != 1 || strings.Count(r.text(), "leads elsewhere already") != 2 {
			t.Fatalf("%v\n%s", r.err, r.text())
		}
		for from, want := range map[string]string{"/news/old-front": "/news/city-hall/", "/?p=1": "/news/city-hall/first", "/?p=2": "/news/city-hall/other"} {
			if got, err := s.Redirect(ctx, from); err != nil || got != want {
				t.Errorf("%s leads to %q (%v), want %q", from, got, err, want)
			}
		}
	})
}
