package site

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/news"
)

// ParseWebSubHub checks a --websub-hub address: an absolute http or https
// URL. An empty string is no hub.
func ParseWebSubHub(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, fmt.Errorf("--websub-hub %q: give the hub's absolute http:// or https:// address, such as https://pubsubhubbub.appspot.com/", raw)
	}
	return u, nil
}

// Time limits for telling the hub. A hub that does not answer costs a
// background goroutine this long, never a reader's request.
const (
	hubRequestTimeout = 10 * time.Second
	hubBatchTimeout   = 60 * time.Second
	// hubMaxArticles bounds the articles whose feeds one batch announces;
	// beyond it (an import of thousands) only the home feeds are.
	hubMaxArticles = 100
)

// announcer tells the WebSub hub about changed feeds in the background. The
// change watcher only records where the unannounced changes begin and
// wakes it; changes that arrive while it works are announced in its next
// batch, together.
type announcer struct {
	hub  feed.Hub
	mu   sync.Mutex
	from int64 // announce changes after this change id; -1: nothing waiting
	wake chan struct{}
}

// contentChanged is what the change watcher does when the change log
// moves from change id from to to: settings first, then the page cache, so
// no page is rendered in the new generation with old settings; then the
// hub, after the cache, so it fetches the new feeds.
func (s *Site) contentChanged(ctx context.Context, from, to int64) {
	s.settingsStale()
	s.cache.Invalidate()
	s.announce(ctx, from)
}

// announce queues the changes after change id from for the hub, starting
// the announcer on first use; it never blocks.
func (s *Site) announce(ctx context.Context, from int64) {
	if s.cfg.WebSubHub == nil {
		return
	}
	d := &s.dist
	d.hubOnce.Do(func() {
		d.hub = &announcer{
			hub:  feed.Hub{URL: s.cfg.WebSubHub.String(), Client: &http.Client{Timeout: hubRequestTimeout}},
			from: -1,
			wake: make(chan struct{}, 1),
		}
		go s.runAnnouncer(ctx, d.hub)
	})
	a := d.hub
	a.mu.Lock()
	if a.from < 0 || from < a.from {
		a.from = from
	}
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default: // awake already; it will see the new from
	}
}

// runAnnouncer announces queued changes until ctx ends.
func (s *Site) runAnnouncer(ctx context.Context, a *announcer) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-a.wake:
		}
		a.mu.Lock()
		from := a.from
		a.from = -1
		a.mu.Unlock()
		if from < 0 {
			continue
		}
		bctx, cancel := context.WithTimeout(ctx, hubBatchTimeout)
		topics := s.changedFeeds(bctx, from)
		failed := 0
		var first error
		for _, t := range topics {
			if err := a.hub.Publish(bctx, t); err != nil {
				failed++
				if first == nil {
					first = err
				}
			}
		}
		cancel()
		if failed > 0 {
			s.log.Warn("websub: the hub was not told of every changed feed", "hub", a.hub.URL, "failed", failed, "of", len(topics), "err", first)
		}
	}
}

// changedFeeds lists the absolute URLs of the feeds that changes after
// change id from touched: always the home feeds; for each changed article,
// the feeds of its section and the sections above, of its tags and of its
// authors.
func (s *Site) changedFeeds(ctx context.Context, from int64) []string {
	bases := []string{"/"}
	seen := map[string]bool{"/": true}
	add := func(base string) {
		if !seen[base] {
			seen[base] = true
			bases = append(bases, base)
		}
	}
	whats, err := s.store.ChangesSince(ctx, from, 10*hubMaxArticles)
	if err != nil {
		s.log.Warn("websub: cannot read the change log; announcing the home feeds only", "err", err)
	}
	var ids []int64
	idSeen := map[int64]bool{}
	for _, w := range whats {
		kind, arg, _ := strings.Cut(w, " ")
		if kind != "article" && kind != "corrections" {
			continue
		}
		if id, err := strconv.ParseInt(arg, 10, 64); err == nil && !idSeen[id] {
			idSeen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) > 0 && len(ids) <= hubMaxArticles {
		if secs, err := s.store.Sections(ctx); err == nil {
			tree := news.NewTree(secs)
			for _, id := range ids {
				a, err := s.store.ArticleByID(ctx, id)
				if err != nil {
					continue // deleted since, or the database is gone: the home feeds still go
				}
				for _, sec := range tree.Ancestry(a.Section.ID) {
					add(sec.URL())
				}
				for _, t := range a.Tags {
					add(t.URL() + "/")
				}
				for _, b := range a.Bylines {
					add(b.URL() + "/")
				}
			}
		}
	}
	var out []string
	for _, b := range bases {
		for _, f := range feedFormats {
			out = append(out, s.cfg.abs(b+f.name))
		}
	}
	return out
}
