package media

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/newsdesk/newsdesk/internal/news"
)

// VariantWidths are the widths, in pixels, of the public copies made of each
// image, for srcset; no copy is wider than the last.
var VariantWidths = []int{320, 640, 960, 1280, 1600}

// maxPuts is how many images Put decodes at once. A 50-megapixel photo takes
// 200 MB or more while it is decoded and scaled; a burst of uploads or an
// import waits its turn rather than exhausting memory.
const maxPuts = 2

// Store keeps originals and public variants in a folder, through os.Root so
// that no key can reach outside it.
type Store struct {
	root    *os.Root
	puts    chan struct{}
	repairs []string // see Repairs

	// Crop copies made on request (see HandlerMaking): one flight per
	// photo whose copies are being made, which later requests for them
	// wait on, and at most maxMaking at once for requests that may be
	// refused.
	making    sync.Mutex
	flights   map[string]*flight
	maxMaking int
	decodes   atomic.Int64 // originals decoded to make crop copies, for tests
}

// OpenStore opens the store in dir, creating dir and its folders if missing.
func OpenStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	if err := root.MkdirAll(originalsDir, 0o700); err != nil {
		root.Close()
		return nil, fmt.Errorf("media: %w", err)
	}
	// Originals keep what the public variants drop (GPS positions, camera
	// serials, unpublished photos): their folder is the owner's alone, so
	// no file in it can be read by others whatever its own mode. A folder
	// made open by hand or by a copy is closed again.
	var repairs []string
	st, err := root.Stat(originalsDir)
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("media: %w", err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		name := filepath.Join(dir, originalsDir)
		if err := root.Chmod(originalsDir, 0o700); err != nil {
			repairs = append(repairs, fmt.Sprintf("%s is open to other users (mode %04o) and its mode cannot be changed (%v): chmod 700 it", name, perm, errors.Unwrap(err)))
		} else {
			repairs = append(repairs, fmt.Sprintf("%s was open to other users (mode %04o); it is now 0700", name, perm))
		}
	}
	if err := root.MkdirAll(publicDir, 0o755); err != nil {
		root.Close()
		return nil, fmt.Errorf("media: %w", err)
	}
	s := &Store{root: root, puts: make(chan struct{}, maxPuts), repairs: repairs, flights: map[string]*flight{}, maxMaking: maxMaking}
	if err := s.syncDir("."); err != nil {
		root.Close()
		return nil, fmt.Errorf("media: %w", err)
	}
	return s, nil
}

// Repairs lists what opening the store changed on disk to keep the
// originals private, for the caller to log.
func (s *Store) Repairs() []string { return s.repairs }

// Close releases the store's folder.
func (s *Store) Close() error { return s.root.Close() }

// Put checks data (see Check), keeps the original privately under its
// SHA-256 (the same bytes are written once), and writes the public variants
// Variants lists, re-encoded from the decoded pixels so that no EXIF, GPS,
// XMP, ICC profile or comment survives: JPEG at quality 80 for JPEG and WebP
// sources, PNG for PNG and GIF (a GIF's first frame). A JPEG's EXIF
// orientation is applied to the variants, and the returned Width and Height
// are the picture's as shown, upright. Variants missing from an earlier,
// interrupted Put are made again.
//
// The copies of its crops (CropVariants) are not made here: they tripled
// the cost of an upload and of an import, for copies most photos' pages
// ask for once. HandlerMaking makes a shape's copies on its first request
// (the live site, and through it the static export), and PutCrops an
// editor's new crops before they are stored.
//
// Every file is written to a temporary name, synced, renamed into place and
// its folder synced, so a crash leaves either the whole file or nothing.
// Errors in data are *news.Error EINVALID, the message naming the file.
func (s *Store) Put(name string, data []byte, lim Limits) (news.Media, error) {
	return s.put(name, data, lim, true)
}

