package site

import (
	"net/http"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Headers for a CDN in front of the site. Every cacheable public answer
// names what it shows in Surrogate-Key (Fastly's name; space-separated)
// and Cache-Tag (Cloudflare's; comma-separated), the same keys in both;
// each change in the store names the keys it touches (news.ArticleKey and
// the others), and the purge hook (purge.go) sends them to the CDN.
const (
	// cacheKeyed is for an answer that names its keys while a purge hook
	// is set. Browsers cannot be purged, so they keep a page a minute;
	// the CDN is purged by key at each change, so it may keep the page an
	// hour: the hour only bounds how long a lost purge (the CDN's API down
	// past our retries) can leave a page stale. Past its age an answer may
	// still be served for a minute while a fresh one is fetched, and for
	// a day while this server fails.
	cacheKeyed = "public, max-age=60, s-maxage=3600, stale-while-revalidate=60, stale-if-error=86400"
	// cacheShort is for everything else public: an answer that cannot be
	// purged by key (search results, which depend on every article; the
	// news sitemap, which changes with the clock), and every answer when
	// no purge hook is set, since then nothing would ever tell a CDN that
	// a page changed. A CDN keeps it as long as a browser: a minute.
	cacheShort = "public, max-age=60, stale-while-revalidate=60, stale-if-error=86400"
	// cacheNever is for failures: the next request must try again.
	cacheNever = "no-store"
)

// maxKeysHeader bounds the length of the Surrogate-Key and Cache-Tag
// values. Fastly and Cloudflare each take 16 KB, but proxies on the way
// often keep all of an answer's headers in a 4 or 8 KB buffer (nginx's
// proxy_buffer_size), and the same keys are sent twice. A front of 100
// articles with their authors needs about 2 KB.
const maxKeysHeader = 4000

// pageKeys collects the surrogate keys of one answer: its own (the page's
// subject: an article, a section, "home"), which are always sent, and
// those of the items it lists, which give way to news.KeyLists when the
// whole would be too long.
type pageKeys struct {
	own, items []string
}

func newPageKeys(own ...string) *pageKeys { return &pageKeys{own: own} }

// add adds own keys.
func (k *pageKeys) add(keys ...string) { k.own = append(k.own, keys...) }

// cards adds the keys of listed articles as cards show them: the article
// and its authors, whose names are on the card.
func (k *pageKeys) cards(list []*news.Article) {
	for _, a := range list {
		k.items = append(k.items, news.ArticleKey(a.ID))
		for _, b := range a.Bylines {
			k.items = append(k.items, news.AuthorKey(b.ID))
		}
	}
}

// feedItems adds the keys of articles as a feed shows them: cards, and
// their tags, which feeds list as categories.
func (k *pageKeys) feedItems(list []*news.Article) {
	k.cards(list)
	for _, a := range list {
		for _, t := range a.Tags {
			k.items = append(k.items, news.TagKey(t.ID))
		}
	}
}

// list returns the keys to send, own first, without repeats. When the
// items do not fit in maxKeysHeader, news.KeyLists stands for them (a
// change to any article on the list purges the page's own key anyway).
// nil means the page cannot be named within the bound; it is then sent as
// an answer with no keys.
func (k *pageKeys) list() []string {
	if k == nil {
		return nil
	}
	own := news.PurgeKeys(k.own)
	size := keysLen(own)
	if size > maxKeysHeader {
		return nil
	}
	out := own
	seen := make(map[string]bool, len(own)+len(k.items))
	for _, key := range own {
		seen[key] = true
	}
	for _, key := range news.PurgeKeys(k.items) {
		if seen[key] {
			continue
		}
		seen[key] = true
		if size += len(key) + 1; size > maxKeysHeader {
			return append(own[:len(own):len(own)], news.KeyLists)
		}
		out = append(out, key)
	}
	return out
}

func keysLen(keys []string) int {
	n := 0
	for _, k := range keys {
		n += len(k) + 1
	}
	return n
}

// articleKeys are the keys of an article page: the article, its section
// (whose other articles it lists as related), its tags and authors (named
// on the page), and the related articles shown. Its ancestor sections are
// not among them, though their names are in the breadcrumbs: a section
// change purges news.KeyLayout, on every page, and naming them would make
// every publication in a big section purge every article under it.
func articleKeys(a *news.Article, related []*news.Article) *pageKeys {
	k := newPageKeys(news.ArticleKey(a.ID), news.SectionKey(a.Section.ID))
	for _, t := range a.Tags {
		k.add(news.TagKey(t.ID))
	}
	for _, b := range a.Bylines {
		k.add(news.AuthorKey(b.ID))
	}
	k.cards(related)
	return k
}

// scopeKey is the key of what a list or feed selects: a tag, an author, a
// section (SectionIDs holds the section's subtree, the section first), or
// everything published, which is the home page's.
func scopeKey(f store.ArticleFilter) string {
	switch {
	case f.TagID != 0:
		return news.TagKey(f.TagID)
	case f.AuthorID != 0:
		return news.AuthorKey(f.AuthorID)
	case len(f.SectionIDs) > 0:
		return news.SectionKey(f.SectionIDs[0])
	}
	return news.KeyHome
}

// cacheHeaders sets Cache-Control, and the keys when there are any, for an
// answer with this status. Keys are what let a CDN keep a page long;
// without them, or without a purge hook to use them, it keeps it briefly.
func (s *Site) cacheHeaders(h http.Header, status int, k *pageKeys) {
	h.Del("Surrogate-Key")
	h.Del("Cache-Tag")
	if status >= 500 {
		h.Set("Cache-Control", cacheNever)
		return
	}
	// Without a purge hook nothing would ever purge by key, and every
	// reader would get a kilobyte or two of keys with each page: they are
	// sent only to a CDN that is told of changes.
	if s.cfg.PurgeURL == nil {
		h.Set("Cache-Control", cacheShort)
		return
	}
	keys := k.list()
	if len(keys) == 0 {
		h.Set("Cache-Control", cacheShort)
		return
	}
	h.Set("Surrogate-Key", strings.Join(keys, " "))
	h.Set("Cache-Tag", strings.Join(keys, ","))
	if s.cfg.PurgeURL != nil {
		h.Set("Cache-Control", cacheKeyed)
	} else {
		h.Set("Cache-Control", cacheShort)
	}
}

// redirect answers a page that moved with a 301. It is cached like a
// not-found page, under news.KeyMissing: a change that moves an address
// purges it, so a page moved back is not hidden behind an old redirect.
func (s *Site) redirect(w http.ResponseWriter, r *http.Request, to string) {
	s.cacheHeaders(w.Header(), http.StatusMovedPermanently, newPageKeys(news.KeyMissing, news.KeySite))
	http.Redirect(w, r, to, http.StatusMovedPermanently)
}

// listKeys are the keys of a list page: its scope's key and the cards it
// shows.
func listKeys(scope string, list []*news.Article) *pageKeys {
	k := newPageKeys(scope)
	k.cards(list)
	return k
}
