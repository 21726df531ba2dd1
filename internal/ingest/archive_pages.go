package ingest

import (
	"context"
	"fmt"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// pageRoles guesses a standing page's role from the old site's slug, so
// the policies a newsroom already has are linked from the publisher's
// JSON-LD at once; an editor can change it.
var pageRoles = map[string]news.PageRole{
	"about": news.RoleAbout, "about-us": news.RoleAbout,
	"corrections": news.RoleCorrections, "corrections-policy": news.RoleCorrections, "correction-policy": news.RoleCorrections,
	"ethics": news.RoleEthics, "ethics-policy": news.RoleEthics, "code-of-ethics": news.RoleEthics,
	"masthead": news.RoleMasthead, "staff": news.RoleMasthead, "our-team": news.RoleMasthead,
	"contact": news.RoleContact, "contact-us": news.RoleContact,
}

// savePage writes an imported page. A new one gets the role its slug
// suggests, when no page has it yet, and then a place in the footer; a
// page imported before keeps the role and footer place editors gave it.
func (im *Importer) savePage(ctx context.Context, tx *store.Store, p *prepared, note string) (string, error) {
	pg := p.page
	if err := im.pagePlace(ctx, tx, p); err != nil {
		return "", err
	}
	if p.kept {
		return where(pg.URL(), pg.Status, pg.PublishedAt), nil
	}
	if err := tx.SavePage(ctx, pg, note); err != nil {
		return "", err
	}
	for _, from := range p.item.OldPaths {
		// An old address names where it leads to anyone who asks; a
		// page's is its path, so a draft's (private on the old site,
		// its address made from its title) is kept only once an import
		// finds it published.
		if pg.Status == news.Published && oldPath(from) && from != pg.URL() {
			if err := keepOldAddress(ctx, tx, p, from, store.OldAddress{Path: pg.URL()}); err != nil {
				return "", err
			}
		}
	}
	if err := tx.SetImported(ctx, p.item.Source, p.item.ID, store.Imported{PageID: pg.ID, Digest: p.keptDigest()}); err != nil {
		return "", err
	}
	return where(pg.URL(), pg.Status, pg.PublishedAt), nil
}

// pagePlace settles what a save needs from the store: the page an earlier
// import made, a slug no section or other page has, the role and footer.
func (im *Importer) pagePlace(ctx context.Context, st *store.Store, p *prepared) error {
	pg := p.page
	if p.prev.PageID != 0 {
		old, err := st.PageByID(ctx, p.prev.PageID)
		if err != nil && news.ErrorCode(err) != news.ENOTFOUND {
			return err
		}
		if err == nil {
			if keepPublished(p, old.Status, pg.Status) {
				*pg = *old
				return nil
			}
			pg.ID, pg.Footer, pg.Role, pg.CreatedAt = old.ID, old.Footer, old.Role, old.CreatedAt
		}
	}
	taken, err := im.pageSlugTaken(ctx, st, pg)
	if err != nil {
		return err
	}
	if taken != "" {
		was := pg.URL()
		pg.Slug = suffixed(pg.Slug, "page-"+news.Slugify(p.item.ID))
		p.notes = append(p.notes, fmt.Sprintf("%s is %s here: the page is at %s", was, taken, pg.URL()))
		if again, err := im.pageSlugTaken(ctx, st, pg); err != nil {
			return err
		} else if again != "" {
			return news.Errorf(news.ECONFLICT, "neither %s nor %s is free: %s", was, pg.URL(), again)
		}
	}
	if pg.ID == 0 {
		if role, ok := pageRoles[pg.Slug]; ok {
			pages, err := st.Pages(ctx)
			if err != nil {
				return err
			}
			free, last := true, 0
			for _, o := range pages {
				free = free && o.Role != role
				last = max(last, o.Footer)
			}
			if free {
				pg.Role, pg.Footer = role, min(last+1, news.MaxFooter)
				p.notes = append(p.notes, fmt.Sprintf("linked in the footer, and from the publisher's data as its %q", role.Label()))
			}
		}
	}
	return nil
}

// pageSlugTaken says what has a page's address already, or "": a word the
// site keeps, a top section, another page.
func (im *Importer) pageSlugTaken(ctx context.Context, st *store.Store, pg *news.Page) (string, error) {
	if why := news.ReservedSlug(pg.Slug, true); why != "" {
		return "the address of " + why, nil
	}
	if _, err := st.SectionByPath(ctx, pg.Slug); err == nil {
		return "a section's address", nil
	} else if news.ErrorCode(err) != news.ENOTFOUND {
		return "", err
	}
	other, err := st.PageBySlug(ctx, pg.Slug)
	if err == nil && other.ID != pg.ID {
		return "another page's address", nil
	} else if err != nil && news.ErrorCode(err) != news.ENOTFOUND {
		return "", err
	}
	return "", nil
}

// planPage is a dry run's savePage.
func (im *Importer) planPage(ctx context.Context, p *prepared) (string, error) {
	if err := im.pagePlace(ctx, im.Store, p); err != nil {
		return "", err
	}
	return where(p.page.URL(), p.page.Status, p.page.PublishedAt), nil
}
