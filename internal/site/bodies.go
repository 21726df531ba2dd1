package site

import (
	"context"
	"regexp"
	"sync"
	"sync/atomic"

	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Photos in the body. A story's BodyHTML was rendered when it was saved,
// with each figure's photo as the one variant the writer's Markdown names.
// The page gives those figures what the lead photo has, a srcset of every
// variant, sizes, width and height, so a phone loads a small one and the
// text does not jump when it arrives. That needs the photos' records,
// which markup cannot read: markup.WithPhotoSets asks for each figure's,
// and the answers come from the store.

// bodySizes is the sizes of a figure in the body: the stylesheet's body
// column (--measure, 42rem) once the screen is wide enough for it, else
// the screen less main's padding.
const bodySizes = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"

// bodyPhotoWidth is the widest variant a body figure's src names, for
// browsers that ignore srcset: the lead photo's.
const bodyPhotoWidth = 1280

// bodyPhotoPath matches the address of a photo's variant, "/media/ab/ab…",
// and takes its content hash.
var bodyPhotoPath = regexp.MustCompile(`^/media/([0-9a-f]{2})/([0-9a-f]{64})[-.]`)

// bodySets keeps the photo sets of body figures, by content hash, across
// versions and for every Site.
//
// A kept set stays right whatever changes later: a photo's variants are
// made from its content hash, type and size alone (media.Variants), which
// never change for a hash, so a new framing, alt text or caption changes
// nothing a body figure shows. A photo that was not found is not kept, so
// it is looked for again until it is there.
var (
	bodySets  sync.Map // hash -> markup.PhotoSet
	nBodySets atomic.Int64
)

// maxBodySets bounds the sets kept (a few hundred bytes each).
const maxBodySets = 50_000

// bodyHTML returns the body of a for its public page: BodyHTML as saved,
// with its figures' photo sets.
func (s *Site) bodyHTML(ctx context.Context, a *news.Article) string {
	return markup.WithPhotoSets(a.BodyHTML, markup.Options{Sizes: bodySizes, Photo: func(src string) (markup.PhotoSet, bool) {
		p := bodyPhotoPath.FindStringSubmatch(src)
		if p == nil || p[1] != p[2][:2] {
			return markup.PhotoSet{}, false
		}
		return s.bodyPhotoSet(ctx, p[2])
	}})
}

// bodyPhotoSet returns the variants of the photo with this content hash,
// and false when there is no such photo (or it cannot be read now).
func (s *Site) bodyPhotoSet(ctx context.Context, hash string) (markup.PhotoSet, bool) {
	if v, ok := bodySets.Load(hash); ok {
		return v.(markup.PhotoSet), true
	}
	p, err := s.store.PhotoByHash(ctx, hash)
	if err != nil {
		return markup.PhotoSet{}, false
	}
	vs := media.Variants(p.Media)
	if len(vs) == 0 {
		return markup.PhotoSet{}, false
	}
	set := markup.PhotoSet{Sources: make([]markup.PhotoSource, 0, len(vs))}
	// Variants come narrowest first.
	best := vs[0]
	for _, v := range vs {
		set.Sources = append(set.Sources, markup.PhotoSource{URL: "/media/" + v.Key, Width: v.Width})
		if v.Width <= bodyPhotoWidth {
			best = v
		}
	}
	set.Src, set.Width, set.Height = "/media/"+best.Key, best.Width, best.Height
	if nBodySets.Load() < maxBodySets {
		if _, loaded := bodySets.LoadOrStore(hash, set); !loaded {
			nBodySets.Add(1)
		}
	}
	return set, true
}
