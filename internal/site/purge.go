package site

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The purge hook: after each change the watcher sees, the surrogate keys
// the change names are POSTed to Config.PurgeURL as {"keys": [...]}, for
// a small adapter (or the CDN itself) to purge. Every instance sharing a
// database sees every change and purges it: purges are idempotent, and it
// is what makes them correct, since each instance purges only after its
// own page cache has dropped the old pages, so the last purge of a change
// comes after the last instance to hold an old copy let go of it.

// ParsePurgeURL checks a --purge-url address: an absolute http or https
// URL, which may carry credentials for the receiver. An empty string is no
// hook.
func ParsePurgeURL(raw string) (*url.URL, error) {
	return parseEndpoint("--purge-url", raw, true, "the absolute http:// or https:// address that receives the keys to purge")
}

// Limits of the purge hook. A receiver that does not answer costs a
// background goroutine at most purgeAttempts*purgeTimeout plus the
// backoff, never the watcher or a reader; changes that arrive meanwhile
// go out together in the next batch.
const (
	purgeTimeout  = 10 * time.Second
	purgeAttempts = 4
	purgeBackoff  = time.Second // doubled after each failed attempt: 1 s, 2 s, 4 s
	// purgeMaxKeys is how many keys one request carries; a batch with
	// more is sent in several requests. Fastly's bulk purge takes 256.
	purgeMaxKeys = 256
	// purgeMaxChanges bounds the change log entries one batch reads;
	// past it (a flood of changes) the batch purges "site".
	purgeMaxChanges = 1000
)

// purgeHook is the Site's purger, started on the first change.
type purgeHook struct {
	once sync.Once
	p    *purger
}

// purger sends the keys of changes to the purge URL in the background.
type purger struct {
	url     *url.URL
	client  *http.Client
	backoff time.Duration
	queue   *changeQueue
}

// purgeBody is what the hook receives.
type purgeBody struct {
	Keys []string `json:"keys"`
}

// queuePurge queues the changes after change id from, up to to, for the
// purge hook, starting the purger on first use; it never blocks.
func (s *Site) queuePurge(ctx context.Context, from, to int64) {
	if s.cfg.PurgeURL == nil {
		return
	}
	s.purge.once.Do(func() {
		p := &purger{url: s.cfg.PurgeURL, client: &http.Client{Timeout: purgeTimeout}, backoff: purgeBackoff,
			queue: newChangeQueue()}
		s.purge.p = p
		go p.queue.run(ctx, func(from, to int64) { s.sendPurge(ctx, p, from, to) })
	})
	s.purge.p.queue.add(from, to)
}

// sendPurge sends the keys of the changes after change id from, up to to,
// in batches the receiver takes.
func (s *Site) sendPurge(ctx context.Context, p *purger, from, to int64) {
	keys := s.changedKeys(ctx, from, to)
	sent := true
	for len(keys) > 0 {
		batch := keys[:min(len(keys), purgeMaxKeys)]
		keys = keys[len(batch):]
		if err := p.send(ctx, batch); err != nil {
			if ctx.Err() != nil {
				return
			}
			sent = false
			s.log.Warn("purge: the CDN was not told of a change; its pages may stay stale up to their s-maxage",
				"host", p.url.Host, "keys", len(batch), "changes_after", from, "err", err)
		}
	}
	if sent {
		s.setMark(ctx, markPurge, to)
	}
}

// setMark records that the changes up to to were sent to a worker's
// receiver (see catchUp); a failure costs only a resend after a restart.
func (s *Site) setMark(ctx context.Context, name string, to int64) {
	if err := s.store.SetMark(ctx, name, to); err != nil && ctx.Err() == nil {
		s.log.Warn("cannot record how far the change log was sent", "to", name, "err", err)
	}
}

// changedKeys returns the keys to purge for the changes after change id
// from, up to to. When the log cannot be read, or holds more than one
// batch may read, it is "site": a purge too wide costs the CDN some
// fetches, one too narrow leaves readers a stale page.
func (s *Site) changedKeys(ctx context.Context, from, to int64) []string {
	keys, err := s.keysSince(ctx, from, to, purgeMaxChanges)
	if err != nil {
		s.log.Warn("purge: cannot read the change log; purging everything", "err", err)
		return []string{news.KeySite}
	}
	for _, k := range keys {
		if k == news.KeySite {
			return []string{news.KeySite} // everything: the rest adds nothing
		}
	}
	return keys
}

// errPermanent marks an answer that trying again will not change.
var errPermanent = errors.New("refused")

// send POSTs one batch of keys, trying again with a growing pause while
// the receiver is unreachable or answers 5xx, 408 or 429.
func (p *purger) send(ctx context.Context, keys []string) error {
	body, err := json.Marshal(purgeBody{Keys: keys})
	if err != nil {
		return err
	}
	pause := p.backoff
	for attempt := 1; ; attempt++ {
		err = p.post(ctx, body)
		if err == nil || errors.Is(err, errPermanent) || attempt == purgeAttempts {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		pause *= 2
	}
}

// post makes one request.
func (p *purger) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %v", errPermanent, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Newsdesk purge hook")
	res, err := p.client.Do(req)
	if err != nil {
		// Without the URL, which may hold the receiver's token.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return err
	}
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // so the connection is reused
	res.Body.Close()
	switch {
	case res.StatusCode >= 200 && res.StatusCode < 300:
		return nil
	case res.StatusCode >= 500, res.StatusCode == http.StatusRequestTimeout, res.StatusCode == http.StatusTooManyRequests:
		return fmt.Errorf("the receiver answered %s", res.Status)
	default:
		return fmt.Errorf("%w: the receiver answered %s", errPermanent, res.Status)
	}
}
