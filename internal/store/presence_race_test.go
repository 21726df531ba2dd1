package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestHeartbeatsAtOnce: editors on two instances beat, take over and
// leave one story at once, with a time to live so short that every beat
// finds the others' rows stale and deletes them: no beat fails (no
// deadlock between the deletes of stale rows and the renewals), and at
// most one lock is left.
func TestHeartbeatsAtOnce(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		var inst []*store.Store
		for range 2 {
			s, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			inst = append(inst, s)
		}
		a := newArticle(t, inst[0], "news", "Harbour strike", time.Now(), nil, nil)
		var users []*news.User
		for i := range 6 {
			users = append(users, newUser(t, inst[0], fmt.Sprintf("ed%d@example.org", i), news.Editor))
		}
		var wg sync.WaitGroup
		errs := make(chan error, 1000)
		for i, u := range users {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := inst[i%2]
				for k := range 25 {
					var err error
					switch {
					case k%7 == 3:
						_, err = s.TakeEditLock(ctx, a.ID, u.ID, time.Millisecond)
					case k%11 == 5:
						err = s.LeaveEditing(ctx, a.ID, u.ID)
					default:
						_, err = s.Heartbeat(ctx, a.ID, u.ID, true, time.Millisecond)
					}
					if err != nil {
						errs <- fmt.Errorf("%s, step %d: %w", u.Name, k, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		var n int
		if err := storetest.RawDB(t, dsn).QueryRow(`SELECT COUNT(*) FROM edit_locks WHERE article_id = $1`, a.ID).Scan(&n); err != nil || n > 1 {
			t.Errorf("locks of the story: %d, %v", n, err)
		}
	})
}
