package site

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// Watch follows the store's change log until ctx ends, and makes the page
// cache stale whenever it moves: after a change through this process, an
// import from the command line, or a change on another instance sharing the
// database. Reading the log is one indexed read per interval (its
// Position, which also moves when a change commits after a newer one, as
// concurrent writers on PostgreSQL can); when the
// database cannot be reached the cache keeps what it has, and the first
// successful read after an outage refreshes everything.
func (s *Site) Watch(ctx context.Context) {
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	last := store.Position{ID: -1}
	failing := false
	for {
		qctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		pos, err := s.store.ChangePosition(qctx)
		cancel()
		switch {
		case err != nil && ctx.Err() == nil:
			if !failing {
				s.log.Warn("cannot read the change log; serving cached pages", "err", err)
			}
			failing = true
		case err == nil:
			if failing {
				s.log.Info("the database answers again")
				s.settingsStale()
				s.cache.Invalidate()
				failing = false
			}
			if pos != last {
				if last.ID != -1 {
					from := last.ID
					if pos.ID == last.ID {
						// Only a change with a lower id than the newest
						// committed late (PostgreSQL, concurrent
						// writers): read the window it is in again.
						from = max(0, last.ID-store.ReorderWindow)
					}
					s.contentChanged(ctx, from, pos.ID)
				}
				last = pos
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Changed makes the page cache stale at once; the newsroom calls it after
// each change it commits, so its own changes do not wait for the next poll.
func (s *Site) Changed() {
	s.settingsStale()
	s.cache.Invalidate()
}
