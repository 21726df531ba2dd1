package news

import (
	"math"
	"strings"
	"testing"
)

func TestSuggestCrop(t *testing.T) {
	tests := []struct {
		name string
		a    Aspect
		w, h int
		p    Point
		want Rect
	}{
		{"landscape 3:2 to 16:9, centre", Wide, 1600, 1067, Centre, Rect{0, 84, 1600, 900}},
		{"landscape 3:2 to 4:3, centre", Standard, 1600, 1067, Centre, Rect{89, 0, 1423, 1067}},
		{"landscape 3:2 to 1:1, centre", Square, 1600, 1067, Centre, Rect{267, 0, 1067, 1067}},
		{"exactly 16:9 is the whole picture", Wide, 1920, 1080, Point{0.9, 0.1}, Rect{0, 0, 1920, 1080}},
		{"focus left", Square, 1600, 1067, Point{0.2, 0.5}, Rect{0, 0, 1067, 1067}},
		{"focus right of centre, not at an edge", Square, 1600, 1067, Point{0.6, 0.5}, Rect{427, 0, 1067, 1067}},
		{"focus top left corner", Wide, 1000, 1000, Point{0, 0}, Rect{0, 0, 1000, 563}},
		{"focus bottom right corner", Wide, 1000, 1000, Point{1, 1}, Rect{0, 437, 1000, 563}},
		{"focus top right corner, square of a landscape", Square, 400, 300, Point{1, 0}, Rect{100, 0, 300, 300}},
		{"portrait to 16:9 follows the face", Wide, 900, 1600, Point{0.5, 0.25}, Rect{0, 147, 900, 506}},
		{"portrait to 4:3", Standard, 600, 800, Centre, Rect{0, 175, 600, 450}},
		{"tiny: one pixel", Wide, 1, 1, Centre, Rect{0, 0, 1, 1}},
		{"tiny: 2 x 1 to 1:1", Square, 2, 1, Point{1, 0}, Rect{1, 0, 1, 1}},
		{"tiny: 3 x 2 to 16:9", Wide, 3, 2, Centre, Rect{0, 0, 3, 2}},
		{"extreme panorama to 1:1", Square, 10000, 10, Point{0.5, 0.5}, Rect{4995, 0, 10, 10}},
		{"extreme panorama to 16:9 at the end", Wide, 10000, 10, Point{1, 0.5}, Rect{9982, 0, 18, 10}},
		{"extreme strip to 16:9", Wide, 10, 10000, Point{0.5, 0}, Rect{0, 0, 10, 6}},
		{"extreme strip, one pixel wide", Wide, 1, 5000, Point{0.5, 1}, Rect{0, 4999, 1, 1}},
		{"focus outside is held to the edge", Wide, 1000, 1000, Point{-3, 7}, Rect{0, 437, 1000, 563}},
		{"NaN focus is the centre", Square, 400, 300, Point{math.NaN(), 0.5}, Rect{50, 0, 300, 300}},
		{"no picture", Wide, 0, 100, Centre, Rect{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SuggestCrop(tc.a, tc.w, tc.h, tc.p)
			if got != tc.want {
				t.Fatalf("SuggestCrop(%v, %d, %d, %v) = %v, want %v", tc.a, tc.w, tc.h, tc.p, got, tc.want)
			}
			if tc.w <= 0 || tc.h <= 0 {
				return
			}
			if got.X < 0 || got.Y < 0 || got.X+got.W > tc.w || got.Y+got.H > tc.h || got.Empty() {
				t.Errorf("%v is not inside %d x %d", got, tc.w, tc.h)
			}
			// Big enough to hold the shape, it is the shape and passes the
			// check an editor's crop must pass.
			if tc.w >= tc.a.W && tc.h >= tc.a.H {
				if msg := checkCrop(tc.a, got, tc.w, tc.h); msg != "" {
					t.Errorf("the suggestion fails the check: %s", msg)
				}
			}
		})
	}
}

// TestSuggestCropIsLargest: no wider rectangle of the shape fits.
func TestSuggestCropIsLargest(t *testing.T) {
	for w := 1; w <= 60; w += 7 {
		for h := 1; h <= 60; h += 5 {
			for _, a := range Aspects {
				r := SuggestCrop(a, w, h, Centre)
				if r.W != w && r.H != h {
					t.Errorf("%v of %d x %d = %v: touches neither pair of edges", a, w, h, r)
				}
			}
		}
	}
}

