package site

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// memo keeps what many pages of one generation read alike: the section
// tree (every page's navigation, and most handlers' breadcrumbs and
// subtrees) and the articles of the feeds (the RSS, Atom and JSON files of
// one place list the same 50 articles). It is keyed by the version that
// every change the Site learns of moves (see settingsStale and
// contentStale), before the page cache is emptied, so nothing read in an
// older version reaches a page of the new generation: it is exactly as
// fresh as the page cache.
//
// The figures that made it worth having are in docs/performance.md: a
// full static export renders every page within one generation, and read
// the section tree three times per page and each feed's articles three
// times per place.
type memo struct {
	mu      sync.Mutex
	version uint64
	tree    *sectionTree
	// feeds are the articles of recently built feeds, by scope; a few
	// places at a time is enough, since the formats of one place are
	// asked for together (by an export) or not at all close in time.
	feeds     map[string][]*news.Article
	feedOrder []string             // oldest first, for eviction
	reading   map[string]*feedRead // feeds being read now, by scope
	// latest are the newest articles of a section, for "More from" on
	// its article pages (see related), by section id.
	latest map[int64][]*news.Article

	// sizes are the byte sizes of public media files, by key, for feed
	// enclosures. A key names its content (the hash and the width), so a
	// size never goes stale and is kept across versions; 50 file opens
	// per feed were a tenth of a feed's render.
	sizes  sync.Map // string -> int64
	nsizes atomic.Int64

	// kept are the section tree, the "More from" lists and the home
	// page's lists, kept across versions while no change names what they
	// show (see keptRead).
	keptTree   *sectionTree
	keptTreeAt keptRead
	keptLatest map[int64]keptList // by section id
	keptHome   *keptHomeLists
	// changes is the change log after changesFrom, read once in version
	// changesIn to check the kept reads; changesAll is false when there
	// may be more than it holds.
	changesIn   uint64
	changesFrom int64
	changes     []store.ChangeKeys
	changesAll  bool
}

// Kept reads. Most changes touch a story or two, and leave the section
// tree and most sections' "More from" lists as they were (and a draft's
// edits, tags and authors leave the home page's lists); yet each change
// made the next pages read them again (0.2 and 0.14 ms of a cold article
// page, 1 ms of the home page's, 100,000 articles). They are kept across versions with the id of
// the newest change before they were read and the surrogate keys of what
// they show, the same keys that purge a CDN (keys.go). In a new version,
// the first page that wants one reads the change log after the oldest kept
// read, once for all of them (one indexed query, of few rows), and a kept
// read that no later change names is used again. A change naming
// news.KeySite, more changes than one look at the log takes (keptLogRows),
// a failed read of the log or a kept read older than keptMaxAge, and the
// store is read again.
//
// A change that commits with a lower id than one already seen (concurrent
// writers on PostgreSQL) is found too: a kept read notes how many changes
// lay in the store.ReorderWindow below its id, and a look that finds more
// there drops it.
type keptRead struct {
	at int64 // the newest change id before the read
	// recent is how many changes were in the store.ReorderWindow below at
	// then: a later look that finds more saw one commit late.
	recent int64
	when   time.Time       // when it was read
	keys   map[string]bool // what it shows
}

// keptList is a kept "More from" list.
type keptList struct {
	list []*news.Article
	keptRead
}

const (
	// keptLogRows is the most changes read to check the kept reads.
	keptLogRows = 128
	// keptMaxAge is how long a read is kept at most.
	keptMaxAge = time.Minute
)

// newKeptRead returns the keptRead of a read about to be made, showing
// keys (and always news.KeySite): it reads the newest change id first, so
// a change made during the read is found later. ok is false when the
// change log cannot be read.
func (s *Site) newKeptRead(ctx context.Context, keys ...string) (r keptRead, ok bool) {
	pos, err := s.store.ChangePosition(ctx)
	if err != nil {
		return keptRead{}, false
	}
	r = keptRead{at: pos.ID, recent: pos.Recent, when: time.Now(), keys: make(map[string]bool, len(keys)+1)}
	r.keys[news.KeySite] = true
	for _, k := range keys {
		r.keys[k] = true
	}
	return r, true
}

