package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// ManifestName and SignatureName are the two files of a copy that are not
// listed in the manifest: the manifest itself and its signature.
const (
	ManifestName  = "manifest.json"
	SignatureName = "manifest.json.sig"
)

// manifestFormat is the version of the manifest's layout; a copy written
// with another is exported again in full. 2: articles carry the photos
// their pages show (Media), without which an incremental export could
// remove a photo an unrendered page still shows.
const manifestFormat = 2

// Manifest lists every file of a static copy with its SHA-256 and size, so
// a second export rewrites only what changed and anyone can check a copy
// (see Verify). It also records where the copy stands in the site's change
// log and where each published article appears, which is what lets the
// next export render only the pages a change touches.
type Manifest struct {
	Format    int    `json:"format"`
	Generator string `json:"generator"` // "newsdesk <version>"
	Site      string `json:"site"`      // the primary address the copy was rendered for
	// Config fingerprints the site's settings that every page depends on
	// (addresses, name, page sizes): when it differs, every page is
	// rendered again.
	Config  string    `json:"config"`
	Updated time.Time `json:"updated"`
	// Change is the newest change log entry the copy includes.
	Change int64 `json:"change"`
	// Files are the copy's files by slash-separated path relative to its
	// folder ("news/europe/index.html").
	Files map[string]FileEntry `json:"files"`
	// Articles are the published articles the copy shows, by id.
	Articles map[int64]ArticleEntry `json:"articles"`
}

// FileEntry is one file of a copy.
type FileEntry struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// ArticleEntry is where a published article appears: its address, its
// place in newest-first lists (publication time in unix microseconds), and
// the section, tags and authors whose pages list it.
type ArticleEntry struct {
	Path      string   `json:"path"`
	Section   string   `json:"section"`
	Published int64    `json:"published"`
	Tags      []string `json:"tags,omitempty"`
	Authors   []string `json:"authors,omitempty"`
	Photo     string   `json:"photo,omitempty"` // the lead photo's hash: its files are media/*/HASH-*
	// Moved are the article's old addresses: the copy holds a page at each
	// that sends the reader on (see movedPage), kept or removed with it.
	Moved []string `json:"moved,omitempty"`
	// Media are the hashes of the photos the article's page shows, its
	// lead photo and those in its text (see orphanMedia).
	Media []string `json:"media,omitempty"`
}

func fileEntry(body []byte) FileEntry {
	sum := sha256.Sum256(body)
	return FileEntry{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(body))}
}

// readManifest reads dir's manifest; a missing one is (nil, nil).
func readManifest(dir string) (*Manifest, []byte, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestName), err)
	}
	if m.Files == nil {
		m.Files = map[string]FileEntry{}
	}
	if m.Articles == nil {
		m.Articles = map[int64]ArticleEntry{}
	}
	return &m, data, nil
}

// encode is the manifest's bytes: JSON with sorted keys (encoding/json
// sorts map keys), one file to a line, so the same copy always has the
// same manifest and a diff of two reads well.
func (m *Manifest) encode() ([]byte, error) {
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// writeFileAtomic writes data to dir/name through a temporary file and a
// rename, so a reader (a static server, a sync tool) never sees half a file.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return replaceFile(path, data)
}

// replaceFile is writeFileAtomic in a folder known to exist. The temporary
// file is made with the final file's mode, which saves a chmod per file.
func replaceFile(path string, data []byte) error {
	var f *os.File
	var tmp string
	for range 10 {
		tmp = filepath.Join(filepath.Dir(path), ".export-"+strconv.FormatUint(rand.Uint64(), 36))
		var err error
		f, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	if f == nil {
		return fmt.Errorf("export: no free temporary name in %s", filepath.Dir(path))
	}
	_, err := f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// sameFile reports whether path holds exactly want's bytes, judged by size
// and then content.
func sameFile(path string, want []byte) bool {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() != int64(len(want)) {
		return false
	}
	got, err := os.ReadFile(path)
	return err == nil && bytes.Equal(got, want)
}
