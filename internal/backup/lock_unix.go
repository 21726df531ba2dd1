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
//
// A folder made with cp -al from another (a generation of backups, as
// docs/operations.md suggests) shares the other's lock file: the lock
// taken on a shared file is used to put a file of the folder's own in its
// place, so that backups into the two are not kept apart.
func (d *Dir) Lock() (unlock func(), err error) {
	for range 10 {
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
		// The lock holds only if the name still leads to the file locked
		// (another backup may have replaced a shared one meanwhile), and
		// that file is the folder's alone.
		held, err1 := f.Stat()
		named, err2 := d.root.Lstat(lockName)
		if err := errors.Join(err1, err2); err != nil && !errors.Is(err2, os.ErrNotExist) {
			f.Close()
			return nil, fmt.Errorf("backup: the lock of %s: %w", d.path, err)
		}
		if err2 != nil || !os.SameFile(held, named) {
			f.Close()
			continue
		}
		if st, ok := held.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 {
			err := d.root.Remove(lockName)
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("backup: replacing the lock file %s, shared with another folder: %w", filepath.Join(d.path, lockName), err)
			}
			continue
		}
		return func() { f.Close() }, nil
	}
	return nil, fmt.Errorf("backup: the lock file %s keeps changing: is another program replacing it?", filepath.Join(d.path, lockName))
}
