// Package export writes a complete static copy of the public site into a
// folder: every page, feed, sitemap, asset and photo, as files any static
// host serves at the same addresses. Pages are rendered in-process through
// the site's own handler, so the copy holds the bytes the live site sends.
//
// A copy carries a manifest (manifest.json) of every file's SHA-256, which
// makes the next export incremental (only pages whose bytes changed are
// written, files of unpublished content are removed) and, signed with
// Ed25519 (manifest.json.sig), lets anyone check a copy with Verify.
package export

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Exporter writes and updates a static copy of the public site in Dir.
type Exporter struct {
	Dir   string
	Store *store.Store
	Media *media.Store
	// Site is the live site's configuration: the copy is rendered as the
	// primary address (Site.BaseURL) serves it.
	Site site.Config
	// Key signs the manifest when set: manifest.json.sig is written
	// beside it.
	Key ed25519.PrivateKey
	// Generator names the program and its version in the manifest; a copy
	// made by another version is rendered again in full, since its
	// templates may differ.
	Generator string
	// Full renders every page even when the change log says only a few
	// changed. Files are still written only when their bytes change.
	Full bool
	// Workers is how many pages render at once; 0 means twice the CPUs
	// (renders wait on the database as much as they compute).
	Workers int
	// Log gets warnings; nil discards them.
	Log *slog.Logger
	// Progress, when set, is called a few times a second during an export
	// and once at its end.
	Progress func(Progress)
}

// Progress is how far an export has come.
type Progress struct {
	Queued   int // pages found so far
	Rendered int // of which rendered (or found unchanged)
	Written  int
	Removed  int
}

// Result sums up one export.
type Result struct {
	Full      bool // every page was rendered; false: only the pages the changes touched
	Rendered  int  // pages and files produced by the site
	Written   int  // files whose bytes changed (or were new)
	Unchanged int
	Removed   int // files of content no longer published
	Files     int // files in the copy now
	// Broken are the addresses that pages of the copy link to and the
	// site has nothing at (a photo's file gone from the media folder, a
	// link to a story that does not exist), by address: the copy lacks
	// them, so it is incomplete unless this is empty. The pages that
	// link to them are rendered again by the next export, whatever else
	// changed, so a file put back is copied then, and a copy stays
	// incomplete only as long as its site is.
	Broken []Missing
	Change int64 // the change log entry the copy includes
	Took   time.Duration
}

// Missing is an address a page links to that the site has nothing at.
type Missing struct {
	Path string // "/media/d6/d603b4...-960.jpg"
	From string // the first page found that links to it
	// SameFile, when set, is the address whose file in the copy this
	// one's would be ("/news/world" and "/news/world/" are both
	// news/world/index.html): the site has both, the copy only that one.
	SameFile string
}

// File reports whether the address is a file (a photo, a style sheet)
// rather than a page.
func (m Missing) File() bool { return immutable(m.Path) }

// seeds are the addresses a full export starts from, besides every
// published article: what no page links to, or not necessarily.
// /mirrors.json and /404.html may be absent; that is not an error.
var seeds = []string{"/", "/robots.txt", "/sitemap.xml", "/news-sitemap.xml", "/rss.xml", "/atom.xml", "/feed.json",
	"/mirrors.json", notFoundPage, searchPage}

const (
	notFoundPage = "/404.html" // the not-found page, which many static hosts serve for missing files
	searchPage   = "/search"   // replaced by a note: searching needs the live site
)

