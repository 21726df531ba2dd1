package media

import (
	"image"
	"image/color"
	"testing"

	"golang.org/x/image/draw"
)

// TestCatmullRomBands checks that scaling in bands, to bound memory, gives
// what one call to draw's scaler gives, but for the rounding and clipping of
// the 8-bit image between the passes where the kernel overshoots.
func TestCatmullRomBands(t *testing.T) {
	src := gradient(301, 997) // bands that do not divide evenly
	for i := range src.Pix {
		src.Pix[i] ^= uint8(i * 7 % 13)
	}
	for _, size := range []image.Point{{200, 662}, {120, 400}, {301, 997}, {7, 3}} {
		want := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
		draw.CatmullRom.Scale(want, want.Rect, src, src.Rect, draw.Src, nil)
		got := image.NewRGBA(want.Rect)
		catmullRom(got, src)
		worst, total := 0, 0
		for i := range got.Pix {
			d := abs(int(got.Pix[i]) - int(want.Pix[i]))
			worst, total = max(worst, d), total+d
		}
		if mean := float64(total) / float64(len(got.Pix)); worst > 8 || mean > 0.5 {
			t.Errorf("%v: differs from one call by up to %d, %.2f on average", size, worst, mean)
		}
	}
}

func TestBoxReduce(t *testing.T) {
	rgba := image.NewRGBA(image.Rect(0, 0, 3, 2))
	copy(rgba.Pix, []uint8{
		0, 0, 0, 255, 100, 100, 100, 255, 9, 9, 9, 255,
		200, 200, 200, 255, 100, 100, 100, 255, 11, 11, 11, 255,
	})
	nrgba := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	copy(nrgba.Pix, []uint8{255, 0, 0, 255, 255, 255, 255, 0})
	gray16 := image.NewGray16(image.Rect(0, 0, 2, 2))
	for i := range gray16.Pix {
		gray16.Pix[i] = 0x80
	}
	offset := rgba.SubImage(image.Rect(1, 0, 3, 2))
	tests := []struct {
		name string
		src  image.Image
		k    int
		want []uint8
	}{
		{"rgba, with a narrow last block", rgba, 2, []uint8{100, 100, 100, 255, 10, 10, 10, 255}},
		{"nrgba, premultiplied", nrgba, 2, []uint8{128, 0, 0, 128}},
		{"general case", gray16, 2, []uint8{0x80, 0x80, 0x80, 0xff}},
		{"not at the origin", offset, 2, []uint8{55, 55, 55, 255}},
	}
	for _, tt := range tests {
		got := boxReduce(tt.src, tt.k)
		if string(got.Pix) != string(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got.Pix, tt.want)
		}
	}
}

func TestOnWhite(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	m.Pix = []uint8{0, 0, 255, 0}
	if got := onWhite(m).At(0, 0); got != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("transparent on white = %v", got)
	}
	opaque := gradient(2, 2)
	if onWhite(opaque) != image.Image(opaque) {
		t.Error("an opaque image was copied")
	}
}
