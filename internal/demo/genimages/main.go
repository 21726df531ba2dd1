//go:build ignore

// Command genimages draws the demo newsroom's lead photos: abstract,
// photo-like scenes (sky, sun or moon, clouds, hills, sea, skylines) with a
// palette each. The output is deterministic, so running it again rewrites
// the same files.
//
//	go run internal/demo/genimages/main.go
//
// It writes internal/demo/content/images/<name>.jpg (1600x900, JPEG quality
// 72) when run from the module root; -out names another folder.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
)

const (
	W       = 1600
	H       = 900
	quality = 72
)

// rgb is a colour with components in 0..1.
type rgb struct{ r, g, b float64 }

func hex(v uint32) rgb {
	return rgb{float64(v>>16&0xff) / 255, float64(v>>8&0xff) / 255, float64(v&0xff) / 255}
}

func mix(a, b rgb, t float64) rgb {
	t = clamp(t, 0, 1)
	return rgb{a.r + (b.r-a.r)*t, a.g + (b.g-a.g)*t, a.b + (b.b-a.b)*t}
}

func (c rgb) scale(k float64) rgb { return rgb{c.r * k, c.g * k, c.b * k} }

func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

func smooth(t float64) float64 { t = clamp(t, 0, 1); return t * t * (3 - 2*t) }

// canvas is a float RGB picture that shapes are blended onto.
type canvas struct {
	px   []rgb
	seed uint64
}

func newCanvas(seed uint64) *canvas { return &canvas{px: make([]rgb, W*H), seed: seed} }

func (c *canvas) blend(x, y int, col rgb, a float64) {
	if x < 0 || y < 0 || x >= W || y >= H || a <= 0 {
		return
	}
	i := y*W + x
	c.px[i] = mix(c.px[i], col, a)
}

// hash returns a deterministic pseudo-random number in [0,1) for (n, salt).
func (c *canvas) hash(n int, salt uint64) float64 {
	z := uint64(n)*0x9E3779B97F4A7C15 ^ (c.seed+salt)*0xBF58476D1CE4E5B9
	z ^= z >> 30
	z *= 0xBF58476D1CE4E5B9
	z ^= z >> 27
	z *= 0x94D049BB133111EB
	z ^= z >> 31
	return float64(z>>11) / float64(1<<53)
}

// noise1 is smooth 1-D value noise in [0,1].
func (c *canvas) noise1(x float64, salt uint64) float64 {
	i := math.Floor(x)
	f := x - i
	a := c.hash(int(i), salt)
	b := c.hash(int(i)+1, salt)
	return a + (b-a)*smooth(f)
}

// fbm sums octaves of noise1; the result is roughly in [0,1].
func (c *canvas) fbm(x float64, salt uint64, octaves int) float64 {
	sum, amp, norm := 0.0, 1.0, 0.0
	for o := 0; o < octaves; o++ {
		sum += amp * c.noise1(x, salt+uint64(o)*101)
		norm += amp
		amp *= 0.5
		x *= 2.03
	}
	return sum / norm
}

// sky fills the picture with a vertical gradient through three colours;
// mid is reached at height midAt (0 top, 1 bottom).
func (c *canvas) sky(top, mid, bottom rgb, midAt float64) {
	for y := 0; y < H; y++ {
		t := float64(y) / H
		var col rgb
		if t < midAt {
			col = mix(top, mid, smooth(t/midAt))
		} else {
			col = mix(mid, bottom, smooth((t-midAt)/(1-midAt)))
		}
		for x := 0; x < W; x++ {
			c.px[y*W+x] = col
		}
	}
}

// sun draws a disc at (fx, fy) (fractions of the picture) with a soft glow.
func (c *canvas) sun(fx, fy, r float64, col rgb, glow float64) {
	cx, cy := fx*W, fy*H
	reach := r * 9
	for y := int(cy - reach); y <= int(cy+reach); y++ {
		for x := int(cx - reach); x <= int(cx+reach); x++ {
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			if d > reach {
				continue
			}
			if g := glow * math.Exp(-(d-r)/(r*1.6)); d > r {
				c.blend(x, y, col, clamp(g, 0, 1)*0.8)
			}
			c.blend(x, y, col, clamp(r-d+0.5, 0, 1))
		}
	}
}

// moon draws a pale disc with a faint halo and a darker crescent shadow.
func (c *canvas) moon(fx, fy, r float64, col, sky rgb) {
	c.sun(fx, fy, r, col, 0.25)
	cx, cy := fx*W+r*0.45, fy*H-r*0.2
	for y := int(cy - r); y <= int(cy+r); y++ {
		for x := int(cx - r); x <= int(cx+r); x++ {
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			dm := math.Hypot(float64(x)-fx*W, float64(y)-fy*H)
			if dm < r {
				c.blend(x, y, sky, clamp(r*0.92-d+0.5, 0, 1)*0.85)
			}
		}
	}
}

// stars scatters n points of light above height maxY (fraction).
func (c *canvas) stars(n int, maxY float64) {
	for i := 0; i < n; i++ {
		x := int(c.hash(i, 11) * W)
		y := int(c.hash(i, 12) * H * maxY)
		b := 0.35 + 0.65*c.hash(i, 13)*c.hash(i, 14)
		a := b * (1 - float64(y)/(H*maxY)*0.7)
		c.blend(x, y, rgb{1, 1, 0.95}, a)
		if b > 0.8 {
			for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				c.blend(x+d[0], y+d[1], rgb{1, 1, 0.95}, a*0.35)
			}
		}
	}
}

// clouds draws n soft clouds between heights y0 and y1 (fractions).
func (c *canvas) clouds(n int, y0, y1 float64, col rgb, alpha float64, salt uint64) {
	for i := 0; i < n; i++ {
		cx := c.hash(i, salt) * W
		cy := (y0 + (y1-y0)*c.hash(i, salt+1)) * H
		w := 120 + 260*c.hash(i, salt+2)
		blobs := 5 + int(4*c.hash(i, salt+3))
		for j := 0; j < blobs; j++ {
			bx := cx + (c.hash(i*16+j, salt+4)-0.5)*w*1.6
			by := cy + (c.hash(i*16+j, salt+5)-0.5)*w*0.18
			rx := w * (0.35 + 0.4*c.hash(i*16+j, salt+6))
			ry := rx * 0.28
			c.blob(bx, by, rx, ry, col, alpha/float64(blobs)*2.2)
		}
	}
}

