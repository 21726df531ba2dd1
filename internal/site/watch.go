package site

import (
	"context"
	"slices"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// Watch follows the store's change log until ctx ends, and makes the page
// cache stale whenever it moves: after a change through this process, an
// import from the command line, or a change on another instance sharing the
// database. Reading the log is one indexed read per interval (its
// Position, which also moves when a change commits after a newer one, as
// concurrent writers on PostgreSQL can), and one more of the ids in its
// reorder window when it moved, to tell which changes are new; when the
// database cannot be reached the cache keeps what it has, and the first
// successful read after an outage refreshes everything.
func (s *Site) Watch(ctx context.Context) {
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	last := store.Position{ID: -1}
	var window []int64 // the ids in the reorder window at last
	failing := false
	for {
		qctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		pos, err := s.store.ChangePosition(qctx)
		var (
			newest int64
			ids    []int64
		)
		if err == nil && pos != last {
			// Which changes are new: those above the last newest id, and
			// any below it that was not there before (a late commit),
			// even when both arrive between two reads.
			newest, ids, err = s.store.RecentChanges(qctx)
		}
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
					for _, id := range ids {
						if id <= last.ID && !slices.Contains(window, id) {
							from = min(from, id-1)
						}
					}
					s.contentChanged(ctx, from, max(newest, last.ID))
				}
				// Where the log stands as RecentChanges read it, which is
				// at or after pos.
				last, window = store.Position{ID: newest, Recent: int64(len(ids))}, ids
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
