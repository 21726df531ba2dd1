// Package backup copies a whole site, its database and its media, into a
// backup that restores: a folder (or another Bucket) holding a copy of the
// database, every media object, and a manifest that lists each object with
// its size and SHA-256, written last. A backup is made while the site
// serves and takes writes; media are copied incrementally (photos never
// change under their names, so an object already in the backup is not
// copied again); restore refuses a backup without a manifest and checks
// every object against it.
package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// Options say what to back up and where.
type Options struct {
	// SQLite is the path of the site's SQLite file; empty when the site
	// is on PostgreSQL.
	SQLite string
	// Postgres is the site's PostgreSQL URL; empty for SQLite.
	Postgres string
	// PgDump is the pg_dump program, a name looked up in PATH or a path;
	// empty: "pg_dump".
	PgDump string
	// Media is the site's media: the media folder's objects
	// ("originals/…", "public/…").
	Media Bucket
	// Dest is where the backup goes.
	Dest Bucket
	// Version is the program's version, recorded in the manifest.
	Version string
	// Log, when not nil, is told of progress and of what is odd (an
	// original whose bytes do not match its name).
	Log func(format string, args ...any)
	// Workers is how many media objects are copied at once; 0: 4.
	Workers int
}

// Report says what a backup did.
type Report struct {
	Manifest *Manifest
	// DatabaseBytes is the database copy's size, DatabaseTime how long
	// making it and reading it back for its checksum took.
	DatabaseBytes int64
	DatabaseTime  time.Duration
	// Copied and CopiedBytes count the media objects copied this time;
	// Kept the media objects the backup already held.
	Copied      int
	CopiedBytes int64
	Kept        int
	// Removed are the database copies of earlier backups removed once
	// the new manifest was in place.
	Removed []string
}

func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		o.Log(format, args...)
	}
}

