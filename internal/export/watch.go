package export

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// Watch exports once, then follows the store's change log (one indexed
// read per interval of its Position, as the site's own watcher does, so a
// change that commits late below the newest id is seen too) and exports
// again, incrementally, after every change, until ctx ends. Each export's outcome
// goes to report; a failed export (the database out of reach) is reported
// and tried again at the next change or interval, so a copy kept by Watch
// catches up by itself.
func (e *Exporter) Watch(ctx context.Context, interval time.Duration, report func(*Result, error)) error {
	if interval <= 0 {
		interval = time.Second
	}
	var (
		done     store.Position // where the log stood before the last export that succeeded
		exported bool
	)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		pos, err := e.Store.ChangePosition(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil && (!exported || pos != done) {
			res, err := e.Export(ctx)
			if ctx.Err() != nil {
				return nil
			}
			if err == nil {
				done, exported = pos, true
			}
			report(res, err)
		} else if err != nil {
			report(nil, err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
