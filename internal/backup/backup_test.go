package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// site is a data folder with a database and media, for the tests.
type site struct {
	data, dsn string // dsn: a postgres:// URL, or the SQLite file in data
	st        *store.Store
}

func newSite(t *testing.T, dsn string) *site {
	t.Helper()
	data := t.TempDir()
	if dsn == "" {
		dsn = filepath.Join(data, "newsdesk.db")
	}
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &site{data: data, dsn: dsn, st: st}
}

// section stores a section, a row that a restored database must hold.
func (s *site) section(t *testing.T, path string) {
	t.Helper()
	if _, err := s.st.EnsureSectionPath(context.Background(), path); err != nil {
		t.Fatal(err)
	}
}

// photo writes a photo's original and one public variant into the media
// folder, laid out as internal/media does, and returns the original's name.
func (s *site) photo(t *testing.T, content string) string {
	t.Helper()
	sum := sha256.Sum256([]byte(content))
	h := hex.EncodeToString(sum[:])
	orig := "originals/" + h[:2] + "/" + h + ".jpg"
	writeFile(t, filepath.Join(s.data, "media", orig), []byte(content))
	writeFile(t, filepath.Join(s.data, "media", "public", h[:2], h+"-320.jpg"), []byte("small "+content))
	return orig
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func openDir(t *testing.T, dir, public string) *Dir {
	t.Helper()
	d, err := OpenDir(dir, public)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// backup backs s up into dest.
func (s *site) backup(t *testing.T, dest string) (*Report, error) {
	t.Helper()
	o := Options{Media: openDir(t, filepath.Join(s.data, "media"), ""), Dest: openDir(t, dest, ""), Version: "test"}
	if store.IsPostgres(s.dsn) {
		o.Postgres = s.dsn
	} else {
		o.SQLite = s.dsn
	}
	return Backup(context.Background(), o)
}

func restore(t *testing.T, src, data, pg string) (*RestoreReport, error) {
	t.Helper()
	return Restore(context.Background(), RestoreOptions{Src: openDir(t, src, ""), Data: data, Postgres: pg})
}

// files lists the regular files under dir with their contents.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sections(t *testing.T, dsn string) []string {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	secs, err := st.Sections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, s := range secs {
		paths = append(paths, s.Path)
	}
	slices.Sort(paths)
	return paths
}

