package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"regexp"
	"strings"
	"time"
)

// ManifestName is the name of a backup's manifest. It is written last: a
// backup without one is incomplete (interrupted, or still being made), and
// restore refuses it.
const ManifestName = "manifest.json"

// manifestFormat names the manifest's layout, for a later version to read
// older backups by.
const manifestFormat = "newsdesk-backup/1"

// The engines a backup's database comes from.
const (
	EngineSQLite   = "sqlite"
	EnginePostgres = "postgres"
)

// mediaPrefix is where a backup keeps the media folder's objects, under
// their names in it ("media/originals/ab/abcd….jpg").
const mediaPrefix = "media/"

// Manifest lists a backup's objects.
type Manifest struct {
	Format  string    `json:"format"`
	Created time.Time `json:"created"`
	// Version is the program's version that made the backup.
	Version string `json:"version,omitempty"`
	// Engine is the database's: "sqlite" (Database is the SQLite file) or
	// "postgres" (Database is a pg_dump archive in its custom format).
	Engine   string `json:"engine"`
	Database string `json:"database"`
	// Objects are every object of the backup, the database's among them.
	Objects []Object `json:"objects"`
}

// Object is one object of a backup.
type Object struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

var (
	sumPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)
	// databasePattern matches the names backups give their database
	// copies: newsdesk-20261207T223000.123Z.db or .pgdump.
	databasePattern = regexp.MustCompile(`^newsdesk-[0-9]{8}T[0-9]{6}(\.[0-9]+)?Z\.(db|pgdump)$`)
)

// check refuses a manifest restore cannot trust: an unknown format, names
// that are not plain relative paths or name an object twice, sizes and
// checksums that are not ones, a database it does not list, names that
// differ only in case.
func (m *Manifest) check() error {
	if m.Format != manifestFormat {
		return fmt.Errorf("the manifest's format is %q; this version reads %q", m.Format, manifestFormat)
	}
	if m.Engine != EngineSQLite && m.Engine != EnginePostgres {
		return fmt.Errorf("the manifest's engine is %q, neither %q nor %q", m.Engine, EngineSQLite, EnginePostgres)
	}
	if !databasePattern.MatchString(m.Database) {
		return fmt.Errorf("the manifest's database %q is not a name a backup gives its database", m.Database)
	}
	if want := map[string]string{EngineSQLite: ".db", EnginePostgres: ".pgdump"}[m.Engine]; !strings.HasSuffix(m.Database, want) {
		return fmt.Errorf("the manifest's database %q is not a %s copy", m.Database, m.Engine)
	}
	seen := map[string]bool{}
	// On a file system that ignores case, names that differ only in case
	// are one file: the object restored second would replace the first,
	// both checked. A backup makes no such names (a photo's is its
	// SHA-256 in lower case).
	folded := map[string]string{}
	for i, o := range m.Objects {
		if err := checkName(o.Name); err != nil {
			return fmt.Errorf("object %d: %w", i+1, err)
		}
		if o.Name != m.Database && !strings.HasPrefix(o.Name, mediaPrefix) {
			return fmt.Errorf("object %d: %q is neither the database nor under %s", i+1, o.Name, mediaPrefix)
		}
		if seen[o.Name] {
			return fmt.Errorf("object %d: %q is listed twice", i+1, o.Name)
		}
		seen[o.Name] = true
		if other, ok := folded[strings.ToLower(o.Name)]; ok {
			return fmt.Errorf("object %d: %q and %q differ only in case", i+1, other, o.Name)
		}
		folded[strings.ToLower(o.Name)] = o.Name
		if o.Size < 0 {
			return fmt.Errorf("object %d (%s): size %d", i+1, o.Name, o.Size)
		}
		if !sumPattern.MatchString(o.SHA256) {
			return fmt.Errorf("object %d (%s): %q is not a SHA-256 in hex", i+1, o.Name, o.SHA256)
		}
	}
	if !seen[m.Database] {
		return fmt.Errorf("the manifest does not list its database %q among its objects", m.Database)
	}
	return nil
}

// errNoManifest is ReadManifest's error for a backup without a manifest.
var errNoManifest = errors.New("no manifest")

// maxManifest is the most bytes ReadManifest reads of a manifest; a
// variable for the tests.
var maxManifest int64 = 1 << 30

// spareManifestName is where a backup into an object store keeps its
// manifest while it replaces the earlier one (see putManifest).
const spareManifestName = "manifest.spare.json"

// ReadManifest reads and checks the manifest of the backup in b, or, when
// it is missing, the spare a backup into an object store left when it
// stopped while replacing it. A backup without either is an error
// matching fs.ErrNotExist.
func ReadManifest(ctx context.Context, b Bucket) (*Manifest, error) {
	name := ManifestName
	r, err := b.Open(ctx, name)
	if errors.Is(err, fs.ErrNotExist) {
		name = spareManifestName
		r, err = b.Open(ctx, name)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", errNoManifest, fs.ErrNotExist)
	} else if err != nil {
		return nil, err
	}
	defer r.Close()
	// A manifest of a million objects is some 150 MB; more is not one.
	data, err := io.ReadAll(io.LimitReader(r, maxManifest+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(data)) > maxManifest {
		return nil, fmt.Errorf("%s is larger than %d bytes: it is not a manifest a backup wrote", name, maxManifest)
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &m, nil
}

// writeManifest stores m as the backup's manifest, whole or not at all.
func writeManifest(ctx context.Context, b Bucket, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return err
	}
	return b.Put(ctx, ManifestName, bytes.NewReader(append(data, '\n')))
}

// summer counts and hashes the bytes read through it.
type summer struct {
	r io.Reader
	h hash.Hash
	n int64
}

func newSummer(r io.Reader) *summer { return &summer{r: r, h: sha256.New()} }

func (s *summer) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.h.Write(p[:n])
	s.n += int64(n)
	return n, err
}

func (s *summer) sum() string { return hex.EncodeToString(s.h.Sum(nil)) }

// verifier passes on the bytes of an object and fails at their end unless
// they are the size and SHA-256 the manifest gives: a Bucket's Put then
// stores nothing of a damaged object.
type verifier struct {
	s    *summer
	want Object
}

func (v *verifier) Read(p []byte) (int, error) {
	n, err := v.s.Read(p)
	if v.s.n > v.want.Size {
		return n, fmt.Errorf("%s is longer than the manifest's %d bytes: it was changed or damaged", v.want.Name, v.want.Size)
	}
	if err == io.EOF {
		if v.s.n != v.want.Size {
			return n, fmt.Errorf("%s has %d bytes, the manifest %d: it was changed or damaged", v.want.Name, v.s.n, v.want.Size)
		}
		if got := v.s.sum(); got != v.want.SHA256 {
			return n, fmt.Errorf("%s's SHA-256 is %s, the manifest's %s: it was changed or damaged", v.want.Name, got, v.want.SHA256)
		}
	}
	return n, err
}
