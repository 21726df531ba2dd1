package ingest_test

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/ingest/archive"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestImportArchiveSlugOfASubsection: an old post whose slug is a
// subsection's of its section (WordPress tells /budget/ the post from
// /category/city-hall/budget/) cannot be /news/city-hall/budget beside
// the section /news/city-hall/budget/ (news.SlugTakenBySection). It comes
// in at an address of its own, said, as a post at another article's
// address does; and the dry run says what the import then does.
func TestImportArchiveSlugOfASubsection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if _, err := s.EnsureSectionPath(ctx, "news/city-hall/budget"); err != nil {
			t.Fatal(err)
		}
		im := newImporter(t, s)
		for _, dry := range []bool{true, false} {
			r := importItems(t, im, items(&archive.Summary{Source: "wordpress"}, nil, post("7", "Budget", "budget", news.Published)),
				ingest.ArchiveOptions{DryRun: dry})
			if r.err != nil || r.rep.Imported != 1 || r.rep.Failed != 0 || !strings.Contains(r.text(), "/news/city-hall/budget-7") ||
				!strings.Contains(r.text(), "a section's address") {
				t.Errorf("dry run %v: %v %+v\n%s", dry, r.err, r.rep, r.text())
			}
		}
		if _, err := s.ArticleByPath(ctx, store.Full, "news/city-hall", "budget-7"); err != nil {
			t.Errorf("the post at its own address: %v", err)
		}
	})
}