// Export brings the copy in Dir up to date: in full the first time (or when
// the program, the site's settings or anything shown on every page
// changed), otherwise by rendering only what the changes since the last
// export touched. It refuses a folder that is not empty and holds no
// manifest, so it never overwrites something it did not write.
func (e *Exporter) Export(ctx context.Context) (*Result, error) {
	start := time.Now()
	if e.Site.BaseURL == nil {
		return nil, errors.New("export: the site's primary address (BaseURL) is not set")
	}
	old, oldBytes, err := readManifest(e.Dir)
	if err != nil {
		return nil, err
	}
	if old == nil {
		if err := checkEmpty(e.Dir); err != nil {
			return nil, err
		}
	}
	// Read the change log's position before anything else: a change made
	// during the export is then picked up by the next one, never missed.
	// With the newest id, the ids just below it: a change that commits
	// late below that id (PostgreSQL) is told apart by the next export.
	change, window, err := e.Store.RecentChanges(ctx)
	if err != nil {
		return nil, err
	}
	r, err := e.newRun(ctx, old)
	if err != nil {
		return nil, err
	}
	r.change = change
	full := e.Full || old == nil || old.Format != manifestFormat || old.Generator != e.Generator || old.Config != r.config
	var p *plan
	if !full {
		if p, err = r.plan(old.Change, old.Window); err != nil {
			return nil, err
		}
		full = p.full
	}
	r.full = full
	var starts []string
	if full {
		idx, err := e.Store.ArticleIndex(ctx, nil)
		if err != nil {
			return nil, err
		}
		// Every old address of a moved article or section: nothing links
		// to them, but readers and search engines still come by them.
		moved, err := e.Store.RedirectSources(ctx)
		if err != nil {
			return nil, err
		}
		r.articles = map[int64]ArticleEntry{}
		for _, a := range idx {
			r.articles[a.ID] = entryOf(a)
		}
		r.files = map[string]FileEntry{}
		starts = append(starts, seeds...)
		// Every published article, in case no page links to it any more
		// (an article past the sitemaps' reach would still be copied).
		for _, a := range r.articles {
			starts = append(starts, a.Path)
		}
		// And every published standing page, in the footer or not.
		pages, err := e.Store.PublishedPages(ctx)
		if err != nil {
			return nil, err
		}
		for _, pg := range pages {
			starts = append(starts, pg.URL())
		}
		starts = append(starts, moved...)
	} else {
		r.articles = p.articles
		r.files = maps.Clone(old.Files)
		r.chains = p.chains
		for _, f := range p.drop {
			r.drop[f] = true
		}
		// The pages that linked to something missing last time, whatever
		// changed since: a photo put back into the media folder is copied
		// now, and one still gone is reported again rather than
		// forgotten after one export.
		starts = append(p.targets, old.Recheck...)
	}
	r.byPath = make(map[string]int64, len(r.articles))
	for id, a := range r.articles {
		r.byPath[a.Path] = id
	}
	for _, p := range starts {
		r.start(p)
	}
	stop := r.reportProgress()
	for range r.nworkers {
		r.wg.Add(1)
		go r.work()
	}
	r.wg.Wait()
	stop()
	if len(r.errs) > 0 {
		// Nothing is removed and the manifest is not moved on: the next
		// export renders these pages again.
		return nil, fmt.Errorf("export: %d pages could not be rendered, e.g. %w", len(r.errs), r.errs[0])
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !full {
		r.orphanMedia()
	}
	removed := r.removeStale()
	res := &Result{Full: full, Rendered: int(r.rendered.Load()), Written: int(r.written.Load()), Unchanged: int(r.unchanged.Load()),
		Removed: removed, Files: len(r.files), Broken: r.broken, Change: change}
	slices.SortFunc(res.Broken, func(a, b Missing) int { return strings.Compare(a.Path, b.Path) })
	var recheck []string
	for _, b := range res.Broken {
		if b.From != "" {
			recheck = append(recheck, b.From)
		}
	}
	slices.Sort(recheck)
	m := &Manifest{Format: manifestFormat, Generator: e.Generator, Site: e.Site.BaseURL.String(), Config: r.config,
		Updated: time.Now().UTC().Truncate(time.Second), Change: change, Window: window, Files: r.files, Articles: r.articles,
		Recheck: slices.Compact(recheck)}
	if old != nil && res.Written == 0 && res.Removed == 0 {
		m.Updated = old.Updated
	}
	data, err := m.encode()
	if err != nil {
		return nil, err
	}
	if string(data) != string(oldBytes) {
		if err := writeFileAtomic(filepath.Join(e.Dir, ManifestName), data); err != nil {
			return nil, err
		}
	}
	if e.Key != nil {
		sig := signature(e.Key, data)
		if p := filepath.Join(e.Dir, SignatureName); !sameFile(p, sig) {
			if err := writeFileAtomic(p, sig); err != nil {
				return nil, err
			}
		}
	}
	res.Took = time.Since(start)
	if e.Progress != nil {
		e.Progress(r.progress())
	}
	return res, nil
}

// checkEmpty refuses a folder with files in it: without a manifest, the
// export cannot tell its own files from someone else's.
func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("export: %s is not empty and holds no %s: give an empty or new folder, or one a previous export wrote", dir, ManifestName)
	}
	return nil
}

