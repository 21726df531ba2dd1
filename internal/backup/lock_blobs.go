package backup

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/media"
)

// A backup into an object store holds a lock object there while it runs,
// as a backup into a folder holds a lock file: two backups into one place
// at once would each remove the other's database copy as an earlier
// backup's. A store has no lock that goes with the process holding it, so
// the object says who holds it and until when; its holder renews it while
// the backup runs, and a lock left by a backup that died is taken over
// once it has expired.
const (
	blobLockName  = ".newsdesk-backup.lock" // the same name as a folder's lock file
	blobLockTTL   = 15 * time.Minute
	blobLockRenew = time.Minute
)

// blobLock is the lock object's content.
type blobLock struct {
	Owner   string    `json:"owner"` // a random token: the holder's alone
	Host    string    `json:"host"`
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	Expires time.Time `json:"expires"`
}

// Lock takes the backup lock of an object store that can create an object
// only when there is none (media.Creator: If-None-Match: *, decided by the
// store for all writers at once), or says that another backup holds it.
// A store that cannot is not locked (there is no sound way to); the
// returned unlock is then a no-op.
func (bb blobsBucket) Lock() (unlock func(), err error) {
	c, ok := bb.b.(media.Creator)
	if !ok {
		return func() {}, nil
	}
	ctx := context.Background()
	host, _ := os.Hostname()
	me := blobLock{Owner: rand.Text(), Host: host, PID: os.Getpid(), Started: time.Now().UTC()}
	for try := 0; ; try++ {
		me.Expires = time.Now().UTC().Add(blobLockTTL)
		data, _ := json.Marshal(me)
		err := c.Create(ctx, blobLockName, data)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("backup: taking the lock %s in %s: %w", blobLockName, bb.b, err)
		}
		other, rerr := bb.readLock(ctx)
		if errors.Is(rerr, fs.ErrNotExist) && try < 3 {
			continue // released meanwhile
		}
		if rerr != nil || time.Now().Before(other.Expires) || try >= 3 {
			return nil, fmt.Errorf("backup: another backup is being made into %s (%s): wait for it to end, or back up elsewhere", bb.b, describeLock(other, rerr))
		}
		// Expired: its backup ended without removing it (killed, or the
		// machine lost) and no longer renews it.
		if err := bb.b.Delete(ctx, blobLockName); err != nil {
			return nil, fmt.Errorf("backup: removing the expired lock %s in %s: %w", blobLockName, bb.b, err)
		}
	}
	// Verified after the write: the lock read back must be this one's.
	if got, err := bb.readLock(ctx); err != nil || got.Owner != me.Owner {
		return nil, fmt.Errorf("backup: another backup is being made into %s (%s): wait for it to end, or back up elsewhere", bb.b, describeLock(got, err))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(blobLockRenew)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			// Renewed only while it is still this backup's.
			if got, err := bb.readLock(ctx); err != nil || got.Owner != me.Owner {
				continue
			}
			me.Expires = time.Now().UTC().Add(blobLockTTL)
			data, _ := json.Marshal(me)
			if s, ok := bb.b.(media.Streamer); ok {
				s.PutStream(ctx, blobLockName, bytes.NewReader(data))
			}
		}
	})
	return func() {
		close(stop)
		wg.Wait()
		if got, err := bb.readLock(ctx); err == nil && got.Owner == me.Owner {
			bb.b.Delete(ctx, blobLockName)
		}
	}, nil
}

// readLock reads the lock object.
func (bb blobsBucket) readLock(ctx context.Context) (blobLock, error) {
	var l blobLock
	r, err := bb.b.Open(ctx, blobLockName)
	if err != nil {
		return l, err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return l, err
	}
	if err := json.Unmarshal(data, &l); err != nil {
		return l, fmt.Errorf("the lock %s is not one a backup wrote: %w", blobLockName, err)
	}
	return l, nil
}

// describeLock says who holds a lock, for the message of a backup refused.
func describeLock(l blobLock, err error) string {
	if err != nil {
		return fmt.Sprintf("it holds %s, which cannot be read: %v", blobLockName, err)
	}
	return fmt.Sprintf("it holds %s: begun %s on %s, process %d; the lock expires %s unless that backup renews it",
		blobLockName, l.Started.Format(time.RFC3339), l.Host, l.PID, l.Expires.Format(time.RFC3339))
}