// PutLater is Put for an import of a whole archive: the original is
// checked from its header (type, size, pixel limits) and kept, and the
// public variants are made on their first request (HandlerMaking), as the
// crops' copies are. Decoding and re-encoding 20,000 photos during an
// import took half an hour of CPU; made as readers ask for them, the
// cost is spread over the days the archive is read, and pages nobody
// opens cost nothing. A damaged original is found then: its variants
// answer 404.
func (s *Store) PutLater(name string, data []byte, lim Limits) (news.Media, error) {
	return s.put(name, data, lim, false)
}

func (s *Store) put(name string, data []byte, lim Limits, now bool) (news.Media, error) {
	s.puts <- struct{}{}
	defer func() { <-s.puts }()

	d, err := checkImage(data, lim, now)
	if err != nil {
		var e *news.Error
		if errors.As(err, &e) {
			label := strconv.Quote(name)
			if name == "" {
				label = "The file"
			}
			return news.Media{}, &news.Error{Code: e.Code, Field: e.Field, Message: label + " " + e.Message}
		}
		return news.Media{}, err
	}
	sum := sha256.Sum256(data)
	m := news.Media{
		Hash:   hex.EncodeToString(sum[:]),
		Type:   d.Type,
		Size:   int64(len(data)),
		Width:  d.Width,
		Height: d.Height,
		Name:   name,
	}
	if d.orientation >= 5 {
		m.Width, m.Height = m.Height, m.Width
	}
	orig := path.Join(originalsDir, m.Hash[:2], m.Key())
	if err := s.writeNew(orig, 0o700, 0o600, func() ([]byte, error) { return data, nil }); err != nil {
		return news.Media{}, err
	}
	if !now {
		return m, nil
	}
	if err := s.putVariants(m, d); err != nil {
		return news.Media{}, err
	}
	return m, nil
}

