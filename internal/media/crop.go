package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"net/http"
	"path"
	"strconv"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Crops: each photo has public copies of its 16:9, 4:3 and 1:1 crops (see
// news.Framing), for cards, social previews and structured data. Their
// keys name the crop's shape and a fingerprint of its rectangle,
// "ab/abcd…-16x9-1f2e3d4c-1200.jpg": a crop an editor moves gets new keys,
// so no cache, ours or a CDN's or a reader's, can show the old one under
// the year-long Cache-Control the variants are served with.

// CropWidths are the widths of the public copies of each crop: a card's at
// one and two device pixels a CSS pixel, and the 1200 that social
// previews and Google's article results ask for. A crop narrower than a
// width has a copy at its own width instead, never enlarged.
var CropWidths = []int{320, 640, 1200}

// CropVariants lists the public copies of m's crop in shape a, narrowest
// first, from m alone (its size, type, hash and framing), without I/O, so
// that pages can name them. It returns nil for a record Put could not have
// made.
func CropVariants(m news.Media, a news.Aspect) []Variant {
	typ, ext, ok := variantType(m)
	if !ok || !hashPattern.MatchString(m.Hash) || m.Width <= 0 || m.Height <= 0 || len(CropWidths) == 0 {
		return nil
	}
	r := m.Crop(a)
	if r.Empty() {
		return nil
	}
	prefix := m.Hash[:2] + "/" + m.Hash + "-" + a.Name() + "-" + cropPrint(r) + "-"
	top := min(r.W, CropWidths[len(CropWidths)-1])
	var vs []Variant
	add := func(w int) {
		h := max(1, int((int64(r.H)*int64(w)*2+int64(r.W))/(2*int64(r.W))))
		vs = append(vs, Variant{Width: w, Height: h, Key: prefix + strconv.Itoa(w) + ext, Type: typ})
	}
	for _, w := range CropWidths {
		if w < top {
			add(w)
		}
	}
	add(top)
	return vs
}

// cropPrint is the fingerprint of a crop's rectangle in its copies' keys:
// the first 8 hex digits of the SHA-256 of "x,y,w,h".
func cropPrint(r news.Rect) string {
	sum := sha256.Sum256([]byte(r.String()))
	return hex.EncodeToString(sum[:4])
}

// variantType is the type and extension of m's public copies: JPEG for
// JPEG and WebP, PNG for PNG and GIF.
func variantType(m news.Media) (typ, ext string, ok bool) {
	switch m.Type {
	case typeJPEG, typeWebP:
		return typeJPEG, ".jpg", true
	case typePNG, typeGIF:
		return typePNG, ".png", true
	}
	return "", "", false
}

// PutCrops makes the public copies of m's crops (CropVariants, every
// shape) that are missing, from the original Put kept: the newsroom calls
// it when an editor saves a framing, before the framing is stored, so
// that no page names a copy that is not there yet.
func (s *Store) PutCrops(m news.Media) error {
	s.puts <- struct{}{}
	defer func() { <-s.puts }()
	return s.putCrops(context.Background(), m, news.Aspects[:])
}

// putCrops makes m's missing copies of its crops in the shapes given,
// decoding the original once, and only if a copy needs its pixels.
func (s *Store) putCrops(ctx context.Context, m news.Media, shapes []news.Aspect) error {
	var d *decoded
	pixels := func() (*decoded, error) {
		if d != nil {
			return d, nil
		}
		data, err := s.readAll(ctx, originalName(m))
		if err != nil {
			return nil, fmt.Errorf("media: the original of %s: %w", m.Hash, err)
		}
		s.decodes.Add(1)
		// The original passed Check when it was put; it is read again
		// with limits that fit it exactly, whatever the limits are now.
		got, err := check(data, Limits{MaxBytes: int64(len(data)), MaxPixels: int64(m.Width) * int64(m.Height), MaxSide: max(m.Width, m.Height)})
		if err != nil {
			return nil, fmt.Errorf("media: the original of %s: %w", m.Hash, err)
		}
		d = &got
		return d, nil
	}
	plain := map[int]Variant{}
	for _, v := range Variants(m) {
		plain[v.Width] = v
	}
	for _, a := range shapes {
		r := m.Crop(a)
		// A crop that is the whole picture (the 16:9 crop of a 16:9
		// photo, until an editor moves it) has, at a width the photo's
		// variants share, the very pixels of that variant: its bytes are
		// copied rather than made again.
		whole := r == news.Rect{W: m.Width, H: m.Height}
		var src image.Image // the crop's pixels, each width made from the last one's
		vs := CropVariants(m, a)
		// Largest first, each smaller one from the pixels the last one
		// reduced.
		for i := len(vs) - 1; i >= 0; i-- {
			v := vs[i]
			err := s.writeNew(ctx, path.Join(publicDir, v.Key), func() ([]byte, error) {
				if pv, ok := plain[v.Width]; whole && ok && pv.Height == v.Height {
					if data, err := s.readAll(ctx, path.Join(publicDir, pv.Key)); err == nil {
						return data, nil
					}
				}
				d, err := pixels()
				if err != nil {
					return nil, err
				}
				if src == nil {
					sub, ok := d.img.(interface {
						SubImage(image.Rectangle) image.Image
					})
					if !ok {
						return nil, fmt.Errorf("media: cannot crop a %T", d.img)
					}
					src = sub.SubImage(sourceRect(r, d.Width, d.Height, d.orientation))
				}
				w, h := v.Width, v.Height
				if d.orientation >= 5 {
					w, h = h, w
				}
				var img image.Image
				if b := src.Bounds(); b.Dx() == w && b.Dy() == h {
					img = src
				} else {
					img, src = resize(src, w, h)
				}
				return encode(v.Type, orient(img, d.orientation))
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// sourceRect is where the upright crop r lies in the stored pixels of a
// w × h (as stored) picture that EXIF orientation o turns upright: the
// inverse of orient's mapping, for a rectangle.
func sourceRect(r news.Rect, w, h, o int) image.Rectangle {
	x0, x1, y0, y1 := r.X, r.X+r.W, r.Y, r.Y+r.H
	switch o {
	case 2:
		return image.Rect(w-x1, y0, w-x0, y1)
	case 3:
		return image.Rect(w-x1, h-y1, w-x0, h-y0)
	case 4:
		return image.Rect(x0, h-y1, x1, h-y0)
	case 5:
		return image.Rect(y0, x0, y1, x1)
	case 6:
		return image.Rect(y0, h-x1, y1, h-x0)
	case 7:
		return image.Rect(w-y1, h-x1, w-y0, h-x0)
	case 8:
		return image.Rect(w-y1, x0, w-y0, x1)
	}
	return image.Rect(x0, y0, x1, y1)
}

// FindMedia looks up a stored photo by its content hash (with its framing),
// for HandlerMaking; an unknown hash is a news.ENOTFOUND error.
type FindMedia func(ctx context.Context, hash string) (news.Media, error)

// maxMaking bounds the photos whose crop copies HandlerMaking makes, or
// waits to make,
// at once. Two decode at a time (maxPuts, with uploads); the rest wait
// their turn, and a request that would be one more is answered 503 with
// Retry-After: a storm of valid addresses of many photos' crops (a
// crawler on a site of old photos, or someone who wants the server busy)
// costs at most this many queued decodes, not one per request.
const maxMaking = 16

// retryAfter is the Retry-After, in seconds, of a 503 for a busy server.
const retryAfter = "2"

// errBusy is a request for a crop copy refused because maxMaking photos'
// copies are being made.
var errBusy = errors.New("media: busy making other crop copies")

// flight is one photo's crop copies being made: requests for any of them
// wait for done, then read err.
type flight struct {
	done chan struct{}
	err  error
}

type patientKey struct{}

// Patient marks a request's context as one that waits for a crop copy to
// be made however many are being made, rather than being refused with 503:
// the static export's, which asks for every copy its pages link to and
// whose own pool of workers bounds how many it asks for at once.
func Patient(ctx context.Context) context.Context {
	return context.WithValue(ctx, patientKey{}, true)
}

// HandlerMaking is Handler, but a copy of a photo's current crop that is
// not on disk yet (Put makes none; a photo stored before crops, or whose
// copies were lost) is made from the original when first asked for, then
// served: the first request for a copy makes every missing copy of the
// photo's crops, all shapes and widths from one decode, since the pages
// that name one name the others too (a card's srcset its 16:9 and 4:3
// widths, an article's structured data its 1:1). Only the keys of a photo's
// current crops are made, as find reports the photo: any other key is a
// 404 as before, so a request cannot make the server cut or store
// anything an editor did not set.
//
// Requests for a photo whose copies are being made wait for them rather
// than make them again,
// and each copy is written under a temporary name and renamed, so no
// request reads half a file. When maxMaking shapes are being made or
// wait to be, a request for yet another is answered 503 with Retry-After
// and no-store (a CDN in front keeps no error, and asks again later),
// unless its context is Patient.
func (s *Store) HandlerMaking(find FindMedia) http.Handler {
	serve := s.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			err := s.makeMissing(r.Context(), r.PathValue("key"), find)
			switch {
			case errors.Is(err, errBusy):
				w.Header().Set("Retry-After", retryAfter)
				w.Header().Set("Cache-Control", "no-store")
				http.Error(w, "503 service unavailable: busy, try again shortly", http.StatusServiceUnavailable)
				return
			case r.Context().Err() != nil:
				return // the client is gone
			case err != nil:
				serverError(w, err)
				return
			}
		}
		serve.ServeHTTP(w, r)
	})
}

// makeMissing makes the copies of the crops of the photo whose copy key
// names, if it is a current crop's and is missing. Anything else is left for the
// handler to answer.
func (s *Store) makeMissing(ctx context.Context, key string, find FindMedia) error {
	mm := keyPattern.FindStringSubmatch(key)
	if mm == nil || mm[1] != mm[2][:2] {
		return nil
	}
	if _, err := s.blobs.Stat(ctx, path.Join(publicDir, key)); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	m, err := find(ctx, mm[2])
	if news.ErrorCode(err) == news.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if mm[3] == "" {
		// A plain variant: one an import left to be made (PutLater).
		for _, v := range Variants(m) {
			if v.Key == key {
				return s.makeVariants(ctx, m)
			}
		}
		return nil
	}
	current := false
	for _, a := range news.Aspects {
		for _, v := range CropVariants(m, a) {
			current = current || v.Key == key
		}
	}
	if !current {
		return nil
	}
	err = s.makeCrops(ctx, m)
	if errors.Is(err, fs.ErrNotExist) {
		// The original is gone (the photo was taken down by hand): a 404.
		return nil
	}
	return err
}

// makeVariants makes m's missing public variants from its original, or
// waits for the request already making them. An original that cannot be
// decoded (damaged, and imported with PutLater, which reads headers only)
// gets none: its variants answer 404.
func (s *Store) makeVariants(ctx context.Context, m news.Media) error {
	return s.fly(ctx, m.Hash+"-variants", func(ctx context.Context) error {
		data, err := s.readAll(ctx, originalName(m))
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return fmt.Errorf("media: the original of %s: %w", m.Hash, err)
		}
		s.decodes.Add(1)
		d, err := check(data, Limits{MaxBytes: int64(len(data)), MaxPixels: int64(m.Width) * int64(m.Height), MaxSide: max(m.Width, m.Height)})
		if news.ErrorCode(err) == news.EINVALID {
			return nil
		} else if err != nil {
			return err
		}
		return s.putVariants(ctx, m, d)
	})
}

// makeCrops makes m's missing crop copies, or waits for the request
// already making them.
func (s *Store) makeCrops(ctx context.Context, m news.Media) error {
	// A flight is named by the photo and its crops as they are now.
	name := m.Hash
	for _, a := range news.Aspects {
		name += "-" + cropPrint(m.Crop(a))
	}
	return s.fly(ctx, name, func(ctx context.Context) error { return s.putCrops(ctx, m, news.Aspects[:]) })
}

// fly runs work under the name, once however many requests ask for it at
// the same time (the others wait for it), at most maxMaking at once: past
// that a request is told errBusy, unless its context is Patient.
func (s *Store) fly(ctx context.Context, name string, work func(context.Context) error) error {
	s.making.Lock()
	if f, ok := s.flights[name]; ok {
		s.making.Unlock()
		select {
		case <-f.done:
			return f.err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if len(s.flights) >= s.maxMaking && ctx.Value(patientKey{}) == nil {
		s.making.Unlock()
		return errBusy
	}
	f := &flight{done: make(chan struct{})}
	s.flights[name] = f
	s.making.Unlock()
	defer func() {
		s.making.Lock()
		delete(s.flights, name)
		s.making.Unlock()
		close(f.done)
	}()
	// The copies are made even if this request's client leaves: others
	// may be waiting for them, and the work is bounded by maxMaking.
	s.puts <- struct{}{}
	defer func() { <-s.puts }()
	f.err = work(context.WithoutCancel(ctx))
	return f.err
}
