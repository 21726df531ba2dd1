package demo

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// TestPages: the sample newsroom's standing pages are valid, each with its
// text, in the footer in order, with the roles Google's guidelines for
// news publishers ask for; loading them twice adds nothing.
func TestPages(t *testing.T) {
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	roles := map[news.PageRole]bool{}
	for i, p := range pages {
		if err := p.Validate(); err != nil {
			t.Errorf("/%s: %v", p.Slug, err)
		}
		if p.Footer != i+1 {
			t.Errorf("/%s: footer place %d, want %d", p.Slug, p.Footer, i+1)
		}
		if len(p.Body) < 300 || !strings.Contains(p.BodyHTML, "<p>") {
			t.Errorf("/%s: a body of %d bytes, HTML %.60q", p.Slug, len(p.Body), p.BodyHTML)
		}
		roles[p.Role] = true
	}
	for _, r := range []news.PageRole{news.RoleAbout, news.RoleContact, news.RoleCorrections, news.RoleEthics} {
		if !roles[r] {
			t.Errorf("no sample page is the %s", r.Label())
		}
	}

	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for range 2 {
		if err := LoadPages(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	footer, err := st.FooterPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(footer) != len(pages) || footer[0].Slug != "about" || footer[len(footer)-1].Slug != "terms" {
		t.Errorf("footer after loading twice: %d pages", len(footer))
	}
}
