package export

import (
	"context"
	"time"
)

// Watch exports once, then follows the store's change log (one indexed
// read per interval, as the site's own watcher does) and exports again,
// incrementally, after every change, until ctx ends. Each export's outcome
// goes to report; a failed export (the database out of reach) is reported
// and tried again at the next change or interval, so a copy kept by Watch
// catches up by itself.
func (e *Exporter) Watch(ctx context.Context, interval time.Duration, report func(*Result, error)) error {
	if interval <= 0 {
		interval = time.Second
	}
	var done int64 = -1 // the change the copy includes; -1: export at once
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		last, err := e.Store.LastChange(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil && last != done {
			res, err := e.Export(ctx)
			if ctx.Err() != nil {
				return nil
			}
			if err == nil {
				done = res.Change
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
