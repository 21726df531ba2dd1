package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
)

// The site's catalogue: its sections, tags, authors, standing pages and
// the settings readers may know. Each is one small answer, kept in the
// page cache until a change touches it.

// sectionNode is a section with its subsections, in the editors' order.
type sectionNode struct {
	ID          int64         `json:"id"`
	Slug        string        `json:"slug"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Path        string        `json:"path"`
	URL         string        `json:"url"`
	Sections    []sectionNode `json:"sections"`
}

// showSections answers GET /api/v1/sections: the tree.
func (a *API) showSections(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	secs, err := a.store.Sections(ctx)
	if err != nil {
		return err
	}
	tree := news.NewTree(secs)
	var walk func(list []news.Section) []sectionNode
	walk = func(list []news.Section) []sectionNode {
		out := []sectionNode{}
		for _, s := range list {
			out = append(out, sectionNode{ID: s.ID, Slug: s.Slug, Name: s.Name, Description: s.Description, Path: s.Path,
				URL: a.abs(ctx, s.URL()), Sections: walk(tree.Children(s.ID))})
		}
		return out
	}
	// A section created, renamed or moved purges the layout key.
	a.send(w, r, http.StatusOK, "application/json; charset=utf-8", map[string]any{"sections": walk(tree.Roots())},
		&keys{own: []string{news.KeyLayout, news.KeySite}})
	return nil
}

// showTags answers GET /api/v1/tags: the tags with published articles, by
// name, with how many each has.
func (a *API) showTags(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list, err := a.store.PublishedTags(ctx)
	if err != nil {
		return err
	}
	out := make([]tagJSON, 0, len(list))
	for _, t := range list {
		n := t.Articles
		out = append(out, tagJSON{ID: t.ID, Slug: t.Slug, Name: t.Name, URL: a.abs(ctx, "/tag/"+t.Slug), Articles: &n})
	}
	// Any publication, unpublication or change of tags purges the home
	// key; a rename purges the lists key.
	a.send(w, r, http.StatusOK, "application/json; charset=utf-8", map[string]any{"tags": out},
		&keys{own: []string{news.KeyHome, news.KeyLists, news.KeySite}})
	return nil
}

// showAuthors answers GET /api/v1/authors: the authors credited on
// published articles, by name.
func (a *API) showAuthors(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list, err := a.store.PublishedAuthors(ctx)
	if err != nil {
		return err
	}
	out := make([]authorJSON, 0, len(list))
	for _, au := range list {
		n := au.Articles
		out = append(out, authorJSON{ID: au.ID, Slug: au.Slug, Name: au.Name, URL: a.abs(ctx, "/author/"+au.Slug),
			Agency: au.Agency, Bio: au.Bio, Articles: &n})
	}
	a.send(w, r, http.StatusOK, "application/json; charset=utf-8", map[string]any{"authors": out},
		&keys{own: []string{news.KeyHome, news.KeyLists, news.KeySite}})
	return nil
}

// pageJSON is a published standing page.
type pageJSON struct {
	ID          int64      `json:"id"`
	Slug        string     `json:"slug"`
	Title       string     `json:"title"`
	URL         string     `json:"url"`
	Role        string     `json:"role,omitempty"`
	BodyHTML    string     `json:"body_html"`
	BodyText    string     `json:"body_text"`
	PublishedAt time.Time  `json:"published_at"`
	UpdatedAt   *time.Time `json:"updated_at"`
}

// showPages answers GET /api/v1/pages: every published standing page
// (About, Contact, the policies), whole, by address.
func (a *API) showPages(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list, err := a.store.PublishedPages(ctx)
	if err != nil {
		return err
	}
	out := []pageJSON{}
	// A page's publication or unpublication purges the sitemap key; an
	// edit, the page's own.
	k := &keys{own: []string{news.KeySitemap, news.KeySite}}
	for _, p := range list {
		// The list is read without the texts; pages are few.
		whole, err := a.store.PageByID(ctx, p.ID)
		if news.ErrorCode(err) == news.ENOTFOUND {
			continue // deleted since
		}
		if err != nil {
			return err
		}
		if whole.Status != news.Published {
			continue
		}
		v := pageJSON{ID: whole.ID, Slug: whole.Slug, Title: whole.Title, URL: a.abs(ctx, whole.URL()), Role: string(whole.Role),
			BodyText: markup.Text(whole.Body), PublishedAt: whole.PublishedAt}
		if base, err := url.Parse(v.URL); err == nil {
			v.BodyHTML = feed.AbsoluteHTML(whole.BodyHTML, base)
		}
		if !whole.UpdatedAt.IsZero() && whole.UpdatedAt.After(whole.PublishedAt) {
			u := whole.UpdatedAt
			v.UpdatedAt = &u
		}
		out = append(out, v)
		k.own = append(k.own, news.PageKey(whole.ID))
	}
	a.send(w, r, http.StatusOK, "application/json; charset=utf-8", map[string]any{"pages": out}, k)
	return nil
}

// siteJSON is what the site tells apps about itself. The addresses are
// /mirrors.json's: where to find the site when an address is blocked.
type siteJSON struct {
	Name             string    `json:"name"`
	Language         string    `json:"language"`
	Description      string    `json:"description"`
	URL              string    `json:"url"`
	Logo             string    `json:"logo,omitempty"`
	TimeZone         string    `json:"time_zone"`
	SameAs           []string  `json:"same_as"`
	Primary          string    `json:"primary"`
	Mirrors          []string  `json:"mirrors"`
	Onion            string    `json:"onion,omitempty"`
	Snapshots        []string  `json:"snapshots"`
	SigningKey       string    `json:"signing_key,omitempty"`
	AddressesChanged time.Time `json:"addresses_changed"`
}

// showSite answers GET /api/v1/site.
func (a *API) showSite(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := a.info(ctx)
	v := siteJSON{Name: p.Name, Language: p.Language, Description: p.Description, URL: a.abs(ctx, "/"), Logo: p.Logo,
		TimeZone: p.TimeZone, SameAs: p.SameAs, Primary: p.Primary, Mirrors: p.Mirrors, Onion: p.Onion,
		Snapshots: p.Snapshots, SigningKey: p.SigningKey, AddressesChanged: p.AddressesChanged}
	if v.SameAs == nil {
		v.SameAs = []string{}
	}
	// Every change to a setting names the site key.
	a.send(w, r, http.StatusOK, "application/json; charset=utf-8", v, &keys{own: []string{news.KeySite}})
	return nil
}

// info is the site's public settings; without a Site (tests of search
// alone), what the configuration says.
func (a *API) info(ctx context.Context) site.PublicInfo {
	if a.cfg.Site != nil {
		return a.cfg.Site.PublicInfo(ctx)
	}
	base := a.cfg.BaseURL.String()
	return site.PublicInfo{Name: "Newsdesk", Language: "en", TimeZone: "UTC", IDAuthority: a.cfg.BaseURL.Hostname(),
		Primary: base, Mirrors: []string{}, Snapshots: []string{}, SameAs: []string{}}
}
