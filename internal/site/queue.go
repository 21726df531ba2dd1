package site

import (
	"context"
	"sync"

	"github.com/newsdesk/newsdesk/internal/news"
)

// changeQueue hands ranges of the change log to one background worker
// (the WebSub announcer, the purge hook). The watcher widens the range
// waiting and wakes the worker, and never waits for it; changes that
// arrive while the worker is busy go out together in its next batch.
type changeQueue struct {
	mu       sync.Mutex
	from, to int64 // changes after from, up to to, wait; from < 0: none
	wake     chan struct{}
}

func newChangeQueue() *changeQueue {
	return &changeQueue{from: -1, wake: make(chan struct{}, 1)}
}

// add queues the changes after change id from, up to to.
func (q *changeQueue) add(from, to int64) {
	q.mu.Lock()
	if q.from < 0 || from < q.from {
		q.from = from
	}
	q.to = max(q.to, to)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default: // awake already; it will see the wider range
	}
}

// run calls do with each range waiting, one at a time, until ctx ends.
func (q *changeQueue) run(ctx context.Context, do func(from, to int64)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-q.wake:
		}
		q.mu.Lock()
		from, to := q.from, q.to
		q.from = -1
		q.mu.Unlock()
		if from >= 0 {
			do(from, to)
		}
	}
}

// keysSince returns the surrogate keys the changes after change id from,
// up to to, name, without repeats; at most max changes are read, and when
// more wait, "site" stands for the rest. A worker that cannot read the log
// gets the error and decides how wide to go.
func (s *Site) keysSince(ctx context.Context, from, to int64, max int) ([]string, error) {
	changes, err := s.store.ChangesSince(ctx, from, max)
	if err != nil {
		return nil, err
	}
	var words []string
	for _, c := range changes {
		words = append(words, c.Keys...)
	}
	if len(changes) == max && changes[len(changes)-1].ID < to {
		words = append(words, news.KeySite)
	}
	return news.PurgeKeys(words), nil
}
