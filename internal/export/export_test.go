package export

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

var ctx = context.Background()

// story is an article the tests change, beside the sample newsroom.
const story = `---
title: "Ferry service to the outer islands resumes"
slug: ferry-service-resumes
date: 2026-11-28T07:00:00Z
section: news/europe
summary: "SUMMARY"
authors: ["Ilse Fontaine"]
tags: ["Transport", "Islands"]
image:
  src: ferry.jpg
  alt: "A ferry leaving a quay"
  caption: "The first crossing since the storm."
  credit: "Meridian 24"
---
The first ferry left at dawn.
`

type fixture struct {
	st       *store.Store
	ms       *media.Store
	mediaDir string
	im       *ingest.Importer
	cfg      site.Config
	live     http.Handler
}

// newFixture loads the sample newsroom and the story, with small pages and
// sitemaps so that lists and sitemaps have several pieces.
func newFixture(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	mediaDir := t.TempDir()
	ms, err := media.OpenStore(mediaDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	f := &fixture{st: st, ms: ms, mediaDir: mediaDir, im: &ingest.Importer{Store: st, Media: ms}}
	results, err := f.im.ImportTree(ctx, demo.Content, "content")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("sample newsroom: %v", r.Err)
		}
	}
	f.importStory(t, "Ferries run again.")
	f.cfg, err = site.NewConfig("https://news.example.org", []string{"https://mirror-one.example.net"}, "Meridian 24")
	if err != nil {
		t.Fatal(err)
	}
	f.cfg.PageSize = 4
	f.cfg.SitemapSize = 16
	s, err := site.New(f.cfg, st, ms, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.live = s.Handler()
	return f
}

// importStory imports (or updates) the story with this summary.
func (f *fixture) importStory(t *testing.T, summary string) {
	t.Helper()
	var jpg bytes.Buffer
	jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 640, 360)), nil)
	fsys := fstest.MapFS{
		"ferry.md":  {Data: []byte(strings.Replace(story, "SUMMARY", summary, 1))},
		"ferry.jpg": {Data: jpg.Bytes()},
	}
	if _, err := f.im.ImportFile(ctx, fsys, "ferry.md"); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) exporter(dir string) *Exporter {
	return &Exporter{Dir: dir, Store: f.st, Media: f.ms, Site: f.cfg, Generator: "newsdesk test"}
}

func (f *fixture) export(t *testing.T, dir string) *Result {
	t.Helper()
	res, err := f.exporter(dir).Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Broken) > 0 {
		t.Errorf("links to missing pages: %v", res.Broken)
	}
	return res
}

// livePage fetches a page from the live site as a reader of the primary
// would.
func (f *fixture) livePage(t *testing.T, path string) string {
	t.Helper()
	req := httptest.NewRequest("GET", "https://news.example.org"+path, nil)
	rec := httptest.NewRecorder()
	f.live.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("live %s: status %d", path, rec.Code)
	}
	return rec.Body.String()
}

var (
	linkRE = regexp.MustCompile(`(?:href|src)="(/[^"]*)"`)
	locRE  = regexp.MustCompile(`<loc>https://news\.example\.org([^<]*)</loc>`)
	mainRE = regexp.MustCompile(`(?s)<main[^>]*>.*</main>`)
)

