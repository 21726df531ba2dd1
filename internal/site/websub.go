package site

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/news"
)

// ParseWebSubHub checks a --websub-hub address: an absolute http or https
// URL. An empty string is no hub.
func ParseWebSubHub(raw string) (*url.URL, error) {
	return parseEndpoint("--websub-hub", raw, false, "the hub's absolute http:// or https:// address, such as https://pubsubhubbub.appspot.com/")
}

// parseEndpoint checks the address of a service the site sends requests
// to: an absolute http or https URL, with credentials only when the
// service takes them there. An empty string is no service. want says, in
// the error, what to give.
func parseEndpoint(flag, raw string, credentials bool, want string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.User != nil && !credentials) || u.Fragment != "" {
		return nil, fmt.Errorf("%s %q: give %s", flag, raw, want)
	}
	return u, nil
}

// Time limits for telling the hub. A hub that does not answer costs a
// background goroutine this long, never a reader's request.
const (
	hubRequestTimeout = 10 * time.Second
	hubBatchTimeout   = 60 * time.Second
	// hubMaxPlaces bounds the sections, tags and authors whose feeds one
	// batch announces; beyond it only the home feeds are.
	hubMaxPlaces = 100
	// hubMaxChanges bounds the change log entries one batch reads.
	hubMaxChanges = 1000
)

// announcer tells the WebSub hub about changed feeds in the background.
type announcer struct {
	hub   feed.Hub
	queue *changeQueue
}

// contentChanged is what the change watcher does when the change log
// moves from change id from to to: settings first, then the page cache, so
// no page is rendered in the new generation with old settings; then the
// hub and the CDN, after the cache, so what they fetch again is new.
func (s *Site) contentChanged(ctx context.Context, from, to int64) {
	if s.settingsTouched(ctx, from, to) {
		s.settingsStale()
	} else {
		s.contentStale()
	}
	s.cache.Invalidate()
	s.announce(ctx, from, to)
	s.queuePurge(ctx, from, to)
}

// announce queues the changes after change id from, up to to, for the
// hub, starting the announcer on first use; it never blocks.
func (s *Site) announce(ctx context.Context, from, to int64) {
	if s.cfg.WebSubHub == nil {
		return
	}
	d := &s.dist
	d.hubOnce.Do(func() {
		a := &announcer{
			hub:   feed.Hub{URL: s.cfg.WebSubHub.String(), Client: &http.Client{Timeout: hubRequestTimeout}},
			queue: newChangeQueue(),
		}
		d.hub = a
		go a.queue.run(ctx, func(from, to int64) { s.announceChanges(ctx, a, from, to) })
	})
	d.hub.queue.add(from, to)
}

// announceChanges tells the hub of every feed the changes after change id
// from, up to to, touched.
func (s *Site) announceChanges(ctx context.Context, a *announcer, from, to int64) {
	bctx, cancel := context.WithTimeout(ctx, hubBatchTimeout)
	defer cancel()
	topics, complete := s.changedFeeds(bctx, from, to)
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
	if failed > 0 {
		s.log.Warn("websub: the hub was not told of every changed feed", "hub", a.hub.URL, "failed", failed, "of", len(topics), "err", first)
		return
	}
	if complete {
		// Only when every changed feed was named: a list cut short by the
		// database (the home feeds alone) is sent again after a restart.
		s.setMark(ctx, markWebSub, to)
	}
}

// changedFeeds lists the absolute URLs of the feeds that changes after
// change id from touched, read from the surrogate keys each change names:
// the home feeds for "home" (every change to a published article names it)
// and "site"; a section's feeds for its key (a change to an article names
// its section and every one above, where it was and where it is); a tag's
// and an author's feeds for theirs.
//
// complete is false when the database failed on the way and the list
// holds only what could be read (at least the home feeds).
func (s *Site) changedFeeds(ctx context.Context, from, to int64) (urls []string, complete bool) {
	keys, err := s.keysSince(ctx, from, to, hubMaxChanges)
	if err != nil {
		s.log.Warn("websub: cannot read the change log; announcing the home feeds only", "err", err)
		return s.feedURLs([]string{"/"}), false
	}
	bases, complete := s.feedBases(ctx, keys)
	return s.feedURLs(bases), complete
}

// feedBases maps surrogate keys to the places whose feeds they name ("/",
// "/news/europe/", "/tag/rivers/"). A place that no longer exists is left
// out; beyond hubMaxPlaces places (a bulk import) only the home feeds are
// named, which is also all a "site" purge announces.
func (s *Site) feedBases(ctx context.Context, keys []string) (bases []string, complete bool) {
	complete = true
	seen := map[string]bool{}
	add := func(base string) {
		if !seen[base] {
			seen[base] = true
			bases = append(bases, base)
		}
	}
	type place struct {
		kind string
		id   int64
	}
	var places []place
	for _, k := range keys {
		if k == news.KeyHome || k == news.KeySite {
			add("/")
		}
		if kind, id, ok := news.KeyID(k); ok && kind != "article" {
			places = append(places, place{kind, id})
		}
	}
	if len(places) > hubMaxPlaces {
		add("/") // by design: a flood announces the home feeds
		return bases, true
	}
	var tree *news.Tree
	for _, p := range places {
		switch p.kind {
		case "section":
			if tree == nil {
				secs, err := s.store.Sections(ctx)
				if err != nil {
					add("/") // the database is gone: the home feeds still go
					return bases, false
				}
				tree = news.NewTree(secs)
			}
			if anc := tree.Ancestry(p.id); len(anc) > 0 {
				add(anc[len(anc)-1].URL())
			}
		case "tag":
			t, err := s.store.TagByID(ctx, p.id)
			if err == nil {
				add(t.URL() + "/")
			} else if news.ErrorCode(err) != news.ENOTFOUND {
				complete = false
			}
		case "author":
			a, err := s.store.AuthorByID(ctx, p.id)
			if err == nil {
				add(a.URL() + "/")
			} else if news.ErrorCode(err) != news.ENOTFOUND {
				complete = false
			}
		}
	}
	return bases, complete
}

// feedURLs returns the absolute URLs of every feed format under each base.
func (s *Site) feedURLs(bases []string) []string {
	var out []string
	for _, b := range bases {
		for _, f := range feedFormats {
			out = append(out, s.cfg.abs(b+f.name))
		}
	}
	return out
}
