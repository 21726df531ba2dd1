package markup

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// PhotoSet is what a figure's <img> takes of a photo's variants, as the lead
// photo's does: the variant for browsers that ignore srcset, its size, and
// every variant for srcset.
type PhotoSet struct {
	Src           string // a path on this site, "/media/ab/ab12…-1280.jpg"
	Width, Height int    // of Src, in pixels
	Sources       []PhotoSource
}

// PhotoSource is one variant in a srcset.
type PhotoSource struct {
	URL   string // a path on this site, without commas or spaces
	Width int    // in pixels
}

// Options are what RenderWith takes besides the body.
type Options struct {
	// Photo returns the variants of the photo a figure shows, given the
	// figure's src as the body has it ("/media/ab/ab12…-1280.jpg"), and
	// false for a photo it does not know, which is rendered as Render
	// renders it. A nil Photo changes nothing. Markup does no I/O: the
	// caller answers from what it has read.
	Photo func(src string) (PhotoSet, bool)
	// Sizes is the figures' sizes attribute, for the page's body column
	// ("(min-width: 44rem) 42rem, 100vw"); it is left out unless it is
	// made of media conditions and lengths only.
	Sizes string
}

// RenderWith is Render with Options: figures of photos that opt.Photo knows
// get a srcset, sizes, width and height, like the page's lead photo, so the
// browser loads the variant that fits and keeps the photo's room before it
// arrives. Everything else is what Render writes.
func RenderWith(src string, opt Options) (string, error) {
	if len(src) > maxBodySize {
		return "", fmt.Errorf("markup: body is %d KiB, more than the %d KiB an article body may be", len(src)>>10, maxBodySize>>10)
	}
	source := []byte(src)
	doc := parse(source)
	if opt.Photo != nil {
		sizes := ""
		if sizesPattern.MatchString(opt.Sizes) {
			sizes = opt.Sizes
		}
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			fig, ok := n.(*figure)
			if !entering || !ok {
				return ast.WalkContinue, nil
			}
			dest := util.URLEscape(fig.FirstChild().(*ast.Image).Destination, true)
			if !isLocalPath(dest) {
				return ast.WalkSkipChildren, nil
			}
			if set, ok := opt.Photo(string(dest)); ok && validPhotoSet(set) {
				fig.photo, fig.sizes = &set, sizes
			}
			return ast.WalkSkipChildren, nil
		})
	}
	var buf bytes.Buffer
	buf.Grow(len(source) + len(source)/4)
	if err := markdown().Renderer().Render(bufWriter{&buf}, source, doc); err != nil {
		return "", fmt.Errorf("markup: render: %w", err)
	}
	return sanitize(buf.Bytes()), nil
}

// maxPhotoSources bounds a srcset; a photo has half a dozen variants.
const maxPhotoSources = 16

// validPhotoSet reports whether every address of set is a path on this site
// that a srcset can hold, and every size is sensible: what is not is left
// out of the page.
func validPhotoSet(set PhotoSet) bool {
	if !isLocalPath([]byte(set.Src)) || !pixels(set.Width) || !pixels(set.Height) ||
		len(set.Sources) == 0 || len(set.Sources) > maxPhotoSources {
		return false
	}
	for _, s := range set.Sources {
		if !isLocalPath([]byte(s.URL)) || bytes.ContainsAny([]byte(s.URL), ",") || !pixels(s.Width) {
			return false
		}
	}
	return true
}

func pixels(n int) bool { return 0 < n && n < 100_000 }

// sizesPattern is a sizes attribute of media conditions and lengths:
// "(min-width: 44rem) 42rem, 100vw".
var sizesPattern = regexp.MustCompile(`^[a-z0-9 (),.:-]{1,200}$`)

// srcsetPattern is a srcset of paths on this site (localPathPattern without
// commas) with width descriptors.
const srcsetPattern = `^` + srcsetSource + `(?:, ` + srcsetSource + `)*$`

const srcsetSource = `/(?:[!-+\--.0-\[\]-~][!-+\--\[\]-~]*)? [1-9][0-9]{0,4}w`

// writePhoto writes a figure's <img> with its photo set.
func writePhoto(w util.BufWriter, source []byte, img *ast.Image, set *PhotoSet, sizes string) {
	var b strings.Builder
	writeImgTag(&b, set, sizes, html.EscapeString(plainText(img, source)))
	_, _ = w.WriteString(b.String())
}

// writeImgTag writes the <img> of a photo set, with alt already escaped.
func writeImgTag(b *strings.Builder, set *PhotoSet, sizes, alt string) {
	b.WriteString(`<img src="`)
	b.WriteString(html.EscapeString(set.Src))
	b.WriteString(`" srcset="`)
	for i, s := range set.Sources {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(html.EscapeString(s.URL))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(s.Width))
		b.WriteByte('w')
	}
	b.WriteByte('"')
	if sizes != "" {
		b.WriteString(` sizes="`)
		b.WriteString(sizes)
		b.WriteByte('"')
	}
	b.WriteString(` width="`)
	b.WriteString(strconv.Itoa(set.Width))
	b.WriteString(`" height="`)
	b.WriteString(strconv.Itoa(set.Height))
	b.WriteString(`" alt="`)
	b.WriteString(alt)
	b.WriteString(`" loading="lazy">`)
}

// WithPhotoSets gives the figures of body, HTML that Render made (an
// article's stored BodyHTML), what RenderWith gives them: for each figure
// whose photo opt.Photo knows, a srcset, sizes, width and height. It reads
// no Markdown, so a page can do it at each render for the cost of a scan;
// everything but those figures' <img> tags is left byte for byte.
func WithPhotoSets(body string, opt Options) string {
	const figStart, altAttr, imgEnd = `<figure><img src="`, `" alt="`, `" loading="lazy">`
	if opt.Photo == nil || !strings.Contains(body, figStart) {
		return body
	}
	sizes := ""
	if sizesPattern.MatchString(opt.Sizes) {
		sizes = opt.Sizes
	}
	var b strings.Builder
	rest := body
	for {
		i := strings.Index(rest, figStart)
		if i < 0 {
			break
		}
		tag := rest[i+len("<figure>"):]
		end := strings.Index(tag, ">")
		j := strings.Index(tag[:max(end, 0)], altAttr)
		if end < 0 || j < 0 || !strings.HasSuffix(tag[:end+1], imgEnd) {
			// Not the figure Render writes: as it is.
			b.WriteString(rest[:i+len(figStart)])
			rest = rest[i+len(figStart):]
			continue
		}
		src := html.UnescapeString(tag[len(`<img src="`):j])
		alt := tag[j+len(altAttr) : end+1-len(imgEnd)]
		set, ok := opt.Photo(src)
		if !ok || !isLocalPath([]byte(src)) || !validPhotoSet(set) {
			b.WriteString(rest[:i+len("<figure>")+end+1])
			rest = rest[i+len("<figure>")+end+1:]
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(body) + 512)
		}
		b.WriteString(rest[:i+len("<figure>")])
		writeImgTag(&b, &set, sizes, alt)
		rest = tag[end+1:]
	}
	if b.Len() == 0 {
		return body
	}
	b.WriteString(rest)
	return b.String()
}
