package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Standing pages (news.Page): About, Contact, the policies. They are few
// (tens at most), so lists read them whole.

// pagesVersion is the migration that made the pages table (0017).
const pagesVersion = 17

const pageColumns = `id, slug, title, status, footer, role, seo_title, seo_description,
	published_at, updated_at, created_at, modified_at`

// pageSelect reads whole pages; pageLinkSelect leaves out the text, for
// the footer and the publisher's links, which every page shows.
const (
	pageSelect     = `SELECT ` + pageColumns + `, body_html, body FROM pages`
	pageLinkSelect = `SELECT ` + pageColumns + `, '', '' FROM pages`
)

func scanPage(row interface{ Scan(...any) error }) (*news.Page, error) {
	p := &news.Page{}
	var pub, upd, created, modified int64
	if err := row.Scan(&p.ID, &p.Slug, &p.Title, &p.Status, &p.Footer, &p.Role, &p.SEOTitle, &p.SEODescription,
		&pub, &upd, &created, &modified, &p.BodyHTML, &p.Body); err != nil {
		return nil, err
	}
	p.PublishedAt, p.UpdatedAt, p.CreatedAt, p.ModifiedAt = fromDB(pub), fromDB(upd), fromDB(created), fromDB(modified)
	return p, nil
}

func (s *Store) queryPages(ctx context.Context, query string, args ...any) ([]*news.Page, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*news.Page
	for rows.Next() {
		p, err := scanPage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PageByID returns a page in any status, whole.
func (s *Store) PageByID(ctx context.Context, id int64) (*news.Page, error) {
	p, err := scanPage(s.q.QueryRowContext(ctx, pageSelect+` WHERE id = $1`, id))
	return p, notFound(err, "no page with id %d", id)
}

// PageBySlug returns the page at /{slug} in any status, whole; the public
// site checks that it is published.
func (s *Store) PageBySlug(ctx context.Context, slug string) (*news.Page, error) {
	p, err := scanPage(s.q.QueryRowContext(ctx, pageSelect+` WHERE slug = $1`, slug))
	return p, notFound(err, "no page at /%s", slug)
}

// Pages returns every page in any status, whole, in footer order (pages
// out of the footer last), then by title: the newsroom's list.
func (s *Store) Pages(ctx context.Context) ([]*news.Page, error) {
	return s.queryPages(ctx, pageSelect+` ORDER BY CASE WHEN footer > 0 THEN 0 ELSE 1 END, footer, title, id`)
}

// FooterPages returns the published pages in the footer, in their order,
// without their text.
func (s *Store) FooterPages(ctx context.Context) ([]*news.Page, error) {
	return s.queryPages(ctx, pageLinkSelect+` WHERE status = $1 AND footer > 0 ORDER BY footer, id`, string(news.Published))
}

// LinkedPages returns the published pages that every public page links
// to, without their text: those in the footer, in its order, then those
// with a role in the publisher's structured data only. One query, for the
// site's settings read.
func (s *Store) LinkedPages(ctx context.Context) ([]*news.Page, error) {
	return s.queryPages(ctx, pageLinkSelect+` WHERE status = $1 AND (footer > 0 OR role <> '')
		ORDER BY CASE WHEN footer > 0 THEN 0 ELSE 1 END, footer, id`, string(news.Published))
}

// PublishedPages returns every published page without its text, in
// address order: for the sitemap and the static export.
func (s *Store) PublishedPages(ctx context.Context) ([]*news.Page, error) {
	return s.queryPages(ctx, pageLinkSelect+` WHERE status = $1 ORDER BY slug`, string(news.Published))
}

// SavePage is SavePageBy for a save made by no account: an import.
func (s *Store) SavePage(ctx context.Context, p *news.Page, note string) error {
	_, err := s.SavePageBy(ctx, p, 0, note)
	return err
}

// SavePageBy inserts a new page (ID 0) or replaces an existing one's
// fields, and fills in the ID and the times. When the content changed (or
// the page is new) it keeps the content as a new revision with the note
// ("imported from WordPress") and returns its number; 0 when nothing an
// editor writes changed (a publication, an import of the same text).
// BodyHTML is the caller's to render (internal/markup), as for articles.
//
// A page is at /{slug}, where a top section's front also is (/news/ and
// /news, which leads to it), so a slug a top section has is refused, as is
// another page's, each naming what has it. One page holds each role.
// Run it inside InTx with the writes it belongs to.
func (s *Store) SavePageBy(ctx context.Context, p *news.Page, userID int64, note string) (int, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if err := s.pageSlugFree(ctx, p); err != nil {
		return 0, err
	}
	var before *news.Page
	if p.ID != 0 {
		var err error
		if before, err = s.PageByID(ctx, p.ID); err != nil {
			return 0, err
		}
	}
	now := time.Now().UTC()
	p.ModifiedAt = now
	args := []any{p.Slug, p.Title, string(p.Status), p.Footer, string(p.Role), p.SEOTitle, p.SEODescription,
		toDB(p.PublishedAt), toDB(p.UpdatedAt), toDB(p.ModifiedAt), p.BodyHTML, p.Body}
	var err error
	if p.ID == 0 {
		if p.CreatedAt.IsZero() {
			p.CreatedAt = now
		}
		err = s.q.QueryRowContext(ctx, `INSERT INTO pages (slug, title, status, footer, role, seo_title, seo_description,
			published_at, updated_at, modified_at, body_html, body, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			append(args, toDB(p.CreatedAt))...).Scan(&p.ID)
	} else {
		_, err = s.q.ExecContext(ctx, `UPDATE pages SET slug = $1, title = $2, status = $3, footer = $4, role = $5,
			seo_title = $6, seo_description = $7, published_at = $8, updated_at = $9, modified_at = $10,
			body_html = $11, body = $12 WHERE id = $13`, append(args, p.ID)...)
	}
	if isUniqueViolation(err) {
		// Checked above; only a save at the same moment gets here.
		return 0, news.Errorf(news.ECONFLICT, "another page took the address /%s or the role %q at the same moment; save again", p.Slug, p.Role.Label())
	}
	if err != nil {
		return 0, err
	}
	if before != nil && before.Slug != p.Slug && !before.PublishedAt.IsZero() {
		if err := s.movePageAddress(ctx, before.URL(), p.URL()); err != nil {
			return 0, err
		}
	}
	made := 0
	if before == nil || before.Content() != p.Content() {
		if made, err = s.addPageRevision(ctx, p.ID, p.Content(), userID, note); err != nil {
			return 0, err
		}
		if _, err := s.q.ExecContext(ctx, `UPDATE pages SET revision = $1 WHERE id = $2`, made, p.ID); err != nil {
			return 0, err
		}
	}
	if err := s.recordChange(ctx, pageChangeKeys(before, p)...); err != nil {
		return 0, err
	}
	// The webhooks it announces, in the same transaction (webhooks.go).
	return made, s.queuePageEvent(ctx, before, p)
}

// movePageAddress leaves a redirect from a page's old address, which
// readers and search engines may have, to its new one; the redirects that
// led to the old one lead to the new one, so no chain grows, and none is
// left from the new one, which is the page's now.
func (s *Store) movePageAddress(ctx context.Context, from, to string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM redirects WHERE from_path = $1`, to); err != nil {
		return err
	}
	if _, err := s.q.ExecContext(ctx, `UPDATE redirects SET to_path = $1 WHERE to_path = $2`, to, from); err != nil {
		return err
	}
	return s.AddOldAddress(ctx, from, OldAddress{Path: to})
}

// pageSlugFree refuses a page's slug when a top section or another page
// has it, and its role when another page has that.
func (s *Store) pageSlugFree(ctx context.Context, p *news.Page) error {
	var name string
	err := s.q.QueryRowContext(ctx, `SELECT name FROM sections WHERE parent_id IS NULL AND slug = $1`, p.Slug).Scan(&name)
	if err == nil {
		return &news.Error{Code: news.ECONFLICT, Field: "slug",
			Message: "/" + p.Slug + " is taken: the section " + name + " is at /" + p.Slug + "/ and /" + p.Slug + " leads to it; choose another slug"}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var title, slug string
	err = s.q.QueryRowContext(ctx, `SELECT title FROM pages WHERE slug = $1 AND id <> $2`, p.Slug, p.ID).Scan(&title)
	if err == nil {
		return &news.Error{Code: news.ECONFLICT, Field: "slug", Message: "/" + p.Slug + " is taken: the page “" + title + "” is there; choose another slug"}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if p.Role == "" {
		return nil
	}
	err = s.q.QueryRowContext(ctx, `SELECT title, slug FROM pages WHERE role = $1 AND id <> $2`, string(p.Role), p.ID).Scan(&title, &slug)
	if err == nil {
		return &news.Error{Code: news.ECONFLICT, Field: "role",
			Message: "the page “" + title + "” (/" + slug + ") is the " + p.Role.Label() + " already: a role links one page; take it from that page first, or choose another role"}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// pageAtSlug refuses a top section's slug when a page is at it: the
// other half of pageSlugFree, for CreateSection and EditSection.
func (s *Store) pageAtSlug(ctx context.Context, slug string) error {
	if s.pageless {
		return nil
	}
	var title string
	err := s.q.QueryRowContext(ctx, `SELECT title FROM pages WHERE slug = $1`, slug).Scan(&title)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return &news.Error{Code: news.ECONFLICT, Field: "slug",
		Message: "/" + slug + " is taken: the page “" + title + "” is there, and a top section at /" + slug + "/ would be confused with it; choose another slug"}
}

// pageChangeKeys are the keys a change to a page purges: its own page
// always; while it is public before or after, the sitemaps and the
// not-found answers (its address gains or loses a page); and every page
// (news.KeySite) when the change shows in the footer or the publisher's
// links, which are on every page, or moves a public page's address.
func pageChangeKeys(before, after *news.Page) []string {
	keys := []string{news.PageKey(after.ID)}
	public := func(p *news.Page) bool { return p != nil && p.Status == news.Published }
	if !public(before) && !public(after) {
		return keys // a draft: nothing public shows it
	}
	keys = append(keys, news.KeySitemap, news.KeyMissing)
	linked := func(p *news.Page) bool { return public(p) && (p.Footer > 0 || p.Role != "") }
	switch {
	case public(before) != public(after):
		if linked(before) || linked(after) {
			keys = append(keys, news.KeySite)
		}
	case before.Slug != after.Slug:
		// The static copy's file at the old address must go, and the
		// links to it: a rare change, worth a whole new copy.
		keys = append(keys, news.KeySite)
	case linked(before) || linked(after):
		if before.Title != after.Title || before.Footer != after.Footer || before.Role != after.Role {
			keys = append(keys, news.KeySite)
		}
	}
	return keys
}

// addPageRevision appends a revision with the page's next number and
// returns the number.
func (s *Store) addPageRevision(ctx context.Context, pageID int64, c news.PageContent, userID int64, note string) (int, error) {
	data, err := json.Marshal(c)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM page_revisions WHERE page_id = $1`, pageID).Scan(&n); err != nil {
		return 0, err
	}
	var user sql.NullInt64
	if userID != 0 {
		user = sql.NullInt64{Int64: userID, Valid: true}
	}
	_, err = s.q.ExecContext(ctx, `INSERT INTO page_revisions (page_id, number, user_id, created_at, note, data)
		VALUES ($1, $2, $3, $4, $5, $6)`, pageID, n, user, toDB(time.Now()), note, string(data))
	if isUniqueViolation(err) {
		return 0, news.Errorf(news.ECONFLICT, "someone saved this page at the same moment; save again")
	}
	return n, err
}

// KeepPageRevision keeps content as a revision of the page without
// applying it: a save made on an older revision than the page's latest,
// which would otherwise undo someone else's, is kept so that nothing typed
// is lost, and the editor is shown both. It returns the new number.
func (s *Store) KeepPageRevision(ctx context.Context, pageID int64, c news.PageContent, userID int64, note string) (int, error) {
	if _, err := s.PageByID(ctx, pageID); err != nil {
		return 0, err
	}
	n, err := s.addPageRevision(ctx, pageID, c, userID, note)
	if err != nil {
		return 0, err
	}
	// pages.revision stays: the page still shows the revision it had.
	return n, nil
}

// PageRevisionNumber returns the number of the revision the page shows
// now: an editor's form carries it, so a save made on an older one is
// told apart.
func (s *Store) PageRevisionNumber(ctx context.Context, pageID int64) (int, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT revision FROM pages WHERE id = $1`, pageID).Scan(&n)
	return n, notFound(err, "no page with id %d", pageID)
}

const pageRevisionSelect = `SELECT r.id, r.page_id, r.number, COALESCE(r.user_id, 0), COALESCE(u.name, ''), r.created_at, r.note`

func scanPageRevision(row interface{ Scan(...any) error }, withData bool) (*news.PageRevision, error) {
	r := &news.PageRevision{}
	var at int64
	var data string
	dest := []any{&r.ID, &r.PageID, &r.Number, &r.UserID, &r.UserName, &at, &r.Note}
	if withData {
		dest = append(dest, &data)
	}
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	r.At = fromDB(at)
	if withData {
		if err := json.Unmarshal([]byte(data), &r.Content); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// PageRevisions lists a page's revisions, newest first, without their
// content.
func (s *Store) PageRevisions(ctx context.Context, pageID int64) ([]*news.PageRevision, error) {
	rows, err := s.q.QueryContext(ctx, pageRevisionSelect+` FROM page_revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.page_id = $1 ORDER BY r.number DESC`, pageID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*news.PageRevision
	for rows.Next() {
		r, err := scanPageRevision(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PageRevision returns one revision of a page, with its content.
func (s *Store) PageRevision(ctx context.Context, pageID int64, number int) (*news.PageRevision, error) {
	r, err := scanPageRevision(s.q.QueryRowContext(ctx, pageRevisionSelect+`, r.data FROM page_revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.page_id = $1 AND r.number = $2`, pageID, number), true)
	return r, notFound(err, "page %d has no revision %d", pageID, number)
}