// stillValid reports whether no change after r names what r shows: the
// change log is read once per version v, after the oldest kept read.
func (s *Site) stillValid(ctx context.Context, v uint64, r *keptRead) bool {
	if r.keys == nil || time.Since(r.when) > keptMaxAge {
		return false
	}
	m := &s.memo
	m.mu.Lock()
	fresh := m.changesIn == v && m.changesFrom <= r.lookFrom()
	changes, all := m.changes, m.changesAll
	from := r.lookFrom()
	if !fresh {
		// From the oldest kept read still young enough to be used; older
		// ones go, or one list nobody asks for would keep every look long
		// (and, past keptLogRows changes, make every check fail).
		young := func(k *keptRead) bool { return time.Since(k.when) <= keptMaxAge }
		if m.keptTree != nil {
			if young(&m.keptTreeAt) {
				from = min(from, m.keptTreeAt.lookFrom())
			} else {
				m.keptTree, m.keptTreeAt = nil, keptRead{}
			}
		}
		for id, k := range m.keptLatest {
			if young(&k.keptRead) {
				from = min(from, k.lookFrom())
			} else {
				delete(m.keptLatest, id)
			}
		}
		if m.keptHome != nil {
			if young(&m.keptHome.keptRead) {
				from = min(from, m.keptHome.lookFrom())
			} else {
				m.keptHome = nil
			}
		}
	}
	m.mu.Unlock()
	if !fresh {
		list, err := s.store.ChangesSince(ctx, from, keptLogRows)
		if err != nil {
			return false
		}
		changes, all = list, len(list) < keptLogRows
		m.mu.Lock()
		if m.current(v) && (m.changesIn != v || from < m.changesFrom) {
			m.changesIn, m.changesFrom, m.changes, m.changesAll = v, from, changes, all
		}
		m.mu.Unlock()
	}
	if !all {
		return false
	}
	var window int64
	for _, c := range changes {
		if c.ID <= r.at {
			if c.ID > r.lookFrom() {
				window++
			}
			continue
		}
		for _, k := range c.Keys {
			if r.keys[k] {
				return false
			}
		}
	}
	// More changes below r.at than when r was read: one committed late
	// (PostgreSQL, concurrent writers), and what it changed may not be in
	// r. Rare; read again.
	return window <= r.recent
}

// lookFrom is where a look at the change log must start for r: the
// ReorderWindow below the change r was read at, where a change committed
// late would land.
func (r *keptRead) lookFrom() int64 { return max(0, r.at-store.ReorderWindow) }

const (
	// memoFeeds bounds the feeds kept: each holds 50 whole articles.
	memoFeeds = 16
	// memoSizes bounds the media sizes kept (some 100 bytes each).
	memoSizes = 100_000
)

// sectionTree is every section, in the store's order, and the tree of them.
type sectionTree struct {
	*news.Tree
	all []news.Section
}

// current returns the memo's state for version v under m.mu, emptying it
// when v is newer. A reader of an older version (a render that began
// before a change) gets nothing kept, so it reads the store itself.
func (m *memo) current(v uint64) bool {
	if v > m.version {
		m.version, m.tree, m.feeds, m.feedOrder, m.reading, m.latest = v, nil, nil, nil, nil, nil
	}
	return v == m.version
}

// tree returns the section tree, read once per version.
func (s *Site) tree(ctx context.Context) (*sectionTree, error) {
	v := s.dist.version.Load()
	m := &s.memo
	m.mu.Lock()
	if m.current(v) && m.tree != nil {
		t := m.tree
		m.mu.Unlock()
		return t, nil
	}
	kept, keptAt := m.keptTree, m.keptTreeAt
	m.mu.Unlock()
	// Read outside the lock: a slow read must not hold up pages that
	// need no tree. Two first readers may both read; either answer is of
	// version v or newer.
	if kept != nil && s.stillValid(ctx, v, &keptAt) {
		m.mu.Lock()
		if m.current(v) && m.tree == nil {
			m.tree = kept
		}
		m.mu.Unlock()
		return kept, nil
	}
	// The tree is the navigation, breadcrumbs and section names of every
	// page: a change to a section names news.KeyLayout.
	at, keep := s.newKeptRead(ctx, news.KeyLayout)
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return nil, err
	}
	t := &sectionTree{Tree: news.NewTree(secs), all: secs}
	m.mu.Lock()
	if m.current(v) {
		m.tree = t
		if keep && (m.keptTree == nil || at.at >= m.keptTreeAt.at) {
			m.keptTree, m.keptTreeAt = t, at
		}
	}
	m.mu.Unlock()
	return t, nil
}