func entryOf(a store.IndexEntry) ArticleEntry {
	return ArticleEntry{Path: "/" + a.SectionPath + "/" + a.Slug, Section: a.SectionPath, Published: a.PublishedAt.UnixMicro(),
		Tags: a.Tags, Authors: a.Authors, Photo: a.Photo, Moved: a.Moved}
}

// run is one export in progress.
type run struct {
	e      *Exporter
	ctx    context.Context
	site   *site.Site
	h      http.Handler
	base   string // the primary address, "https://news.example.org"
	host   string
	https  bool
	config string
	old    *Manifest // never nil: empty when there was none
	full   bool
	change int64
	// Addresses wait in pending for one of nworkers workers (see work).
	nworkers int
	wg       sync.WaitGroup
	dirs     sync.Map // folders known to exist

	mu       sync.Mutex
	idle     *sync.Cond             // on mu: pending grew, or the last page in progress ended
	pending  []string               // addresses scheduled and not yet taken
	active   int                    // pages in progress
	seen     map[string]bool        // addresses scheduled
	files    map[string]FileEntry   // the copy's files as they will be
	owner    map[string]string      // file -> the address that wrote it this run
	touched  map[string]bool        // files rendered this run
	drop     map[string]bool        // files to remove unless rendered this run
	orphans  map[string]bool        // files to remove: what only a page now gone linked to
	planned  map[string]bool        // addresses the export set out to render (not found through links)
	from     map[string]string      // address -> the page whose link scheduled it first
	chains   map[string]bool        // list families whose later pages are followed (see plan)
	articles map[int64]ArticleEntry // the published articles, for the next export
	byPath   map[string]int64       // article pages by address; set before rendering starts, then only read
	broken   []Missing
	errs     []error

	queued, rendered, written, unchanged, removed atomic.Int64
}

func (e *Exporter) newRun(ctx context.Context, old *Manifest) (*run, error) {
	cfg := e.Site
	// The page cache would compress every page twice and keep it; each
	// page is rendered once here, so it only costs time.
	cfg.CacheBytes = 0
	log := e.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s, err := site.New(cfg, e.Store, e.Media, log)
	if err != nil {
		return nil, err
	}
	if old == nil {
		old = &Manifest{Files: map[string]FileEntry{}, Articles: map[int64]ArticleEntry{}}
	}
	n := e.Workers
	if n <= 0 {
		n = 2 * runtime.GOMAXPROCS(0)
	}
	r := &run{e: e, ctx: ctx, site: s, h: s.Handler(), base: strings.TrimSuffix(cfg.BaseURL.String(), "/"), host: cfg.BaseURL.Host,
		https: cfg.BaseURL.Scheme == "https", config: configPrint(cfg), old: old, nworkers: n,
		seen: map[string]bool{}, owner: map[string]string{}, touched: map[string]bool{}, drop: map[string]bool{}, orphans: map[string]bool{}, planned: map[string]bool{}, chains: map[string]bool{},
		from: map[string]string{}}
	r.idle = sync.NewCond(&r.mu)
	return r, nil
}

