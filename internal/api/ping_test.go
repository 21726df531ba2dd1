package api

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestPingsAreShared: the failing requests that come while the database is
// being asked whether it answers share that one ask. A burst of failures
// (a database gone, or clients that send and hang up, whose requests fail
// as cancelled) costs one ping, not one each, each held up to two seconds
// and each taking a connection from the pool the real requests wait for.
// A failure after the ask has ended asks again.
func TestPingsAreShared(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := New(Config{BaseURL: &url.URL{Scheme: "https", Host: "news.example.org"}}, s, nil)
		gate := make(chan struct{})
		var pings atomic.Int32
		a.reach.ping = func(ctx context.Context) error {
			pings.Add(1)
			select {
			case <-gate:
			case <-ctx.Done():
			}
			return s.Ping(ctx)
		}
		first := make(chan bool, 1)
		go func() { first <- a.unavailable(context.Background(), errors.New("a fault")) }()
		for pings.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		// More failures while the first ping is on its way; their clients
		// hang up.
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() { a.unavailable(ctx, errors.New("another fault")) })
		}
		cancel()
		wg.Wait()
		if n := pings.Load(); n != 1 {
			t.Errorf("%d pings for 21 failures during one, want 1", n)
		}
		close(gate)
		if <-first {
			t.Error("the database answers the ping, yet the failure was called unavailable")
		}
		if a.unavailable(context.Background(), errors.New("a later fault")) || pings.Load() != 2 {
			t.Errorf("a failure after the ping: %d pings, want 2", pings.Load())
		}
	})
}