// putVariants writes m's missing public variants from its decoded pixels:
// largest first, each smaller one starting from the pixels the last one
// reduced.
func (s *Store) putVariants(m news.Media, d decoded) error {
	src := d.img
	vs := Variants(m)
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		err := s.writeNew(path.Join(publicDir, v.Key), 0o755, 0o644, func() ([]byte, error) {
			var img image.Image = d.img
			w, h := v.Width, v.Height
			if d.orientation >= 5 {
				w, h = h, w
			}
			if w != d.Width || h != d.Height {
				img, src = resize(src, w, h)
			}
			return encode(v.Type, orient(img, d.orientation))
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// encode writes a variant's bytes: pixels only, no metadata.
func encode(typ string, img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch typ {
	case typeJPEG:
		err = jpeg.Encode(&buf, onWhite(img), &jpeg.Options{Quality: 80})
	case typePNG:
		err = png.Encode(&buf, img)
	default:
		err = fmt.Errorf("no encoder for %s", typ)
	}
	if err != nil {
		return nil, fmt.Errorf("media: encoding a variant: %w", err)
	}
	return buf.Bytes(), nil
}

// writeNew writes the file name with the bytes content returns, unless it
// exists: keys are derived from content, so an existing file is the same.
// It writes to a temporary file, syncs it, renames it into place and syncs
// the folder, and the folder's parent when the folder is new.
func (s *Store) writeNew(name string, dirPerm, perm fs.FileMode, content func() ([]byte, error)) (err error) {
	if _, err := s.root.Stat(name); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: %w", err)
	}
	data, err := content()
	if err != nil {
		return err
	}
	dir := path.Dir(name)
	_, statErr := s.root.Stat(dir)
	newDir := errors.Is(statErr, fs.ErrNotExist)
	if err := s.root.MkdirAll(dir, dirPerm); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	tmp := path.Join(dir, ".tmp-"+rand.Text())
	f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	defer func() {
		if err != nil {
			s.root.Remove(tmp)
			err = fmt.Errorf("media: writing %s: %w", name, err)
		}
	}()
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := s.root.Rename(tmp, name); err != nil {
		return err
	}
	if err := s.syncDir(dir); err != nil {
		return err
	}
	if newDir {
		return s.syncDir(path.Dir(dir))
	}
	return nil
}

func (s *Store) syncDir(name string) error {
	d, err := s.root.Open(name)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Variant is one public copy of an image, served at "/media/"+Key.
type Variant struct {
	Width, Height int
	Key           string // "ab/abcd…-640.jpg": the hash's first two digits, the hash, the width
	Type          string // "image/jpeg" or "image/png"
}

// Variants lists the public variants Put makes for m, narrowest first: one
// for each of VariantWidths narrower than m, and one at m's own width or
// the widest of VariantWidths, whichever is less. It reads only m, not the
// disk, so templates can build a srcset without I/O. It returns nil for a
// record Put could not have made.
func Variants(m news.Media) []Variant {
	typ, ext, ok := variantType(m)
	if !ok || !hashPattern.MatchString(m.Hash) || m.Width <= 0 || m.Height <= 0 || len(VariantWidths) == 0 {
		return nil
	}
	top := min(m.Width, VariantWidths[len(VariantWidths)-1])
	var vs []Variant
	add := func(w int) {
		h := max(1, int((int64(m.Height)*int64(w)*2+int64(m.Width))/(2*int64(m.Width))))
		key := m.Hash[:2] + "/" + m.Hash + "-" + strconv.Itoa(w) + ext
		vs = append(vs, Variant{Width: w, Height: h, Key: key, Type: typ})
	}
	for _, w := range VariantWidths {
		if w < top {
			add(w)
		}
	}
	add(top)
	return vs
}

var (
	hashPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)
	// keyPattern matches the keys of Variants and CropVariants: the
	// hash's first two digits, the hash, for a crop its shape and
	// fingerprint, and the width.
	keyPattern = regexp.MustCompile(`^([0-9a-f]{2})/([0-9a-f]{64})(-(?:` + shapeNames() + `)-[0-9a-f]{8})?-[1-9][0-9]{0,5}\.(?:jpg|png)$`)
)

// shapeNames is the shapes' names as a regular expression's alternatives.
func shapeNames() string {
	var names []string
	for _, a := range news.Aspects {
		names = append(names, a.Name())
	}
	return strings.Join(names, "|")
}

// Open opens a public variant by its key for serving. Only keys of the form
// Variants makes are accepted; any other, and a variant that does not
// exist, is a news.ENOTFOUND error. Originals cannot be opened.
func (s *Store) Open(key string) (*os.File, error) {
	m := keyPattern.FindStringSubmatch(key)
	if m == nil || m[1] != m[2][:2] {
		return nil, news.NotFound("there is no media file %q", key)
	}
	// O_NONBLOCK: a named pipe in the folder's place of a variant would
	// otherwise hold the open (and the request, or an export) until a
	// writer came; it is refused below as not a regular file.
	f, err := s.root.OpenFile(path.Join(publicDir, key), os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, news.NotFound("there is no media file %q", key)
	} else if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, news.NotFound("there is no media file %q", key)
	}
	return f, nil
}

// Handler serves GET and HEAD for public variants, the key taken from the
// request's "key" path value, as in "GET /media/{key...}". Variants never
// change under a key, so they are cached for a year.
func (s *Store) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
			return
		}
		key := r.PathValue("key")
		f, err := s.Open(key)
		if news.ErrorCode(err) == news.ENOTFOUND {
			http.NotFound(w, r)
			return
		} else if err != nil {
			http.Error(w, "500 internal server error", http.StatusInternalServerError)
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			http.Error(w, "500 internal server error", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", typeJPEG)
		if strings.HasSuffix(key, ".png") {
			h.Set("Content-Type", typePNG)
		}
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		h.Set("ETag", `"`+strings.TrimSuffix(path.Base(key), path.Ext(key))+`"`)
		http.ServeContent(w, r, "", fi.ModTime(), f)
	})
}

// BodyVariant is the variant of m that a body's figure names (the editor
// and the importers write its address into the Markdown): the widest up to
// 1280 pixels, or the narrowest when every one is wider. The page's srcset
// offers the others (markup.WithPhotoSets).
func BodyVariant(m news.Media) (Variant, bool) {
	vs := Variants(m)
	if len(vs) == 0 {
		return Variant{}, false
	}
	best := vs[0]
	for _, v := range vs {
		if v.Width <= 1280 {
			best = v
		}
	}
	return best, true
}