// TestBackupAndRestore: a site's database and media come back whole, on
// both engines; the manifest lists every object with its size and
// SHA-256; originals stay private.
func TestBackupAndRestore(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		pg := ""
		if store.IsPostgres(dsn) {
			pg = dsn
		} else {
			dsn = ""
		}
		s := newSite(t, dsn)
		s.section(t, "news/world")
		s.photo(t, "first photo")
		s.photo(t, "second photo")
		dest := t.TempDir()
		rep, err := s.backup(t, dest)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Copied != 4 || rep.Kept != 0 {
			t.Errorf("copied %d, kept %d; want 4 and 0", rep.Copied, rep.Kept)
		}
		m, err := ReadManifest(context.Background(), openDir(t, dest, ""))
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Objects) != 5 {
			t.Errorf("the manifest lists %d objects, want the database and 4 media", len(m.Objects))
		}
		for _, o := range m.Objects {
			b, err := os.ReadFile(filepath.Join(dest, o.Name))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			if int64(len(b)) != o.Size || hex.EncodeToString(sum[:]) != o.SHA256 {
				t.Errorf("%s: the manifest says %d bytes %s, the file is %d bytes %x", o.Name, o.Size, o.SHA256, len(b), sum)
			}
		}

		data := filepath.Join(t.TempDir(), "restored")
		var pg2 string
		if pg != "" {
			pg2 = testkit.FreshPostgres(t)
		}
		if _, err := restore(t, dest, data, pg2); err != nil {
			t.Fatal(err)
		}
		if got, want := files(t, filepath.Join(data, "media")), files(t, filepath.Join(s.data, "media")); !mapsEqual(got, want) {
			t.Errorf("restored media %v, want %v", keys(got), keys(want))
		}
		restored := filepath.Join(data, "newsdesk.db")
		if pg != "" {
			restored = pg2
			if _, err := os.Stat(filepath.Join(data, "newsdesk.db")); err == nil {
				t.Error("a PostgreSQL restore wrote a SQLite file")
			}
		}
		if got := sections(t, restored); !slices.Contains(got, "news/world") {
			t.Errorf("restored sections %q, want news/world among them", got)
		}
		for name, want := range map[string]fs.FileMode{".": 0o700, "media/originals": 0o700, "media/public": 0o755} {
			if st, err := os.Stat(filepath.Join(data, name)); err != nil || st.Mode().Perm() != want {
				t.Errorf("%s: mode %v (%v), want %v", name, st.Mode().Perm(), err, want)
			}
		}
		if pg == "" {
			if st, err := os.Stat(restored); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("the restored database's mode: %v %v, want 0600", st.Mode().Perm(), err)
			}
		}
		if entries, _ := os.ReadDir(data); len(entries) != 1+boolInt(pg == "") {
			t.Errorf("the restored folder holds %d entries, want only media and the database", len(entries))
		}
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestBackupIsIncremental: a second backup into the same folder copies
// only the new photo, lists every one, and leaves one database copy.
func TestBackupIsIncremental(t *testing.T) {
	s := newSite(t, "")
	s.photo(t, "one")
	s.photo(t, "two")
	dest := t.TempDir()
	first, err := s.backup(t, dest)
	if err != nil {
		t.Fatal(err)
	}
	s.photo(t, "three")
	s.section(t, "sport")
	second, err := s.backup(t, dest)
	if err != nil {
		t.Fatal(err)
	}
	if second.Copied != 2 || second.Kept != 4 {
		t.Errorf("the second backup copied %d and kept %d objects; want 2 (the new photo and its variant) and 4", second.Copied, second.Kept)
	}
	if len(second.Manifest.Objects) != 7 {
		t.Errorf("the second manifest lists %d objects, want 7", len(second.Manifest.Objects))
	}
	if !slices.Equal(second.Removed, []string{first.Manifest.Database}) {
		t.Errorf("removed %q, want the first backup's database copy %q", second.Removed, first.Manifest.Database)
	}
	if _, err := os.Stat(filepath.Join(dest, first.Manifest.Database)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the first database copy is still there: %v", err)
	}
	data := t.TempDir()
	if _, err := restore(t, dest, data, ""); err != nil {
		t.Fatal(err)
	}
	if got := sections(t, filepath.Join(data, "newsdesk.db")); !slices.Contains(got, "sport") {
		t.Errorf("restored sections %q: the second backup's database is not the one restored", got)
	}
	if n := len(files(t, filepath.Join(data, "media"))); n != 6 {
		t.Errorf("restored %d media files, want 6", n)
	}
}

