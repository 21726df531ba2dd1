package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// ArchiveOptions say how ImportArchive brings an export in.
type ArchiveOptions struct {
	// Media is where the export's images are read from (--uploads,
	// --fetch-media). Nil: no image can be brought in, and each is named
	// in the report.
	Media *archive.MediaSource
	// DryRun reads and checks everything, photos included, and writes
	// nothing: the report is the one a real import would print.
	DryRun bool
	// Workers is how many items are prepared (body converted, photos
	// read and made) at once; 0 means one per CPU. Items are written one
	// at a time, in the export's order.
	Workers int
	// Section is the section of a post filed under none ("news" when
	// empty).
	Section string
}

// ArchiveLine is one line of an import's report: where in the export
// (At), which item, and what became of it or what went wrong.
type ArchiveLine struct {
	At     string
	Text   string
	Failed bool
}

func (l ArchiveLine) String() string {
	if l.At == "" {
		return l.Text
	}
	return l.At + ": " + l.Text
}

// ArchiveReport counts what an import did.
type ArchiveReport struct {
	Source                                               string
	Imported, Updated, Unchanged, Skipped, Failed, Notes int
	// Left are what the export holds that is not imported (comments,
	// members...), from the reader.
	Left map[string]int
}

// sourceNames are the report's names of the sources.
var sourceNames = map[string]string{"wordpress": "WordPress", "ghost": "Ghost"}

