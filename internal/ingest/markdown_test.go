package ingest_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

var ctx = context.Background()

func jpegBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hugePNG is a valid PNG header claiming w x h pixels, with its IHDR CRC
// fixed, and no pixel data worth decoding: only a header check can refuse it
// cheaply.
func hugePNG(t testing.TB, w, h uint32) []byte {
	b := pngBytes(t, 1, 1)
	// 8-byte signature, 4-byte length, "IHDR", then width and height.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

const goodFile = `---
title: "Harbour reopens after the storm"
date: 2026-11-20T08:15:00Z
section: news/world
summary: "Ferries run again from Port Alder."
authors: ["Mara Lindqvist", "AFP"]
tags: ["Storms", "Transport"]
image:
  src: ../images/harbour.jpg
  alt: "Ferries moored at a quay at dawn"
  caption: "In this file photo taken on October 3, 2026, ferries wait at Port Alder."
  credit: "AFP"
corrections:
  - date: 2026-11-21T10:00:00Z
    text: "An earlier version misnamed the harbour master."
---
The harbour at **Port Alder** reopened on Friday.

# A subhead

“We are back,” said the harbour master.
`

type env struct {
	st *store.Store
	im *ingest.Importer
}

func newEnv(t *testing.T, s *store.Store) env {
	ms, err := media.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	return env{st: s, im: &ingest.Importer{Store: s, Media: ms}}
}

func TestImportGoodFile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		fsys := fstest.MapFS{
			"posts/harbour.md":   {Data: []byte(goodFile)},
			"images/harbour.jpg": {Data: jpegBytes(t, 800, 450)},
		}
		path, err := e.im.ImportFile(ctx, fsys, "posts/harbour.md")
		if err != nil {
			t.Fatal(err)
		}
		if path != "/news/world/harbour-reopens-after-the-storm" {
			t.Errorf("path: got %q", path)
		}
		a, err := s.ArticleByPath(ctx, store.Full, "news/world", "harbour-reopens-after-the-storm")
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != news.Published || a.Summary != "Ferries run again from Port Alder." || len(a.Bylines) != 2 || !a.Bylines[1].Agency {
			t.Errorf("article: %+v", a)
		}
		if a.Photo == nil || a.Photo.Media.Width != 800 || a.Photo.Credit != "AFP" || a.Photo.Alt == "" {
			t.Errorf("photo: %+v", a.Photo)
		}
		if !strings.Contains(a.BodyHTML, "<h2") || strings.Contains(a.BodyHTML, "<h1") || !strings.Contains(a.BodyHTML, "<strong>Port Alder</strong>") {
			t.Errorf("body html: %s", a.BodyHTML)
		}
		if len(a.Corrections) != 1 {
			t.Errorf("corrections: got %d, want 1", len(a.Corrections))
		}

		// The same file again, edited, with a second correction: the same
		// article is updated, not duplicated; the first correction stays.
		edited := strings.Replace(goodFile, "Ferries run again", "Ferries sail again", 1)
		edited = strings.Replace(edited, "---\nThe harbour", "  - date: 2026-11-22T09:00:00Z\n    text: \"The date of the storm was wrong.\"\n---\nThe harbour", 1)
		fsys["posts/harbour.md"] = &fstest.MapFile{Data: []byte(edited)}
		if _, err := e.im.ImportFile(ctx, fsys, "posts/harbour.md"); err != nil {
			t.Fatal(err)
		}
		b, _ := s.ArticleByPath(ctx, store.Full, "news/world", "harbour-reopens-after-the-storm")
		if b.ID != a.ID || b.Summary != "Ferries sail again from Port Alder." || len(b.Corrections) != 2 {
			t.Errorf("re-import: id %d (want %d), summary %q, %d corrections (want 2)", b.ID, a.ID, b.Summary, len(b.Corrections))
		}
		counts, _ := s.CountArticles(ctx)
		if counts[news.Published] != 1 {
			t.Errorf("articles after re-import: %v, want 1 published", counts)
		}
	})
}

