package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/newsdesk/newsdesk/internal/news"
)

// VariantWidths are the widths, in pixels, of the public copies made of each
// image, for srcset; no copy is wider than the last.
var VariantWidths = []int{320, 640, 960, 1280, 1600}

// maxPuts is how many images Put decodes at once. A 50-megapixel photo takes
// 200 MB or more while it is decoded and scaled; a burst of uploads or an
// import waits its turn rather than exhausting memory.
const maxPuts = 2

// Store keeps originals and public variants in its Blobs: a folder (the
// default, OpenStore) or an S3 bucket (NewStore with an S3).
type Store struct {
	blobs   Blobs
	puts    chan struct{}
	repairs []string // see Repairs
	// publicURL, when set, is where the variants are served from instead
	// of Newsdesk: a public bucket or a CDN in front of one (see
	// StoreOptions.PublicURL).
	publicURL string

	// Crop copies made on request (see HandlerMaking): one flight per
	// photo whose copies are being made, which later requests for them
	// wait on, and at most maxMaking at once for requests that may be
	// refused.
	making    sync.Mutex
	flights   map[string]*flight
	maxMaking int
	decodes   atomic.Int64 // originals decoded to make crop copies, for tests
}

// StoreOptions are a Store's settings beyond where its bytes live.
type StoreOptions struct {
	// PublicURL is the address under which a public bucket, or a CDN in
	// front of it, serves the store's "public/" objects by their keys
	// ("https://cdn.example.net/media/" serves public/ab/abcd…-640.jpg as
	// https://cdn.example.net/media/ab/abcd…-640.jpg). When set, /media/
	// answers with a redirect there once the copy asked for is made,
	// instead of streaming its bytes. Empty: Newsdesk serves them.
	PublicURL string
}

// OpenStore opens the store in the folder dir, creating dir and its
// folders if missing (see OpenFolder).
func OpenStore(dir string) (*Store, error) {
	f, err := OpenFolder(dir)
	if err != nil {
		return nil, err
	}
	return NewStore(f, StoreOptions{}), nil
}

// NewStore returns a store that keeps its bytes in b. Closing the store
// closes b.
func NewStore(b Blobs, o StoreOptions) *Store {
	s := &Store{blobs: b, puts: make(chan struct{}, maxPuts), flights: map[string]*flight{}, maxMaking: maxMaking}
	if f, ok := b.(*Folder); ok {
		s.repairs = f.Repairs()
	}
	if o.PublicURL != "" {
		s.publicURL = strings.TrimSuffix(o.PublicURL, "/") + "/"
	}
	return s
}

// Blobs returns where the store keeps its bytes, for copying them whole
// (a backup, `newsdesk media move`).
func (s *Store) Blobs() Blobs { return s.blobs }

// Repairs lists what opening the store changed on disk to keep the
// originals private, for the caller to log.
func (s *Store) Repairs() []string { return s.repairs }

// Close releases the store's Blobs.
func (s *Store) Close() error { return s.blobs.Close() }

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
	ctx := context.Background()
	if err := s.writeNew(ctx, originalName(m), func() ([]byte, error) { return data, nil }); err != nil {
		return news.Media{}, err
	}
	if !now {
		return m, nil
	}
	if err := s.putVariants(ctx, m, d); err != nil {
		return news.Media{}, err
	}
	return m, nil
}

// putVariants writes m's missing public variants from its decoded pixels:
// largest first, each smaller one starting from the pixels the last one
// reduced.
func (s *Store) putVariants(ctx context.Context, m news.Media, d decoded) error {
	src := d.img
	vs := Variants(m)
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		err := s.writeNew(ctx, path.Join(publicDir, v.Key), func() ([]byte, error) {
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

// originalName is the name of m's original in the store's Blobs.
func originalName(m news.Media) string { return path.Join(originalsDir, m.Hash[:2], m.Key()) }

// writeNew stores the object name with the bytes content returns, unless
// it exists: names are derived from content, so an existing object is the
// same, and content is not made again. The Blobs write it whole or not at
// all.
func (s *Store) writeNew(ctx context.Context, name string, content func() ([]byte, error)) error {
	if _, err := s.blobs.Stat(ctx, name); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	data, err := content()
	if err != nil {
		return err
	}
	return s.blobs.Put(ctx, name, data)
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
func (s *Store) Open(key string) (Blob, error) {
	return s.open(context.Background(), key)
}

func (s *Store) open(ctx context.Context, key string) (Blob, error) {
	if !validKey(key) {
		return nil, news.NotFound("there is no media file %q", key)
	}
	f, err := s.blobs.Open(ctx, path.Join(publicDir, key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, news.NotFound("there is no media file %q", key)
	} else if err != nil {
		return nil, err
	}
	return f, nil
}

// validKey reports whether key has the form of the keys of Variants and
// CropVariants.
func validKey(key string) bool {
	m := keyPattern.FindStringSubmatch(key)
	return m != nil && m[1] == m[2][:2]
}

// readAll reads the whole object name.
func (s *Store) readAll(ctx context.Context, name string) ([]byte, error) {
	f, err := s.blobs.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// variantCacheControl is how long a variant may be kept: for ever, since
// what a key names never changes.
const variantCacheControl = "public, max-age=31536000, immutable"

// Handler serves GET and HEAD for public variants, the key taken from the
// request's "key" path value, as in "GET /media/{key...}". Variants never
// change under a key, so they are cached for a year. With a PublicURL, a
// valid key is answered with a redirect there instead.
func (s *Store) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
			return
		}
		key := r.PathValue("key")
		if s.publicURL != "" && validKey(key) {
			// Not for ever: the operator may move the bucket or change
			// the CDN's address, and readers' browsers would keep
			// following an old permanent redirect.
			w.Header().Set("Cache-Control", "public, max-age=86400")
			http.Redirect(w, r, s.publicURL+key, http.StatusFound)
			return
		}
		f, err := s.open(r.Context(), key)
		if news.ErrorCode(err) == news.ENOTFOUND {
			http.NotFound(w, r)
			return
		} else if err != nil {
			serverError(w, err)
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			serverError(w, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", typeJPEG)
		if strings.HasSuffix(key, ".png") {
			h.Set("Content-Type", typePNG)
		}
		h.Set("Cache-Control", variantCacheControl)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		h.Set("ETag", `"`+strings.TrimSuffix(path.Base(key), path.Ext(key))+`"`)
		http.ServeContent(w, r, "", fi.ModTime(), f)
	})
}

// serverError answers a failure to read the store: 503 with Retry-After
// when it cannot be reached for now, else 500. Neither is kept by a cache.
func serverError(w http.ResponseWriter, err error) {
	w.Header().Set("Cache-Control", "no-store")
	if errors.Is(err, ErrUnavailable) {
		w.Header().Set("Retry-After", retryAfter)
		http.Error(w, "503 service unavailable: the photo store cannot be reached, try again shortly", http.StatusServiceUnavailable)
		return
	}
	http.Error(w, "500 internal server error", http.StatusInternalServerError)
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