// ImportArchive imports another system's export, read by read (a
// WordPress or Ghost reader), saying one line per item as it goes. Each
// item goes in whole or not at all; one item's failure does not stop the
// others. Importing the same export again updates each item in place
// (matched by the source's own id), keeps a revision of what it replaces,
// and passes over the items that have not changed. The error is for the
// export as a whole: one that cannot be read on (an *archive.SyntaxError:
// the items before it are imported), or a failing store.
func (im *Importer) ImportArchive(ctx context.Context, read archive.Reader, open archive.Open, opt ArchiveOptions, say func(ArchiveLine)) (*ArchiveReport, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if opt.Section == "" {
		opt.Section = "news"
	}
	rep := &ArchiveReport{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The reader hands each item to the workers and, in the same order,
	// its result slot to the writer, which waits on each in turn: items
	// are prepared in parallel and written in the export's order, with at
	// most a few in memory.
	type slot struct {
		item *archive.Item
		done chan *prepared
	}
	jobs := make(chan slot)
	order := make(chan slot, 4*workers)
	var readErr error
	var summary *archive.Summary
	go func() {
		defer close(order)
		defer close(jobs)
		summary, readErr = read(ctx, open, func(it *archive.Item) error {
			sl := slot{item: it, done: make(chan *prepared, 1)}
			select {
			case order <- sl:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case jobs <- sl:
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		})
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sl := range jobs {
				sl.done <- im.prepare(ctx, sl.item, opt)
			}
		}()
	}
	var writeErr error
	for sl := range order {
		p := <-sl.done
		if writeErr != nil {
			continue // draining: the reader stops at the cancel
		}
		if rep.Source == "" {
			rep.Source = sl.item.Source
		}
		if err := im.write(ctx, p, opt, rep, say); err != nil {
			writeErr = err
			cancel()
		}
	}
	wg.Wait()
	if writeErr != nil {
		return rep, writeErr
	}
	if readErr != nil {
		return rep, readErr
	}
	if summary != nil {
		if rep.Source == "" {
			rep.Source = summary.Source
		}
		rep.Left = summary.Counts
		if !opt.DryRun {
			if err := im.writeOldAddresses(ctx, summary); err != nil {
				return rep, err
			}
		}
	}
	return rep, nil
}

// prepared is an item made ready to write: converted, its photos stored,
// checked; or why it cannot be.
type prepared struct {
	item      *archive.Item
	digest    string
	prev      store.Imported // what an earlier import made of it (zero: none)
	unchanged bool
	article   *news.Editorial
	page      *news.Page
	section   []store.SectionTerm
	tags      []archive.Term
	media     []news.Media // stored for this item: the lead photo's and the body's
	// missing is set when an image could not be brought in: the item is
	// then imported again next time even if it has not changed, so that
	// an import run again with --uploads (or with the files added) brings
	// the images in.
	missing bool
	// kept is set when a story or page published here is not published
	// on the old site any more: it is left as it is (see keepPublished).
	kept  bool
	notes []string
	err   error
}

// label names an item in the report: "post 123 “Title”".
func label(it *archive.Item) string {
	t := news.CleanText(it.Title)
	if t == "" {
		t = "(no title)"
	}
	if n := []rune(t); len(n) > 60 {
		t = string(n[:59]) + "…"
	}
	id := it.ID
	if id == "" {
		id = "(no id)"
	}
	return fmt.Sprintf("%s %s %q", it.Kind, id, t)
}

// prepare does everything to an item that needs no writing lock: it
// compares it with the last import, converts its body, reads and stores
// its photos, and builds the article or page, checked.
func (im *Importer) prepare(ctx context.Context, it *archive.Item, opt ArchiveOptions) *prepared {
	p := &prepared{item: it}
	if it.Skip != "" {
		return p
	}
	if err := ctx.Err(); err != nil {
		p.err = stopped(err)
		return p
	}
	if it.ID == "" {
		p.err = news.Invalid("id", "is missing: the item cannot be matched on a later import")
		return p
	}
	p.digest = digestOf(it)
	prev, err := im.Store.ImportedItem(ctx, it.Source, it.ID)
	switch {
	case err == nil:
		p.prev = prev
		if prev.Digest == p.digest {
			p.unchanged = true
			return p
		}
	case news.ErrorCode(err) != news.ENOTFOUND:
		p.err = err
		return p
	}

	// The body, with its images brought in.
	conv, err := archive.Convert(it.HTML, archive.ConvertOptions{
		SiteURL: it.Site,
		Image: func(src string) (string, error) {
			m, err := im.bringImage(ctx, opt, src)
			if err != nil {
				p.missing = true
				return "", err
			}
			p.media = append(p.media, m)
			v, ok := media.BodyVariant(m)
			if !ok {
				return "", errors.New("no copy of it could be made")
			}
			return "/media/" + v.Key, nil
		},
	})
	if err != nil {
		p.err = news.Invalid("body", "cannot be converted: %v", err)
		return p
	}
	p.notes = append(append(p.notes, it.Notes...), conv.Notes...)
	body := conv.Markdown
	if err := ctx.Err(); err != nil {
		p.err = stopped(err)
		return p
	}
	html, err := markup.Render(body)
	if err != nil {
		p.err = news.Invalid("body", "cannot be rendered: %v", err)
		return p
	}

	var photo *news.Photo
	if it.Lead != nil && it.Lead.URL != "" {
		m, err := im.bringImage(ctx, opt, it.Lead.URL)
		if err != nil {
			p.missing = true
			// The reason is the operator's to act on (give --uploads, copy
			// the file), as for an image in the body.
			p.notes = append(p.notes, fmt.Sprintf("the featured image %s not available (%v): imported without a lead photo", it.Lead.URL, err))
		} else {
			p.media = append(p.media, m)
			photo = &news.Photo{Media: m, Alt: news.CleanText(it.Lead.Alt), Caption: news.CleanText(it.Lead.Caption), Credit: news.CleanText(it.Lead.Credit)}
			if photo.Alt == "" {
				// Every lead photo has words for those who cannot see it;
				// the old site had none for this one.
				photo.Alt = photo.Caption
				if photo.Alt == "" {
					photo.Alt = news.CleanText(it.Title)
				}
				p.notes = append(p.notes, "the featured image has no alt text: its caption or the title stands in until an editor writes one")
			}
		}
	}

	slug := slugOf(it)
	if it.Kind == archive.Page {
		pg := &news.Page{Slug: slug, Title: news.CleanText(it.Title), Body: body, BodyHTML: html,
			SEOTitle: news.CleanText(it.SEOTitle), SEODescription: news.CleanText(it.SEODescription)}
		pg.Status = news.Draft
		if it.Status == news.Published {
			pg.Status, pg.PublishedAt = news.Published, it.PublishedAt.UTC()
			if pg.PublishedAt.IsZero() {
				pg.PublishedAt = it.ModifiedAt.UTC()
			}
			if pg.PublishedAt.IsZero() {
				pg.PublishedAt = im.now().UTC()
			}
		} else if it.Status != news.Draft {
			p.notes = append(p.notes, fmt.Sprintf("was %s on the old site: a page is published or a draft, so it is a draft here", strings.ToLower(it.Status.Label())))
		}
		if photo != nil {
			p.notes = append(p.notes, "pages have no lead photo: the featured image is stored in the library only")
		}
		p.page = pg
		return p
	}

	a := &news.Article{
		Headline:    news.CleanText(it.Title),
		Summary:     news.CleanText(it.Summary),
		Slug:        slug,
		Body:        body,
		BodyHTML:    html,
		Status:      it.Status,
		PublishedAt: it.PublishedAt.UTC(),
		Photo:       photo,
	}
	e := &news.Editorial{Article: a, SEOTitle: news.CleanText(it.SEOTitle), SEODescription: news.CleanText(it.SEODescription)}
	switch a.Status {
	case news.Scheduled:
		e.PublishAt, a.PublishedAt = a.PublishedAt, time.Time{}
		if e.PublishAt.IsZero() {
			p.err = news.Invalid("date", "a scheduled post needs the time it is scheduled for")
			return p
		}
	case news.Published:
		if a.PublishedAt.IsZero() {
			// Published with no date (an export edited by hand): its last
			// change is the best date there is.
			if it.ModifiedAt.IsZero() {
				p.err = news.Invalid("date", "a published post needs its publication time, and the export gives none")
				return p
			}
			a.PublishedAt = it.ModifiedAt.UTC()
			p.notes = append(p.notes, "published with no date: dated at its last change")
		}
		if !it.ModifiedAt.IsZero() && it.ModifiedAt.After(a.PublishedAt) {
			a.UpdatedAt = it.ModifiedAt.UTC()
		}
	default:
		// A draft keeps no publication time of its own.
		a.PublishedAt = time.Time{}
	}
	for _, b := range it.Authors {
		name := news.CleanText(b.Name)
		s := b.Slug
		if !news.ValidSlug(s) {
			s = news.Slugify(name)
		}
		if name == "" || s == "" {
			p.notes = append(p.notes, fmt.Sprintf("an author with no name (%q) is left off the byline", b.Slug))
			continue
		}
		if slices.ContainsFunc(a.Bylines, func(b news.Author) bool { return b.Slug == s }) {
			continue
		}
		a.Bylines = append(a.Bylines, news.Author{Slug: s, Name: name, Bio: strings.TrimSpace(b.Bio)})
	}
	for _, t := range it.Section {
		s := t.Slug
		if !news.ValidSlug(s) {
			s = news.Slugify(s)
		}
		if s == "" {
			s = news.Slugify(t.Name)
		}
		if s == "" {
			continue
		}
		p.section = append(p.section, store.SectionTerm{Slug: s, Name: t.Name})
	}
	if len(p.section) == 0 {
		p.section = []store.SectionTerm{{Slug: opt.Section}}
		p.notes = append(p.notes, fmt.Sprintf("filed under no category: put in %s", opt.Section))
	}
	paths := make([]string, len(p.section))
	for i, t := range p.section {
		paths[i] = t.Slug
	}
	a.Section = news.Section{Path: strings.Join(paths, "/")}
	seen := map[string]bool{}
	for _, t := range it.Tags {
		s := t.Slug
		if !news.ValidSlug(s) {
			s = news.Slugify(t.Name)
		}
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		p.tags = append(p.tags, archive.Term{Slug: s, Name: t.Name})
		a.Tags = append(a.Tags, news.Tag{Slug: s, Name: t.Name})
	}
	if err := e.Validate(); err != nil {
		p.err = err
		return p
	}
	p.article = e
	return p
}

// slugOf is the item's address on this site: the source's slug when it is
// one, else made from it (a percent-encoded or non-Latin slug) or from the
// title.
func slugOf(it *archive.Item) string {
	if news.ValidSlug(it.Slug) {
		return it.Slug
	}
	if s := news.Slugify(it.Slug); s != "" {
		return s
	}
	return news.Slugify(it.Title)
}

// digestOf is a hash of everything the reader made of an item: equal
// digests mean nothing to import again.
func digestOf(it *archive.Item) string {
	data, _ := json.Marshal(it)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

// bringImage reads an image the export names and stores it (or, in a dry
// run, checks it).
func (im *Importer) bringImage(ctx context.Context, opt ArchiveOptions, src string) (news.Media, error) {
	if opt.Media == nil {
		return news.Media{}, errors.New("no --uploads folder was given, nor --fetch-media")
	}
	data, name, err := opt.Media.Get(ctx, src)
	if err != nil {
		return news.Media{}, err
	}
	if name == "" {
		name = path.Base(src)
	}
	if opt.DryRun {
		info, err := media.Check(data, im.limits())
		if err != nil {
			return news.Media{}, err
		}
		sum := sha256.Sum256(data)
		return news.Media{Hash: hex.EncodeToString(sum[:]), Type: info.Type, Width: info.Width, Height: info.Height, Name: name}, nil
	}
	// The variants are made on their first request (see PutLater): made
	// here, 20,000 photos took half an hour of CPU.
	return im.Media.PutLater(name, data, im.limits())
}

// write writes one prepared item in one transaction and says what became
// of it. Only a failing store is returned: an item's own problem is its
// report line.
func (im *Importer) write(ctx context.Context, p *prepared, opt ArchiveOptions, rep *ArchiveReport, say func(ArchiveLine)) error {
	it := p.item
	line := func(failed bool, format string, args ...any) {
		say(ArchiveLine{At: it.At, Text: label(it) + ": " + fmt.Sprintf(format, args...), Failed: failed})
	}
	switch {
	case it.Skip != "":
		rep.Skipped++
		line(false, "skipped: %s", it.Skip)
		return nil
	case p.err != nil:
		if news.ErrorCode(p.err) == news.EUNAVAILABLE && ctx.Err() != nil {
			return ctx.Err()
		}
		rep.Failed++
		line(true, "not imported: %s", fieldMessage(p.err))
		return nil
	case p.unchanged, p.prev.Digest != "" && p.prev.Digest == p.keptDigest():
		// The second: done again because an image was missing last
		// time, and still is; nothing to write.
		rep.Unchanged++
		return nil
	}
	var where string
	var err error
	if opt.DryRun {
		where, err = im.plan(ctx, p)
	} else {
		err = im.Store.InTx(ctx, func(tx *store.Store) error {
			var err error
			where, err = im.save(ctx, tx, p)
			return err
		})
	}
	if err != nil {
		switch news.ErrorCode(err) {
		case news.EINVALID, news.ECONFLICT, news.ENOTFOUND:
			rep.Failed++
			line(true, "not imported: %s", fieldMessage(err))
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%s: %s: %w", it.At, label(it), err)
	}
	if p.kept {
		rep.Unchanged++
		line(false, "%s (not updated)", where)
	} else if p.prev.ArticleID != 0 || p.prev.PageID != 0 {
		rep.Updated++
		line(false, "%s (updated)", where)
	} else {
		rep.Imported++
		line(false, "%s", where)
	}
	for _, n := range p.notes {
		rep.Notes++
		line(false, "note: %s", n)
	}
	return nil
}

// fieldMessage is an error as the report says it: the field, then what.
func fieldMessage(err error) string {
	var ne *news.Error
	if errors.As(err, &ne) && ne.Field != "" {
		return ne.Field + " " + ne.Message
	}
	return news.ErrorMessage(err)
}

// where is the report's word for an item's new address, with its state
// when readers do not see it.
func where(url string, s news.Status, publishAt time.Time) string {
	switch s {
	case news.Published:
		return url
	case news.Scheduled:
		return fmt.Sprintf("%s (scheduled for %s)", url, publishAt.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("%s (%s)", url, strings.ToLower(s.Label()))
}

// save writes a prepared article or page, with its old addresses and the
// record of what it was imported from.
func (im *Importer) save(ctx context.Context, tx *store.Store, p *prepared) (string, error) {
	it := p.item
	note := "imported from " + sourceNames[it.Source]
	if p.prev.ArticleID != 0 || p.prev.PageID != 0 {
		note = "imported again from " + sourceNames[it.Source]
	}
	for i := range p.media {
		if err := tx.SaveMedia(ctx, &p.media[i]); err != nil {
			return "", err
		}
	}
	if p.page != nil {
		return im.savePage(ctx, tx, p, note)
	}
	e := p.article
	a := e.Article
	sec, err := tx.EnsureSections(ctx, p.section)
	if err != nil {
		return "", err
	}
	a.Section = sec
	if a.Photo != nil {
		for _, m := range p.media {
			if m.Hash == a.Photo.Media.Hash {
				a.Photo.Media = m
			}
		}
	}
	for i, b := range a.Bylines {
		if a.Bylines[i], err = tx.EnsureAuthorWith(ctx, b); err != nil {
			return "", err
		}
	}
	for i, t := range a.Tags {
		if a.Tags[i], err = tx.EnsureTagSlug(ctx, t.Slug, t.Name); err != nil {
			return "", err
		}
	}
	if p.prev.ArticleID != 0 {
		old, err := tx.ArticleByID(ctx, p.prev.ArticleID)
		if err != nil {
			return "", err
		}
		a.ID = old.ID
		if keepPublished(p, old.Status, a.Status) {
			return where(old.URL(), old.Status, time.Time{}), nil
		}
	}
	if err := im.freeSlug(ctx, tx, p); err != nil {
		return "", err
	}
	if err := tx.SaveImport(ctx, e, note); err != nil {
		return "", err
	}
	for _, from := range it.OldPaths {
		if ok := oldPath(from); ok && from != a.URL() {
			if err := keepOldAddress(ctx, tx, p, from, store.OldAddress{ArticleID: a.ID}); err != nil {
				return "", err
			}
		}
	}
	if err := tx.SetImported(ctx, it.Source, it.ID, store.Imported{ArticleID: a.ID, Digest: p.keptDigest()}); err != nil {
		return "", err
	}
	return where(a.URL(), a.Status, e.PublishAt), nil
}

// freeSlug moves a new article off an address another article has (two
// old posts with one slug filed into one section), or a subsection's
// without its slash (a post's slug and a subcategory's, which WordPress
// tells apart by /category/, and a story and a section here cannot
// share: news.SlugTakenBySection): it gets the source's id after its
// slug, and a note says so. The dry run asks the same, so it says what
// the import then does.
func (im *Importer) freeSlug(ctx context.Context, tx *store.Store, p *prepared) error {
	a := p.article.Article
	was, whose := a.URL(), "another article's"
	other, err := tx.ArticleByPath(ctx, store.Full, a.Section.Path, a.Slug)
	switch {
	case news.ErrorCode(err) == news.ENOTFOUND:
		if _, err := tx.SectionByPath(ctx, a.Section.Path+"/"+a.Slug); news.ErrorCode(err) == news.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		was, whose = a.URL()+"/", "a section's"
	case err != nil:
		return err
	case other.ID == a.ID:
		return nil
	}
	a.Slug = suffixed(a.Slug, news.Slugify(p.item.ID))
	p.notes = append(p.notes, fmt.Sprintf("%s is %s address: imported at %s", was, whose, a.URL()))
	return nil
}

// suffixed is slug with suffix after it, cut from the front to a slug's
// length: the suffix (the source's id) is what tells two items apart.
func suffixed(slug, suffix string) string {
	s := strings.Trim(slug+"-"+suffix, "-")
	if len(s) > news.MaxSlugLen {
		s = strings.Trim(s[len(s)-news.MaxSlugLen:], "-")
	}
	return s
}

// plan is a dry run's save: what the address would be, with the checks a
// save makes that need the store, and nothing written.
func (im *Importer) plan(ctx context.Context, p *prepared) (string, error) {
	if p.page != nil {
		return im.planPage(ctx, p)
	}
	a := p.article.Article
	if p.prev.ArticleID != 0 {
		old, err := im.Store.ArticleByID(ctx, p.prev.ArticleID)
		if err != nil {
			return "", err
		}
		a.ID = old.ID
		if keepPublished(p, old.Status, a.Status) {
			return where(old.URL(), old.Status, time.Time{}), nil
		}
	}
	if err := im.freeSlug(ctx, im.Store, p); err != nil {
		return "", err
	}
	return where(a.URL(), a.Status, p.article.PublishAt), nil
}

// oldPath reports whether from can be kept as an old address: a path on
// the site (with its query), not the home page.
func oldPath(from string) bool {
	return strings.HasPrefix(from, "/") && !strings.HasPrefix(from, "//") && from != "/" && len(from) <= 2000 &&
		!strings.ContainsAny(from, "\x00\r\n#")
}

// writeOldAddresses makes the old site's archives lead to their new
// places: category archives to sections, tag archives to tag pages,
// feeds to feeds, attachment pages to the post they belong to. An
// archive whose section or tag was never made (no imported post is filed
// there) is left alone.
func (im *Importer) writeOldAddresses(ctx context.Context, sum *archive.Summary) error {
	if len(sum.OldPaths) == 0 {
		return nil
	}
	return im.Store.InTx(ctx, func(tx *store.Store) error {
		for from, to := range sum.OldPaths {
			if !oldPath(from) {
				continue
			}
			addr, ok, err := im.oldTarget(ctx, tx, sum.Source, to)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if _, err := tx.KeepOldAddress(ctx, from, addr); err != nil {
				return err
			}
		}
		return nil
	})
}

// oldTarget reads one of the summary's targets ("section:news/russia",
// "tag:x", "feed:", "feed:section:news", "feed:tag:x", "item:ID").
func (im *Importer) oldTarget(ctx context.Context, tx *store.Store, source, to string) (store.OldAddress, bool, error) {
	kind, rest, _ := strings.Cut(to, ":")
	feed := false
	if kind == "feed" {
		feed = true
		if rest == "" {
			return store.OldAddress{Path: "/rss.xml"}, true, nil
		}
		kind, rest, _ = strings.Cut(rest, ":")
	}
	switch kind {
	case "section":
		sec, err := tx.SectionByPath(ctx, strings.Trim(rest, "/"))
		if news.ErrorCode(err) == news.ENOTFOUND {
			return store.OldAddress{}, false, nil
		} else if err != nil {
			return store.OldAddress{}, false, err
		}
		if feed {
			return store.OldAddress{Path: sec.URL() + "rss.xml"}, true, nil
		}
		return store.OldAddress{SectionID: sec.ID}, true, nil
	case "tag":
		t, err := tx.TagBySlug(ctx, rest)
		if news.ErrorCode(err) == news.ENOTFOUND {
			return store.OldAddress{}, false, nil
		} else if err != nil {
			return store.OldAddress{}, false, err
		}
		if feed {
			return store.OldAddress{Path: t.URL() + "/rss.xml"}, true, nil
		}
		return store.OldAddress{Path: t.URL()}, true, nil
	case "item":
		prev, err := tx.ImportedItem(ctx, source, rest)
		if news.ErrorCode(err) == news.ENOTFOUND {
			return store.OldAddress{}, false, nil
		} else if err != nil {
			return store.OldAddress{}, false, err
		}
		if prev.ArticleID != 0 {
			return store.OldAddress{ArticleID: prev.ArticleID}, true, nil
		}
		pg, err := tx.PageByID(ctx, prev.PageID)
		if news.ErrorCode(err) == news.ENOTFOUND {
			return store.OldAddress{}, false, nil
		} else if err != nil {
			return store.OldAddress{}, false, err
		}
		if pg.Status != news.Published {
			// A fixed path would name a draft's address to anyone
			// (see savePage).
			return store.OldAddress{}, false, nil
		}
		return store.OldAddress{Path: pg.URL()}, true, nil
	}
	return store.OldAddress{}, false, nil
}

// keptDigest is the digest an import records: the item's, or, when an
// image of it could not be brought in, one no item has, so that the next
// import does the item again rather than pass it over as unchanged.
func (p *prepared) keptDigest() string {
	if p.missing {
		return "incomplete " + p.digest
	}
	return p.digest
}

// keepPublished says whether an item published here, which the old site
// now has as something else (status: a draft again, private, password-
// protected, members-only, scheduled), is left as it is, and notes it.
// Readers have it, and taking it down is the newsroom's move, with its
// confirmation and audit, not an import's; but what the old site changed
// in it since is not public there, so writing it here, published, would
// publish it. Nothing is written, and nothing recorded: the next import
// looks at it again.
func keepPublished(p *prepared, here, there news.Status) bool {
	if here != news.Published || there == news.Published {
		return false
	}
	p.kept = true
	p.notes = append(p.notes, fmt.Sprintf("is %s on the old site, but already published here: left as it is, published, without the old site's changes since (edit or unpublish it in the newsroom)", strings.ToLower(there.Label())))
	return true
}

// keepOldAddress makes an item's old address lead to what it became, unless
// the address leads elsewhere already (a move the newsroom made, another
// item): then a note says so, and it is left as it is.
func keepOldAddress(ctx context.Context, tx *store.Store, p *prepared, from string, to store.OldAddress) error {
	kept, err := tx.KeepOldAddress(ctx, from, to)
	if err == nil && !kept {
		p.notes = append(p.notes, fmt.Sprintf("the old address %s leads elsewhere already (a move made here, or another item): left as it is", from))
	}
	return err
}
