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
	"os"
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
	return s.putCrops(m, nil)
}

// putCrops makes m's missing crop copies, decoding the original only if
// one is missing; d is the decoded original when the caller has it.
func (s *Store) putCrops(m news.Media, d *decoded) error {
	var todo []news.Aspect
	for _, a := range news.Aspects {
		for _, v := range CropVariants(m, a) {
			if _, err := s.root.Stat(path.Join(publicDir, v.Key)); err != nil {
				todo = append(todo, a)
				break
			}
		}
	}
	if len(todo) == 0 {
		return nil
	}
	if d == nil {
		data, err := s.root.ReadFile(path.Join(originalsDir, m.Hash[:2], m.Key()))
		if err != nil {
			return fmt.Errorf("media: the original of %s: %w", m.Hash, err)
		}
		// The original passed Check when it was put; it is read again
		// with limits that fit it exactly, whatever the limits are now.
		got, err := check(data, Limits{MaxBytes: int64(len(data)), MaxPixels: int64(m.Width) * int64(m.Height), MaxSide: max(m.Width, m.Height)})
		if err != nil {
			return fmt.Errorf("media: the original of %s: %w", m.Hash, err)
		}
		d = &got
	}
	sub, ok := d.img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return fmt.Errorf("media: cannot crop a %T", d.img)
	}
	for _, a := range todo {
		r := m.Crop(a)
		src := sub.SubImage(sourceRect(r, d.Width, d.Height, d.orientation))
		vs := CropVariants(m, a)
		// Largest first, each smaller one from the pixels the last one
		// reduced.
		for i := len(vs) - 1; i >= 0; i-- {
			v := vs[i]
			err := s.writeNew(path.Join(publicDir, v.Key), 0o755, 0o644, func() ([]byte, error) {
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

// HandlerMaking is Handler, but a copy of a photo's current crop that is
// not on disk yet (a photo stored before crops were made, or whose copies
// were lost) is made from the original when first asked for, then served.
// Only the keys of a photo's current crops are made, as find reports the
// photo: any other key is a 404 as before, so a request cannot make the
// server cut or store anything an editor did not set.
func (s *Store) HandlerMaking(find FindMedia) http.Handler {
	serve := s.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if err := s.makeMissing(r.Context(), r.PathValue("key"), find); err != nil {
				http.Error(w, "500 internal server error", http.StatusInternalServerError)
				return
			}
		}
		serve.ServeHTTP(w, r)
	})
}

// makeMissing makes the crop copy key names if it is a current crop's and
// is missing. Anything else is left for the handler to answer.
func (s *Store) makeMissing(ctx context.Context, key string, find FindMedia) error {
	mm := keyPattern.FindStringSubmatch(key)
	if mm == nil || mm[1] != mm[2][:2] || mm[3] == "" {
		return nil
	}
	if _, err := s.root.Stat(path.Join(publicDir, key)); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	m, err := find(ctx, mm[2])
	if news.ErrorCode(err) == news.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
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
	err = s.PutCrops(m)
	if errors.Is(err, os.ErrNotExist) {
		// The original is gone (the photo was taken down by hand): a 404.
		return nil
	}
	return err
}