// TestFailedBackupKeepsTheLastOne: a backup that fails half-way writes no
// manifest; the earlier backup's stays and restores.
func TestFailedBackupKeepsTheLastOne(t *testing.T) {
	s := newSite(t, "")
	s.photo(t, "one")
	empty := t.TempDir()
	if _, err := s.backup(t, empty); err != nil {
		t.Fatal(err)
	}
	// A file where the new photo's folder must go: its copy fails.
	name := s.photo(t, "two")
	blocked := filepath.Join(empty, "media", filepath.Dir(name))
	writeFile(t, blocked, []byte("in the way"))
	before, err := os.ReadFile(filepath.Join(empty, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.backup(t, empty); err == nil {
		t.Fatal("the backup succeeded with a folder it cannot make")
	}
	after, err := os.ReadFile(filepath.Join(empty, ManifestName))
	if err != nil || !bytes.Equal(before, after) {
		t.Fatalf("the failed backup changed the manifest (%v)", err)
	}
	if _, err := restore(t, empty, t.TempDir(), ""); err != nil {
		t.Fatalf("the earlier backup no longer restores: %v", err)
	}

	fresh := t.TempDir()
	writeFile(t, filepath.Join(fresh, "media", filepath.Dir(name)), []byte("in the way"))
	if _, err := s.backup(t, fresh); err == nil {
		t.Fatal("the backup succeeded with a folder it cannot make")
	}
	if _, err := os.Stat(filepath.Join(fresh, ManifestName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed first backup has a manifest: %v", err)
	}
	if _, err := restore(t, fresh, t.TempDir(), ""); err == nil || !strings.Contains(err.Error(), "incomplete") {
		t.Errorf("restoring a backup without a manifest: %v, want a refusal that says it is incomplete", err)
	}
}

// TestRestoreRefuses: a restore that cannot be trusted or would mix two
// sites changes nothing and says why.
func TestRestoreRefuses(t *testing.T) {
	s := newSite(t, "")
	s.section(t, "news")
	orig := s.photo(t, "the photo")
	good := t.TempDir()
	if _, err := s.backup(t, good); err != nil {
		t.Fatal(err)
	}
	// copyOf copies the good backup, changed by change.
	copyOf := func(t *testing.T, change func(dir string, m *Manifest)) string {
		dir := t.TempDir()
		if err := os.CopyFS(dir, os.DirFS(good)); err != nil {
			t.Fatal(err)
		}
		m, err := ReadManifest(context.Background(), openDir(t, dir, ""))
		if err != nil {
			t.Fatal(err)
		}
		change(dir, m)
		b, _ := json.Marshal(m)
		writeFile(t, filepath.Join(dir, ManifestName), b)
		return dir
	}
	photo := mediaPrefix + orig
	for _, tt := range []struct {
		name   string
		src    func(t *testing.T) string
		data   func(t *testing.T) string
		errHas string
	}{
		{"a changed photo", func(t *testing.T) string {
			return copyOf(t, func(dir string, m *Manifest) {
				writeFile(t, filepath.Join(dir, photo), []byte("the phot0"))
			})
		}, nil, photo + "'s SHA-256 is"},
		{"a longer photo", func(t *testing.T) string {
			return copyOf(t, func(dir string, m *Manifest) {
				writeFile(t, filepath.Join(dir, photo), []byte("the photo, and more"))
			})
		}, nil, "longer than the manifest's 9 bytes"},
		{"a shorter database", func(t *testing.T) string {
			return copyOf(t, func(dir string, m *Manifest) {
				if err := os.Truncate(filepath.Join(dir, m.Database), 4096); err != nil {
					t.Fatal(err)
				}
			})
		}, nil, "has 4096 bytes"},
		{"a missing photo", func(t *testing.T) string {
			return copyOf(t, func(dir string, m *Manifest) { os.Remove(filepath.Join(dir, photo)) })
		}, nil, "no such file"},
		{"a name outside the backup", func(t *testing.T) string {
			return copyOf(t, func(dir string, m *Manifest) { m.Objects[1].Name = "media/../../../etc/passwd" })
		}, nil, "is not an object name"},
		{"a name outside the media", func(t *testing.T) string {
			return copyOf(t, func(dir string, m *Manifest) { m.Objects[1].Name = "newsdesk.db" })
		}, nil, "neither the database nor under media/"},
		{"a name twice", func(t *testing.T) string {
			return copyOf(t, func(dir string, m *Manifest) { m.Objects = append(m.Objects, m.Objects[1]) })
		}, nil, "listed twice"},
		{"no manifest", func(t *testing.T) string {
			return copyOf(t, func(dir string, m *Manifest) {})
		}, nil, "incomplete"},
		{"a folder that is not empty", func(t *testing.T) string { return good }, func(t *testing.T) string {
			d := t.TempDir()
			writeFile(t, filepath.Join(d, "notes.txt"), []byte("mine"))
			return d
		}, "is not empty (it holds notes.txt)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src(t)
			if tt.name == "no manifest" {
				os.Remove(filepath.Join(src, ManifestName))
			}
			data := filepath.Join(t.TempDir(), "site")
			if tt.data != nil {
				data = tt.data(t)
			}
			before := files(t, filepath.Dir(data))
			_, err := restore(t, src, data, "")
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("restore: %v, want an error containing %q", err, tt.errHas)
			}
			if after := files(t, filepath.Dir(data)); !mapsEqual(before, after) {
				t.Errorf("the refused restore left %v behind (before: %v)", keys(after), keys(before))
			}
		})
	}
}

// TestPostgresRestoreRefusesAFullDatabase: pg_restore goes only into an
// empty database.
func TestPostgresRestoreRefusesAFullDatabase(t *testing.T) {
	dsn := testkit.FreshPostgres(t)
	s := newSite(t, dsn)
	dest := t.TempDir()
	if _, err := s.backup(t, dest); err != nil {
		t.Fatal(err)
	}
	_, err := restore(t, dest, t.TempDir(), dsn)
	if err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Errorf("restoring into the site's own database: %v, want a refusal", err)
	}
	_, err = restore(t, dest, t.TempDir(), "")
	if err == nil || !strings.Contains(err.Error(), "--db") {
		t.Errorf("restoring a PostgreSQL backup without --db: %v, want a refusal naming --db", err)
	}
}