// get fetches a path from the copy's server, following redirects as a
// browser does.
func get(t *testing.T, base, path string) (int, string) {
	t.Helper()
	res, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func TestExportServesAsTheLiveSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		if got := cropFiles(t, f.mediaDir); len(got) != 0 {
			t.Errorf("the import made crop copies %v, want none before a page asks", got)
		}
		dir := t.TempDir()
		res := f.export(t, dir)
		if !res.Full || res.Written != res.Files || res.Removed != 0 {
			t.Errorf("first export: %+v, want full, every file written", res)
		}
		checkCropCopies(t, dir)
		// A plain static file server, as any host would run.
		srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
		defer srv.Close()

		// Crawl every link of every page, starting from the home page
		// and every address the sitemaps list.
		queue := []string{"/"}
		status, index := get(t, srv.URL, "/sitemap.xml")
		if status != 200 {
			t.Fatalf("/sitemap.xml: %d", status)
		}
		inSitemap := 0
		for _, m := range locRE.FindAllStringSubmatch(index, -1) {
			_, piece := get(t, srv.URL, m[1])
			for _, l := range locRE.FindAllStringSubmatch(piece, -1) {
				queue = append(queue, l[1])
				inSitemap++
			}
		}
		if inSitemap < 50 {
			t.Fatalf("the sitemaps list %d pages, want every page of the sample newsroom", inSitemap)
		}
		seen := map[string]bool{}
		pages, paged := 0, 0
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			if seen[p] {
				continue
			}
			seen[p] = true
			status, body := get(t, srv.URL, p)
			if status != 200 {
				t.Errorf("%s: status %d in the copy", p, status)
				continue
			}
			if !strings.Contains(body, "<html") {
				continue
			}
			pages++
			if strings.Contains(p, "/after/") {
				paged++
			}
			for _, m := range linkRE.FindAllStringSubmatch(body, -1) {
				l := strings.ReplaceAll(m[1], "&amp;", "&")
				if strings.HasPrefix(l, "//") || strings.HasPrefix(l, "/search") {
					continue
				}
				if strings.Contains(l, "?") {
					t.Errorf("%s links to %s: a static copy cannot answer a query string", p, l)
					continue
				}
				queue = append(queue, l)
			}
		}
		if pages < 60 || paged < 5 {
			t.Errorf("crawled %d pages (%d later pages of lists), want the whole site", pages, paged)
		}
		// Some pages, compared with the live site.
		for _, p := range []string{"/", "/news/", "/news/europe/ferry-service-resumes", "/tag/transport", "/author/ilse-fontaine", "/sitemaps/pages.xml", "/news/europe/rss.xml"} {
			live := f.livePage(t, p)
			status, copied := get(t, srv.URL, p)
			if status != 200 {
				t.Errorf("%s: status %d", p, status)
				continue
			}
			if strings.HasSuffix(p, ".xml") {
				if copied != live {
					t.Errorf("%s: the copy differs from the live site", p)
				}
				continue
			}
			if lm, cm := mainRE.FindString(live), mainRE.FindString(copied); lm == "" || lm != cm {
				t.Errorf("%s: <main> differs from the live site's:\nlive: %.300s\ncopy: %.300s", p, lm, cm)
			}
		}
		// A later page, reached the way a reader does.
		_, front := get(t, srv.URL, "/news/")
		next := regexp.MustCompile(`href="(/news/after/[0-9]+-[0-9]+/)" rel="next"`).FindStringSubmatch(front)
		if next == nil {
			t.Fatal("/news/ has no link to older stories")
		}
		if lm, cm := mainRE.FindString(f.livePage(t, next[1])), mainRE.FindString(get2(t, srv.URL, next[1])); lm != cm {
			t.Errorf("%s: <main> differs from the live site's", next[1])
		}
		// Search cannot work in a copy: the page says so and points to the
		// live site.
		status, search := get(t, srv.URL, "/search?q=ferry")
		if status != 200 || !strings.Contains(search, "cannot search") || !strings.Contains(search, `action="https://news.example.org/search"`) ||
			!strings.Contains(search, "https://mirror-one.example.net/search") {
			t.Errorf("/search in the copy: %d\n%s", status, mainRE.FindString(search))
		}
		if _, err := os.Stat(filepath.Join(dir, "404.html")); err != nil {
			t.Errorf("no 404.html: %v", err)
		}
		for _, f := range []string{"robots.txt", "rss.xml", "atom.xml", "feed.json", "news-sitemap.xml", "tag/transport/feed.json", "news/europe/atom.xml"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("missing %s: %v", f, err)
			}
		}
	})
}

func get2(t *testing.T, base, path string) string {
	t.Helper()
	_, body := get(t, base, path)
	return body
}

// sameAsFull checks that an incrementally updated copy holds exactly what
// a full export of the same content holds.
func sameAsFull(t *testing.T, f *fixture, dir string) {
	t.Helper()
	fresh := t.TempDir()
	f.export(t, fresh)
	got, _, _ := readManifest(dir)
	want, _, _ := readManifest(fresh)
	for p, w := range want.Files {
		if p == "mirrors.json" {
			continue // it carries the time it was served
		}
		if g, ok := got.Files[p]; !ok {
			t.Errorf("%s: missing from the incremental copy", p)
		} else if g != w {
			t.Errorf("%s: differs from a full export's", p)
		}
	}
	for p := range got.Files {
		if _, ok := want.Files[p]; !ok {
			t.Errorf("%s: in the incremental copy, not in a full export", p)
		}
	}
	if len(got.Articles) != len(want.Articles) {
		t.Errorf("article index: %d entries, want %d", len(got.Articles), len(want.Articles))
	}
}

func TestIncrementalExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		dir := t.TempDir()
		f.export(t, dir)
		storyFile := filepath.Join(dir, "news/europe/ferry-service-resumes/index.html")
		other := filepath.Join(dir, "sport", "index.html")
		before, _ := os.Stat(other)

		res := f.export(t, dir)
		if res.Full || res.Written != 0 || res.Removed != 0 {
			t.Errorf("second export with no change: %+v, want nothing written", res)
		}

		// One article changes: only the pages that show it.
		f.importStory(t, "Ferries run again, on a winter timetable.")
		res = f.export(t, dir)
		if res.Full || res.Written == 0 || res.Written > 40 || res.Removed != 0 {
			t.Errorf("after one change: %+v, want a few pages written", res)
		}
		if b, _ := os.ReadFile(storyFile); !strings.Contains(string(b), "winter timetable") {
			t.Error("the article's page was not rewritten")
		}
		if after, _ := os.Stat(other); !after.ModTime().Equal(before.ModTime()) {
			t.Error("an unrelated page was rewritten")
		}
		sameAsFull(t, f, dir)

		// Unpublished: its page goes, and every list forgets it.
		a, err := st.ArticleByPath(ctx, store.Full, "news/europe", "ferry-service-resumes")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.MoveArticle(ctx, a.ID, store.Move{From: news.Published, To: news.Draft, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		res = f.export(t, dir)
		if res.Full || res.Removed == 0 {
			t.Errorf("after unpublishing: %+v, want files removed", res)
		}
		if _, err := os.Stat(storyFile); !os.IsNotExist(err) {
			t.Errorf("the unpublished article's page is still there: %v", err)
		}
		sameAsFull(t, f, dir)

		// Published again, as the newest story: every list it is in shifts.
		if err := st.MoveArticle(ctx, a.ID, store.Move{From: news.Draft, To: news.Published, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		f.export(t, dir)
		if _, err := os.Stat(storyFile); err != nil {
			t.Errorf("the article's page is not back: %v", err)
		}
		sameAsFull(t, f, dir)
	})
}

func TestExportRefusesForeignFolder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
		if _, err := f.exporter(dir).Export(ctx); err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Errorf("export into a folder with someone's files: %v, want a refusal", err)
		}
	})
}