// blob is a soft elliptical patch with a Gaussian edge.
func (c *canvas) blob(cx, cy, rx, ry float64, col rgb, a float64) {
	for y := int(cy - ry*2); y <= int(cy+ry*2); y++ {
		for x := int(cx - rx*2); x <= int(cx+rx*2); x++ {
			dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
			d2 := dx*dx + dy*dy
			if d2 < 4 {
				c.blend(x, y, col, a*math.Exp(-d2*1.4))
			}
		}
	}
}

// aurora draws shimmering curtains of light across the upper sky.
func (c *canvas) aurora(col1, col2 rgb, strength float64) {
	for x := 0; x < W; x++ {
		fx := float64(x) / W
		base := 0.18 + 0.12*math.Sin(fx*5.1+1.3) + 0.05*math.Sin(fx*13.7)
		height := 0.22 + 0.1*c.fbm(fx*6, 71, 3)
		ray := 0.55 + 0.45*c.fbm(fx*60, 73, 2)
		for y := 0; y < int(H*0.7); y++ {
			fy := float64(y) / H
			t := (base + height - fy) / height // 1 at top edge, 0 at bottom edge
			if t < 0 || t > 1.3 {
				continue
			}
			a := strength * ray * math.Exp(-math.Pow((t-0.15)*2.2, 2))
			c.blend(x, y, mix(col1, col2, t), clamp(a, 0, 1))
		}
	}
}

// Kinds of ridge line.
const (
	hills = iota
	mountains
	dunes
	terraces
	flat
)

// ridge fills the ground below a noisy line. base is the line's mean height
// (fraction), amp its swing (fraction), freq how many bumps across the
// picture; colour top shades to bottom colour shade over the layer.
func (c *canvas) ridge(kind int, base, amp, freq float64, top, bottom rgb, salt uint64) []float64 {
	line := make([]float64, W)
	for x := 0; x < W; x++ {
		fx := float64(x) / W * freq
		var h float64
		switch kind {
		case hills:
			h = c.fbm(fx, salt, 3)
		case mountains:
			n := c.fbm(fx, salt, 5)
			h = 1 - math.Abs(2*n-1)
			h = h*h*0.8 + 0.2*c.noise1(fx*8, salt+7)
		case dunes:
			p := fx + 0.3*c.noise1(fx*0.7, salt)
			f := p - math.Floor(p)
			// a gentle windward slope and a steep lee face
			if f < 0.75 {
				h = f / 0.75
			} else {
				h = (1 - f) / 0.25
			}
			h = smooth(h)*0.8 + 0.2*c.noise1(fx*3, salt+3)
		case terraces:
			n := c.fbm(fx, salt, 3)
			h = math.Floor(n*7) / 7
		case flat:
			h = 0.5 + 0.5*c.noise1(fx*4, salt)*c.noise1(fx*0.5, salt+2)
		}
		line[x] = (base - amp*h) * H
	}
	for x := 0; x < W; x++ {
		top0 := line[x]
		for y := int(top0); y < H; y++ {
			a := 1.0
			if float64(y) < top0+1 {
				a = float64(y) + 1 - top0
			}
			t := (float64(y) - top0) / (H - top0 + 1)
			col := mix(top, bottom, t)
			if kind == terraces {
				// bright lips along each terrace step
				k := math.Mod(float64(y)-top0, 38)
				if k < 3 {
					col = col.scale(1.18)
				}
			}
			c.blend(x, y, col, a)
		}
	}
	return line
}

// sea fills from the horizon (fraction) down with water; sunX (fraction,
// negative for none) places a glitter path under the sun.
func (c *canvas) sea(horizon float64, far, near, glitter rgb, sunX float64) {
	hy := int(horizon * H)
	for y := hy; y < H; y++ {
		t := float64(y-hy) / float64(H-hy)
		base := mix(far, near, math.Pow(t, 0.7))
		for x := 0; x < W; x++ {
			col := base
			wave := math.Sin(float64(x)*0.012/(0.2+t)+float64(y)*0.9+c.noise1(float64(x)*0.01, uint64(y)))*0.5 + 0.5
			col = mix(col, col.scale(1.12), wave*0.25*(1-t*0.5))
			c.px[y*W+x] = col
			if sunX >= 0 {
				dx := math.Abs(float64(x)/W-sunX) / (0.02 + 0.12*t)
				if dx < 1 {
					g := c.noise1(float64(x)*0.05/(0.1+t), uint64(y)*7)
					if g > 0.45 {
						c.blend(x, y, glitter, (1-dx)*(g-0.45)*1.6)
					}
				}
			}
		}
	}
}

// skyline draws a row of buildings standing on height base (fraction).
func (c *canvas) skyline(base float64, count int, minH, maxH float64, col, lit rgb, litProb float64, salt uint64) {
	by := base * H
	x := -20.0
	for i := 0; i < count && x < W; i++ {
		w := 40 + 110*c.hash(i, salt)
		h := (minH + (maxH-minH)*math.Pow(c.hash(i, salt+1), 1.5)) * H
		top := by - h
		c.rect(x, top, x+w, by+2, col)
		if c.hash(i, salt+2) < 0.25 {
			c.line(x+w/2, top, x+w/2, top-h*0.15, 3, col)
		}
		if c.hash(i, salt+3) < 0.2 {
			c.rect(x+w*0.2, top-14, x+w*0.8, top, col)
		}
		// windows
		for wy := top + 10; wy < by-10; wy += 16 {
			for wx := x + 7; wx < x+w-10; wx += 13 {
				k := int(wx)*7919 + int(wy)*104729
				if c.hash(k, salt+4) < litProb {
					c.rect(wx, wy, wx+5, wy+7, mix(lit, col, 0.5*c.hash(k, salt+5)))
				}
			}
		}
		x += w + 2 + 14*c.hash(i, salt+6)
	}
}