// sectionByPath is store.SectionByPath answered from the tree.
func (s *Site) sectionByPath(ctx context.Context, path string) (news.Section, *sectionTree, error) {
	t, err := s.tree(ctx)
	if err != nil {
		return news.Section{}, nil, err
	}
	for _, sec := range t.all {
		if sec.Path == path {
			return sec, t, nil
		}
	}
	return news.Section{}, nil, news.NotFound("no section %q", path)
}

// feedArticles returns the newest articles of filter f a feed holds
// (feedLimit), whole,
// read once per version and scope whichever format is asked for. The
// formats of one place are often asked for at the same moment (an export
// renders them side by side): the first read is shared, not repeated.
func (s *Site) feedArticles(ctx context.Context, f store.ArticleFilter) ([]*news.Article, error) {
	f.Limit = feedLimit(f)
	key := fmt.Sprint(f.SectionIDs, f.TagID, f.AuthorID)
	v := s.dist.version.Load()
	m := &s.memo
	m.mu.Lock()
	if !m.current(v) {
		// A render of an older version: read for itself, keep nothing.
		m.mu.Unlock()
		return s.readFeed(ctx, f)
	}
	if list, ok := m.feeds[key]; ok {
		m.mu.Unlock()
		return list, nil
	}
	if c, ok := m.reading[key]; ok {
		m.mu.Unlock()
		<-c.done
		if c.err != nil {
			return s.readFeed(ctx, f) // its context may have ended; not ours
		}
		return c.list, nil
	}
	c := &feedRead{done: make(chan struct{})}
	if m.reading == nil {
		m.reading = map[string]*feedRead{}
	}
	m.reading[key] = c
	m.mu.Unlock()

	c.list, c.err = s.readFeed(ctx, f)
	m.mu.Lock()
	if m.reading[key] == c {
		delete(m.reading, key)
	}
	if c.err == nil && m.current(v) {
		if m.feeds == nil {
			m.feeds = map[string][]*news.Article{}
		}
		if _, ok := m.feeds[key]; !ok {
			if len(m.feedOrder) >= memoFeeds {
				delete(m.feeds, m.feedOrder[0])
				m.feedOrder = m.feedOrder[1:]
			}
			m.feedOrder = append(m.feedOrder, key)
		}
		m.feeds[key] = c.list
	}
	m.mu.Unlock()
	close(c.done)
	return c.list, c.err
}

// feedRead is a read of a feed's articles that others wait for.
type feedRead struct {
	done chan struct{}
	list []*news.Article
	err  error
}

// readFeed reads the articles of a feed: a page of the list, then those
// articles whole.
func (s *Site) readFeed(ctx context.Context, f store.ArticleFilter) ([]*news.Article, error) {
	list, err := s.store.PublishedArticles(ctx, f)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	return s.store.ArticlesByIDs(ctx, store.Page, ids)
}

// mediaSize returns the size in bytes of the public media file key, or 0
// when it cannot be read.
func (s *Site) mediaSize(key string) int64 {
	m := &s.memo
	if n, ok := m.sizes.Load(key); ok {
		return n.(int64)
	}
	if s.media == nil {
		return 0
	}
	f, err := s.media.Open(key)
	if err != nil {
		return 0
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0
	}
	if m.nsizes.Load() < memoSizes {
		if _, loaded := m.sizes.LoadOrStore(key, fi.Size()); !loaded {
			m.nsizes.Add(1)
		}
	}
	return fi.Size()
}

// memoSections bounds the sections whose latest articles are kept.
const memoSections = 256

// relatedCount is how many other stories of its section an article page
// shows under "More from".
const relatedCount = 4

