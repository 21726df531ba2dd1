package media

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
)

func TestCropVariants(t *testing.T) {
	hash := strings.Repeat("cd", 32)
	tests := []struct {
		typ  string
		w, h int
		a    news.Aspect
		want string // width x height.ext, ...
	}{
		{"image/jpeg", 4000, 3000, news.Wide, "320x180.jpg 640x360.jpg 1200x675.jpg"},
		{"image/jpeg", 4000, 3000, news.Standard, "320x240.jpg 640x480.jpg 1200x900.jpg"},
		{"image/jpeg", 4000, 3000, news.Square, "320x320.jpg 640x640.jpg 1200x1200.jpg"},
		// The original allows no 1200-wide square: the crop's own width.
		{"image/webp", 1600, 1067, news.Square, "320x320.jpg 640x640.jpg 1067x1067.jpg"},
		{"image/webp", 1600, 1067, news.Wide, "320x180.jpg 640x360.jpg 1200x675.jpg"},
		{"image/png", 500, 500, news.Wide, "320x180.png 500x281.png"},
		{"image/gif", 100, 50, news.Standard, "67x50.png"},
		{"image/png", 1, 1, news.Wide, "1x1.png"},
		{"image/png", 12000, 3, news.Square, "3x3.png"},
		{"image/tiff", 100, 50, news.Wide, ""},
		{"image/jpeg", 0, 50, news.Wide, ""},
	}
	for _, tt := range tests {
		m := news.Media{Hash: hash, Type: tt.typ, Width: tt.w, Height: tt.h}
		var got []string
		for _, v := range CropVariants(m, tt.a) {
			ext := v.Key[strings.LastIndex(v.Key, ".")+1:]
			got = append(got, fmt.Sprintf("%dx%d.%s", v.Width, v.Height, ext))
			want := fmt.Sprintf("cd/%s-%s-%s-%d.%s", hash, tt.a.Name(), cropPrint(m.Crop(tt.a)), v.Width, ext)
			if v.Key != want {
				t.Errorf("key %q, want %q", v.Key, want)
			}
			if !keyPattern.MatchString(v.Key) {
				t.Errorf("Open would refuse %q", v.Key)
			}
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("CropVariants(%s %d x %d, %v) = %q, want %q", tt.typ, tt.w, tt.h, tt.a, g, tt.want)
		}
	}
}

// TestCropVariantNamesFollowTheCrop: a crop that moves gets new keys, so
// no cache serves the old picture; one that does not keeps its keys.
func TestCropVariantNamesFollowTheCrop(t *testing.T) {
	m := news.Media{Hash: strings.Repeat("ef", 32), Type: "image/jpeg", Width: 1600, Height: 900}
	keys := func(m news.Media, a news.Aspect) []string {
		var out []string
		for _, v := range CropVariants(m, a) {
			out = append(out, v.Key)
		}
		return out
	}
	before := map[news.Aspect][]string{}
	for _, a := range news.Aspects {
		before[a] = keys(m, a)
	}
	moved := m
	moved.Framing.SetFocus(news.Point{X: 0.1, Y: 0.5})
	// The 16:9 crop of a 16:9 photo is the whole photo wherever the
	// focal point is; the others move with it.
	if got := keys(moved, news.Wide); !slices.Equal(got, before[news.Wide]) {
		t.Errorf("16:9 keys changed with a crop that did not: %v, was %v", got, before[news.Wide])
	}
	for _, a := range []news.Aspect{news.Standard, news.Square} {
		for i, k := range keys(moved, a) {
			if k == before[a][i] {
				t.Errorf("%v: key %q kept after the crop moved", a, k)
			}
		}
	}
	drawn := m
	drawn.Framing.SetCrop(news.Wide, news.Rect{X: 100, Y: 50, W: 1440, H: 810})
	for i, k := range keys(drawn, news.Wide) {
		if k == before[news.Wide][i] {
			t.Errorf("16:9: key %q kept after a crop was drawn", k)
		}
	}
}

func TestSourceRect(t *testing.T) {
	// A 6 × 4 picture stored, r in its upright form; each orientation's
	// mapping is checked pixel by pixel against orient.
	src := image.NewRGBA(image.Rect(0, 0, 6, 4))
	for i := range src.Pix {
		src.Pix[i] = uint8(i)
	}
	for o := 1; o <= 8; o++ {
		up := toRGBA(orient(src, o))
		r := news.Rect{X: 1, Y: 1, W: 2, H: 2}
		cut := toRGBA(orient(src.SubImage(sourceRect(r, 6, 4, o)), o))
		for y := range r.H {
			for x := range r.W {
				if got, want := cut.RGBAAt(x, y), up.RGBAAt(r.X+x, r.Y+y); got != want {
					t.Fatalf("orientation %d: pixel %d,%d of the crop is %v, want %v", o, x, y, got, want)
				}
			}
		}
	}
}