// rect fills an axis-aligned rectangle, anti-aliased at its edges.
func (c *canvas) rect(x0, y0, x1, y1 float64, col rgb) {
	for y := int(math.Floor(y0)); y <= int(math.Ceil(y1)); y++ {
		ay := clamp(math.Min(float64(y)+1, y1)-math.Max(float64(y), y0), 0, 1)
		for x := int(math.Floor(x0)); x <= int(math.Ceil(x1)); x++ {
			ax := clamp(math.Min(float64(x)+1, x1)-math.Max(float64(x), x0), 0, 1)
			c.blend(x, y, col, ax*ay)
		}
	}
}

// line draws a segment of the given width with round ends.
func (c *canvas) line(x0, y0, x1, y1, width float64, col rgb) {
	r := width / 2
	minX, maxX := math.Min(x0, x1)-r-1, math.Max(x0, x1)+r+1
	minY, maxY := math.Min(y0, y1)-r-1, math.Max(y0, y1)+r+1
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	for y := int(minY); y <= int(maxY); y++ {
		for x := int(minX); x <= int(maxX); x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			t := 0.0
			if l2 > 0 {
				t = clamp(((px-x0)*dx+(py-y0)*dy)/l2, 0, 1)
			}
			d := math.Hypot(px-(x0+t*dx), py-(y0+t*dy))
			c.blend(x, y, col, clamp(r-d+0.5, 0, 1))
		}
	}
}

// poly fills a polygon given in pixels, 2x2 supersampled.
func (c *canvas) poly(pts [][2]float64, col rgb) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	inside := func(x, y float64) bool {
		in := false
		for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
			xi, yi, xj, yj := pts[i][0], pts[i][1], pts[j][0], pts[j][1]
			if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
				in = !in
			}
		}
		return in
	}
	for y := int(minY); y <= int(maxY); y++ {
		for x := int(minX); x <= int(maxX); x++ {
			n := 0
			for _, o := range [][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}} {
				if inside(float64(x)+o[0], float64(y)+o[1]) {
					n++
				}
			}
			c.blend(x, y, col, float64(n)/4)
		}
	}
}

// fog lays a band of haze that is thickest at peak (fraction).
func (c *canvas) fog(peak, spread float64, col rgb, a float64) {
	for y := 0; y < H; y++ {
		d := (float64(y)/H - peak) / spread
		k := a * math.Exp(-d*d)
		if k < 0.004 {
			continue
		}
		for x := 0; x < W; x++ {
			v := 0.8 + 0.2*c.noise1(float64(x)/180+float64(y)/90, 91)
			c.blend(x, y, col, k*v)
		}
	}
}

// crane draws a harbour crane whose foot is at (x, base) in pixels.
func (c *canvas) crane(x, base, h float64, col rgb, flip bool) {
	s := 1.0
	if flip {
		s = -1
	}
	c.line(x-18, base, x-6, base-h, 6, col)
	c.line(x+18, base, x+6, base-h, 6, col)
	for k := 0.15; k < 0.95; k += 0.2 {
		c.line(x-18+12*k, base-h*k, x+18-12*(k+0.2), base-h*(k+0.2), 2, col)
	}
	c.line(x-s*60, base-h, x+s*h*0.9, base-h, 7, col)
	c.line(x, base-h-40, x+s*h*0.6, base-h, 2, col)
	c.line(x, base-h-40, x-s*60, base-h, 2, col)
	c.line(x+s*h*0.5, base-h, x+s*h*0.5, base-h*0.45, 1.5, col)
	c.rect(x-s*60-s*30, base-h-12, x-s*60+s*5, base-h+14, col)
}

// turbine draws a wind turbine with its hub at (x, y) and the given blade
// angle in radians.
func (c *canvas) turbine(x, y, h, angle float64, col rgb) {
	c.line(x, y, x, y+h, 5, col)
	bl := h * 0.55
	for k := 0; k < 3; k++ {
		a := angle + float64(k)*2*math.Pi/3
		c.line(x, y, x+bl*math.Cos(a), y+bl*math.Sin(a), 4, col)
	}
	c.rect(x-6, y-4, x+8, y+4, col)
}

// dome draws an observatory: a drum with a domed roof, base at (x, y).
func (c *canvas) dome(x, y, r float64, col rgb) {
	c.rect(x-r, y-r*0.9, x+r, y, col)
	var pts [][2]float64
	for a := 0.0; a <= math.Pi+1e-9; a += math.Pi / 48 {
		pts = append(pts, [2]float64{x + r*math.Cos(a), y - r*0.9 - r*math.Sin(a)})
	}
	c.poly(pts, col)
}

// boat draws a small ferry with its waterline centred at (x, y).
func (c *canvas) boat(x, y, l float64, hull, cabin rgb) {
	c.poly([][2]float64{{x - l/2, y - l*0.12}, {x + l/2 + l*0.08, y - l*0.12}, {x + l/2 - l*0.05, y}, {x - l/2 + l*0.04, y}}, hull)
	c.rect(x-l*0.25, y-l*0.25, x+l*0.2, y-l*0.12, cabin)
	c.rect(x-l*0.15, y-l*0.34, x+l*0.05, y-l*0.25, cabin)
	c.rect(x-l*0.05, y-l*0.44, x+l*0.0, y-l*0.34, hull)
}

// lights hangs a string of glowing bulbs between two points, sagging.
func (c *canvas) lights(x0, y0, x1, y1, sag float64, n int, cols []rgb, salt uint64) {
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(n)
		x := x0 + (x1-x0)*t
		y := y0 + (y1-y0)*t + sag*4*t*(1-t)
		col := cols[int(c.hash(i, salt)*float64(len(cols)))%len(cols)]
		c.sun(x/W, y/H, 3.2, col, 0.5)
	}
}

// vignette darkens the corners a little, as a lens does.
func (c *canvas) vignette(k float64) {
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			dx, dy := (float64(x)/W-0.5)*1.6, float64(y)/H-0.5
			d := dx*dx + dy*dy
			i := y*W + x
			c.px[i] = c.px[i].scale(1 - k*d)
		}
	}
}

