package news

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Crops. Pages, social cards and search engines show a photo in fixed
// shapes (a 16:9 card, a 4:3 thumbnail, a 1:1 square): cut blindly from the
// middle, a portrait loses its face. Each photo has a focal point, where its
// subject is, and a crop per shape; a crop an editor has not drawn is
// suggested from the focal point, so it follows when the point moves.

// Aspect is a shape photos are cut to, W:H.
type Aspect struct{ W, H int }

// The shapes every photo has a crop for.
var (
	Wide     = Aspect{16, 9} // cards, social previews
	Standard = Aspect{4, 3}  // thumbnails on phones
	Square   = Aspect{1, 1}
)

// Aspects lists the shapes, in the order structured data gives them.
var Aspects = [NumAspects]Aspect{Wide, Standard, Square}

// NumAspects is the number of shapes in Aspects.
const NumAspects = 3

// String is the shape as people write it: "16:9".
func (a Aspect) String() string { return strconv.Itoa(a.W) + ":" + strconv.Itoa(a.H) }

// Name is the shape in form fields and file names: "16x9".
func (a Aspect) Name() string { return strconv.Itoa(a.W) + "x" + strconv.Itoa(a.H) }

// index is a's place in Aspects, or -1.
func (a Aspect) index() int {
	for i, x := range Aspects {
		if x == a {
			return i
		}
	}
	return -1
}

// Point is a place in a picture as fractions of its width and height from
// the top left corner: (0.5, 0.5) is the centre.
type Point struct{ X, Y float64 }

// Centre is the focal point of a photo nobody has set one for.
var Centre = Point{0.5, 0.5}

// Rect is a rectangle in a picture's pixels, upright (as shown).
type Rect struct{ X, Y, W, H int }

// Empty reports whether r has no pixels.
func (r Rect) Empty() bool { return r.W <= 0 || r.H <= 0 }

// String writes r as "x,y,w,h".
func (r Rect) String() string {
	return strconv.Itoa(r.X) + "," + strconv.Itoa(r.Y) + "," + strconv.Itoa(r.W) + "," + strconv.Itoa(r.H)
}

// Framing is how a photo is cut: its focal point and the crops an editor
// drew. The zero Framing is the centre with every crop suggested.
type Framing struct {
	Focus    Point // meaningful only when HasFocus
	HasFocus bool
	crops    [NumAspects]Rect // the zero Rect: suggested
}

// FocusPoint is the focal point: the one set, or the centre.
func (f Framing) FocusPoint() Point {
	if f.HasFocus {
		return f.Focus
	}
	return Centre
}

// SetFocus sets the focal point.
func (f *Framing) SetFocus(p Point) { f.Focus, f.HasFocus = p, true }

// Explicit returns the crop an editor drew for a, if any.
func (f Framing) Explicit(a Aspect) (Rect, bool) {
	i := a.index()
	if i < 0 || f.crops[i] == (Rect{}) {
		return Rect{}, false
	}
	return f.crops[i], true
}

// SetCrop records the crop an editor drew for a, as drawn: Check says
// whether it fits. The zero Rect clears it, so that the crop is suggested
// again. A shape not in Aspects is ignored.
func (f *Framing) SetCrop(a Aspect, r Rect) {
	if i := a.index(); i >= 0 {
		f.crops[i] = r
	}
}

// Crop is the part of a w × h picture shown in shape a: the crop drawn for
// it if it fits the picture, else the one suggested from the focal point.
// A drawn crop that no longer fits (it cannot, for a picture whose size is
// fixed by its content hash, but a record may be damaged) is not used.
func (f Framing) Crop(a Aspect, w, h int) Rect {
	if r, ok := f.Explicit(a); ok && checkCrop(a, r, w, h) == "" {
		return r
	}
	return SuggestCrop(a, w, h, f.FocusPoint())
}

// SuggestCrop is the largest rectangle of shape a inside a w × h picture,
// centred on the focal point p as far as the edges allow. A picture too
// small to hold the shape in whole pixels gets at least one pixel a side.
func SuggestCrop(a Aspect, w, h int, p Point) Rect {
	if w <= 0 || h <= 0 || a.W <= 0 || a.H <= 0 {
		return Rect{}
	}
	var cw, ch int
	if int64(w)*int64(a.H) >= int64(h)*int64(a.W) {
		// Wider than the shape: the full height, the width it asks for.
		ch = h
		cw = int(min(int64(w), (2*int64(h)*int64(a.W)+int64(a.H))/(2*int64(a.H))))
	} else {
		cw = w
		ch = int(min(int64(h), (2*int64(w)*int64(a.H)+int64(a.W))/(2*int64(a.W))))
	}
	cw, ch = max(cw, 1), max(ch, 1)
	p = clampPoint(p)
	x := int(math.Round(p.X*float64(w) - float64(cw)/2))
	y := int(math.Round(p.Y*float64(h) - float64(ch)/2))
	return Rect{X: min(max(x, 0), w-cw), Y: min(max(y, 0), h-ch), W: cw, H: ch}
}

