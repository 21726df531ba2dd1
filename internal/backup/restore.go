package backup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
)

// RestoreOptions say which backup to restore and where.
type RestoreOptions struct {
	// Src is the backup.
	Src Bucket
	// Data is the data folder to restore into. It must be missing or
	// empty: a restore never mixes two sites.
	Data string
	// Postgres is the empty PostgreSQL database to restore a PostgreSQL
	// backup into; empty for a SQLite backup.
	Postgres string
	// Media, when not nil, is where the photos go (an object store the
	// restored site is to use), which must hold none; nil: the media
	// folder in Data.
	Media Bucket
	// PgRestore is the pg_restore program; empty: "pg_restore".
	PgRestore string
	// Log, when not nil, is told of progress.
	Log func(format string, args ...any)
	// Workers is how many objects are copied at once; 0: 4.
	Workers int
}

// RestoreReport says what a restore did.
type RestoreReport struct {
	Manifest *Manifest
	// Objects and Bytes count the objects restored, each checked against
	// the manifest's size and SHA-256.
	Objects int
	Bytes   int64
}

// restoringPrefix names the folder inside Data that a restore fills before
// it moves what it restored into place.
const restoringPrefix = ".restore-"

// Restore restores the backup in o.Src into the empty data folder o.Data
// (and, for a PostgreSQL backup, the empty database o.Postgres). Every
// object is checked against the manifest's size and SHA-256 as it is
// copied, into a folder inside o.Data; only when all are whole are they
// moved into place, the database last, so a failed restore leaves o.Data
// as it was, and a PostgreSQL restore runs in one transaction. A backup
// without a manifest is refused: it is incomplete.
func Restore(ctx context.Context, o RestoreOptions) (rep *RestoreReport, err error) {
	if o.Workers <= 0 {
		o.Workers = 4
	}
	logf := func(format string, args ...any) {
		if o.Log != nil {
			o.Log(format, args...)
		}
	}
	m, err := ReadManifest(ctx, o.Src)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("restore: the backup has no %s: it is incomplete (interrupted, or still being made), and is not restored", ManifestName)
	} else if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	switch {
	case m.Engine == EngineSQLite && o.Postgres != "":
		return nil, errors.New("restore: this is a backup of a site on SQLite: restore it without --db, into a data folder; then, to move the site to PostgreSQL, run migrate-db")
	case m.Engine == EnginePostgres && o.Postgres == "":
		return nil, errors.New("restore: this is a backup of a site on PostgreSQL: name an empty database to restore it into with --db postgres://...")
	}
	if err := checkEmpty(o.Data); err != nil {
		return nil, err
	}
	if o.Media != nil {
		var some string
		err := o.Media.List(ctx, "", func(name string, _ int64) error {
			some = name
			return errFound
		})
		if err != nil && !errors.Is(err, errFound) {
			return nil, fmt.Errorf("restore: %w", err)
		}
		if some != "" {
			return nil, fmt.Errorf("restore: the media store %v is not empty (it holds %s): restore goes only into an empty one", o.Media, some)
		}
	}
	if o.Postgres != "" {
		empty, err := store.PostgresEmpty(ctx, o.Postgres)
		if err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		if !empty {
			return nil, errors.New("restore: the database --db names is not empty: restore goes only into an empty database (CREATE DATABASE name, then name it)")
		}
	}

	if _, err := os.Stat(o.Data); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(o.Data, 0o700); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		// A failed restore leaves no folder it made.
		defer func() {
			if err != nil {
				os.Remove(o.Data)
			}
		}()
	}
	staging, err := os.MkdirTemp(o.Data, restoringPrefix)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer func() {
		if rerr := os.RemoveAll(staging); rerr != nil && err == nil {
			err = fmt.Errorf("restore: removing %s: %w", staging, rerr)
		}
	}()
	dst, err := OpenDir(staging, mediaPrefix+"public/")
	if err != nil {
		return nil, err
	}
	defer dst.Close()

	rep = &RestoreReport{Manifest: m}
	var (
		done  atomic.Int64
		mu    sync.Mutex
		last  = time.Now()
		dbObj Object
		media []Object
	)
	for _, obj := range m.Objects {
		if obj.Name == m.Database {
			dbObj = obj
		} else {
			media = append(media, obj)
		}
	}
	copyOne := func(ctx context.Context, dst Bucket, obj Object, as string) error {
		r, err := o.Src.Open(ctx, obj.Name)
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		defer r.Close()
		if err := dst.Put(ctx, as, &verifier{s: newSummer(r), want: obj}); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		n := done.Add(1)
		mu.Lock()
		defer mu.Unlock()
		rep.Objects++
		rep.Bytes += obj.Size
		if time.Since(last) > 5*time.Second {
			last = time.Now()
			logf("%d of %d objects restored", n, len(m.Objects))
		}
		return nil
	}
	var err2 error
	if o.Media == nil {
		err2 = parallel(ctx, o.Workers, media, func(ctx context.Context, obj Object) error {
			return copyOne(ctx, dst, obj, obj.Name)
		})
	} else {
		// An object store has no folder to fill first and move: each
		// object is checked before it is stored, and a failed restore
		// takes back what it tried to store, a Put that failed included
		// (the store may have taken the object and the answer been lost,
		// or the request cancelled once it had). The store was empty, so
		// nothing of anyone else's goes.
		var (
			smu    sync.Mutex
			stored []string
		)
		err2 = parallel(ctx, o.Workers, media, func(ctx context.Context, obj Object) error {
			name := strings.TrimPrefix(obj.Name, mediaPrefix)
			smu.Lock()
			stored = append(stored, name)
			smu.Unlock()
			return copyOne(ctx, o.Media, obj, name)
		})
		defer func() {
			if err != nil {
				for _, name := range stored {
					o.Media.Delete(context.WithoutCancel(ctx), name)
				}
			}
		}()
	}
	if err2 != nil {
		return nil, err2
	}
	dbName := "newsdesk.db"
	if m.Engine == EnginePostgres {
		dbName = m.Database
	}
	if err := copyOne(ctx, dst, dbObj, dbName); err != nil {
		return nil, err
	}
	logf("%d objects checked against the manifest (%d bytes)", rep.Objects, rep.Bytes)

	if m.Engine == EnginePostgres {
		if err := pgRestore(ctx, o.PgRestore, o.Postgres, filepath.Join(staging, dbName)); err != nil {
			return nil, err
		}
	}
	// Into place: the media, then the database, whose presence makes the
	// folder a site.
	moves := []string{"media"}
	if m.Engine == EngineSQLite {
		moves = append(moves, dbName)
	}
	for _, name := range moves {
		from := filepath.Join(staging, name)
		if _, err := os.Stat(from); errors.Is(err, fs.ErrNotExist) {
			continue // a backup without media
		}
		if err := os.Rename(from, filepath.Join(o.Data, name)); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	if err := syncDir(o.Data); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	return rep, nil
}

// errFound stops a listing at its first object.
var errFound = errors.New("found")

// checkEmpty refuses a data folder that holds anything.
func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	var names []string
	for i, e := range entries {
		if i == 3 {
			names = append(names, "…")
			break
		}
		names = append(names, e.Name())
	}
	hint := ""
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), restoringPrefix) {
			hint = fmt.Sprintf(" (%s is what an interrupted restore left: remove it)", e.Name())
		}
	}
	return fmt.Errorf("restore: the data folder %s is not empty (it holds %s)%s: restore goes only into an empty or new folder, so that no two sites are mixed", dir, strings.Join(names, ", "), hint)
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