// image converts the canvas to 8-bit RGBA with a faint, fixed film grain.
func (c *canvas) image() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			p := c.px[y*W+x]
			g := (c.hash(y*W+x, 999) - 0.5) * 2.0 / 255
			to := func(v float64) uint8 { return uint8(clamp((v+g)*255+0.5, 0, 255)) }
			img.SetRGBA(x, y, color.RGBA{to(p.r), to(p.g), to(p.b), 255})
		}
	}
	return img
}

type scene struct {
	name string
	draw func(c *canvas)
}

var scenes = []scene{
	{"harbour-dawn", func(c *canvas) {
		c.sky(hex(0x3b4a7a), hex(0xe9a48a), hex(0xffd9a0), 0.45)
		c.sun(0.68, 0.56, 34, hex(0xfff1c9), 0.9)
		c.clouds(6, 0.12, 0.38, hex(0xf6b99b), 0.55, 20)
		c.ridge(hills, 0.6, 0.09, 2.5, hex(0x8a6f8e), hex(0x8a6f8e), 30)
		c.skyline(0.6, 40, 0.02, 0.12, hex(0x4a3d5c), hex(0xffd27a), 0.1, 40)
		c.crane(260, 0.6*H, 190, hex(0x3a2f48), false)
		c.crane(430, 0.6*H, 160, hex(0x3a2f48), true)
		c.sea(0.6, hex(0xd79a86), hex(0x2f3e63), hex(0xfff1c9), 0.68)
		c.boat(1100, 0.74*H, 180, hex(0x2a2438), hex(0x3a3350))
		c.vignette(0.25)
	}},
	{"city-dusk", func(c *canvas) {
		c.sky(hex(0x231942), hex(0x8e3b6b), hex(0xf08a4b), 0.55)
		c.sun(0.3, 0.7, 40, hex(0xffb36b), 0.7)
		c.clouds(5, 0.15, 0.35, hex(0xb45a7a), 0.5, 21)
		c.skyline(0.82, 30, 0.12, 0.45, hex(0x2c1f3f), hex(0xffc870), 0.35, 41)
		c.skyline(0.92, 40, 0.05, 0.25, hex(0x170f24), hex(0xffd88a), 0.45, 42)
		c.rect(0, 0.92*H, W, H, hex(0x120b1c))
		c.vignette(0.3)
	}},
	{"desert-highway", func(c *canvas) {
		c.sky(hex(0x3f7cc4), hex(0x9fc7e6), hex(0xf3e2c4), 0.55)
		c.sun(0.82, 0.14, 28, hex(0xffffff), 0.5)
		c.ridge(mountains, 0.58, 0.12, 3, hex(0xb98a6b), hex(0xc99a72), 31)
		c.ridge(dunes, 0.7, 0.08, 4, hex(0xe0b07a), hex(0xc98d58), 32)
		c.ridge(flat, 0.8, 0.02, 2, hex(0xd9a467), hex(0xa86f3d), 33)
		c.poly([][2]float64{{780, 0.8 * H}, {820, 0.8 * H}, {1200, H}, {400, H}}, hex(0x4b4541))
		for y := 0.82; y < 1; y += 0.04 {
			t := (y - 0.8) / 0.2
			c.rect(798-2*t*8, y*H, 802+2*t*8, (y+0.015+0.01*t)*H, hex(0xf0e6c8))
		}
		c.fog(0.6, 0.05, hex(0xf3e2c4), 0.35)
		c.vignette(0.2)
	}},
	{"alpine-lake", func(c *canvas) {
		c.sky(hex(0x2a5d9e), hex(0x8fb9df), hex(0xdbe9f2), 0.5)
		c.clouds(5, 0.1, 0.3, hex(0xffffff), 0.6, 22)
		c.ridge(mountains, 0.55, 0.35, 2.2, hex(0x6d7f99), hex(0x55657c), 34)
		c.ridge(mountains, 0.6, 0.18, 3.5, hex(0x3f5a52), hex(0x2f4a40), 35)
		c.sea(0.62, hex(0x7fa3c0), hex(0x1e3d4f), hex(0xffffff), -1)
		c.ridge(hills, 0.95, 0.1, 2, hex(0x2b3d26), hex(0x1b2a18), 36)
		c.vignette(0.2)
	}},
	{"grey-coast-storm", func(c *canvas) {
		c.sky(hex(0x2d3338), hex(0x6b747a), hex(0x9aa3a6), 0.5)
		c.clouds(12, 0.05, 0.4, hex(0x3b4247), 0.8, 23)
		c.clouds(6, 0.3, 0.5, hex(0xb8c0c2), 0.3, 24)
		c.sea(0.55, hex(0x5e6b70), hex(0x1f2a2e), hex(0xdfe6e8), -1)
		c.ridge(mountains, 1.02, 0.45, 1.3, hex(0x2a2f2c), hex(0x161a18), 37)
		c.fog(0.55, 0.08, hex(0xa7b0b3), 0.4)
		c.vignette(0.35)
	}},
	{"capital-night", func(c *canvas) {
		c.sky(hex(0x050a1f), hex(0x142452), hex(0x35406e), 0.7)
		c.stars(500, 0.6)
		c.moon(0.78, 0.18, 30, hex(0xf4f1e0), hex(0x0a1233))
		c.skyline(0.8, 35, 0.08, 0.3, hex(0x0b1126), hex(0xffd97a), 0.3, 43)
		c.dome(800, 0.8*H-150, 80, hex(0x0b1126))
		c.rect(720, 0.8*H-160, 880, 0.8*H, hex(0x0b1126))
		c.line(800, 0.8*H-310, 800, 0.8*H-380, 3, hex(0x0b1126))
		c.sea(0.8, hex(0x202b55), hex(0x060a1a), hex(0xffd97a), 0.5)
		c.vignette(0.3)
	}},
	{"floodlit-evening", func(c *canvas) {
		c.sky(hex(0x0f1a3a), hex(0x2b3f7a), hex(0x6b6fa8), 0.6)
		c.stars(120, 0.4)
		for _, x := range []float64{200, 600, 1000, 1400} {
			c.line(x, 0.25*H, x, 0.75*H, 8, hex(0x111522))
			c.rect(x-40, 0.22*H, x+40, 0.27*H, hex(0x111522))
			for k := -30.0; k <= 30; k += 15 {
				c.sun((x+k)/W, 0.245, 5, hex(0xf5f8ff), 0.9)
			}
		}
		c.ridge(flat, 0.78, 0.05, 1.5, hex(0x1a2035), hex(0x1a2035), 38)
		c.rect(0, 0.8*H, W, H, hex(0x2f7a3b))
		for x := 0.0; x < W; x += 200 {
			c.rect(x, 0.8*H, x+100, H, hex(0x3a8a46))
		}
		c.line(0, 0.9*H, W, 0.9*H, 4, hex(0xe8f0e8))
		c.fog(0.5, 0.2, hex(0xdfe6ff), 0.12)
		c.vignette(0.3)
	}},
	{"valley-morning", func(c *canvas) {
		c.sky(hex(0x86b3d9), hex(0xd6e6ee), hex(0xf7ecd6), 0.5)
		c.sun(0.25, 0.32, 26, hex(0xfff8e0), 0.6)
		c.ridge(hills, 0.5, 0.12, 2, hex(0x9fb3a6), hex(0x8aa194), 39)
		c.fog(0.52, 0.04, hex(0xf1f1ea), 0.6)
		c.ridge(hills, 0.62, 0.14, 2.6, hex(0x6f9a6a), hex(0x5b8656), 40)
		c.fog(0.64, 0.04, hex(0xf1f1ea), 0.45)
		c.ridge(hills, 0.78, 0.16, 3, hex(0x4f7d42), hex(0x3c6531), 41)
		c.ridge(hills, 0.95, 0.12, 2, hex(0x2f5226), hex(0x213c1a), 42)
		c.vignette(0.2)
	}},
	{"steppe-noon", func(c *canvas) {
		c.sky(hex(0x1f5fb0), hex(0x6ea6dc), hex(0xcfe2ef), 0.6)
		c.clouds(9, 0.15, 0.45, hex(0xffffff), 0.7, 25)
		c.ridge(flat, 0.66, 0.03, 2, hex(0x9aa86a), hex(0xc2b36c), 43)
		c.ridge(hills, 0.8, 0.05, 1.5, hex(0xc9b46a), hex(0xa8914a), 44)
		c.vignette(0.15)
	}},
	{"port-cranes", func(c *canvas) {
		c.sky(hex(0x6b88a8), hex(0xc4cfd6), hex(0xe8e2d6), 0.55)
		c.sun(0.15, 0.4, 24, hex(0xfffaf0), 0.4)
		for i, x := range []float64{180, 420, 700, 980, 1260} {
			c.crane(x, 0.66*H, 230+float64(i%2)*50, hex(0x34404d), i%2 == 1)
		}
		for i := 0; i < 26; i++ {
			x := 40 + float64(i)*60
			h := 30 + 40*c.hash(i, 5)
			c.rect(x, 0.66*H-h, x+55, 0.66*H, []rgb{hex(0xa5473a), hex(0x3b6ea5), hex(0xd19a3a), hex(0x4f7a4a)}[i%4])
		}
		c.sea(0.66, hex(0x8a9aa6), hex(0x2e3e4a), hex(0xffffff), 0.15)
		c.vignette(0.2)
	}},
	{"river-city-fog", func(c *canvas) {
		c.sky(hex(0x9aa4a8), hex(0xc9cbc5), hex(0xd8d4c8), 0.5)
		c.skyline(0.62, 40, 0.06, 0.22, hex(0x8d9493), hex(0xe8d9a8), 0.05, 44)
		c.fog(0.55, 0.12, hex(0xd1d2cb), 0.6)
		c.skyline(0.66, 40, 0.04, 0.14, hex(0x5f6767), hex(0xf0d58f), 0.12, 45)
		c.sea(0.66, hex(0xb3b6b0), hex(0x4d5654), hex(0xffffff), -1)
		// a bridge
		c.rect(0, 0.7*H, W, 0.72*H, hex(0x3a403f))
		for x := 100.0; x < W; x += 280 {
			c.rect(x, 0.72*H, x+26, 0.9*H, hex(0x3a403f))
		}
		c.fog(0.9, 0.15, hex(0xd1d2cb), 0.3)
		c.vignette(0.2)
	}},
	{"red-canyon", func(c *canvas) {
		c.sky(hex(0x2b6cb3), hex(0x8ec3e8), hex(0xf2d2b0), 0.6)
		c.sun(0.2, 0.15, 24, hex(0xffffff), 0.4)
		c.ridge(terraces, 0.5, 0.18, 2, hex(0xc46a3c), hex(0xa24a2a), 45)
		c.ridge(terraces, 0.72, 0.2, 2.5, hex(0x9a3e22), hex(0x6e2a18), 46)
		c.ridge(mountains, 1.0, 0.25, 2, hex(0x5a2416), hex(0x3a160e), 47)
		c.vignette(0.25)
	}},
	{"tropical-bay", func(c *canvas) {
		c.sky(hex(0x1e88c9), hex(0x7cc6ea), hex(0xd8f0f5), 0.6)
		c.clouds(7, 0.2, 0.45, hex(0xffffff), 0.7, 26)
		c.sun(0.7, 0.12, 26, hex(0xffffff), 0.4)
		c.ridge(mountains, 0.58, 0.2, 1.6, hex(0x2f6a4a), hex(0x2a5a3e), 48)
		c.sea(0.6, hex(0x36b3c4), hex(0x0e5a7a), hex(0xffffff), 0.7)
		c.ridge(dunes, 1.02, 0.12, 1, hex(0xf3e0b3), hex(0xe4c992), 49)
		c.vignette(0.15)
	}},
	{"northern-lights", func(c *canvas) {
		c.sky(hex(0x020814), hex(0x0a1a33), hex(0x1a2e4a), 0.7)
		c.stars(700, 0.7)
		c.aurora(hex(0x39ff9a), hex(0x7a4dff), 0.55)
		c.ridge(mountains, 0.72, 0.22, 2.5, hex(0x1a2433), hex(0x111827), 50)
		c.ridge(hills, 0.9, 0.08, 2, hex(0xc8d6e6), hex(0x8ea3bb), 51)
		c.vignette(0.3)
	}},
	{"refinery-sunset", func(c *canvas) {
		c.sky(hex(0x4a2a52), hex(0xe0683a), hex(0xffc25a), 0.6)
		c.sun(0.55, 0.66, 60, hex(0xffe29a), 1.0)
		for i, x := range []float64{300, 380, 460, 900, 1000} {
			h := 180 + 40*float64(i%3)
			c.rect(x, 0.78*H-h, x+22, 0.78*H, hex(0x21141f))
		}
		c.skyline(0.78, 30, 0.03, 0.1, hex(0x21141f), hex(0xffb347), 0.08, 46)
		for _, x := range []float64{640, 1200} {
			c.rect(x-60, 0.78*H-110, x+60, 0.78*H, hex(0x21141f))
			c.dome(x, 0.78*H-110, 60, hex(0x21141f))
		}
		c.blob(470, 0.78*H-300, 60, 30, hex(0x7a6a70), 0.3)
		c.rect(0, 0.78*H, W, H, hex(0x1a0f18))
		c.vignette(0.3)
	}},
	{"wind-farm-ridge", func(c *canvas) {
		c.sky(hex(0x3d7cc9), hex(0xa9cde9), hex(0xe6f0f2), 0.55)
		c.clouds(6, 0.1, 0.35, hex(0xffffff), 0.6, 27)
		line := c.ridge(hills, 0.62, 0.15, 1.6, hex(0x7c9a6b), hex(0x66885a), 52)
		for i, x := range []int{150, 420, 700, 980, 1250, 1500} {
			y := line[x]
			h := 200.0 - float64(i%3)*30
			c.turbine(float64(x), y-h, h, 0.3+float64(i)*0.7, hex(0xf2f4f5))
		}
		c.ridge(hills, 0.85, 0.1, 2.4, hex(0x4d7a3a), hex(0x3a6229), 53)
		c.vignette(0.15)
	}},
	{"solar-plain", func(c *canvas) {
		c.sky(hex(0x2f74c4), hex(0x91c1e8), hex(0xf1ead6), 0.55)
		c.sun(0.5, 0.12, 30, hex(0xffffff), 0.5)
		c.ridge(mountains, 0.56, 0.1, 3, hex(0xa5a3b3), hex(0x9a96a6), 54)
		c.rect(0, 0.56*H, W, H, hex(0xcdb08a))
		for r := 0; r < 9; r++ {
			y := 0.6*H + float64(r*r)*4.5 + float64(r)*14
			h := 6 + float64(r)*4
			for x := -40.0 + float64(r%2)*20; x < W; x += 40 + float64(r)*12 {
				c.poly([][2]float64{{x, y + h}, {x + 30 + float64(r)*10, y + h}, {x + 26 + float64(r)*9, y}, {x + 4, y}}, mix(hex(0x1d3f7a), hex(0x6aa0e0), 0.3+0.05*float64(r)))
			}
		}
		c.vignette(0.2)
	}},
	{"winter-village", func(c *canvas) {
		c.sky(hex(0x6a86a8), hex(0xb8c8d8), hex(0xe8ecf0), 0.5)
		c.clouds(8, 0.05, 0.35, hex(0xdfe6ee), 0.6, 28)
		c.ridge(mountains, 0.55, 0.2, 2, hex(0xe6eef5), hex(0xb9c7d6), 55)
		c.ridge(hills, 0.66, 0.08, 3, hex(0x2f4a3f), hex(0x2a4238), 56)
		for i := 0; i < 14; i++ {
			x := 120 + float64(i)*100 + 40*c.hash(i, 3)
			y := 0.74*H + 30*c.hash(i, 4)
			c.rect(x, y-40, x+60, y, hex(0x7a4a3a))
			c.poly([][2]float64{{x - 10, y - 40}, {x + 30, y - 75}, {x + 70, y - 40}}, hex(0xf0f4f8))
			c.rect(x+22, y-28, x+34, y-16, hex(0xffd27a))
		}
		c.ridge(hills, 0.9, 0.06, 1.5, hex(0xf4f7fa), hex(0xd5dee8), 57)
		c.vignette(0.2)
	}},
	{"rice-terraces", func(c *canvas) {
		c.sky(hex(0x9cc4d8), hex(0xd9e8e4), hex(0xeef2e4), 0.5)
		c.ridge(mountains, 0.42, 0.18, 2, hex(0x8aa59a), hex(0x7c9a8c), 58)
		c.fog(0.45, 0.05, hex(0xeef2ea), 0.5)
		c.ridge(terraces, 0.62, 0.22, 1.5, hex(0x7fb04a), hex(0x5d9038), 59)
		c.ridge(terraces, 0.85, 0.25, 1.8, hex(0x9ccc52), hex(0x6a9a32), 60)
		c.vignette(0.2)
	}},
	{"old-town-rooftops", func(c *canvas) {
		c.sky(hex(0x5f9fd6), hex(0xb5d6ec), hex(0xf0e6d2), 0.6)
		c.clouds(4, 0.1, 0.3, hex(0xffffff), 0.6, 29)
		for row := 0; row < 4; row++ {
			by := 0.5*H + float64(row)*110
			tone := 1 - float64(row)*0.15
			for i := 0; i < 14; i++ {
				x := -60 + float64(i)*130 + 50*c.hash(i+row*20, 7)
				w := 110 + 40*c.hash(i+row*20, 8)
				h := 60 + 80*c.hash(i+row*20, 9)
				c.rect(x, by-h, x+w, by+120, hex(0xe8d6b8).scale(tone))
				c.poly([][2]float64{{x - 8, by - h}, {x + w/2, by - h - 55}, {x + w + 8, by - h}}, hex(0xb5553a).scale(tone))
				for k := 0.0; k < 3; k++ {
					c.rect(x+15+k*w/3.2, by-h+25, x+28+k*w/3.2, by-h+45, hex(0x3a3a48).scale(tone))
				}
			}
		}
		// a church tower in the second row
		c.rect(760, 0.2*H, 840, 0.62*H, hex(0xdcc8a6))
		c.poly([][2]float64{{750, 0.2 * H}, {800, 0.08 * H}, {850, 0.2 * H}}, hex(0x5f7f6f))
		c.vignette(0.2)
	}},
	{"launch-site-dawn", func(c *canvas) {
		c.sky(hex(0x1f2a55), hex(0xd97a5a), hex(0xffd3a0), 0.62)
		c.sun(0.2, 0.7, 30, hex(0xfff0c8), 0.8)
		c.ridge(flat, 0.78, 0.03, 2, hex(0x3a2f3f), hex(0x2a2230), 61)
		// gantry and rocket
		c.rect(980, 0.78*H-430, 1010, 0.78*H, hex(0x1e1822))
		for y := 0.78*H - 420; y < 0.78*H; y += 40 {
			c.line(1010, y, 1060, y, 4, hex(0x1e1822))
		}
		c.rect(1060, 0.78*H-380, 1100, 0.78*H-20, hex(0xe8e4e8))
		c.poly([][2]float64{{1060, 0.78*H - 380}, {1080, 0.78*H - 440}, {1100, 0.78*H - 380}}, hex(0xe8e4e8))
		c.rect(1060, 0.78*H-200, 1100, 0.78*H-185, hex(0x2a2a3a))
		c.rect(1040, 0.78*H-20, 1120, 0.78*H, hex(0x1e1822))
		c.sun(1080.0/W, 0.35, 3, hex(0xff4a4a), 0.8)
		c.fog(0.78, 0.05, hex(0xe9b08a), 0.4)
		c.vignette(0.25)
	}},
	{"observatory-night", func(c *canvas) {
		c.sky(hex(0x02030a), hex(0x121a48), hex(0x55508a), 0.72)
		c.stars(1200, 0.8)
		c.aurora(hex(0x6a5acd), hex(0x1e90ff), 0.12)
		line := c.ridge(mountains, 0.8, 0.16, 1.8, hex(0x0e1226), hex(0x07080f), 62)
		c.dome(1000, line[1000]+12, 55, hex(0x0e1226))
		c.sun(1000.0/W, (line[1000]-60)/H, 2, hex(0xffe2a0), 0.6)
		c.dome(1160, line[1160]+10, 35, hex(0x0e1226))
		c.vignette(0.3)
	}},
	{"flooded-delta", func(c *canvas) {
		c.sky(hex(0x5a6e86), hex(0xb1b9bf), hex(0xd7d3c4), 0.55)
		c.clouds(10, 0.05, 0.35, hex(0x7a8796), 0.6, 30)
		c.sea(0.55, hex(0xa8a38d), hex(0x5d5640), hex(0xffffff), -1)
		for i := 0; i < 9; i++ {
			x := 80 + float64(i)*190
			y := 0.6*H + 50*c.hash(i, 2)
			c.blob(x, y, 60+40*c.hash(i, 3), 10, hex(0x4f6a3a), 0.9)
			c.line(x, y, x, y-50-40*c.hash(i, 4), 5, hex(0x2d3a22))
			c.blob(x, y-70-40*c.hash(i, 4), 40, 30, hex(0x3d5a2e), 0.9)
		}
		c.rect(600, 0.7*H-50, 720, 0.7*H, hex(0xcfc4a8))
		c.poly([][2]float64{{590, 0.7*H - 50}, {660, 0.7*H - 90}, {730, 0.7*H - 50}}, hex(0x8a4a3a))
		c.vignette(0.25)
	}},
	{"forest-ridge-smoke", func(c *canvas) {
		c.sky(hex(0x7a4a2a), hex(0xd0843a), hex(0xe8b56a), 0.5)
		c.sun(0.6, 0.3, 40, hex(0xff5a2a), 0.3)
		c.fog(0.3, 0.25, hex(0xc98a56), 0.5)
		c.ridge(mountains, 0.6, 0.2, 2, hex(0x7a5a44), hex(0x6a4a36), 63)
		c.fog(0.6, 0.08, hex(0xd09a66), 0.5)
		c.ridge(hills, 0.75, 0.12, 6, hex(0x3a2a1e), hex(0x2e2016), 64)
		c.ridge(hills, 0.92, 0.14, 9, hex(0x1e140e), hex(0x140d09), 65)
		c.vignette(0.3)
	}},
	{"glacier-blue", func(c *canvas) {
		c.sky(hex(0x4b8fd1), hex(0xb8dcf0), hex(0xf2f8fb), 0.5)
		c.ridge(mountains, 0.5, 0.28, 2.5, hex(0xf4f9fc), hex(0xbcd9ea), 66)
		c.ridge(terraces, 0.7, 0.12, 3, hex(0x9fd0ea), hex(0x5aa5cf), 67)
		c.sea(0.78, hex(0x5a8fb0), hex(0x1b3f5a), hex(0xffffff), -1)
		for i := 0; i < 7; i++ {
			x := 100 + float64(i)*230 + 60*c.hash(i, 9)
			y := 0.82*H + 100*c.hash(i, 10)
			s := 20 + 30*c.hash(i, 11)
			c.poly([][2]float64{{x - s, y}, {x - s*0.4, y - s*0.7}, {x + s*0.5, y - s*0.6}, {x + s, y}}, hex(0xeaf6fc))
		}
		c.vignette(0.15)
	}},
	{"market-square-noon", func(c *canvas) {
		c.sky(hex(0x3a8fd8), hex(0x9ccaf0), hex(0xe6f0f6), 0.5)
		c.rect(0, 0.25*H, W, 0.7*H, hex(0xe2c9a0))
		for x := 40.0; x < W; x += 120 {
			c.rect(x, 0.32*H, x+50, 0.42*H, hex(0x4a5a6a))
			c.rect(x, 0.5*H, x+50, 0.6*H, hex(0x4a5a6a))
		}
		c.rect(0, 0.24*H, W, 0.26*H, hex(0xb89a70))
		c.rect(0, 0.7*H, W, H, hex(0xb8a68a))
		cols := []rgb{hex(0xd8453a), hex(0xf0c040), hex(0x3a8a6a), hex(0x3a6ab8), hex(0xe07a2a)}
		for i := 0; i < 9; i++ {
			x := 40 + float64(i)*175
			col := cols[i%len(cols)]
			c.poly([][2]float64{{x, 0.7 * H}, {x + 75, 0.62 * H}, {x + 150, 0.7 * H}}, col)
			c.rect(x+5, 0.7*H, x+145, 0.72*H, col.scale(0.8))
			c.line(x+8, 0.7*H, x+8, 0.86*H, 4, hex(0x5a4a3a))
			c.line(x+142, 0.7*H, x+142, 0.86*H, 4, hex(0x5a4a3a))
			c.rect(x+10, 0.8*H, x+140, 0.84*H, hex(0x7a5a3a))
		}
		c.vignette(0.2)
	}},
	{"festival-lights", func(c *canvas) {
		c.sky(hex(0x0d0820), hex(0x2a1450), hex(0x5a2a6a), 0.7)
		c.stars(150, 0.4)
		cols := []rgb{hex(0xffd166), hex(0xef476f), hex(0x06d6a0), hex(0x4cc9f0), hex(0xffffff)}
		for k := 0; k < 5; k++ {
			y := 0.2*H + float64(k)*70
			c.lights(-50, y, W+50, y+40, 90, 40, cols, uint64(k))
		}
		c.ridge(hills, 0.8, 0.06, 12, hex(0x120a1e), hex(0x0a0612), 68)
		c.vignette(0.3)
	}},
	{"coastal-cliffs", func(c *canvas) {
		c.sky(hex(0x4a84c4), hex(0xa5cbe6), hex(0xe8eef0), 0.55)
		c.clouds(7, 0.1, 0.4, hex(0xffffff), 0.6, 31)
		c.sea(0.52, hex(0x5a8aa8), hex(0x1a4a6a), hex(0xffffff), -1)
		c.poly([][2]float64{{0, 0.38 * H}, {520, 0.4 * H}, {600, 0.55 * H}, {640, H}, {0, H}}, hex(0x8a7a5a))
		c.poly([][2]float64{{0, 0.36 * H}, {530, 0.38 * H}, {560, 0.42 * H}, {0, 0.42 * H}}, hex(0x6a8a4a))
		// lighthouse
		c.poly([][2]float64{{380, 0.37 * H}, {430, 0.37 * H}, {420, 0.12 * H}, {390, 0.12 * H}}, hex(0xf2f2ee))
		c.rect(388, 0.2*H, 422, 0.24*H, hex(0xc0392b))
		c.rect(386, 0.09*H, 424, 0.12*H, hex(0x2a2a2a))
		c.sun(405.0/W, 0.1, 6, hex(0xfff3b0), 0.6)
		c.fog(0.56, 0.02, hex(0xffffff), 0.3)
		c.vignette(0.2)
	}},
	{"border-hills-dusk", func(c *canvas) {
		c.sky(hex(0x2a2450), hex(0x9a5a7a), hex(0xe6a07a), 0.55)
		c.sun(0.78, 0.6, 30, hex(0xffcf9a), 0.6)
		c.ridge(hills, 0.6, 0.12, 2, hex(0x6a4a6a), hex(0x5a3e5a), 69)
		c.ridge(hills, 0.72, 0.12, 2.5, hex(0x4a3250), hex(0x3e2a44), 70)
		c.ridge(hills, 0.86, 0.1, 3, hex(0x2a1e34), hex(0x1e1628), 71)
		for x := 0.0; x < W; x += 80 {
			c.line(x, 0.9*H, x, 0.82*H, 4, hex(0x120c18))
		}
		c.line(0, 0.83*H, W, 0.83*H, 2, hex(0x120c18))
		c.line(0, 0.86*H, W, 0.86*H, 2, hex(0x120c18))
		c.rect(0, 0.9*H, W, H, hex(0x120c18))
		c.vignette(0.3)
	}},
	{"island-ferry", func(c *canvas) {
		c.sky(hex(0x5aa0d8), hex(0xb4d8ee), hex(0xf0f4ea), 0.55)
		c.clouds(6, 0.1, 0.4, hex(0xffffff), 0.6, 32)
		c.sun(0.3, 0.2, 26, hex(0xffffff), 0.4)
		c.ridge(hills, 0.58, 0.12, 1.2, hex(0x6a8a6a), hex(0x5a7a5a), 72)
		c.sea(0.58, hex(0x5aa8c0), hex(0x165a7a), hex(0xffffff), 0.3)
		c.boat(900, 0.75*H, 320, hex(0xf4f4f0), hex(0x2a4a7a))
		c.line(900-160, 0.75*H+4, 900+200, 0.75*H+4, 3, hex(0xdff2f6))
		c.vignette(0.15)
	}},
	{"parliament-rain", func(c *canvas) {
		c.sky(hex(0x4a5258), hex(0x7d868b), hex(0xa2a8aa), 0.5)
		c.clouds(10, 0.0, 0.3, hex(0x3e464c), 0.7, 33)
		c.rect(300, 0.35*H, 1300, 0.75*H, hex(0xbfb8a8))
		c.dome(800, 0.35*H, 150, hex(0xa8a090))
		c.line(800, 0.35*H-285, 800, 0.35*H-330, 4, hex(0x5a5a5a))
		for x := 340.0; x < 1280; x += 70 {
			c.rect(x, 0.42*H, x+22, 0.72*H, hex(0xe0dbcf))
		}
		c.poly([][2]float64{{300, 0.35 * H}, {800, 0.28 * H}, {1300, 0.35 * H}}, hex(0xa8a090))
		c.rect(0, 0.75*H, W, H, hex(0x5a6064))
		for i := 0; i < 900; i++ {
			x := c.hash(i, 201) * W
			y := c.hash(i, 202) * H
			c.line(x, y, x-6, y+30, 1.2, hex(0xdfe4e8).scale(0.9))
		}
		c.vignette(0.3)
	}},
}

func main() {
	out := flag.String("out", filepath.Join("internal", "demo", "content", "images"), "folder to write the pictures to")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var total int64
	for i, s := range scenes {
		c := newCanvas(uint64(i+1) * 7777)
		s.draw(c)
		path := filepath.Join(*out, s.name+".jpg")
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := jpeg.Encode(f, c.image(), &jpeg.Options{Quality: quality}); err != nil {
			f.Close()
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		st, _ := os.Stat(path)
		total += st.Size()
		fmt.Printf("%-24s %6d bytes\n", s.name+".jpg", st.Size())
	}
	fmt.Printf("%d pictures, %d bytes\n", len(scenes), total)
}
