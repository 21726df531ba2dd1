package demo

import (
	"context"
	"embed"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// pageFiles are the text of the sample newsroom's standing pages, in
// Markdown, one file per page named by its slug. They live outside
// content/, where every .md file is an article.
//
//go:embed pages
var pageFiles embed.FS

// pageList is each standing page's title, place in the footer and role,
// in footer order.
var pageList = []struct {
	slug, title string
	footer      int
	role        news.PageRole
	description string
}{
	{"about", "About Meridian 24", 1, news.RoleAbout, "Who we are, how we report, and who pays for it."},
	{"contact", "Contact", 2, news.RoleContact, "How to reach the Meridian 24 newsroom, send a tip or ask for a correction."},
	{"corrections", "Corrections policy", 3, news.RoleCorrections, "How Meridian 24 corrects its mistakes."},
	{"ethics", "Ethics policy", 4, news.RoleEthics, "The standards Meridian 24's journalists work to."},
	{"privacy", "Privacy", 5, "", "What this site collects about its readers: nothing."},
	{"terms", "Terms of use", 6, "", "How you may use Meridian 24's stories, photos and feeds."},
}

// pagesPublished is when the sample pages were first published.
var pagesPublished = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

// Pages returns the sample newsroom's standing pages, published, with
// their Markdown read and their HTML rendered as the newsroom would.
func Pages() ([]*news.Page, error) {
	var out []*news.Page
	for _, p := range pageList {
		body, err := pageFiles.ReadFile("pages/" + p.slug + ".md")
		if err != nil {
			return nil, err
		}
		html, err := markup.Render(string(body))
		if err != nil {
			return nil, fmt.Errorf("demo: page %s: %w", p.slug, err)
		}
		out = append(out, &news.Page{Slug: p.slug, Title: p.title, Body: string(body), BodyHTML: html,
			Status: news.Published, PublishedAt: pagesPublished, Footer: p.footer, Role: p.role, SEODescription: p.description})
	}
	return out, nil
}

// LoadPages saves the sample newsroom's standing pages in one
// transaction, leaving alone any page whose address is taken already.
func LoadPages(ctx context.Context, st *store.Store) error {
	pages, err := Pages()
	if err != nil {
		return err
	}
	return st.InTx(ctx, func(tx *store.Store) error {
		for _, p := range pages {
			if _, err := tx.PageBySlug(ctx, p.Slug); err == nil {
				continue
			} else if news.ErrorCode(err) != news.ENOTFOUND {
				return err
			}
			if err := tx.SavePage(ctx, p, "sample newsroom"); err != nil {
				return fmt.Errorf("demo: page /%s: %w", p.Slug, err)
			}
		}
		return nil
	})
}
