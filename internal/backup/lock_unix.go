//go:build unix

package backup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockName is the file in a backup folder that a backup holds locked
// while it writes there. It stays when the backup ends: removing it
// would let a third backup lock a new file while a second still holds
// the old one.
const lockName = ".newsdesk-backup.lock"

// Lock takes the folder's backup lock, or says that another backup
// holds it. The lock is the kernel's (flock), so it goes with the
// process that holds it, however that process ends.
func (d *Dir) Lock() (unlock func(), err error) {
	f, err := d.root.OpenFile(lockName, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("backup: the lock of %s: %w", d.path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("backup: another backup is being made into %s (it holds %s): wait for it to end, or back up into another folder", d.path, filepath.Join(d.path, lockName))
		}
		return nil, fmt.Errorf("backup: locking %s: %w", filepath.Join(d.path, lockName), err)
	}
	return func() { f.Close() }, nil
}
