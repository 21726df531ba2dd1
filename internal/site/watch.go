package site

import (
	"context"
	"slices"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
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
			ids    []int64 // the reorder window below newest
			below  []int64 // the reorder window below last.ID, as it is now
		)
		if err == nil && pos != last {
			// Which changes are new: those above the last newest id, and
			// any in the window below it that was not there before (a
			// late commit), even when it lands with newer ones between two
			// reads, however many. The new window is read first: a late
			// commit after it is then in the next look at it.
			newest, ids, err = s.store.RecentChanges(qctx)
			if err == nil && last.ID > 0 {
				below, err = s.store.ChangeIDs(qctx, max(0, last.ID-store.ReorderWindow), last.ID)
			}
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
				if last.ID == -1 {
					s.catchUp(ctx, newest)
					s.warnShadowed(ctx)
				} else {
					from := last.ID
					for _, id := range below {
						if !slices.Contains(window, id) {
							from = min(from, id-1)
							break // ids are in order: the first is the lowest
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

// The marks of the workers that carry changes out of the program, in the
// store (see store.SetMark).
const (
	markPurge  = "purge"
	markWebSub = "websub"
)

// catchUp hands the purge hook and the WebSub hub the changes made since
// their marks: while no instance ran (an import from the command line
// during a restart), or that an instance stopped before sending. Up to
// the reorder window below a mark is sent again, for a change that
// committed late: a purge or a ping too many costs little. Without a mark
// (a hook just configured), the mark starts at newest.
func (s *Site) catchUp(ctx context.Context, newest int64) {
	for _, w := range []struct {
		name  string
		on    bool
		queue func(from, to int64)
	}{
		{markPurge, s.cfg.PurgeURL != nil, func(from, to int64) { s.queuePurge(ctx, from, to) }},
		{markWebSub, s.cfg.WebSubHub != nil, func(from, to int64) { s.announce(ctx, from, to) }},
	} {
		if !w.on {
			continue
		}
		qctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		m, ok, err := s.store.Mark(qctx, w.name)
		switch {
		case err != nil:
			s.log.Warn("cannot read how far the change log was sent; changes made while no instance ran may not be", "to", w.name, "err", err)
		case !ok:
			if err := s.store.SetMark(qctx, w.name, newest); err != nil {
				s.log.Warn("cannot record how far the change log was sent", "to", w.name, "err", err)
			}
		default:
			// Also when the mark is the newest id: a change below it may
			// have committed late while no instance ran.
			w.queue(max(0, m-store.ReorderWindow), newest)
		}
		cancel()
	}
}

// warnShadowed logs, once at start, each section whose slug is now
// reserved for one of the site's own addresses (news.ReservedSlug): made
// before the words were reserved, or copied in by migrate-db. Such a
// section is served as it was, since refusing to start would take the
// whole site down for it, but its front or its stories are shadowed (an
// "admin" section's lead into the newsroom), so the operator is told
// which and what to do.
func (s *Site) warnShadowed(ctx context.Context) {
	qctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	secs, err := s.store.Sections(qctx)
	if err != nil {
		return // the next read of the log reports a database out of reach
	}
	for _, sec := range secs {
		if why := news.ReservedSlug(sec.Slug, sec.ParentID == 0); why != "" {
			s.log.Warn("a section's address is taken by "+why+", so readers cannot reach all of it: "+
				"give it another slug in the newsroom (Sections), which leaves redirects from its old addresses",
				"section", sec.URL(), "name", sec.Name)
		}
	}
}

// Changed makes the page cache stale at once; the newsroom calls it after
// each change it commits, so its own changes do not wait for the next poll.
func (s *Site) Changed() {
	s.settingsStale()
	s.cache.Invalidate()
}