func TestImportBadInput(t *testing.T) {
	jpg := jpegBytes(t, 64, 36)
	withImage := func(src string) string {
		return strings.Replace(goodFile, "../images/harbour.jpg", src, 1)
	}
	tests := []struct {
		name  string
		file  string
		files map[string][]byte
		want  string // in the error message
		line  int    // image.src errors name its line, 9; others the key's
	}{
		{"broken YAML", "---\ntitle: \"unclosed\nsection: news\n---\nbody", nil, "not valid YAML", 0},
		{"no front matter", "Just a body.", nil, "front matter", 1},
		{"front matter not closed", "---\ntitle: x\n", nil, "not closed", 1},
		{"missing title", strings.Replace(goodFile, "title: \"Harbour reopens after the storm\"\n", "", 1), nil, "title: is missing", 1},
		{"empty title", strings.Replace(goodFile, "\"Harbour reopens after the storm\"", "\"  \"", 1), nil, "title: is missing", 2},
		{"missing section", strings.Replace(goodFile, "section: news/world\n", "", 1), nil, "section: is missing", 1},
		{"bad section path", strings.Replace(goodFile, "news/world", "News/../etc", 1), nil, "section", 4},
		{"bad date", strings.Replace(goodFile, "2026-11-20T08:15:00Z", "last Tuesday", 1), nil, "date: \"last Tuesday\" is not a time", 3},
		{"missing image", goodFile, nil, "does not exist", 9},
		{"image outside", withImage("../../../etc/passwd.jpg"), nil, "outside", 9},
		{"image URL", withImage("https://example.com/x.jpg"), nil, "relative", 9},
		{"PNG named .jpg", goodFile, map[string][]byte{"images/harbour.jpg": pngBytes(t, 10, 10)}, "is a PNG image, but its name says JPEG", 9},
		{"not an image", goodFile, map[string][]byte{"images/harbour.jpg": []byte("<html><script>alert(1)</script></html>")}, "image.src", 9},
		{"SVG", withImage("../images/x.svg"), map[string][]byte{"images/x.svg": []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)}, "image.src", 9},
		{"huge image", withImage("../images/huge.png"), map[string][]byte{"images/huge.png": hugePNG(t, 50000, 50000)}, "pixels", 9},
		{"missing alt", strings.Replace(goodFile, "  alt: \"Ferries moored at a quay at dawn\"\n", "", 1), map[string][]byte{"images/harbour.jpg": jpg}, "image.alt", 8},
		{"title too long", strings.Replace(goodFile, "Harbour reopens after the storm", strings.Repeat("long ", 100), 1), map[string][]byte{"images/harbour.jpg": jpg}, "title: is longer than", 2},
		{"lastmod before date", strings.Replace(goodFile, "section:", "lastmod: 2020-01-01T00:00:00Z\nsection:", 1), map[string][]byte{"images/harbour.jpg": jpg}, "lastmod", 4},
		{"invalid UTF-8", "---\ntitle: \"\xff\xfe\"\n---\n", nil, "UTF-8", 1},
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fsys := fstest.MapFS{"posts/a.md": {Data: []byte(tt.file)}}
				for name, data := range tt.files {
					fsys[name] = &fstest.MapFile{Data: data}
				}
				path, err := e.im.ImportFile(ctx, fsys, "posts/a.md")
				if err == nil {
					t.Fatalf("imported as %s; want an error containing %q", path, tt.want)
				}
				msg := err.Error()
				if !strings.HasPrefix(msg, "posts/a.md") || !strings.Contains(msg, tt.want) {
					t.Errorf("got %q, want the file name and %q", msg, tt.want)
				}
				if tt.line > 0 && !strings.HasPrefix(msg, "posts/a.md:"+strconv.Itoa(tt.line)+":") {
					t.Errorf("got %q, want line %d", msg, tt.line)
				}
			})
		}
		// Nothing was written by any failed import: no article, no section.
		counts, _ := s.CountArticles(ctx)
		secs, _ := s.Sections(ctx)
		if len(counts) != 0 || len(secs) != 0 {
			t.Errorf("after failed imports: articles %v, sections %d; want none", counts, len(secs))
		}
	})
}

func TestImportSanitizes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		file := `---
title: "<script>alert('t')</script>Headline"
date: 2026-11-20T08:15:00Z
section: news
summary: "<img src=x onerror=alert(1)>"
authors: ["<b onmouseover=alert(1)>Eve</b>"]
tags: ["<script>x</script>tag"]
---
Hello <script>alert('body')</script> <iframe src="https://evil.example"></iframe>

[click](javascript:alert(1)) <a href="#" onclick="alert(1)">x</a>
`
		fsys := fstest.MapFS{"a.md": {Data: []byte(file)}}
		path, err := e.im.ImportFile(ctx, fsys, "a.md")
		if err != nil {
			t.Fatal(err)
		}
		slug := path[strings.LastIndexByte(path, '/')+1:]
		a, err := s.ArticleByPath(ctx, store.Full, "news", slug)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<script", "<iframe", "onclick", "javascript:", "onerror"} {
			if strings.Contains(strings.ToLower(a.BodyHTML), bad) {
				t.Errorf("body HTML keeps %q: %s", bad, a.BodyHTML)
			}
		}
		// Plain-text fields are stored as text; the templates escape them.
		if !news.ValidSlug(a.Slug) || !news.ValidSlug(a.Bylines[0].Slug) || !news.ValidSlug(a.Tags[0].Slug) {
			t.Errorf("slugs: %q %q %q", a.Slug, a.Bylines[0].Slug, a.Tags[0].Slug)
		}
	})
}

func TestImportTreeGoesOnAfterAFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		// The good file without its photo.
		ok := goodFile[:strings.Index(goodFile, "image:")] + goodFile[strings.Index(goodFile, "corrections:"):]
		fsys := fstest.MapFS{
			"in/1.md":      {Data: []byte(strings.Replace(ok, "Harbour reopens", "First story", 1))},
			"in/2.md":      {Data: []byte("---\ntitle: [\n---\n")},
			"in/sub/3.md":  {Data: []byte(strings.Replace(ok, "Harbour reopens", "Third story", 1))},
			"in/notes.txt": {Data: []byte("not markdown")},
		}
		results, err := e.im.ImportTree(ctx, fsys, "in")
		if err != nil {
			t.Fatal(err)
		}
		if len(results) != 3 {
			t.Fatalf("got %d results, want 3 (.md files only)", len(results))
		}
		if results[0].Err != nil || results[1].Err == nil || results[2].Err != nil {
			t.Errorf("results: %+v", results)
		}
	})
}
