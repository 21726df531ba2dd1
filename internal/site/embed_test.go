package site_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// The sample newsroom's stories with an embed (an OpenStreetMap map) and
// with a photo in the body.
const (
	embedPath = "/news/europe/lisvard-votes-to-raise-its-sea-wall-by-a-metre"
	photoPath = "/opinion/columns/why-we-tell-you-where-our-pictures-come-from"
)

// TestEmbedScriptTable: web/static/embed.js checks each player's address,
// and sets each iframe's sandbox, permissions and referrer policy, from its
// own table of providers; it must be markup's, which made the cards and
// the CSP.
func TestEmbedScriptTable(t *testing.T) {
	js, err := os.ReadFile(filepath.Join("..", "..", "web", "static", "embed.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)// providers-begin\s*var providers = (\{.*?\});\s*// providers-end`).FindSubmatch(js)
	if m == nil {
		t.Fatal("embed.js: no providers table between its markers")
	}
	var got map[string]markup.EmbedProvider
	if err := json.Unmarshal(m[1], &got); err != nil {
		t.Fatalf("embed.js: the providers table is not JSON: %v", err)
	}
	for _, p := range markup.EmbedProviders() {
		w := p
		w.ID = ""
		if g, ok := got[p.ID]; !ok || g != w {
			t.Errorf("embed.js: provider %s is %+v, want %+v", p.ID, g, w)
		}
	}
	if len(got) != len(markup.EmbedProviders()) {
		t.Errorf("embed.js has %d providers, markup %d", len(got), len(markup.EmbedProviders()))
	}
}

func TestEmbedPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ts := newTestSite(t, s)
		status, h, body := ts.get(t, embedPath)
		if status != 200 {
			t.Fatalf("%s: status %d", embedPath, status)
		}

		// The CSP allows the site's own scripts, and frames from exactly
		// the providers' players.
		csp := h.Get("Content-Security-Policy")
		var frames []string
		for d := range strings.SplitSeq(csp, ";") {
			if f, ok := strings.CutPrefix(strings.TrimSpace(d), "frame-src "); ok {
				frames = strings.Fields(f)
			}
		}
		if origins := markup.EmbedFrameOrigins(); !slices.Equal(frames, origins) {
			t.Errorf("CSP frame-src %q, want %q", frames, origins)
		}
		if !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe") {
			t.Errorf("CSP %q: want script-src 'self' and nothing unsafe", csp)
		}

		// The card: the source's name, the link, the hidden button and
		// the script, loaded with defer, under its hashed name.
		mustContain(t, embedPath, body,
			`<figure class="embed embed-4x3" data-embed="openstreetmap" data-embed-src="https://www.openstreetmap.org/export/embed.html?bbox=`,
			`<figcaption>Map on OpenStreetMap: <a href="https://www.openstreetmap.org/#map=15/60.1675/24.958" rel="noopener noreferrer">`,
			`<button type="button" class="embed-load" hidden="">Load the map from OpenStreetMap</button>`,
		)
		script := regexp.MustCompile(`<script src="(/static/embed\.[0-9a-f]{12}\.js)" defer></script>`).FindStringSubmatch(body)
		if script == nil {
			t.Fatalf("%s: no embed script", embedPath)
		}
		// Nothing in the page loads from the provider, or readies a
		// connection to it.
		mustNotContain(t, embedPath, body, "<iframe", "preconnect", "dns-prefetch", "prefetch")
		checkNoThirdPartyLoads(t, embedPath, body)

		status, h, js := ts.get(t, script[1])
		if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") || !strings.Contains(js, "providers-begin") {
			t.Errorf("%s: status %d, type %q", script[1], status, h.Get("Content-Type"))
		}

		// A story without an embed loads no script.
		_, _, plain := ts.get(t, articlePath)
		mustNotContain(t, articlePath, plain, "<script src=")

		// Feeds have the embed as its link, never a player or a button.
		for _, feedPath := range []string{"/news/europe/rss.xml", "/news/europe/atom.xml", "/news/europe/feed.json"} {
			_, _, f := ts.get(t, feedPath)
			mustContain(t, feedPath, f, "Map on OpenStreetMap: ")
			mustNotContain(t, feedPath, f, "data-embed", "embed-load", "iframe", "button")
		}

		docs := map[string][]byte{embedPath: []byte(body)}
		_, _, photo := ts.get(t, photoPath)
		docs[photoPath] = []byte(photo)
		testkit.ValidateHTMLBatch(t, docs)
	})
}

