package export

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

const ferryPath = "/news/europe/ferry-service-resumes"

var mediaLinkRE = regexp.MustCompile(`/media/[0-9a-f]{2}/[0-9a-f]{64}-[0-9]+\.(?:jpg|png)`)

// TestExportReportsAMissingVariant removes one variant of a photo from the
// media folder, with the original it could be made again from (issue 14,
// finding 11): the export names it, with a page
// that links to it, and leaves it out of the copy; an export run again
// with nothing changed names it again (the page is rendered again, not
// forgotten once the first export moved the manifest on); once the file
// is back, the next export copies it and reports nothing.
func TestExportReportsAMissingVariant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		gone := mediaLinkRE.FindString(f.livePage(t, ferryPath))
		if gone == "" {
			t.Fatal("the story's page links to no photo")
		}
		if _, err := f.exporter(t.TempDir()).Export(ctx); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(f.mediaDir, "public", filepath.FromSlash(strings.TrimPrefix(gone, "/media/")))
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(file); err != nil {
			t.Fatal(err)
		}
		// With its original: a variant alone gone is made again from it
		// (media made on request), so nothing would be missing. A first
		// export has made the photo's crop copies from it, so that only
		// the variant is missing.
		hash := strings.SplitN(filepath.Base(file), "-", 2)[0]
		originals, _ := filepath.Glob(filepath.Join(f.mediaDir, "originals", hash[:2], hash+".*"))
		if len(originals) != 1 {
			t.Fatalf("the original of %s: %v", gone, originals)
		}
		original, err := os.ReadFile(originals[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(originals[0]); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		check := func(what string, res *Result) {
			t.Helper()
			if len(res.Broken) != 1 || res.Broken[0].Path != gone || !res.Broken[0].File() {
				t.Fatalf("%s: broken %v, want only %s", what, res.Broken, gone)
			}
			if from := res.Broken[0].From; from == "" || !strings.Contains(f.livePage(t, from), gone) {
				t.Errorf("%s: %s is said to be linked from %q, which does not link to it", what, gone, from)
			}
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(gone))); err == nil {
				t.Errorf("%s: the copy holds %s", what, gone)
			}
		}
		res, err := f.exporter(dir).Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		check("first export", res)
		res, err = f.exporter(dir).Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Full {
			t.Error("the second export was full; want incremental")
		}
		check("second export, nothing changed", res)

		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(originals[0], original, 0o600); err != nil {
			t.Fatal(err)
		}
		res, err = f.exporter(dir).Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Broken) != 0 {
			t.Errorf("with the file back: broken %v", res.Broken)
		}
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(gone)))
		if err != nil || string(got) != string(data) {
			t.Errorf("with the file back, the copy's %s: %v", gone, err)
		}
		m, _, err := readManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Recheck) != 0 {
			t.Errorf("the manifest still has pages to check again: %v", m.Recheck)
		}
	})
}

// TestExportReportsAMissingMediaFolder: with the whole media folder gone
// (a new, empty one made in its place, as a new process would), every
// photo the pages link to is named, and nothing else.
func TestExportReportsAMissingMediaFolder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		want := map[string]bool{}
		for _, p := range []string{"/", ferryPath} {
			for _, l := range mediaLinkRE.FindAllString(f.livePage(t, p), -1) {
				want[l] = true
			}
		}
		f.ms.Close()
		if err := os.RemoveAll(f.mediaDir); err != nil {
			t.Fatal(err)
		}
		ms, err := media.OpenStore(f.mediaDir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ms.Close() })
		f.ms = ms
		res, err := f.exporter(t.TempDir()).Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, b := range res.Broken {
			if !b.File() || !strings.HasPrefix(b.Path, "/media/") || b.From == "" {
				t.Errorf("broken %+v: want only photos, each with the page that links to it", b)
			}
			got = append(got, b.Path)
		}
		for l := range want {
			if !slices.Contains(got, l) {
				t.Errorf("%s is not reported missing", l)
			}
		}
		if len(got) < len(want) {
			t.Errorf("%d missing reported, want at least %d", len(got), len(want))
		}
	})
}

// TestExportReportsAddressesThatShareAFile: an article and a subsection
// of the same name in one section (/news/world and /news/world/) are two
// pages on the site and one file in a copy; the copy lacks one of them,
// and the export says which and why. The store refuses such a pair now
// (news.SlugTakenBySection), so the story is moved there by hand, as a
// database from before the rule holds it.
func TestExportReportsAddressesThatShareAFile(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		f := newFixture(t, st)
		story := "---\ntitle: \"The world this week\"\nslug: world-this-week\ndate: 2026-11-20T08:15:00Z\nsection: news\n---\nBody.\n"
		if _, err := f.im.ImportFile(ctx, fstest.MapFS{"w.md": {Data: []byte(story)}}, "w.md"); err != nil {
			t.Fatal(err)
		}
		if _, err := storetest.RawDB(t, dsn).ExecContext(ctx, `UPDATE articles SET slug = 'world' WHERE slug = 'world-this-week'`); err != nil {
			t.Fatal(err)
		}
		res, err := f.exporter(t.TempDir()).Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Broken) != 1 || res.Broken[0].File() {
			t.Fatalf("broken %+v, want one page", res.Broken)
		}
		pair := []string{res.Broken[0].Path, res.Broken[0].SameFile}
		slices.Sort(pair)
		if pair[0] != "/news/world" || pair[1] != "/news/world/" {
			t.Errorf("broken %+v, want /news/world and /news/world/ named as sharing a file", res.Broken[0])
		}
	})
}