// TestPutCropsCutsWhereTheFramingSays decodes every crop copy and checks
// its size, its shape and which part of the picture it shows, for every
// EXIF orientation.
func TestPutCropsCutsWhereTheFramingSays(t *testing.T) {
	red, green := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255}
	blue, white := color.RGBA{0, 0, 255, 255}, color.RGBA{255, 255, 255, 255}
	tests := []struct {
		orientation       uint16
		topLeft, topRight color.RGBA
	}{
		{1, red, green}, {2, green, red}, {3, white, blue}, {4, blue, white},
		{5, red, blue}, {6, blue, red}, {7, white, green}, {8, green, white},
	}
	raw := encodeJPEG(t, quadrants(1600, 800))
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.orientation), func(t *testing.T) {
			s, _ := openStore(t)
			m, err := s.Put("side.jpg", jpegSegment(raw, 0xe1, exifPayload(tt.orientation, "x")), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				focus news.Point
				x     func(w int) int // where to look along the top
				want  color.RGBA
			}{
				{news.Point{X: 0, Y: 0}, func(w int) int { return w / 10 }, tt.topLeft},
				{news.Point{X: 1, Y: 0}, func(w int) int { return w - 1 - w/10 }, tt.topRight},
			} {
				f := m
				f.Framing.SetFocus(c.focus)
				if err := s.PutCrops(f); err != nil {
					t.Fatal(err)
				}
				for _, a := range news.Aspects {
					for _, v := range CropVariants(f, a) {
						_, img := readVariant(t, s, v)
						if d := v.Width*a.H - v.Height*a.W; abs(d) > max(a.W, a.H) {
							t.Errorf("%s is %d x %d, not %v", v.Key, v.Width, v.Height, a)
						}
						if px := img.At(c.x(v.Width), v.Height/20); !near(px, c.want, 40) {
							t.Errorf("%s (focus %v): %v at the top, want %v", v.Key, c.focus, px, c.want)
						}
					}
				}
			}
		})
	}
}

func TestPutMakesCentreCrops(t *testing.T) {
	s, dir := openStore(t)
	m, err := s.Put("a.png", encodePNG(t, quadrants(900, 300)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	want := len(Variants(m))
	for _, a := range news.Aspects {
		for _, v := range CropVariants(m, a) {
			readVariant(t, s, v)
			want++
		}
	}
	if got := len(files(t, dir, "public")); got != want {
		t.Errorf("%d public files, want %d", got, want)
	}
	// A 1:1 crop of the middle of a 3:1 picture shows its middle third:
	// the red and green quarters meet in it.
	sq := CropVariants(m, news.Square)
	_, img := readVariant(t, s, sq[len(sq)-1])
	if l, r := img.At(10, 10), img.At(img.Bounds().Dx()-10, 10); !near(l, color.RGBA{255, 0, 0, 255}, 10) || !near(r, color.RGBA{0, 255, 0, 255}, 10) {
		t.Errorf("centre square: %v at the left, %v at the right; want red and green", l, r)
	}
}

// TestHandlerMakingCrops: the copy of a current crop missing from disk (a
// photo put before crops existed) is made on the first request; a key of
// any other crop is a 404 and makes nothing.
func TestHandlerMakingCrops(t *testing.T) {
	s, dir := openStore(t)
	m, err := s.Put("a.jpg", encodeJPEG(t, gradient(1000, 700)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	m.Framing.SetFocus(news.Point{X: 0.9, Y: 0.2})
	current := CropVariants(m, news.Square)
	var old news.Media = m
	old.Framing = news.Framing{}
	stale := CropVariants(old, news.Square)
	for _, v := range stale {
		// Put made the centre's; they are removed to see none is made.
		os.Remove(filepath.Join(dir, "public", filepath.FromSlash(v.Key)))
	}
	finds := 0
	find := func(ctx context.Context, hash string) (news.Media, error) {
		finds++
		if hash != m.Hash {
			return news.Media{}, news.NotFound("no photo")
		}
		return m, nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", s.HandlerMaking(find))
	get := func(key string) int {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", "/media/"+key, nil))
		return w.Code
	}
	if code := get(current[0].Key); code != 200 {
		t.Fatalf("current crop: %d, want 200", code)
	}
	for _, a := range news.Aspects {
		for _, v := range CropVariants(m, a) {
			readVariant(t, s, v) // all of them, from one request
		}
	}
	if code := get(stale[len(stale)-1].Key); code != 404 {
		t.Errorf("a crop that is not current: %d, want 404", code)
	}
	if _, err := s.Open(stale[len(stale)-1].Key); err == nil {
		t.Error("a request made a crop that is not current")
	}
	other := strings.Repeat("0", 64)
	if code := get("00/" + other + "-1x1-00000000-320.jpg"); code != 404 {
		t.Errorf("a crop of an unknown photo: %d, want 404", code)
	}
	// Existing files and plain variants do not ask for the photo.
	finds = 0
	get(current[0].Key)
	get(Variants(m)[0].Key)
	if finds != 0 {
		t.Errorf("%d lookups for files that exist or are not crops", finds)
	}
	// The plain handler makes nothing.
	os.Remove(filepath.Join(dir, "public", filepath.FromSlash(current[0].Key)))
	plain := http.NewServeMux()
	plain.Handle("GET /media/{key...}", s.Handler())
	w := httptest.NewRecorder()
	plain.ServeHTTP(w, httptest.NewRequest("GET", "/media/"+current[0].Key, nil))
	if w.Code != 404 {
		t.Errorf("Handler on a missing crop: %d, want 404", w.Code)
	}
}
