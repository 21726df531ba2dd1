package site

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

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

	// cards are articles' cards as HTML, by what they show; kept across
	// versions (see cards.go).
	cards cardMemo
}

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
	m.mu.Unlock()
	// Read outside the lock: a slow read must not hold up pages that
	// need no tree. Two first readers may both read; either answer is of
	// version v or newer.
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return nil, err
	}
	t := &sectionTree{Tree: news.NewTree(secs), all: secs}
	m.mu.Lock()
	if m.current(v) {
		m.tree = t
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

// feedArticles returns the newest feedItems articles of filter f, whole,
// read once per version and scope whichever format is asked for. The
// formats of one place are often asked for at the same moment (an export
// renders them side by side): the first read is shared, not repeated.
func (s *Site) feedArticles(ctx context.Context, f store.ArticleFilter) ([]*news.Article, error) {
	f.Limit = feedItems
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
	return s.store.ArticlesByIDs(ctx, ids)
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
	m.mu.Unlock()
	if !ok {
		var err error
		list, err = s.store.PublishedArticles(ctx, store.ArticleFilter{SectionIDs: []int64{id}, Limit: relatedCount + 1})
		if err != nil {
			return nil, err
		}
		m.mu.Lock()
		if m.current(v) && len(m.latest) < memoSections {
			if m.latest == nil {
				m.latest = map[int64][]*news.Article{}
			}
			m.latest[id] = list
		}
		m.mu.Unlock()
	}
	out := make([]*news.Article, 0, relatedCount)
	for _, a := range list {
		if a.ID != not && len(out) < relatedCount {
			out = append(out, a)
		}
	}
	return out, nil
}
