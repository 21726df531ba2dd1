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

// beforeTakeOver, when set (by tests), runs between the reading of an
// expired lock and its removal.
var beforeTakeOver func()

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
	unlock, _, err = bb.LockHeld()
	return unlock, err
}

// LockHeld is Lock, and also gives held, which says whether the lock is
// still this backup's: an error when the lock object is gone, is another
// backup's (one that took it over), or has expired (its renewals failed,
// so another backup may take it over at any moment). A backup calls it
// before each step that another backup writing into the same prefix would
// break: writing its manifest, removing earlier database copies.
func (bb blobsBucket) LockHeld() (unlock func(), held func(context.Context) error, err error) {
	c, ok := bb.b.(media.Creator)
	if !ok {
		return func() {}, func(context.Context) error { return nil }, nil
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
			return nil, nil, fmt.Errorf("backup: taking the lock %s in %s: %w", blobLockName, bb.b, err)
		}
		other, tag, rerr := bb.readLockTagged(ctx)
		if errors.Is(rerr, fs.ErrNotExist) && try < 3 {
			continue // released meanwhile
		}
		if errors.Is(rerr, errForeignLock) {
			// No backup will end it, nor can its expiry be known.
			return nil, nil, fmt.Errorf("backup: %s in %s is not a lock a backup wrote (%v): once sure no backup is being made there, remove it", blobLockName, bb.b, rerr)
		}
		if rerr != nil || time.Now().Before(other.Expires) || try >= 3 {
			return nil, nil, fmt.Errorf("backup: another backup is being made into %s (%s): wait for it to end, or back up elsewhere", bb.b, describeLock(other, rerr))
		}
		// Expired: its backup ended without removing it (killed, or the
		// machine lost) and no longer renews it.
		if beforeTakeOver != nil {
			beforeTakeOver()
		}
		// Only that lock is removed: another backup that found it expired
		// too may have removed it and created its own meanwhile, which
		// stays (and is found on the next try).
		if _, err := bb.removeLock(ctx, tag); err != nil {
			return nil, nil, fmt.Errorf("backup: removing the expired lock %s in %s: %w", blobLockName, bb.b, err)
		}
	}
	// Verified after the write: the lock read back must be this one's.
	if got, err := bb.readLock(ctx); err != nil || got.Owner != me.Owner {
		return nil, nil, fmt.Errorf("backup: another backup is being made into %s (%s): wait for it to end, or back up elsewhere", bb.b, describeLock(got, err))
	}
	var (
		mu   sync.Mutex
		lost error // why the last renewal did not renew, if it did not
	)
	// stillMine reads the lock object and says why it is not this
	// backup's any more, if it is not.
	stillMine := func(ctx context.Context) error {
		got, err := bb.readLock(ctx)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("the lock %s is no longer there", blobLockName)
		case err != nil:
			return err
		case got.Owner != me.Owner:
			return fmt.Errorf("another backup took the lock over (%s)", describeLock(got, nil))
		}
		// Its expiry as stored is what another backup goes by.
		if !time.Now().Before(got.Expires) {
			mu.Lock()
			defer mu.Unlock()
			why := ""
			if lost != nil {
				why = fmt.Sprintf(" (renewing it: %v)", lost)
			}
			return fmt.Errorf("the lock %s expired at %s and another backup may take it over%s", blobLockName, got.Expires.Format(time.RFC3339), why)
		}
		return nil
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
			// Renewed only while it is still this backup's and has not
			// expired: past its expiry another backup may have taken it
			// over between the reading and the writing, and the writing
			// would replace that backup's lock.
			err := stillMine(ctx)
			if err == nil {
				next := me
				next.Expires = time.Now().UTC().Add(blobLockTTL)
				data, _ := json.Marshal(next)
				if s, ok := bb.b.(media.Streamer); !ok {
					err = errors.New("the store cannot replace an object")
				} else {
					err = s.PutStream(ctx, blobLockName, bytes.NewReader(data))
				}
			}
			mu.Lock()
			lost = err
			mu.Unlock()
		}
	})
	unlock = func() {
		close(stop)
		wg.Wait()
		if got, tag, err := bb.readLockTagged(ctx); err == nil && got.Owner == me.Owner {
			bb.removeLock(ctx, tag)
		}
	}
	held = func(ctx context.Context) error {
		if err := stillMine(ctx); err != nil {
			return fmt.Errorf("backup: this backup into %s no longer holds its lock, and stops so as not to write over another: %w", bb.b, err)
		}
		return nil
	}
	return unlock, held, nil
}

// errForeignLock is readLock's error for a lock object that is not one a
// backup wrote.
var errForeignLock = errors.New("not the JSON of a backup's lock")

// readLock reads the lock object.
func (bb blobsBucket) readLock(ctx context.Context) (blobLock, error) {
	l, _, err := bb.readLockTagged(ctx)
	return l, err
}

// readLockTagged reads the lock object, with its ETag when the store
// can remove an object by it (media.Tagger; else "").
func (bb blobsBucket) readLockTagged(ctx context.Context) (blobLock, string, error) {
	var (
		l    blobLock
		data []byte
		tag  string
		err  error
	)
	if t, ok := bb.b.(media.Tagger); ok {
		data, tag, err = t.ReadTagged(ctx, blobLockName, 64<<10)
	} else {
		var r io.ReadCloser
		if r, err = bb.b.Open(ctx, blobLockName); err != nil {
			return l, "", err
		}
		data, err = io.ReadAll(io.LimitReader(r, 64<<10))
		r.Close()
	}
	if err != nil {
		return l, "", err
	}
	if err := json.Unmarshal(data, &l); err != nil {
		return l, "", fmt.Errorf("%w: %v", errForeignLock, err)
	}
	return l, tag, nil
}

// removeLock removes the lock object if it is still the one read as tag:
// a lock another backup has put in its place meanwhile stays. It reports
// whether it was removed (or was gone already).
func (bb blobsBucket) removeLock(ctx context.Context, tag string) (bool, error) {
	t, ok := bb.b.(media.Tagger)
	if !ok || tag == "" {
		return true, bb.b.Delete(ctx, blobLockName)
	}
	err := t.DeleteTagged(ctx, blobLockName, tag)
	if errors.Is(err, media.ErrChanged) {
		return false, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	return err == nil, err
}

// describeLock says who holds a lock, for the message of a backup refused.
func describeLock(l blobLock, err error) string {
	if err != nil {
		return fmt.Sprintf("it holds %s, which cannot be read: %v", blobLockName, err)
	}
	return fmt.Sprintf("it holds %s: begun %s on %s, process %d; the lock expires %s unless that backup renews it",
		blobLockName, l.Started.Format(time.RFC3339), l.Host, l.PID, l.Expires.Format(time.RFC3339))
}