func clampPoint(p Point) Point {
	c := func(v float64) float64 {
		if math.IsNaN(v) {
			return 0.5
		}
		return min(max(v, 0), 1)
	}
	return Point{c(p.X), c(p.Y)}
}

// CropField is the form field, and the error's field, of shape a's crop:
// "crop_16x9".
func CropField(a Aspect) string { return "crop_" + a.Name() }

// Check reports, naming each field, what in f does not fit a w × h
// picture: a focal point outside it, or a drawn crop outside it, empty, or
// not of its shape (to within a pixel of rounding).
func (f Framing) Check(w, h int) error {
	var p Problems
	if f.HasFocus {
		for _, c := range []struct {
			field, side string
			v           float64
		}{{"focus_x", "width", f.Focus.X}, {"focus_y", "height", f.Focus.Y}} {
			if math.IsNaN(c.v) || c.v < 0 || c.v > 1 {
				p.Add(c.field, "must be between 0 and 1 (a fraction of the photo's %s from the top left), not %v", c.side, c.v)
			}
		}
	}
	for i, a := range Aspects {
		r := f.crops[i]
		if r == (Rect{}) {
			continue
		}
		if msg := checkCrop(a, r, w, h); msg != "" {
			p.Add(CropField(a), "the %s crop %s", a, msg)
		}
	}
	return p.Err()
}

// checkCrop says what is wrong with r as shape a's crop of a w × h
// picture, or "".
func checkCrop(a Aspect, r Rect, w, h int) string {
	switch {
	case r.W <= 0 || r.H <= 0:
		return "is empty (" + strconv.Itoa(r.W) + " x " + strconv.Itoa(r.H) + " pixels)"
	case r.X < 0 || r.Y < 0:
		return "starts outside the photo (at " + strconv.Itoa(r.X) + ", " + strconv.Itoa(r.Y) + ")"
	case r.X+r.W > w || r.Y+r.H > h:
		return "reaches outside the photo (" + strconv.Itoa(r.X) + "," + strconv.Itoa(r.Y) + " to " +
			strconv.Itoa(r.X+r.W) + "," + strconv.Itoa(r.Y+r.H) + " in a photo of " + strconv.Itoa(w) + " x " + strconv.Itoa(h) + ")"
	}
	// Within a pixel: r.H within one of r.W × a.H / a.W, or r.W within
	// one of r.H × a.W / a.H.
	d := int64(r.W)*int64(a.H) - int64(r.H)*int64(a.W)
	if d < 0 {
		d = -d
	}
	if d > int64(max(a.W, a.H)) {
		return "is " + strconv.Itoa(r.W) + " x " + strconv.Itoa(r.H) + " pixels, not " + a.String()
	}
	return ""
}

// MarshalText writes f as the store keeps it: "" for the zero Framing,
// else space-separated items, "focus=X,Y" and "16x9=x,y,w,h" for each
// drawn crop.
func (f Framing) MarshalText() ([]byte, error) {
	var items []string
	if f.HasFocus {
		items = append(items, "focus="+strconv.FormatFloat(f.Focus.X, 'f', -1, 64)+","+strconv.FormatFloat(f.Focus.Y, 'f', -1, 64))
	}
	for i, a := range Aspects {
		if r := f.crops[i]; r != (Rect{}) {
			items = append(items, a.Name()+"="+r.String())
		}
	}
	return []byte(strings.Join(items, " ")), nil
}

// UnmarshalText reads what MarshalText writes.
func (f *Framing) UnmarshalText(b []byte) error {
	var g Framing
	for _, item := range strings.Fields(string(b)) {
		name, value, _ := strings.Cut(item, "=")
		parts := strings.Split(value, ",")
		if name == "focus" {
			if len(parts) != 2 {
				return fmt.Errorf("framing: %q: want focus=X,Y", item)
			}
			x, errX := strconv.ParseFloat(parts[0], 64)
			y, errY := strconv.ParseFloat(parts[1], 64)
			if errX != nil || errY != nil {
				return fmt.Errorf("framing: %q: want focus=X,Y", item)
			}
			g.SetFocus(Point{x, y})
			continue
		}
		i := slices.IndexFunc(Aspects[:], func(a Aspect) bool { return a.Name() == name })
		if i < 0 || len(parts) != 4 {
			return fmt.Errorf("framing: %q: want focus=X,Y or a shape's crop, 16x9=x,y,w,h", item)
		}
		var n [4]int
		for j, p := range parts {
			v, err := strconv.Atoi(p)
			if err != nil {
				return fmt.Errorf("framing: %q: %q is not a whole number", item, p)
			}
			n[j] = v
		}
		g.crops[i] = Rect{n[0], n[1], n[2], n[3]}
	}
	*f = g
	return nil
}
