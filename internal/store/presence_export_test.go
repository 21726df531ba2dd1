package store

import "context"

// SweepEditing runs the sweep of long-closed editors that heartbeats run
// now and then, for package store_test.
func (s *Store) SweepEditing(ctx context.Context) { s.sweepEditing(ctx) }