func TestSignAndVerify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		keys := t.TempDir()
		pub, err := GenerateKey(filepath.Join(keys, "k"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := GenerateKey(filepath.Join(keys, "k"), nil); err == nil {
			t.Error("GenerateKey overwrote a key")
		}
		if fi, _ := os.Stat(filepath.Join(keys, "k")); fi.Mode().Perm() != 0o600 {
			t.Errorf("private key mode %v, want 0600", fi.Mode().Perm())
		}
		priv, err := ReadPrivateKey(filepath.Join(keys, "k"))
		if err != nil {
			t.Fatal(err)
		}
		if read, err := ReadPublicKey(filepath.Join(keys, "k.pub")); err != nil || !read.Equal(pub) {
			t.Fatalf("public key read back: %v", err)
		}
		dir := t.TempDir()
		ex := f.exporter(dir)
		ex.Key = priv
		if _, err := ex.Export(ctx); err != nil {
			t.Fatal(err)
		}
		rep, err := Verify(dir, pub)
		if err != nil || !rep.OK() || rep.Files < 100 {
			t.Fatalf("a fresh copy: %+v, %v", rep, err)
		}

		// One changed byte, one missing file, one extra file.
		changed := filepath.Join(dir, "news", "index.html")
		b, _ := os.ReadFile(changed)
		b[len(b)/2] ^= 1
		os.WriteFile(changed, b, 0o644)
		os.Remove(filepath.Join(dir, "robots.txt"))
		os.WriteFile(filepath.Join(dir, "news", "planted.html"), []byte("<p>not ours</p>"), 0o644)
		rep, err = Verify(dir, pub)
		if err == nil {
			t.Error("Verify accepted a tampered copy")
		}
		if rep == nil {
			t.Fatal("no report")
		}
		for _, c := range []struct {
			what      string
			got, want []string
		}{
			{"changed", rep.Changed, []string{"news/index.html"}},
			{"missing", rep.Missing, []string{"robots.txt"}},
			{"extra", rep.Extra, []string{"news/planted.html"}},
		} {
			if !slices.Equal(c.got, c.want) {
				t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
			}
		}

		// The manifest itself altered, or another key: the signature fails.
		other, err := GenerateKey(filepath.Join(keys, "other"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(dir, other); err != ErrBadSignature {
			t.Errorf("wrong key: %v, want ErrBadSignature", err)
		}
		m, _ := os.ReadFile(filepath.Join(dir, ManifestName))
		altered := bytes.Replace(m, []byte(`"format": `), []byte(`"format":  `), 1)
		if bytes.Equal(altered, m) {
			t.Fatal("the test's change to the manifest changed nothing")
		}
		os.WriteFile(filepath.Join(dir, ManifestName), altered, 0o644)
		if _, err := Verify(dir, pub); err != ErrBadSignature {
			t.Errorf("altered manifest: %v, want ErrBadSignature", err)
		}
	})
}

// TestMovedArticleLeavesAPageBehind: a static host has no redirects, so
// the copy holds a page at a moved article's old address that sends the
// reader on; it goes when the article is unpublished, and an incremental
// copy holds what a full export holds at every step.
func TestMovedArticleLeavesAPageBehind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		// The site's language is a setting, not only the configuration's
		// default: the page left behind speaks it too.
		if err := st.SetSetting(ctx, news.SettingLanguage, "pt-BR"); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		f.export(t, dir)
		a, err := st.ArticleByPath(ctx, store.Full, "news/europe", "ferry-service-resumes")
		if err != nil {
			t.Fatal(err)
		}
		u := &news.User{Email: "editor@example.org", Name: "Editor", Role: news.Editor, PasswordHash: "h"}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		e, err := st.Editorial(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.Article.Slug = "ferries-sail-again"
		if err := st.InTx(ctx, func(tx *store.Store) error {
			_, err := tx.SaveEditorial(ctx, e, store.Save{UserID: u.ID, Base: e.Revision})
			return err
		}); err != nil {
			t.Fatal(err)
		}

		res := f.export(t, dir)
		if res.Full {
			t.Errorf("after a slug change: %+v, want an incremental export", res)
		}
		oldFile := filepath.Join(dir, "news/europe/ferry-service-resumes/index.html")
		b, err := os.ReadFile(oldFile)
		if err != nil {
			t.Fatalf("no page at the old address: %v", err)
		}
		for _, want := range []string{
			`<meta http-equiv="refresh" content="0; url=/news/europe/ferries-sail-again">`,
			`<link rel="canonical" href="https://news.example.org/news/europe/ferries-sail-again">`,
			`<a href="/news/europe/ferries-sail-again">`,
			`<meta name="robots" content="noindex">`,
			`<html lang="pt-BR">`,
		} {
			if !strings.Contains(string(b), want) {
				t.Errorf("the old address's page lacks %s:\n%s", want, b)
			}
		}
		testkit.ValidateHTML(t, "the page at a moved article's old address", b)
		if _, err := os.Stat(filepath.Join(dir, "news/europe/ferries-sail-again/index.html")); err != nil {
			t.Errorf("no page at the new address: %v", err)
		}
		sameAsFull(t, f, dir)

		// Unpublished: the page at the old address goes too.
		if err := st.MoveArticle(ctx, a.ID, store.Move{From: news.Published, To: news.Draft, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		f.export(t, dir)
		if _, err := os.Stat(oldFile); !os.IsNotExist(err) {
			t.Errorf("the old address's page outlived the article: %v", err)
		}
		sameAsFull(t, f, dir)
	})
}

// TestWatchFollowsChanges: Watch exports at once, again after a change
// (incrementally), and not while nothing changes; progress reaches its
// end with the result's figures; it stops when its context ends.
func TestWatchFollowsChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		dir := t.TempDir()
		ex := f.exporter(dir)
		var mu sync.Mutex
		var last Progress
		ex.Progress = func(p Progress) {
			mu.Lock()
			last = p
			mu.Unlock()
		}
		results := make(chan *Result, 8)
		wctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stopped := make(chan error, 1)
		go func() {
			stopped <- ex.Watch(wctx, 10*time.Millisecond, func(res *Result, err error) {
				if err != nil {
					t.Errorf("watch: %v", err)
					return
				}
				results <- res
			})
		}()
		next := func(what string) *Result {
			t.Helper()
			select {
			case res := <-results:
				return res
			case <-time.After(2 * time.Minute):
				t.Fatalf("%s: no export reported", what)
				return nil
			}
		}

		first := next("the first export")
		if !first.Full || first.Written == 0 {
			t.Errorf("first export: %+v, want a full one", first)
		}
		mu.Lock()
		p := last
		mu.Unlock()
		if p.Queued != first.Rendered || p.Rendered != first.Rendered || p.Written != first.Written || p.Removed != first.Removed {
			t.Errorf("progress at the end: %+v, want the result's figures %+v", p, first)
		}

		f.importStory(t, "Ferries run again, as the watcher saw.")
		second := next("after a change")
		if second.Full || second.Written == 0 {
			t.Errorf("export after a change: %+v, want an incremental one that wrote pages", second)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "news/europe/ferry-service-resumes/index.html")); !strings.Contains(string(b), "as the watcher saw") {
			t.Error("the changed article's page was not rewritten")
		}

		// Nothing changes: twenty intervals pass with no export.
		select {
		case res := <-results:
			t.Errorf("an export with nothing changed: %+v", res)
		case <-time.After(200 * time.Millisecond):
		}

		cancel()
		select {
		case err := <-stopped:
			if err != nil {
				t.Errorf("Watch returned %v when its context ended, want nil", err)
			}
		case <-time.After(time.Minute):
			t.Fatal("Watch did not stop when its context ended")
		}
	})
}

