package media

import (
	"image"
	"image/color"

	"golang.org/x/image/draw"
)

// band is how many rows, or columns, one pass of the Catmull-Rom scaler
// works on at a time.
const band = 32

// resize returns src scaled to w × h.
//
// A large reduction goes first through a box filter, which averages k × k
// blocks reading each source pixel once, so what is left for Catmull-Rom is
// less than 2:1 and cheap. The box-reduced image is returned too: a smaller
// size is made faster from it than from src.
func resize(src image.Image, w, h int) (dst *image.RGBA, reduced image.Image) {
	b := src.Bounds()
	reduced = src
	if k := min(b.Dx()/w, b.Dy()/h); k >= 2 {
		reduced = boxReduce(src, k)
	}
	dst = image.NewRGBA(image.Rect(0, 0, w, h))
	catmullRom(dst, reduced)
	return dst, reduced
}

// catmullRom scales src to fill dst. draw's kernel scaler keeps a buffer of
// four float64s for every destination column times every source row (460 MB
// to bring a 4000 × 12000 scan down to 1200 wide); scaling the width first
// and then the height, each a band at a time, bounds it to one band's worth.
// With one side unchanged a pass copies along it exactly, so the result is
// one call's, but for rounding to 8 bits between the passes.
func catmullRom(dst *image.RGBA, src image.Image) {
	sb := src.Bounds()
	dw, dh, sh := dst.Rect.Dx(), dst.Rect.Dy(), sb.Dy()
	mid := image.NewRGBA(image.Rect(0, 0, dw, sh))
	// Scalers are made per band size, so all but the last band share one
	// buffer and one set of weights.
	scalers := map[[4]int]draw.Scaler{}
	scale := func(dst draw.Image, dr image.Rectangle, src image.Image, sr image.Rectangle) {
		k := [4]int{dr.Dx(), dr.Dy(), sr.Dx(), sr.Dy()}
		z := scalers[k]
		if z == nil {
			z = draw.CatmullRom.NewScaler(k[0], k[1], k[2], k[3])
			scalers[k] = z
		}
		z.Scale(dst, dr, src, sr, draw.Src, nil)
	}
	for y := 0; y < sh; y += band {
		y1 := min(y+band, sh)
		scale(mid, image.Rect(0, y, dw, y1), src, image.Rect(sb.Min.X, sb.Min.Y+y, sb.Max.X, sb.Min.Y+y1))
	}
	for x := 0; x < dw; x += band {
		x1 := min(x+band, dw)
		scale(dst, image.Rect(dst.Rect.Min.X+x, dst.Rect.Min.Y, dst.Rect.Min.X+x1, dst.Rect.Min.Y+dh), mid, image.Rect(x, 0, x1, sh))
	}
}

// boxReduce averages src over k × k blocks (smaller at the right and bottom
// edges), in premultiplied RGBA, keeping one row of sums.
func boxReduce(src image.Image, k int) *image.RGBA {
	b := src.Bounds()
	w, h := (b.Dx()+k-1)/k, (b.Dy()+k-1)/k
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	sum := make([]uint64, 4*w)
	// Sums are of 8-bit values, or of 16-bit ones for the general case.
	var scale uint64 = 1
	if !fastBox(src) {
		scale = 0x101
	}
	for oy := range h {
		clear(sum)
		y0, y1 := b.Min.Y+oy*k, min(b.Min.Y+(oy+1)*k, b.Max.Y)
		for y := y0; y < y1; y++ {
			addRow(sum, src, y, k)
		}
		rows := uint64(y1 - y0)
		p := dst.Pix[oy*dst.Stride:]
		for ox := range w {
			n := rows * uint64(min(k, b.Dx()-ox*k)) * scale
			for c := range 4 {
				p[4*ox+c] = uint8((sum[4*ox+c] + n/2) / n)
			}
		}
	}
	return dst
}

func fastBox(src image.Image) bool {
	switch src.(type) {
	case *image.YCbCr, *image.RGBA, *image.NRGBA, *image.Gray:
		return true
	}
	return false
}

