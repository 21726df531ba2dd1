package store_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestLoginThrottleBlockAcrossInstances: two throttles (two instances) on
// one database, 300 concurrent wrong passwords sprayed from 300 /64s of
// one IPv6 /48 at 300 accounts: every one is under its /64's and its
// account's limits, and the /48's limit holds them to PerBlock password
// checks in all, because the /48's row is reserved with the others.
func TestLoginThrottleBlockAcrossInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ths := []*auth.Throttle{auth.NewThrottle(s), auth.NewThrottle(s)}
		limit := int64(ths[0].PerBlock)
		var checks atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range 300 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				l := auth.Login{Account: fmt.Sprintf("user%d@example.org", i), Address: fmt.Sprintf("2001:db8:7:%x::1", i)}
				res, _, err := ths[i%2].Reserve(ctx, l)
				if err != nil {
					t.Error(err)
				}
				if res == nil {
					return
				}
				checks.Add(1)
				time.Sleep(time.Millisecond) // the password check
				if err := res.Fail(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if n := checks.Load(); n < 1 || n > limit {
			t.Errorf("300 attempts from one /48 on two instances: %d password checks, want 1 to %d", n, limit)
		}
		// Once the window is full, a further one from anywhere in the /48
		// is refused, on either instance.
		for _, th := range ths {
			if n := checks.Load(); n < limit {
				break // some were refused while others were in flight: the window is not full
			}
			if res, _, _ := th.Reserve(ctx, auth.Login{Account: "late@example.org", Address: "2001:db8:7:beef::2"}); res != nil {
				res.Cancel(ctx)
				t.Error("after the /48's failures: another /64 of it allowed")
			}
		}
	})
}