// Backup makes a backup of the site into o.Dest: the database first (a
// consistent copy as of the moment it starts), then the media (every
// photo the copied database names was stored before its record, and
// nothing is ever deleted from the media, so all of them are there), then
// the manifest. The manifest of an earlier backup in o.Dest stays valid
// until the new one replaces it: its database copy is removed only after,
// and media objects are only ever added. A backup into a folder or an
// object store another backup is being made into is refused.
func Backup(ctx context.Context, o Options) (*Report, error) {
	if (o.SQLite == "") == (o.Postgres == "") {
		return nil, errors.New("backup: give either a SQLite file or a PostgreSQL URL")
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	// Two backups into one place at once would each remove the other's
	// database copy as an earlier backup's. A folder is locked with a
	// lock file, an object store with a lock object (lock_blobs.go).
	// A lock object can be lost while the backup runs (taken over once
	// expired, its renewals having failed): held says so before the steps
	// that would write over another backup's.
	held := func(context.Context) error { return nil }
	if l, ok := o.Dest.(interface {
		LockHeld() (func(), func(context.Context) error, error)
	}); ok {
		unlock, h, err := l.LockHeld()
		if err != nil {
			return nil, err
		}
		defer unlock()
		held = h
	} else if l, ok := o.Dest.(interface{ Lock() (func(), error) }); ok {
		unlock, err := l.Lock()
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	rep := &Report{}
	// What an earlier backup left: its manifest vouches for the objects it
	// lists, and what is there now says which of them are still in place.
	prev, err := ReadManifest(ctx, o.Dest)
	if errors.Is(err, fs.ErrNotExist) {
		prev = nil
	} else if err != nil {
		o.logf("the backup's earlier manifest is not used (%v): every media object is copied again", err)
		prev = nil
	}
	vouched := map[string]Object{}
	if prev != nil {
		for _, obj := range prev.Objects {
			vouched[obj.Name] = obj
		}
	}
	present := map[string]int64{}
	if err := o.Dest.List(ctx, mediaPrefix, func(name string, size int64) error {
		present[name] = size
		return nil
	}); err != nil {
		return nil, err
	}

	now := time.Now().UTC()
	m := &Manifest{Format: manifestFormat, Created: now, Version: o.Version}
	stamp := now.Format("20060102T150405.000Z")
	start := time.Now()
	var db Object
	if o.SQLite != "" {
		m.Engine, m.Database = EngineSQLite, "newsdesk-"+stamp+".db"
		db, err = copyDatabase(ctx, o, m.Database, func(tmp string) error {
			last := time.Now()
			return store.BackupSQLite(ctx, o.SQLite, tmp, func(done, total int) {
				if time.Since(last) > 5*time.Second {
					last = time.Now()
					o.logf("database: %d of %d pages copied", done, total)
				}
			})
		})
	} else {
		m.Engine, m.Database = EnginePostgres, "newsdesk-"+stamp+".pgdump"
		db, err = copyDatabase(ctx, o, m.Database, func(tmp string) error {
			return pgDump(ctx, o.PgDump, o.Postgres, tmp)
		})
	}
	if err != nil {
		return nil, err
	}
	rep.DatabaseBytes, rep.DatabaseTime = db.Size, time.Since(start)
	m.Objects = append(m.Objects, db)
	o.logf("database: %s, %d bytes, in %v", m.Database, db.Size, rep.DatabaseTime.Round(time.Millisecond))

	objs, err := copyMedia(ctx, o, vouched, present, rep)
	if err != nil {
		return nil, err
	}
	m.Objects = append(m.Objects, objs...)
	if err := held(ctx); err != nil {
		return nil, err
	}
	if err := writeManifest(ctx, o.Dest, m); err != nil {
		return nil, err
	}
	rep.Manifest = m

	// The earlier backups' database copies are of no use now. Only names
	// a backup gives its copies are removed: the folder may hold the
	// operator's own files.
	var old []string
	if err := o.Dest.List(ctx, "newsdesk-", func(name string, _ int64) error {
		if !strings.Contains(name, "/") && databasePattern.MatchString(name) && name != m.Database {
			old = append(old, name)
		}
		return nil
	}); err != nil {
		return rep, err
	}
	if len(old) > 0 {
		if err := held(ctx); err != nil {
			return rep, err
		}
	}
	for _, name := range old {
		if err := o.Dest.Delete(ctx, name); err != nil {
			return rep, err
		}
		rep.Removed = append(rep.Removed, name)
	}
	return rep, nil
}

// copyDatabase has write make the database copy into a temporary file,
// then stores it in o.Dest as name, and returns its manifest entry. In a
// local folder the file is made in place and renamed; elsewhere it is made
// in the system's temporary folder and copied.
func copyDatabase(ctx context.Context, o Options, name string, write func(tmp string) error) (Object, error) {
	var tmp string
	var err error
	loc, isLocal := o.Dest.(local)
	if isLocal {
		tmp, err = loc.Scratch(name)
	} else {
		// A folder of the owner's alone in the system's temporary folder,
		// which others may list and write into: nobody can read the copy
		// or put a link where it is about to be made.
		var dir string
		if dir, err = os.MkdirTemp("", tmpPrefix+"*"); err != nil {
			return Object{}, fmt.Errorf("backup: %w", err)
		}
		defer os.RemoveAll(dir)
		tmp = filepath.Join(dir, name)
	}
	if err != nil {
		return Object{}, err
	}
	defer os.Remove(tmp)
	if err := write(tmp); err != nil {
		return Object{}, err
	}
	f, err := os.Open(tmp)
	if err != nil {
		return Object{}, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	s := newSummer(f)
	if isLocal {
		if _, err := io.Copy(io.Discard, ctxReader{ctx, s}); err != nil {
			return Object{}, fmt.Errorf("backup: reading the database copy %s: %w", tmp, err)
		}
		if err := loc.Adopt(tmp, name); err != nil {
			return Object{}, err
		}
	} else if err := o.Dest.Put(ctx, name, s); err != nil {
		return Object{}, err
	}
	return Object{Name: name, Size: s.n, SHA256: s.sum()}, nil
}

// copyMedia copies the media objects the backup does not hold yet and
// returns every media object's manifest entry. An object is held when the
// earlier manifest vouches for it and it is there with that size.
func copyMedia(ctx context.Context, o Options, vouched map[string]Object, present map[string]int64, rep *Report) ([]Object, error) {
	type job struct {
		name string // in the media folder
		size int64
	}
	var (
		objs []Object
		todo []job
	)
	err := o.Media.List(ctx, "", func(name string, size int64) error {
		dest := mediaPrefix + name
		if v, ok := vouched[dest]; ok && v.Size == size && present[dest] == size {
			objs = append(objs, v)
			rep.Kept++
			return nil
		}
		todo = append(todo, job{name, size})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(todo) > 0 {
		o.logf("media: %d objects to copy, %d already in the backup", len(todo), rep.Kept)
	}

	var (
		mu   sync.Mutex
		last = time.Now()
	)
	err = parallel(ctx, o.Workers, todo, func(ctx context.Context, j job) error {
		obj, err := copyObject(ctx, o, j.name)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		objs = append(objs, obj)
		rep.Copied++
		rep.CopiedBytes += obj.Size
		if time.Since(last) > 5*time.Second {
			last = time.Now()
			o.logf("media: %d of %d copied", rep.Copied, len(todo))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return objs, nil
}

// copyObject copies the media object name into the backup, hashing it on
// the way.
func copyObject(ctx context.Context, o Options, name string) (Object, error) {
	r, err := o.Media.Open(ctx, name)
	if err != nil {
		return Object{}, err
	}
	defer r.Close()
	s := newSummer(r)
	if err := o.Dest.Put(ctx, mediaPrefix+name, s); err != nil {
		return Object{}, err
	}
	sum := s.sum()
	// An original is named by its SHA-256: one that is not has been
	// damaged on disk. It is copied as it is (the backup is of the site
	// as it stands), and the operator told.
	if strings.HasPrefix(name, "originals/") {
		if base := path.Base(name); !strings.HasPrefix(base, sum) {
			o.logf("media: %s does not match its name (its SHA-256 is %s): damaged on disk?", name, sum)
		}
	}
	return Object{Name: mediaPrefix + name, Size: s.n, SHA256: sum}, nil
}

// parallel calls fn for every item, workers at a time, and returns the
// first error; after one, the items not yet begun are not, and the
// context given to those running is cancelled.
func parallel[T any](ctx context.Context, workers int, items []T, fn func(context.Context, T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		next     = make(chan T)
	)
	for range workers {
		wg.Go(func() {
			for it := range next {
				if err := fn(ctx, it); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
						cancel()
					}
					mu.Unlock()
				}
			}
		})
	}
send:
	for _, it := range items {
		select {
		case next <- it:
		case <-ctx.Done():
			break send
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}
