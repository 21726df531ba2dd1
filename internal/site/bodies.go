package site

import (
	"context"
	"crypto/sha256"
	"regexp"
	"strings"
	"sync"

	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Photos in the body. A story's BodyHTML was rendered when it was saved,
// with each figure's photo as the one variant the writer's Markdown names.
// The page gives those figures what the lead photo has, a srcset of every
// variant, sizes, width and height, so a phone loads a small one and the
// text does not jump when it arrives. That needs the photos' records,
// which markup cannot read: the page renders such a body again with
// markup.RenderWith, answering for each figure from the store.

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

// bodyMemo keeps bodies rendered with their photos, by the body's text.
//
// A kept body stays right whatever changes later, because it depends only
// on its text and on the photos' variants, and a photo's variants are
// made from its content hash, type and size alone (media.Variants), which
// never change for a hash: a new framing, alt text or caption changes
// nothing a body figure shows. A body with a figure whose photo was not
// found is not kept, so the photo is looked for again until it is there.
type bodyMemo struct {
	mu     sync.Mutex
	bodies map[[sha256.Size]byte]string
}

// maxBodies bounds the bodies kept: a body and its HTML are a few tens of
// KB, and the stories read most are few.
const maxBodies = 512

// bodyHTML returns the body of a for its public page: BodyHTML as saved,
// or, when it holds figures, the body rendered again with their photo sets.
func (s *Site) bodyHTML(ctx context.Context, a *news.Article) string {
	if !strings.Contains(a.BodyHTML, "<figure><img ") {
		return a.BodyHTML
	}
	key := sha256.Sum256([]byte(a.Body))
	m := &s.bodies
	m.mu.Lock()
	html, ok := m.bodies[key]
	m.mu.Unlock()
	if ok {
		return html
	}
	sets := map[string]*markup.PhotoSet{} // by hash; nil when not found
	complete := true
	html, err := markup.RenderWith(a.Body, markup.Options{Sizes: bodySizes, Photo: func(src string) (markup.PhotoSet, bool) {
		p := bodyPhotoPath.FindStringSubmatch(src)
		if p == nil || p[1] != p[2][:2] {
			return markup.PhotoSet{}, false
		}
		set, seen := sets[p[2]]
		if !seen {
			set = s.bodyPhotoSet(ctx, p[2])
			sets[p[2]] = set
		}
		if set == nil {
			complete = false
			return markup.PhotoSet{}, false
		}
		return *set, true
	}})
	if err != nil {
		// The saved HTML is what it always was; the page still reads.
		s.log.Warn("rendering a body's photos", "article", a.ID, "err", err)
		return a.BodyHTML
	}
	if complete {
		m.mu.Lock()
		if m.bodies == nil {
			m.bodies = map[[sha256.Size]byte]string{}
		}
		if len(m.bodies) >= maxBodies {
			for k := range m.bodies { // any one: a bound, not an LRU
				delete(m.bodies, k)
				break
			}
		}
		m.bodies[key] = html
		m.mu.Unlock()
	}
	return html
}

// bodyPhotoSet returns the variants of the photo with this content hash,
// or nil when there is no such photo (or it cannot be read now).
func (s *Site) bodyPhotoSet(ctx context.Context, hash string) *markup.PhotoSet {
	p, err := s.store.PhotoByHash(ctx, hash)
	if err != nil {
		return nil
	}
	vs := media.Variants(p.Media)
	if len(vs) == 0 {
		return nil
	}
	set := &markup.PhotoSet{Sources: make([]markup.PhotoSource, 0, len(vs))}
	// Variants come narrowest first.
	best := vs[0]
	for _, v := range vs {
		set.Sources = append(set.Sources, markup.PhotoSource{URL: "/media/" + v.Key, Width: v.Width})
		if v.Width <= bodyPhotoWidth {
			best = v
		}
	}
	set.Src, set.Width, set.Height = "/media/"+best.Key, best.Width, best.Height
	return set
}