// TestPhotoTakenOutOfTheTextLeavesTheCopy: a photo shown only in an
// article's text goes from the copy when the text no longer shows it
// (a photo taken down must not live on in mirrors), in an incremental
// export as in a full one.
func TestPhotoTakenOutOfTheTextLeavesTheCopy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		// A story with a photo of its own (all red: a content hash no
		// other photo has).
		img := image.NewRGBA(image.Rect(0, 0, 640, 360))
		for i := range img.Pix {
			if i%4 == 0 || i%4 == 3 {
				img.Pix[i] = 255
			}
		}
		var jpg bytes.Buffer
		jpeg.Encode(&jpg, img, nil)
		storm := strings.NewReplacer("ferry-service-resumes", "storm-over-the-strait", "Ferry service to the outer islands resumes", "Storm over the strait",
			"ferry.jpg", "storm.jpg", "SUMMARY", "A storm.").Replace(story)
		if _, err := f.im.ImportFile(ctx, fstest.MapFS{"storm.md": {Data: []byte(storm)}, "storm.jpg": {Data: jpg.Bytes()}}, "storm.md"); err != nil {
			t.Fatal(err)
		}
		a, err := st.ArticleByPath(ctx, store.Full, "news/europe", "storm-over-the-strait")
		if err != nil {
			t.Fatal(err)
		}
		vs := media.Variants(a.Photo.Media)
		hash := a.Photo.Media.Hash
		// The photo moves from the lead into the text.
		a.Photo = nil
		a.BodyHTML = `<p>The storm came at night.</p><figure><img src="/media/` + vs[0].Key + `" alt="Waves over the quay"></figure>`
		save := func() {
			t.Helper()
			if err := st.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a) }); err != nil {
				t.Fatal(err)
			}
		}
		save()
		photoFiles := func(dir string) []string {
			t.Helper()
			m, _, err := readManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for f := range m.Files {
				if strings.Contains(f, hash) {
					out = append(out, f)
				}
			}
			return out
		}

		dir := t.TempDir()
		f.export(t, dir)
		if got := photoFiles(dir); len(got) == 0 {
			t.Fatal("the photo in the text is not in the copy")
		}

		a.BodyHTML = `<p>The storm came at night.</p>`
		save()
		res := f.export(t, dir)
		if res.Full {
			t.Errorf("after an edit: %+v, want an incremental export", res)
		}
		if got := photoFiles(dir); len(got) > 0 {
			t.Errorf("the photo taken out of the text is still in the copy: %v", got)
		}
		if _, err := os.Stat(filepath.Join(dir, "media", vs[0].Key)); !os.IsNotExist(err) {
			t.Errorf("its file is still on disk: %v", err)
		}
		sameAsFull(t, f, dir)
	})
}