// configPrint fingerprints what every page depends on besides the content.
func configPrint(c site.Config) string {
	var mirrors []string
	for _, m := range c.Mirrors {
		mirrors = append(mirrors, m.String())
	}
	s := fmt.Sprintf("%s|%q|%v|%q|%s|%d|%d", c.BaseURL, mirrors, c.Onion, c.Name, c.Language, c.PageSize, c.SitemapSize)
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// start schedules an address the export sets out to render: that it turns
// out to have no page is no broken link.
func (r *run) start(p string) {
	r.mu.Lock()
	r.planned[p] = true
	r.mu.Unlock()
	r.schedule(p, "")
}

// schedule renders an address unless it was already; from is the page
// that links to it ("" for a start), named if the address turns out to
// have nothing.
func (r *run) schedule(p, from string) {
	r.mu.Lock()
	if r.seen[p] {
		r.mu.Unlock()
		return
	}
	r.seen[p] = true
	if from != "" {
		r.from[p] = from
	}
	r.pending = append(r.pending, p)
	r.mu.Unlock()
	r.queued.Add(1)
	r.idle.Signal()
}

// work renders pending addresses until none is left and none is in
// progress (a page in progress may schedule more). A fixed set of workers
// rather than a goroutine per address: a full export schedules every
// article at once, and ten thousand waiting goroutines were tens of
// megabytes of stacks. Once the context ends, what is pending is dropped.
func (r *run) work() {
	defer r.wg.Done()
	w := newWorker()
	r.mu.Lock()
	for {
		for len(r.pending) == 0 && r.active > 0 {
			r.idle.Wait()
		}
		if len(r.pending) == 0 {
			r.mu.Unlock()
			r.idle.Broadcast() // the others end too
			return
		}
		batch := r.takeBatch()
		r.active++
		r.mu.Unlock()
		var errs []error
		if r.ctx.Err() == nil {
			errs = r.processBatch(w, batch)
		}
		r.mu.Lock()
		r.errs = append(r.errs, errs...)
		r.active--
		if r.active == 0 && len(r.pending) == 0 {
			r.idle.Broadcast()
		}
	}
}

// articleBatch is how many article pages a worker takes at once, their
// articles read in one query (see processBatch).
const articleBatch = 32

// takeBatch takes the next pending address, and when it is an article's
// page, the article pages queued right after it, up to articleBatch. A
// full export queues every article together, so its pages go in batches.
// r.mu is held.
func (r *run) takeBatch() []string {
	n := 1
	if _, ok := r.byPath[r.pending[0]]; ok {
		for n < len(r.pending) && n < articleBatch {
			if _, ok := r.byPath[r.pending[n]]; !ok {
				break
			}
			n++
		}
	}
	batch := r.pending[:n:n]
	r.pending = r.pending[n:]
	return batch
}

// processBatch processes the addresses of a batch, reading the articles
// of a batch of article pages whole in one query first (a page's read was
// two queries, a sixth of a full export's time). An article read here
// stands only for its own address: one that moved or was unpublished
// since the export began is read again by its page, as the site always
// reads it.
func (r *run) processBatch(w *worker, batch []string) []error {
	ctx := r.ctx
	if len(batch) > 1 {
		ids := make([]int64, len(batch))
		for i, p := range batch {
			ids[i] = r.byPath[p]
		}
		list, err := r.e.Store.ArticlesByIDs(r.ctx, store.Page, ids)
		if err != nil {
			return []error{err}
		}
		ctx = site.WithArticles(r.ctx, list)
	}
	var errs []error
	for _, p := range batch {
		if r.ctx.Err() != nil {
			break
		}
		if err := r.process(ctx, w, p); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// process renders one address, writes its file when its bytes changed,
// and schedules the addresses it links to that this export must render.
func (r *run) process(ctx context.Context, w *worker, p string) error {
	file := fileFor(p)
	if immutable(p) {
		// Hashed assets and photos never change under the same name.
		r.mu.Lock()
		prev, had := r.old.Files[file]
		r.mu.Unlock()
		if had && fileSize(filepath.Join(r.e.Dir, filepath.FromSlash(file))) == prev.Size {
			r.keep(file, p, prev)
			r.rendered.Add(1)
			r.unchanged.Add(1)
			return nil
		}
	}
	rec, err := r.render(ctx, p)
	if err != nil {
		return err
	}
	r.rendered.Add(1)
	switch {
	case rec.status == http.StatusOK || (p == notFoundPage && rec.status == http.StatusNotFound):
	case rec.status == http.StatusNotFound || rec.status == http.StatusGone:
		r.mu.Lock()
		if _, had := r.old.Files[file]; had {
			r.drop[file] = true
		}
		if !r.planned[p] {
			r.broken = append(r.broken, Missing{Path: p, From: r.from[p]})
		}
		if fam := familyOf(p); fam != "" && !strings.Contains(p, "/after/") {
			// A list with nothing left in it (a tag's last story
			// unpublished) has no page: nothing links to its feeds or
			// later pages any more either.
			for _, feed := range feedsOf(p) {
				r.orphans[fileFor(feed)] = true
			}
			for f := range r.old.Files {
				if strings.HasPrefix("/"+f, fam) {
					r.orphans[f] = true
				}
			}
		}
		r.mu.Unlock()
		return nil
	case rec.status >= 300 && rec.status < 400:
		if to, ok := r.internal(rec.header.Get("Location")); ok && fileFor(to) != file {
			// A moved page (an old slug, a renamed section): a static
			// host has no redirects, so the copy holds a page here that
			// sends the reader on.
			r.schedule(to, p)
			return r.store(file, p, r.movedPage(to))
		}
		// /news to /news/: one file serves both.
		r.mu.Lock()
		if _, had := r.old.Files[file]; had {
			r.drop[file] = true
		}
		r.mu.Unlock()
		if to, ok := r.internal(rec.header.Get("Location")); ok {
			r.schedule(to, p)
		}
		return nil
	default:
		return fmt.Errorf("%s: status %d", p, rec.status)
	}
	body := rec.body.Bytes()
	ctype := rec.header.Get("Content-Type")
	if p == searchPage {
		body = r.searchNote(body)
	}
	if err := r.store(file, p, body); err != nil {
		return err
	}
	if !textual(ctype) {
		return nil
	}
	links := r.links(w, body)
	if id, ok := r.byPath[p]; ok {
		r.recordMedia(id, links)
	}
	family, inChain := r.chainOf(p)
	for _, l := range links {
		switch {
		case r.full:
			r.schedule(l, p)
		case inChain && strings.HasPrefix(l, family):
			r.schedule(l, p)
		default:
			// Only what this export has not got: a page a change
			// created (a new tag, a new photo). What the copy has is
			// up to date unless the plan named it.
			r.mu.Lock()
			_, had := r.old.Files[fileFor(l)]
			r.mu.Unlock()
			if !had {
				r.schedule(l, p)
			}
		}
	}
	return nil
}

// recordMedia notes in the article index the photos an article's page
// shows, its lead photo and those in its text, by hash: the incremental
// export removes a photo's files when no article shows it any more
// (orphanMedia), which matters most when a photo is taken down.
func (r *run) recordMedia(id int64, links []string) {
	var hashes []string
	for _, l := range links {
		if h, ok := mediaHash(l); ok {
			hashes = append(hashes, h)
		}
	}
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)
	r.mu.Lock()
	if e, ok := r.articles[id]; ok {
		e.Media = hashes
		r.articles[id] = e
	}
	r.mu.Unlock()
}

// mediaHash is the content hash a photo's address names:
// "/media/d6/d603b4...-960.jpg" is "d603b4...".
func mediaHash(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, "/media/")
	if !ok {
		return "", false
	}
	_, name, ok := strings.Cut(rest, "/")
	if !ok {
		return "", false
	}
	h, _, ok := strings.Cut(name, "-")
	return h, ok && h != ""
}

// orphanMedia marks for removal the files of every photo an article
// showed at the last export and none shows now (its article unpublished,
// the photo replaced or taken out of the text). A full export needs none
// of this: it keeps only what its pages link to.
func (r *run) orphanMedia() {
	shown := map[string]bool{}
	for _, a := range r.articles {
		for _, h := range a.Media {
			shown[h] = true
		}
		if a.Photo != "" {
			shown[a.Photo] = true
		}
	}
	gone := map[string]bool{}
	for _, a := range r.old.Articles {
		for _, h := range append(a.Media, a.Photo) {
			if h != "" && !shown[h] {
				gone[h] = true
			}
		}
	}
	if len(gone) == 0 {
		return
	}
	for f := range r.files {
		if h, ok := mediaHash("/" + f); ok && gone[h] {
			r.orphans[f] = true
		}
	}
}

// movedPage is what the copy holds at an old address: a page that sends
// the reader to the new one at once (a refresh, which every browser and
// most crawlers follow, with a link for the rest), names it canonical for
// search engines, and asks not to be indexed itself.
func (r *run) movedPage(to string) []byte {
	e := html.EscapeString
	lang := r.site.Language(r.ctx)
	abs := r.base + to
	return []byte(`<!doctype html>
<html lang="` + e(lang) + `">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>This page has moved</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="` + e(abs) + `">
<meta http-equiv="refresh" content="0; url=` + e(to) + `">
</head>
<body>
<p>This page has moved to <a href="` + e(to) + `">` + e(abs) + `</a>.</p>
</body>
</html>
`)
}

// chainOf says whether p is the first or a later page of a list whose
// pages this export follows, and the prefix of that list's later pages.
func (r *run) chainOf(p string) (string, bool) {
	fam := familyOf(p)
	if fam == "" {
		return "", false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return fam, r.chains[fam]
}

// familyOf is the prefix of the later pages of the list p belongs to
// ("/news/after/" for /news/ and /news/after/123-4/; "/tag/x/after/" for
// /tag/x), or "" when p is not a list page.
func familyOf(p string) string {
	if i := strings.LastIndex(p, "/after/"); i > 0 && strings.HasSuffix(p, "/") {
		if _, ok := parseKey(strings.TrimSuffix(p[i+len("/after/"):], "/")); ok {
			return p[:i] + "/after/"
		}
	}
	switch {
	case strings.HasSuffix(p, "/") && p != "/":
		return p + "after/"
	case strings.HasPrefix(p, "/tag/") || strings.HasPrefix(p, "/author/"):
		if strings.Count(p, "/") == 2 {
			return p + "/after/"
		}
	}
	return ""
}

// keep records a file as part of the copy without writing it.
func (r *run) keep(file, p string, fe FileEntry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.files[file] = fe
	r.touched[file] = true
	r.owner[file] = p
}

// store puts a rendered body in the copy, writing it only when its bytes
// differ from the file's.
func (r *run) store(file, p string, body []byte) error {
	fe := fileEntry(body)
	r.mu.Lock()
	if o, ok := r.owner[file]; ok && o != p {
		// An article and a subsection of the same name in one section
		// (/news/world and /news/world/): a static host can serve only
		// one, so the copy lacks the other.
		r.broken = append(r.broken, Missing{Path: p, From: r.from[p], SameFile: o})
		r.mu.Unlock()
		r.e.log().Warn("two addresses map to one file; keeping the first", "file", file, "kept", o, "skipped", p)
		return nil
	}
	r.owner[file] = p
	prev, had := r.old.Files[file]
	r.files[file] = fe
	r.touched[file] = true
	r.mu.Unlock()
	full := filepath.Join(r.e.Dir, filepath.FromSlash(file))
	if had && prev == fe && fileSize(full) == fe.Size {
		r.unchanged.Add(1)
		return nil
	}
	if err := r.write(full, body); err != nil {
		return err
	}
	r.written.Add(1)
	return nil
}

// write puts a file of the copy in place, through a temporary file and a
// rename, so a static server serving the folder never sends half a page.
// (Writing new files straight to their names was tried: on this project's
// ext4 it took no fewer system-call cycles.) Each folder is made once per
// export.
func (r *run) write(full string, body []byte) error {
	if err := r.ensureDir(filepath.Dir(full)); err != nil {
		return err
	}
	return replaceFile(full, body)
}

// ensureDir makes a folder of the copy unless this export knows it exists.
// Most are an article's own folder in a section's, known by then: one
// mkdir, without the two stats MkdirAll makes first.
func (r *run) ensureDir(dir string) error {
	if _, ok := r.dirs.Load(dir); ok {
		return nil
	}
	if _, ok := r.dirs.Load(filepath.Dir(dir)); ok {
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	r.dirs.Store(dir, true)
	return nil
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return -1
	}
	return fi.Size()
}

func (e *Exporter) log() *slog.Logger {
	if e.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.Log
}

// removeStale deletes the files of pages that are gone: in a full export,
// every file of the old manifest not produced again; otherwise the files
// the plan or a render marked, unless rendered again after all.
func (r *run) removeStale() int {
	var gone []string
	if r.full {
		for f := range r.old.Files {
			if _, ok := r.files[f]; !ok {
				gone = append(gone, f)
			}
		}
	} else {
		for f := range r.drop {
			if !r.touched[f] && !r.orphans[f] {
				gone = append(gone, f)
			}
		}
		for f := range r.orphans {
			if _, ok := r.files[f]; ok {
				gone = append(gone, f)
			}
		}
	}
	n := 0
	for _, f := range gone {
		delete(r.files, f)
		full := filepath.Join(r.e.Dir, filepath.FromSlash(f))
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			r.e.log().Warn("cannot remove a stale file", "file", f, "err", err)
			continue
		}
		n++
		// Remove the folders the file leaves empty, up to the copy's root.
		for d := filepath.Dir(full); d != filepath.Clean(r.e.Dir) && strings.HasPrefix(d, filepath.Clean(r.e.Dir)); d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break
			}
		}
	}
	r.removed.Store(int64(n))
	return n
}

