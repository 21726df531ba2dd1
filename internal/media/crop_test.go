package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

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

// TestPutMakesNoCropCopies: Put writes the photo's variants only, so an
// upload or an import costs no crop; PutCrops then makes the centre's
// crops, cut from the middle.
func TestPutMakesNoCropCopies(t *testing.T) { eachStore(t, testPutMakesNoCropCopies) }

func testPutMakesNoCropCopies(t *testing.T, s *Store) {
	m, err := s.Put("a.png", encodePNG(t, quadrants(900, 300)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	want := len(Variants(m))
	if got := names(t, s, "public/"); len(got) != want {
		t.Fatalf("Put wrote public files %v, want only its %d variants", got, want)
	}
	if n := s.decodes.Load(); n != 0 {
		t.Errorf("Put decoded the original %d times for crops", n)
	}
	if err := s.PutCrops(m); err != nil {
		t.Fatal(err)
	}
	for _, a := range news.Aspects {
		for _, v := range CropVariants(m, a) {
			readVariant(t, s, v)
			want++
		}
	}
	if got := len(names(t, s, "public/")); got != want {
		t.Errorf("%d public files, want %d", got, want)
	}
	if n := s.decodes.Load(); n != 1 {
		t.Errorf("PutCrops decoded the original %d times, want once for every shape", n)
	}
	// A 1:1 crop of the middle of a 3:1 picture shows its middle third:
	// the red and green quarters meet in it.
	sq := CropVariants(m, news.Square)
	_, img := readVariant(t, s, sq[len(sq)-1])
	if l, r := img.At(10, 10), img.At(img.Bounds().Dx()-10, 10); !near(l, color.RGBA{255, 0, 0, 255}, 10) || !near(r, color.RGBA{0, 255, 0, 255}, 10) {
		t.Errorf("centre square: %v at the left, %v at the right; want red and green", l, r)
	}
}

// TestWholeCropCopiesTheVariant: the 16:9 crop of a 16:9 photo is the whole
// photo, and its copies at the variants' widths are the variants' bytes,
// not made again; the width no variant has is made, and decodes.
func TestWholeCropCopiesTheVariant(t *testing.T) { eachStore(t, testWholeCropCopiesTheVariant) }

func testWholeCropCopiesTheVariant(t *testing.T, s *Store) {
	m, err := s.Put("wide.jpg", encodeJPEG(t, gradient(1600, 900)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	// Each variant is replaced by a picture of its size that the photo
	// would never make, so a copy made again would differ from it.
	plain := map[int][]byte{}
	for _, v := range Variants(m) {
		plain[v.Width] = encodeJPEG(t, quadrants(v.Width, v.Height))
		replaceObject(t, s, "public/"+v.Key, plain[v.Width])
	}
	copied := 0
	for _, v := range CropVariants(m, news.Wide) {
		if _, ok := plain[v.Width]; ok {
			copied++
		}
	}
	if copied == 0 {
		t.Fatal("no crop width is a variant's: the test shows nothing")
	}
	if err := s.PutCrops(m); err != nil {
		t.Fatal(err)
	}
	for _, v := range CropVariants(m, news.Wide) {
		data, _ := readVariant(t, s, v)
		if p, ok := plain[v.Width]; ok && !bytes.Equal(data, p) {
			t.Errorf("%s is not the %d-wide variant's bytes", v.Key, v.Width)
		}
	}
}

// TestHandlerMakingCrops: the copy of a current crop missing from disk
// (Put makes none) is made on the first request, with the photo's other
// crop copies from the same decode; a key of any other crop is a 404 and makes nothing.
func TestHandlerMakingCrops(t *testing.T) { eachStore(t, testHandlerMakingCrops) }

func testHandlerMakingCrops(t *testing.T, s *Store) {
	m, err := s.Put("a.jpg", encodeJPEG(t, gradient(1000, 700)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	m.Framing.SetFocus(news.Point{X: 0.9, Y: 0.2})
	current := CropVariants(m, news.Square)
	var old news.Media = m
	old.Framing = news.Framing{}
	stale := CropVariants(old, news.Square)
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
	if d := s.decodes.Load(); d != 1 {
		t.Errorf("one request decoded the original %d times, want once", d)
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
	if err := s.blobs.Delete(context.Background(), "public/"+current[0].Key); err != nil {
		t.Fatal(err)
	}
	plain := http.NewServeMux()
	plain.Handle("GET /media/{key...}", s.Handler())
	w := httptest.NewRecorder()
	plain.ServeHTTP(w, httptest.NewRequest("GET", "/media/"+current[0].Key, nil))
	if w.Code != 404 {
		t.Errorf("Handler on a missing crop: %d, want 404", w.Code)
	}
}

// TestHandlerMakingOnce: requests that arrive together for a missing copy
// (a page's first readers, a CDN's edges) make it once: one decode, and
// every request gets the same whole file.
func TestHandlerMakingOnce(t *testing.T) { eachStore(t, testHandlerMakingOnce) }

func testHandlerMakingOnce(t *testing.T, s *Store) {
	m, err := s.Put("a.jpg", encodeJPEG(t, gradient(1000, 700)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	// Every request has looked the photo up, and so seen the copy
	// missing, before any goes on to make it.
	var arrived sync.WaitGroup
	arrived.Add(n)
	find := func(ctx context.Context, hash string) (news.Media, error) {
		arrived.Done()
		arrived.Wait()
		return m, nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", s.HandlerMaking(find))
	key := CropVariants(m, news.Wide)[0].Key
	bodies := make([][]byte, n)
	codes := make([]int, n)
	var done sync.WaitGroup
	for i := range n {
		done.Go(func() {
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, httptest.NewRequest("GET", "/media/"+key, nil))
			codes[i], bodies[i] = w.Code, w.Body.Bytes()
		})
	}
	done.Wait()
	for i := range n {
		if codes[i] != 200 || !bytes.Equal(bodies[i], bodies[0]) || len(bodies[0]) == 0 {
			t.Errorf("request %d: %d, %d bytes; want 200 and the same %d bytes as the first", i, codes[i], len(bodies[i]), len(bodies[0]))
		}
	}
	if d := s.decodes.Load(); d != 1 {
		t.Errorf("%d requests together decoded the original %d times, want once", n, d)
	}
}

// TestHandlerMakingRefusesWhenBusy: with maxMaking photos' copies waiting
// to be made, a request for another is answered 503 with Retry-After and
// no-store, at once, rather than queued; a Patient request (the export's)
// waits its turn instead; once the work is done, the refused address is
// served.
func TestHandlerMakingRefusesWhenBusy(t *testing.T) {
	s, _ := openStore(t)
	s.maxMaking = 2
	var photos []news.Media
	for i := range 4 {
		m, err := s.Put("a.png", encodePNG(t, quadrants(400+2*i, 300)), DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		photos = append(photos, m)
	}
	find := func(ctx context.Context, hash string) (news.Media, error) {
		for _, m := range photos {
			if m.Hash == hash {
				return m, nil
			}
		}
		return news.Media{}, news.NotFound("no photo")
	}
	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", s.HandlerMaking(find))
	get := func(ctx context.Context, m news.Media) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", "/media/"+CropVariants(m, news.Square)[0].Key, nil).WithContext(ctx))
		return w
	}
	// Both decode slots are taken (two uploads, say): the first two
	// requests wait for one.
	for range maxPuts {
		s.puts <- struct{}{}
	}
	waiting := make(chan *httptest.ResponseRecorder, 3)
	for _, m := range photos[:2] {
		go func() { waiting <- get(context.Background(), m) }()
	}
	waitFor := func(want int) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			s.making.Lock()
			n := len(s.flights)
			s.making.Unlock()
			if n == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d requests waiting, want %d", n, want)
			}
		}
	}
	waitFor(2)
	refused := make(chan *httptest.ResponseRecorder, 1)
	go func() { refused <- get(context.Background(), photos[2]) }()
	var w *httptest.ResponseRecorder
	select {
	case w = <-refused:
	case <-time.After(30 * time.Second):
		t.Fatal("a request beyond the limit waits, unanswered")
	}
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("a request beyond the limit: %d, Retry-After %q, Cache-Control %q; want 503, a Retry-After and no-store",
			w.Code, w.Header().Get("Retry-After"), w.Header().Get("Cache-Control"))
	}
	go func() { waiting <- get(Patient(context.Background()), photos[3]) }()
	waitFor(3) // not refused: waiting beside the others
	for range maxPuts {
		<-s.puts
	}
	for range 3 {
		if w := <-waiting; w.Code != 200 {
			t.Errorf("a request that waited: %d, want 200", w.Code)
		}
	}
	if w := get(context.Background(), photos[2]); w.Code != 200 {
		t.Errorf("the refused address once the server is free: %d, want 200", w.Code)
	}
}

// BenchmarkPutCrops makes the nine crop copies of an 1800 x 1200 (3:2,
// a camera's) JPEG, as the first request for one of them does: one
// decode, each shape's copies made from its largest. The focal point
// moves each time, so every shape's crop moves and nothing is reused.
func BenchmarkPutCrops(b *testing.B) {
	s, _ := openStore(b)
	img := gradient(1800, 1200)
	for i := range img.Pix {
		img.Pix[i] ^= uint8(i * 7 % 13)
	}
	m, err := s.Put("bench.jpg", encodeJPEG(b, img), DefaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		n++
		f := m
		f.Framing.SetFocus(news.Point{X: float64(n%97) / 97, Y: float64(n%89) / 89})
		if err := s.PutCrops(f); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPutLaterMakesVariantsOnRequest: PutLater keeps the original and no
// variant; the first request for a variant makes them all from one
// decode, byte for byte what Put makes; an original that cannot be
// decoded (PutLater reads headers only) leaves its variants 404.
func TestPutLaterMakesVariantsOnRequest(t *testing.T) {
	eachStore(t, testPutLaterMakesVariantsOnRequest)
}

func testPutLaterMakesVariantsOnRequest(t *testing.T, s *Store) {
	data := encodeJPEG(t, gradient(1000, 700))
	m, err := s.PutLater("a.jpg", data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	vs := Variants(m)
	if len(vs) < 2 || m.Width != 1000 || m.Height != 700 {
		t.Fatalf("media %+v, variants %v", m, vs)
	}
	for _, v := range vs {
		if _, err := s.Open(v.Key); err == nil {
			t.Fatalf("PutLater made the variant %s", v.Key)
		}
	}
	// Damaged past its header: accepted now, found out on request.
	broken := append([]byte(nil), data[:len(data)/2]...)
	bm, err := s.PutLater("broken.jpg", broken, DefaultLimits())
	if err != nil {
		t.Fatalf("PutLater of a cut JPEG: %v", err)
	}
	find := func(ctx context.Context, hash string) (news.Media, error) {
		switch hash {
		case m.Hash:
			return m, nil
		case bm.Hash:
			return bm, nil
		}
		return news.Media{}, news.NotFound("no photo")
	}
	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", s.HandlerMaking(find))
	get := func(key string) int {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", "/media/"+key, nil))
		return w.Code
	}
	if code := get(vs[1].Key); code != 200 {
		t.Fatalf("a variant of a photo put later: %d, want 200", code)
	}
	if d := s.decodes.Load(); d != 1 {
		t.Errorf("decoded %d times, want once", d)
	}
	ref, _ := openStore(t)
	if _, err := ref.Put("a.jpg", data, DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		got, _ := readVariant(t, s, v)
		want, _ := readVariant(t, ref, v)
		if !bytes.Equal(got, want) {
			t.Errorf("variant %s differs from Put's", v.Key)
		}
	}
	if code := get(Variants(bm)[0].Key); code != 404 {
		t.Errorf("a variant of a damaged original: %d, want 404", code)
	}
}