// TestBodyPhotos: a photo in the body gets a srcset of its variants, sizes,
// width and height, like the lead photo, and every variant named is there.
func TestBodyPhotos(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ts := newTestSite(t, s)
		_, _, body := ts.get(t, photoPath)
		const hash = "3bc6dbc6e723806ff48276fc6d51033645cd016813072d090a09c71ff678d7fc"
		want := `<figure><img src="/media/3b/` + hash + `-1280.jpg" srcset="/media/3b/` + hash + `-320.jpg 320w, /media/3b/` + hash + `-640.jpg 640w, /media/3b/` + hash + `-960.jpg 960w, /media/3b/` + hash + `-1280.jpg 1280w, /media/3b/` + hash + `-1600.jpg 1600w" sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)" width="1280" height="720" alt="Container cranes and stacked containers on a quay beside calm water" loading="lazy"><figcaption>`
		mustContain(t, photoPath, body, want)
		for _, m := range regexp.MustCompile(`/media/3b/[0-9a-f]{64}-[0-9]+\.jpg`).FindAllString(body, -1) {
			if status, _, _ := ts.get(t, m); status != 200 {
				t.Errorf("%s: %s answers %d", photoPath, m, status)
			}
		}
		checkNoThirdPartyLoads(t, photoPath, body)
	})
}

// embedHost is the host the demo's embed loads from once asked.
var embedHost = func() string {
	e, _ := markup.EmbedOf("https://www.openstreetmap.org/#map=15/60.1675/24.9580")
	u, _ := url.Parse(e.Src)
	return u.Host
}()

// TestBodyPhotoFoundLater: a body figure whose photo is not stored yet
// shows the variant the body names, and gets its photo set once the photo
// is there: a photo not found is not remembered as missing.
func TestBodyPhotoFoundLater(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, ms, im := countingNewsroom(t, dsn)
		img := image.NewRGBA(image.Rect(0, 0, 800, 600))
		img.Set(1, 1, color.RGBA{R: byte(len(dsn)), A: 255}) // a photo of this subtest's own
		var jpg bytes.Buffer
		if err := jpeg.Encode(&jpg, img, nil); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(jpg.Bytes())
		hash := hex.EncodeToString(sum[:])
		figure := "/media/" + hash[:2] + "/" + hash + "-640.jpg"
		load := func(fsys fstest.MapFS) {
			t.Helper()
			res, err := im.ImportTree(ctx, fsys, ".")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if r.Err != nil {
					t.Fatal(r.Err)
				}
			}
		}
		load(fstest.MapFS{"body.md": {Data: []byte("---\ntitle: \"A story with a photo inside\"\ndate: 2026-11-02T10:00:00Z\nsection: news/world\nauthors: [\"Desk\"]\n---\nFirst.\n\n![A test card](" + figure + " \"A card | Desk\")\n\nLast.\n")}})
		cfg, _ := site.NewConfig("https://news.example.org", nil, "Test")
		cfg.PollInterval = time.Hour
		s, err := site.New(cfg, st, ms, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := s.Handler()
		fetch := func() string {
			t.Helper()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/news/world/a-story-with-a-photo-inside", nil))
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			return w.Body.String()
		}
		body := fetch()
		mustContain(t, "before the photo", body, `<figure><img src="`+figure+`" alt="A test card" loading="lazy">`)

		load(fstest.MapFS{
			"lead.md":  {Data: []byte("---\ntitle: \"The photo's own story\"\ndate: 2026-11-01T10:00:00Z\nsection: news/world\nauthors: [\"Desk\"]\nimage:\n  src: card.jpg\n  alt: \"A test card\"\n---\nText.\n")},
			"card.jpg": {Data: jpg.Bytes()},
		})
		s.Changed()
		body = fetch()
		p := "/media/" + hash[:2] + "/" + hash
		mustContain(t, "after the photo", body, `<figure><img src="`+p+`-800.jpg" srcset="`+p+`-320.jpg 320w, `+p+`-640.jpg 640w, `+p+`-800.jpg 800w" sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)" width="800" height="600" alt="A test card" loading="lazy">`)

	})
}