// related returns the newest published articles of section id other than
// the article not, at most relatedCount. The section's newest
// relatedCount+1 are read once per version and shared by every article of
// the section: an export renders thousands of articles of a few dozen
// sections in one version. Leaving one article out of the newest five and
// keeping four is the same as asking for four without it.
func (s *Site) related(ctx context.Context, id, not int64) ([]*news.Article, error) {
	v := s.dist.version.Load()
	m := &s.memo
	m.mu.Lock()
	list, ok := []*news.Article(nil), false
	if m.current(v) {
		list, ok = m.latest[id]
	}
	kept, wasKept := m.keptLatest[id]
	m.mu.Unlock()
	if !ok && wasKept && s.stillValid(ctx, v, &kept.keptRead) {
		list, ok = kept.list, true
		s.keepLatest(v, id, list, nil)
	}
	if !ok {
		// The list is the section's newest: a publication in it names the
		// section's key; its cards show the articles, their authors and
		// their sections' names and paths.
		at, keep := s.newKeptRead(ctx, news.SectionKey(id), news.KeyLayout)
		var err error
		list, err = s.store.PublishedArticles(ctx, store.ArticleFilter{SectionIDs: []int64{id}, Limit: relatedCount + 1})
		if err != nil {
			return nil, err
		}
		if keep {
			k := newPageKeys()
			k.cards(list)
			for _, key := range k.items {
				at.keys[key] = true
			}
			s.keepLatest(v, id, list, &keptList{list: list, keptRead: at})
		} else {
			s.keepLatest(v, id, list, nil)
		}
	}
	out := make([]*news.Article, 0, relatedCount)
	for _, a := range list {
		if a.ID != not && len(out) < relatedCount {
			out = append(out, a)
		}
	}
	return out, nil
}

// keepLatest keeps section id's newest articles for version v, and kept
// across versions when k is given.
func (s *Site) keepLatest(v uint64, id int64, list []*news.Article, k *keptList) {
	m := &s.memo
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.current(v) {
		return
	}
	if len(m.latest) < memoSections {
		if m.latest == nil {
			m.latest = map[int64][]*news.Article{}
		}
		m.latest[id] = list
	}
	if k != nil {
		if old, ok := m.keptLatest[id]; ok && old.at > k.at {
			return // a read begun later is kept already
		}
		if _, ok := m.keptLatest[id]; !ok && len(m.keptLatest) >= memoSections {
			for old := range m.keptLatest { // any one: a bound, not an LRU
				delete(m.keptLatest, old)
				break
			}
		}
		if m.keptLatest == nil {
			m.keptLatest = map[int64]keptList{}
		}
		m.keptLatest[id] = *k
	}
}

// keptHomeLists are the home page's lists (Store.HomeLists) for args.
type keptHomeLists struct {
	args   string // the arguments they were read with
	latest []*news.Article
	blocks [][]*news.Article
	keptRead
}

// homeLists is Store.HomeLists, kept across versions until a change names
// the home page (every change to a published story does, and a change of
// the top stories), a section, or an article or author on a card.
func (s *Site) homeLists(ctx context.Context, pinned []int64, skip, n int, groups [][]int64, limit int) ([]*news.Article, [][]*news.Article, error) {
	args := fmt.Sprint(pinned, skip, n, groups, limit)
	v := s.dist.version.Load()
	m := &s.memo
	m.mu.Lock()
	kept := m.keptHome
	m.mu.Unlock()
	if kept != nil && kept.args == args && s.stillValid(ctx, v, &kept.keptRead) {
		return kept.latest, kept.blocks, nil
	}
	at, keep := s.newKeptRead(ctx, news.KeyHome, news.KeyLayout)
	latest, blocks, err := s.store.HomeLists(ctx, pinned, skip, n, groups, limit)
	if err != nil || !keep {
		return latest, blocks, err
	}
	k := newPageKeys()
	k.cards(latest)
	for _, b := range blocks {
		k.cards(b)
	}
	for _, key := range k.items {
		at.keys[key] = true
	}
	m.mu.Lock()
	if m.current(v) && (m.keptHome == nil || at.at >= m.keptHome.at) {
		m.keptHome = &keptHomeLists{args: args, latest: latest, blocks: blocks, keptRead: at}
	}
	m.mu.Unlock()
	return latest, blocks, nil
}