// addRow adds row y of src into sum, pixel x into cell x/k.
func addRow(sum []uint64, src image.Image, y, k int) {
	b := src.Bounds()
	switch s := src.(type) {
	case *image.YCbCr:
		for x := b.Min.X; x < b.Max.X; x++ {
			yi, ci := s.YOffset(x, y), s.COffset(x, y)
			r, g, bl := color.YCbCrToRGB(s.Y[yi], s.Cb[ci], s.Cr[ci])
			c := sum[4*((x-b.Min.X)/k):]
			c[0] += uint64(r)
			c[1] += uint64(g)
			c[2] += uint64(bl)
			c[3] += 0xff
		}
	case *image.RGBA:
		row := s.Pix[s.PixOffset(b.Min.X, y):]
		for x := range b.Dx() {
			c := sum[4*(x/k):]
			p := row[4*x:]
			c[0] += uint64(p[0])
			c[1] += uint64(p[1])
			c[2] += uint64(p[2])
			c[3] += uint64(p[3])
		}
	case *image.NRGBA:
		row := s.Pix[s.PixOffset(b.Min.X, y):]
		for x := range b.Dx() {
			c := sum[4*(x/k):]
			p := row[4*x:]
			a := uint64(p[3])
			c[0] += (uint64(p[0])*a + 127) / 255
			c[1] += (uint64(p[1])*a + 127) / 255
			c[2] += (uint64(p[2])*a + 127) / 255
			c[3] += a
		}
	case *image.Gray:
		row := s.Pix[s.PixOffset(b.Min.X, y):]
		for x := range b.Dx() {
			c := sum[4*(x/k):]
			v := uint64(row[x])
			c[0] += v
			c[1] += v
			c[2] += v
			c[3] += 0xff
		}
	default:
		s64, fast := src.(image.RGBA64Image)
		for x := b.Min.X; x < b.Max.X; x++ {
			var r, g, bl, a uint32
			if fast {
				p := s64.RGBA64At(x, y)
				r, g, bl, a = uint32(p.R), uint32(p.G), uint32(p.B), uint32(p.A)
			} else {
				r, g, bl, a = src.At(x, y).RGBA()
			}
			c := sum[4*((x-b.Min.X)/k):]
			c[0] += uint64(r)
			c[1] += uint64(g)
			c[2] += uint64(bl)
			c[3] += uint64(a)
		}
	}
}

// toRGBA returns img as an *image.RGBA at the origin, a copy unless it
// already is one.
func toRGBA(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok && m.Rect.Min == (image.Point{}) {
		return m
	}
	b := img.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Rect, img, b.Min, draw.Src)
	return m
}

// orient turns and flips img as EXIF orientation o says, so that it shows
// upright once the EXIF is gone.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	src := toRGBA(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for dy := range oh {
		for dx := range ow {
			var sx, sy int
			switch o {
			case 2: // mirrored
				sx, sy = w-1-dx, dy
			case 3: // upside down
				sx, sy = w-1-dx, h-1-dy
			case 4: // mirrored upside down
				sx, sy = dx, h-1-dy
			case 5: // mirrored, on its side
				sx, sy = dy, dx
			case 6: // turned a quarter left: turn it right
				sx, sy = dy, h-1-dx
			case 7: // mirrored, on its other side
				sx, sy = w-1-dy, h-1-dx
			case 8: // turned a quarter right: turn it left
				sx, sy = w-1-dy, dx
			}
			copy(dst.Pix[dst.PixOffset(dx, dy):][:4], src.Pix[src.PixOffset(sx, sy):][:4])
		}
	}
	return dst
}

// onWhite returns img with any transparency laid over white, for JPEG, which
// has none: a transparent WebP would otherwise turn black.
func onWhite(img image.Image) image.Image {
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		return img
	}
	b := img.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(m, m.Rect, img, b.Min, draw.Over)
	return m
}
