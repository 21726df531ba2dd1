package site

import (
	"context"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Crops: a photo shown in a fixed shape (a card's 16:9, a phone's 4:3
// thumbnail, a social preview) is its crop for that shape, cut where the
// editor framed it (news.Framing), rather than the whole photo cut by the
// browser's object-fit from its middle.

// cardThumbMedia is when a card is a row with a 4:3 thumbnail: the
// stylesheet's phone layout.
const cardThumbMedia = "(max-width: 35.99rem)"

// cardThumbSizes is the thumbnail's width in that layout.
const cardThumbSizes = "7.5rem"

// cropSetOf returns the <img> sources of the copies of m's crop in shape
// a: the largest no wider than maxWidth as src, all in srcset. It reports
// false for a file with none. Sets are kept as photoSetOf's are, keyed by
// the crop too, so a moved crop is a new key.
func cropSetOf(m news.Media, a news.Aspect, maxWidth int) (photoSet, bool) {
	k := photoSetKey{hash: m.Hash, typ: m.Type, width: m.Width, height: m.Height, limit: maxWidth, aspect: a, crop: m.Crop(a)}
	if v, ok := photoSets.Load(k); ok {
		return v.(photoSet), true
	}
	vs := media.CropVariants(m, a)
	if len(vs) == 0 {
		return photoSet{}, false
	}
	ps := setOf(vs, maxWidth)
	if nPhotoSets.Load() < maxPhotoSets {
		if _, loaded := photoSets.LoadOrStore(k, ps); !loaded {
			nPhotoSets.Add(1)
		}
	}
	return ps, true
}

// setOf is the <img> sources of variants vs, narrowest first.
func setOf(vs []media.Variant, maxWidth int) photoSet {
	var set []string
	best := vs[0]
	for _, x := range vs {
		set = append(set, "/media/"+x.Key+" "+strconv.Itoa(x.Width)+"w")
		if x.Width <= maxWidth {
			best = x
		}
	}
	return photoSet{src: "/media/" + best.Key, srcset: strings.Join(set, ", "), width: best.Width, height: best.Height}
}

// newCropView is p's crop in shape a ready for an <img>, or nil.
func newCropView(p *news.Photo, a news.Aspect, maxWidth int) *photoView {
	if p == nil || p.Media.ID == 0 {
		return nil
	}
	set, ok := cropSetOf(p.Media, a, maxWidth)
	if !ok {
		return nil
	}
	return &photoView{Src: set.src, SrcSet: set.srcset, Width: set.width, Height: set.height,
		Alt: p.Alt, Caption: p.Caption, Credit: p.Credit}
}

// widestCrop is the widest copy of p's crop in shape a: at least 1200
// pixels wide when the photo allows (media.CropWidths), as social
// previews and Google's article results ask.
func widestCrop(p *news.Photo, a news.Aspect) (media.Variant, bool) {
	if p == nil || p.Media.ID == 0 {
		return media.Variant{}, false
	}
	vs := media.CropVariants(p.Media, a)
	if len(vs) == 0 {
		return media.Variant{}, false
	}
	return vs[len(vs)-1], true
}

// findMedia is the stored photo with a content hash, for the media
// handler to make a current crop's missing copies (media.HandlerMaking).
func (s *Site) findMedia(ctx context.Context, hash string) (news.Media, error) {
	p, err := s.store.PhotoByHash(ctx, hash)
	return p.Media, err
}
