package ingest_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// reservedStory is filed under SECTION with slug SLUG.
const reservedStory = `---
title: "Harbour reopens"
slug: SLUG
date: 2026-11-20T08:15:00Z
section: SECTION
---
Body.
`

// TestImportRefusesReservedSections: the importer refuses a section path
// or a slug that is one of the site's own addresses (issue 14, finding
// 9), naming the file, the line and the reason, and writes nothing; also
// into a section of that name made before the words were reserved.
func TestImportRefusesReservedSections(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		ms, err := media.OpenStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ms.Close() })
		im := &ingest.Importer{Store: st, Media: ms}
		// A section an older version let in, written as it stored it.
		if _, err := storetest.RawDB(t, dsn).ExecContext(ctx, `INSERT INTO sections (parent_id, slug, name, description, position, path)
			VALUES (NULL, 'search', 'Search', '', 0, 'search')`); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ section, slug, want string }{
			{"admin", "harbour", `a.md:5: section: "admin" cannot be used: "admin" is the address of the newsroom`},
			{"media/photos", "harbour", `a.md:5: section: "media/photos" cannot be used: "media" is the address of photos`},
			{"sitemaps", "harbour", `"sitemaps" is the address of the sitemaps`},
			{"tag", "harbour", `"tag" is the address of tag pages`},
			{"news/after", "harbour", `"after" is the address of the later pages of a list`},
			{"search", "harbour", `"search" is the address of the search page`}, // exists already
			{"news", "after", `a.md:3: slug: "after" cannot be used`},
		} {
			file := strings.NewReplacer("SECTION", tc.section, "SLUG", tc.slug).Replace(reservedStory)
			path, err := im.ImportFile(ctx, fstest.MapFS{"a.md": {Data: []byte(file)}}, "a.md")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("section %q, slug %q: imported as %q, error %v; want an error with %q", tc.section, tc.slug, path, err, tc.want)
			}
		}
		secs, err := st.Sections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(secs) != 1 {
			t.Errorf("%d sections after the refused imports, want only the old one", len(secs))
		}
		counts, err := st.CountArticles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) != 0 {
			t.Errorf("articles were stored: %v", counts)
		}
		// The same words below the top are fine where nothing is shadowed.
		file := strings.NewReplacer("SECTION", "news/search", "SLUG", "harbour").Replace(reservedStory)
		if path, err := im.ImportFile(ctx, fstest.MapFS{"a.md": {Data: []byte(file)}}, "a.md"); err != nil || path != "/news/search/harbour" {
			t.Errorf("news/search: %q, %v", path, err)
		}
	})
}