func TestFramingCrop(t *testing.T) {
	var f Framing
	if got, want := f.Crop(Square, 400, 300), (Rect{50, 0, 300, 300}); got != want {
		t.Errorf("zero framing: %v, want the centred %v", got, want)
	}
	f.SetFocus(Point{0, 0})
	if got, want := f.Crop(Square, 400, 300), (Rect{0, 0, 300, 300}); got != want {
		t.Errorf("focus at the corner: %v, want %v", got, want)
	}
	drawn := Rect{60, 0, 300, 300}
	f.SetCrop(Square, drawn)
	if got := f.Crop(Square, 400, 300); got != drawn {
		t.Errorf("a drawn crop: %v, want %v", got, drawn)
	}
	if got, want := f.Crop(Wide, 400, 300), SuggestCrop(Wide, 400, 300, Point{0, 0}); got != want {
		t.Errorf("the other shapes stay suggested: %v, want %v", got, want)
	}
	// A drawn crop that does not fit the picture is not used.
	if got, want := f.Crop(Square, 200, 300), SuggestCrop(Square, 200, 300, Point{0, 0}); got != want {
		t.Errorf("a crop outside the picture: %v, want the suggestion %v", got, want)
	}
	f.SetCrop(Square, Rect{})
	if _, ok := f.Explicit(Square); ok {
		t.Error("the zero Rect did not clear the drawn crop")
	}
	f.SetCrop(Aspect{2, 1}, drawn)
	if f != (Framing{Focus: Point{0, 0}, HasFocus: true}) {
		t.Errorf("a shape not in Aspects was recorded: %+v", f)
	}
}

func TestFramingCheck(t *testing.T) {
	crop := func(a Aspect, r Rect) Framing {
		var f Framing
		f.SetCrop(a, r)
		return f
	}
	focus := func(p Point) Framing {
		var f Framing
		f.SetFocus(p)
		return f
	}
	tests := []struct {
		name  string
		f     Framing
		field string // "" for valid
		msg   string
	}{
		{"zero", Framing{}, "", ""},
		{"corners are valid focal points", focus(Point{0, 1}), "", ""},
		{"focus x past the right", focus(Point{1.5, 0.5}), "focus_x", "between 0 and 1"},
		{"focus y negative", focus(Point{0.5, -0.1}), "focus_y", "height"},
		{"focus NaN", focus(Point{math.NaN(), 0.5}), "focus_x", "NaN"},
		{"exact 16:9", crop(Wide, Rect{0, 83, 1600, 900}), "", ""},
		{"16:9 a pixel short", crop(Wide, Rect{0, 83, 1600, 899}), "", ""},
		{"16:9 two pixels short", crop(Wide, Rect{0, 83, 1600, 898}), "crop_16x9", "1600 x 898 pixels, not 16:9"},
		{"4:3 rounding", crop(Standard, Rect{0, 0, 1423, 1067}), "", ""},
		{"square off by one", crop(Square, Rect{0, 0, 1000, 1001}), "", ""},
		{"square off by two", crop(Square, Rect{0, 0, 1000, 1002}), "crop_1x1", "not 1:1"},
		{"outside right", crop(Square, Rect{700, 0, 1000, 1000}), "crop_1x1", "reaches outside the photo"},
		{"outside bottom", crop(Wide, Rect{0, 200, 1600, 900}), "crop_16x9", "reaches outside"},
		{"negative start", crop(Standard, Rect{-1, 0, 400, 300}), "crop_4x3", "starts outside the photo (at -1, 0)"},
		{"empty height", crop(Standard, Rect{0, 0, 400, -3}), "crop_4x3", "is empty (400 x -3 pixels)"},
		{"empty at the origin", crop(Square, Rect{5, 5, 0, 0}), "crop_1x1", "is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.f.Check(1600, 1067)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID {
				t.Fatalf("Check = %v, want an EINVALID error", err)
			}
			if e := err.(*Error); e.Field != tc.field || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("Check = field %q, %q; want field %q with %q", e.Field, e.Message, tc.field, tc.msg)
			}
		})
	}
}

// TestFramingCheckNamesEveryField: every problem at once, each by its field.
func TestFramingCheckNamesEveryField(t *testing.T) {
	var f Framing
	f.SetFocus(Point{2, 0.5})
	f.SetCrop(Wide, Rect{0, 0, 1700, 956})
	f.SetCrop(Square, Rect{0, 0, 10, 20})
	err := f.Check(1600, 1067)
	for _, want := range []string{"focus_x", "crop_16x9", "crop_1x1"} {
		if !strings.Contains(ErrorMessage(err), want) {
			t.Errorf("%v does not name %s", err, want)
		}
	}
}

func TestFramingText(t *testing.T) {
	var f Framing
	if b, _ := f.MarshalText(); len(b) != 0 {
		t.Errorf("zero framing = %q, want empty", b)
	}
	f.SetFocus(Point{0.25, 1})
	f.SetCrop(Square, Rect{10, 0, 300, 300})
	f.SetCrop(Wide, Rect{0, 84, 1600, 900})
	b, _ := f.MarshalText()
	if want := "focus=0.25,1 16x9=0,84,1600,900 1x1=10,0,300,300"; string(b) != want {
		t.Errorf("MarshalText = %q, want %q", b, want)
	}
	var g Framing
	if err := g.UnmarshalText(b); err != nil || g != f {
		t.Errorf("UnmarshalText(%q) = %+v, %v; want %+v", b, g, err, f)
	}
	for _, bad := range []string{"focus=1", "focus=a,b", "2x1=0,0,2,1", "16x9=0,0,16", "1x1=0,0,x,1", "junk"} {
		g := f
		if err := g.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q) = nil error", bad)
		} else if g != f {
			t.Errorf("UnmarshalText(%q) changed the framing on error", bad)
		}
	}
}