// TestNoPgDump: without pg_dump the backup says what is missing and how
// to get it.
func TestNoPgDump(t *testing.T) {
	dest := t.TempDir()
	_, err := Backup(context.Background(), Options{Postgres: "postgres://nobody@127.0.0.1:1/none", PgDump: "/nonexistent/pg_dump",
		Media: Empty{}, Dest: openDir(t, dest, "")})
	if !errors.Is(err, ErrNoPgTool) || !strings.Contains(err.Error(), "pg_dump is not installed") || !strings.Contains(err.Error(), "--pg-dump") {
		t.Errorf("err = %v, want one saying pg_dump is not installed and naming --pg-dump", err)
	}
	if _, err := os.Stat(filepath.Join(dest, ManifestName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a manifest after a failed backup: %v", err)
	}
}

// TestPgConn: the password goes to the environment, pgx's pool
// parameters are dropped.
func TestPgConn(t *testing.T) {
	conn, env, err := pgConn("postgres://site:s3cret@db.example:5433/news?sslmode=require&pool_max_conns=20")
	if err != nil {
		t.Fatal(err)
	}
	if conn != "postgres://site@db.example:5433/news?sslmode=require" {
		t.Errorf("conn = %q", conn)
	}
	if !slices.Contains(env, "PGPASSWORD=s3cret") {
		t.Errorf("PGPASSWORD not set")
	}
	if _, _, err := pgConn("mysql://x"); err == nil {
		t.Error("a mysql URL was taken")
	}
	// libpq takes the password from the query too; it must not reach the
	// command line either. A password with the characters a URL escapes
	// arrives unescaped.
	conn, env, err = pgConn("postgres://site@db.example/news?password=p%40ss%3Aw%2Frd%25%3F%23+x&sslmode=require")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(conn, "p%40ss") || strings.Contains(conn, "password") {
		t.Errorf("conn = %q: the password is on the command line", conn)
	}
	if !slices.Contains(env, "PGPASSWORD=p@ss:w/rd%?# x") {
		t.Errorf("PGPASSWORD not set from the query's password")
	}
	conn, env, err = pgConn("postgres://site:p%40ss%3A%2F%25@db.example/news")
	if err != nil {
		t.Fatal(err)
	}
	if conn != "postgres://site@db.example/news" || !slices.Contains(env, "PGPASSWORD=p@ss:/%") {
		t.Errorf("conn = %q, PGPASSWORD not the unescaped password", conn)
	}
}

func Example() {
	fmt.Println(checkName("media/originals/ab/ab.jpg") == nil, checkName("../x") == nil, checkName("media/.tmp-x") == nil)
	// Output: true false false
}