func (r *run) progress() Progress {
	return Progress{Queued: int(r.queued.Load()), Rendered: int(r.rendered.Load()), Written: int(r.written.Load()), Removed: int(r.removed.Load())}
}

// reportProgress calls Progress every 200 ms until the returned stop.
func (r *run) reportProgress() (stop func()) {
	if r.e.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				r.e.Progress(r.progress())
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// recorder is a ResponseWriter that keeps the answer.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }
func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// render asks the site for p as a reader on the primary address would.
func (r *run) render(ctx context.Context, p string) (*recorder, error) {
	u := &url.URL{Path: p}
	// A photo's crop copies are made when first asked for (see
	// media.HandlerMaking), here as on the live site: the export waits
	// for them rather than be refused while the server is busy, its
	// workers bounding how many it asks for at once.
	req, err := http.NewRequestWithContext(media.Patient(ctx), http.MethodGet, r.base+u.EscapedPath(), nil)
	if err != nil {
		return nil, err
	}
	req.RequestURI = u.EscapedPath()
	req.Host = r.host
	req.RemoteAddr = "127.0.0.1:0"
	if r.https {
		// The primary is served over HTTPS: let the site see this request
		// as one, so it writes what it writes for readers there.
		req.TLS = &tls.ConnectionState{HandshakeComplete: true, ServerName: r.e.Site.BaseURL.Hostname()}
	}
	rec := &recorder{header: http.Header{}}
	r.h.ServeHTTP(rec, req)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec, nil
}

// fileFor is the file that holds address p in the copy, named so that
// plain static servers (nginx's defaults, python -m http.server, GitHub
// Pages, Go's http.FileServer) answer p with it: "/" and the section fronts
// ("/news/europe/") are folders with an index.html; a page without a
// trailing slash ("/news/europe/some-story", "/tag/rivers") is a folder
// with an index.html too, which those servers answer after a redirect to
// the address with "/" added; everything else (feeds, sitemaps, assets,
// photos, robots.txt) has an extension and is a file of that name.
// Slugs never hold a ".", so no page is mistaken for a file.
func fileFor(p string) string {
	rel := strings.TrimPrefix(p, "/")
	switch {
	case rel == "" || strings.HasSuffix(rel, "/"):
		return rel + "index.html"
	case strings.Contains(path.Base(rel), "."):
		return rel
	}
	return rel + "/index.html"
}

// immutable addresses hold the same bytes for as long as they exist.
func immutable(p string) bool {
	return strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/media/")
}

func textual(ctype string) bool {
	for _, t := range []string{"text/", "xml", "json"} {
		if strings.Contains(ctype, t) {
			return true
		}
	}
	return false
}

// skipped are addresses a static copy cannot hold: the newsroom, the
// APIs, answers that depend on a query string.
func skipped(p string) bool {
	for _, pre := range []string{"/admin/", "/api/", "/oembed"} {
		if strings.HasPrefix(p, pre) || p+"/" == pre {
			return true
		}
	}
	return p == "/admin"
}

// validPath accepts a clean, absolute path with no hidden or parent
// segment, so that a link can never make the export write outside its
// folder or over its own temporary files.
func validPath(p string) bool {
	if p == "/" {
		return true
	}
	if !strings.HasPrefix(p, "/") || len(p) > 1024 || strings.ContainsAny(p, "\\\x00") || strings.Contains(p, "//") {
		return false
	}
	if path.Clean(p) != strings.TrimSuffix(p, "/") {
		return false
	}
	for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
		if strings.HasPrefix(seg, ".") {
			return false
		}
	}
	return true
}
