package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
)

func openStore(t testing.TB) (*Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "media")
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// files lists the files under dir/sub, relative to dir.
func files(t testing.TB, dir, sub string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(filepath.Join(dir, sub), func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// readVariant opens a variant through the store and decodes it with the
// decoder its type names.
func readVariant(t *testing.T, s *Store, v Variant) ([]byte, image.Image) {
	t.Helper()
	f, err := s.Open(v.Key)
	if err != nil {
		t.Fatalf("Open(%q): %v", v.Key, err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := sniff(data); got != v.Type {
		t.Fatalf("%s is %q, want %q", v.Key, got, v.Type)
	}
	var img image.Image
	if v.Type == "image/jpeg" {
		img, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		t.Fatalf("decoding %s: %v", v.Key, err)
	}
	if got := img.Bounds().Size(); got != (image.Point{v.Width, v.Height}) {
		t.Errorf("%s is %v, want %d x %d", v.Key, got, v.Width, v.Height)
	}
	return data, img
}

func near(c color.Color, want color.RGBA, tol int) bool {
	r, g, b, _ := c.RGBA()
	d := func(x uint32, y uint8) bool { return abs(int(x>>8)-int(y)) <= tol }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

// mean is the average colour of img.
func mean(img image.Image) color.Color {
	var r, g, b, n uint64
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			r, g, b, n = r+uint64(cr), g+uint64(cg), b+uint64(cb), n+1
		}
	}
	return color.RGBA64{uint16(r / n), uint16(g / n), uint16(b / n), 0xffff}
}

func abs(x int) int { return max(x, -x) }

func TestPutRoundTrip(t *testing.T) {
	withAlpha := image.NewNRGBA(image.Rect(0, 0, 700, 300))
	for i := range withAlpha.Pix {
		withAlpha.Pix[i] = uint8(i % 251)
	}
	palette := color.Palette{color.RGBA{0, 0, 255, 255}, color.RGBA{255, 255, 0, 255}}
	paletted := image.NewPaletted(image.Rect(0, 0, 400, 200), palette)
	for i := range paletted.Pix {
		paletted.Pix[i] = uint8(i / 400 % 2)
	}
	deep := image.NewNRGBA64(image.Rect(0, 0, 900, 300))
	for i := range deep.Pix {
		deep.Pix[i] = 0x80
		if i%8 >= 6 {
			deep.Pix[i] = 0xff // opaque
		}
	}
	grey := image.NewGray(image.Rect(0, 0, 1700, 100))
	for i := range grey.Pix {
		grey.Pix[i] = 100
	}
	tests := []struct {
		name       string
		data       []byte
		typ        string
		w, h       int
		widths     []int
		mean       color.RGBA // of every variant, give or take
		meanTol    int
		variantTyp string
	}{
		{"jpeg", encodeJPEG(t, gradient(2000, 1000)), "image/jpeg", 2000, 1000,
			[]int{320, 640, 960, 1280, 1600}, color.RGBA{127, 127, 127, 0}, 3, "image/jpeg"},
		{"small jpeg", encodeJPEG(t, gradient(500, 250)), "image/jpeg", 500, 250,
			[]int{320, 500}, color.RGBA{127, 127, 127, 0}, 3, "image/jpeg"},
		{"png with alpha", encodePNG(t, withAlpha), "image/png", 700, 300,
			[]int{320, 640, 700}, color.RGBA{}, -1, "image/png"},
		{"16-bit png", encodePNG(t, deep), "image/png", 900, 300,
			[]int{320, 640, 900}, color.RGBA{128, 128, 128, 0}, 1, "image/png"},
		{"grey jpeg", encodeJPEG(t, grey), "image/jpeg", 1700, 100,
			[]int{320, 640, 960, 1280, 1600}, color.RGBA{100, 100, 100, 0}, 2, "image/jpeg"},
		{"gif", encodeGIF(t, paletted), "image/gif", 400, 200,
			[]int{320, 400}, color.RGBA{127, 127, 127, 0}, 3, "image/png"},
		{"webp", losslessWebP(1000, 400, color.NRGBA{30, 160, 90, 255}), "image/webp", 1000, 400,
			[]int{320, 640, 960, 1000}, color.RGBA{30, 160, 90, 0}, 6, "image/jpeg"},
		{"webp with alpha on white", losslessWebP(300, 300, color.NRGBA{255, 0, 0, 128}), "image/webp", 300, 300,
			[]int{300}, color.RGBA{255, 127, 127, 0}, 6, "image/jpeg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachStore(t, func(t *testing.T, s *Store) {
				m, err := s.Put("photo", tt.data, DefaultLimits())
				if err != nil {
					t.Fatal(err)
				}
				if m.Type != tt.typ || m.Width != tt.w || m.Height != tt.h || m.Size != int64(len(tt.data)) ||
					m.Name != "photo" || len(m.Hash) != 64 {
					t.Errorf("Put = %+v", m)
				}
				if orig := readObject(t, s, originalName(m)); !bytes.Equal(orig, tt.data) {
					t.Errorf("original not kept as uploaded")
				}
				vs := Variants(m)
				var widths []int
				for _, v := range vs {
					widths = append(widths, v.Width)
					if v.Type != tt.variantTyp {
						t.Errorf("%s: type %s, want %s", v.Key, v.Type, tt.variantTyp)
					}
					if want := v.Width * tt.h / tt.w; abs(v.Height-want) > 1 {
						t.Errorf("%s: height %d, want about %d", v.Key, v.Height, want)
					}
					_, img := readVariant(t, s, v)
					if c := mean(img); tt.meanTol >= 0 && !near(c, tt.mean, tt.meanTol) {
						t.Errorf("%s: mean colour %v, want about %v", v.Key, c, tt.mean)
					}
				}
				if !slices.Equal(widths, tt.widths) {
					t.Errorf("widths %v, want %v", widths, tt.widths)
				}
				// Put makes no crop copies (HandlerMaking and PutCrops do).
				if got := names(t, s, "public/"); len(got) != len(vs) {
					t.Errorf("public files %v, want %d", got, len(vs))
				}
				if err := s.PutCrops(m); err != nil {
					t.Fatal(err)
				}
				for _, a := range news.Aspects {
					for _, v := range CropVariants(m, a) {
						if v.Type != tt.variantTyp {
							t.Errorf("%s: type %s, want %s", v.Key, v.Type, tt.variantTyp)
						}
						readVariant(t, s, v)
					}
				}
			})
		})
	}
}

func TestPutDedup(t *testing.T) { eachStore(t, testPutDedup) }

func testPutDedup(t *testing.T, s *Store) {
	data := encodeJPEG(t, gradient(800, 600))
	a, err := s.Put("a.jpg", data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	public := names(t, s, "public/")
	b, err := s.Put("b.jpg", data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash != b.Hash || b.Name != "b.jpg" {
		t.Errorf("second Put = %+v, first %+v", b, a)
	}
	if got := names(t, s, "originals/"); len(got) != 1 {
		t.Errorf("originals = %v, want one", got)
	}
	if got := names(t, s, "public/"); !slices.Equal(got, public) {
		t.Errorf("public = %v, want %v", got, public)
	}

	// A variant lost, say to a crash between writes, is made again.
	vs := Variants(a)
	if err := s.blobs.Delete(context.Background(), "public/"+vs[1].Key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put("a.jpg", data, DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	readVariant(t, s, vs[1])
	if f, ok := s.blobs.(*Folder); ok {
		for _, name := range files(t, f.dir, "") {
			if strings.Contains(name, ".tmp-") {
				t.Errorf("temporary file left: %s", name)
			}
		}
	}
}

// TestPutConcurrent puts the same photo from several uploads at once: all
// succeed, with one original and whole variants.
func TestPutConcurrent(t *testing.T) { eachStore(t, testPutConcurrent) }

func testPutConcurrent(t *testing.T, s *Store) {
	data := encodeJPEG(t, gradient(700, 500))
	errs := make(chan error, 6)
	for range cap(errs) {
		go func() {
			_, err := s.Put("same.jpg", data, DefaultLimits())
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if got := names(t, s, "originals/"); len(got) != 1 {
		t.Errorf("originals = %v", got)
	}
	m, _ := s.Put("same.jpg", data, DefaultLimits())
	for _, v := range Variants(m) {
		readVariant(t, s, v)
	}
	if got, want := len(names(t, s, "public/")), len(Variants(m)); got != want {
		t.Errorf("%d public files, want %d", got, want)
	}
}

func TestPutRefuses(t *testing.T) {
	jpg := encodeJPEG(t, gradient(100, 100))
	tests := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"html named .jpg", "cat.jpg", []byte("<html><script>alert(1)</script></html>"),
			`"cat.jpg" is not a JPEG, PNG, GIF or WebP image (it looks like HTML)`},
		{"truncated", "cut.jpg", jpg[:len(jpg)-200], `"cut.jpg" is damaged`},
		{"no name", "", nil, "The file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachStore(t, func(t *testing.T, s *Store) {
				_, err := s.Put(tt.file, tt.data, DefaultLimits())
				if news.ErrorCode(err) != news.EINVALID || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Put = %v, want EINVALID %q", err, tt.want)
				}
				if got := names(t, s, ""); len(got) != 0 {
					t.Errorf("files written: %v", got)
				}
			})
		})
	}
}

// TestPutPolyglot stores GIFs that carry a script, in a comment and after
// their end: the original keeps it, the public variant must not.
func TestPutPolyglot(t *testing.T) {
	const script = "<script>alert('polyglot')</script>"
	img := image.NewPaletted(image.Rect(0, 0, 40, 40), color.Palette{color.Black, color.White})
	clean := encodeGIF(t, img)
	// A comment extension goes after the screen descriptor and global
	// colour table, if any.
	at := 13
	if clean[10]&0x80 != 0 {
		at += 3 << (clean[10]&7 + 1)
	}
	comment := append([]byte{0x21, 0xfe, byte(len(script))}, script...)
	comment = append(comment, 0)
	inComment := slices.Concat(clean[:at], comment, clean[at:])
	trailing := slices.Concat(clean, []byte(script))

	for name, data := range map[string][]byte{"comment": inComment, "trailing": trailing} {
		t.Run(name, func(t *testing.T) {
			s, _ := openStore(t)
			m, err := s.Put("x.gif", data, DefaultLimits())
			if err != nil {
				t.Logf("refused: %v", err)
				return
			}
			orig := readObject(t, s, originalName(m))
			if !bytes.Contains(orig, []byte(script)) {
				t.Fatal("the test's script is not in the original")
			}
			for _, v := range Variants(m) {
				b, _ := readVariant(t, s, v)
				if bytes.Contains(b, []byte("script")) || bytes.Contains(b, []byte("polyglot")) {
					t.Errorf("%s carries the script", v.Key)
				}
			}
		})
	}
}

// TestPutStripsMetadata puts a JPEG with EXIF (a GPS position and a
// description), XMP and a comment, all carrying a marker: the original keeps
// them, no variant may.
func TestPutStripsMetadata(t *testing.T) {
	const marker = "SECRET-SOURCE-48.8566N-2.3522E"
	data := encodeJPEG(t, gradient(2000, 1200))
	data = jpegSegment(data, 0xfe, []byte("comment: "+marker))
	data = jpegSegment(data, 0xe1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>"+marker+"</x:xmpmeta>"))
	data = jpegSegment(data, 0xe1, exifPayload(1, marker))
	if !bytes.Contains(data, []byte("GPS")) && !bytes.Contains(data, []byte{0x25, 0x88}) {
		t.Fatal("no GPS tag in the test file")
	}
	eachStore(t, func(t *testing.T, s *Store) {
		m, err := s.Put("leak.jpg", data, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		orig := readObject(t, s, originalName(m))
		if !bytes.Contains(orig, []byte(marker)) {
			t.Fatal("the original lost its EXIF: it must be kept as uploaded")
		}
		vs := Variants(m)
		if len(vs) != 5 {
			t.Fatalf("%d variants", len(vs))
		}
		for _, v := range vs {
			b, _ := readVariant(t, s, v)
			for _, bad := range []string{marker, "Exif", "GPS", "xmpmeta", "comment"} {
				if bytes.Contains(b, []byte(bad)) {
					t.Errorf("%s contains %q", v.Key, bad)
				}
			}
		}
		for _, name := range names(t, s, "public/") {
			if bytes.Contains(readObject(t, s, name), []byte(marker)) {
				t.Errorf("%s contains the marker", name)
			}
		}
	})
}

// TestPutOrientation puts a picture held sideways: the variants must show
// it upright, since the EXIF that said so is gone.
func TestPutOrientation(t *testing.T) {
	red, green := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255}
	blue, white := color.RGBA{0, 0, 255, 255}, color.RGBA{255, 255, 255, 255}
	tests := []struct {
		orientation       uint16
		topLeft, topRight color.RGBA
	}{
		{1, red, green},
		{2, green, red},
		{3, white, blue},
		{4, blue, white},
		{5, red, blue},
		{6, blue, red},
		{7, white, green},
		{8, green, white},
	}
	for _, size := range []image.Point{{80, 40}, {800, 400}} {
		raw := encodeJPEG(t, quadrants(size.X, size.Y))
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%v/%d", size, tt.orientation), func(t *testing.T) {
				s, _ := openStore(t)
				m, err := s.Put("side.jpg", jpegSegment(raw, 0xe1, exifPayload(tt.orientation, "x")), DefaultLimits())
				if err != nil {
					t.Fatal(err)
				}
				w, h := size.X, size.Y
				if tt.orientation >= 5 {
					w, h = h, w
				}
				if m.Width != w || m.Height != h {
					t.Errorf("Put says %d x %d, want %d x %d", m.Width, m.Height, w, h)
				}
				for _, v := range Variants(m) {
					_, img := readVariant(t, s, v)
					inset := v.Width / 10
					if c := img.At(inset, inset); !near(c, tt.topLeft, 30) {
						t.Errorf("%d wide: top left %v, want %v", v.Width, c, tt.topLeft)
					}
					if c := img.At(v.Width-1-inset, inset); !near(c, tt.topRight, 30) {
						t.Errorf("%d wide: top right %v, want %v", v.Width, c, tt.topRight)
					}
				}
			})
		}
	}
}

func TestVariants(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	tests := []struct {
		typ  string
		w, h int
		want string // width x height.ext, ...
	}{
		{"image/jpeg", 4000, 3000, "320x240.jpg 640x480.jpg 960x720.jpg 1280x960.jpg 1600x1200.jpg"},
		{"image/jpeg", 1600, 900, "320x180.jpg 640x360.jpg 960x540.jpg 1280x720.jpg 1600x900.jpg"},
		{"image/webp", 1000, 333, "320x107.jpg 640x213.jpg 960x320.jpg 1000x333.jpg"},
		{"image/png", 320, 200, "320x200.png"},
		{"image/gif", 100, 50, "100x50.png"},
		{"image/png", 12000, 3, "320x1.png 640x1.png 960x1.png 1280x1.png 1600x1.png"},
		{"image/png", 5, 12000, "5x12000.png"},
		{"image/tiff", 100, 50, ""},
		{"image/jpeg", 0, 50, ""},
	}
	for _, tt := range tests {
		m := news.Media{Hash: hash, Type: tt.typ, Width: tt.w, Height: tt.h}
		var got []string
		for _, v := range Variants(m) {
			ext := strings.TrimPrefix(v.Key[strings.LastIndex(v.Key, "."):], ".")
			got = append(got, fmt.Sprintf("%dx%d.%s", v.Width, v.Height, ext))
			if want := fmt.Sprintf("ab/%s-%d.%s", hash, v.Width, ext); v.Key != want {
				t.Errorf("key %q, want %q", v.Key, want)
			}
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("Variants(%s %d x %d) = %q, want %q", tt.typ, tt.w, tt.h, g, tt.want)
		}
	}
	if vs := Variants(news.Media{Hash: "../../etc", Type: "image/png", Width: 10, Height: 10}); vs != nil {
		t.Errorf("Variants with a bad hash = %v", vs)
	}
}

func TestOpenRefuses(t *testing.T) { eachStore(t, testOpenRefuses) }

func testOpenRefuses(t *testing.T, s *Store) {
	m, err := s.Put("a.png", encodePNG(t, gradient(400, 200)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	good := Variants(m)[0].Key
	h := m.Hash
	if f, err := s.Open(good); err != nil {
		t.Fatalf("Open(%q): %v", good, err)
	} else {
		f.Close()
	}
	// A file that is not a variant, where a careless pattern could reach it.
	if err := s.blobs.Put(context.Background(), "public/x", []byte("x")); err != nil {
		t.Fatal(err)
	}
	tests := []string{
		"",
		"../x",
		"x",
		"/etc/passwd",
		"originals/" + h[:2] + "/" + h + ".png",
		"../originals/" + h[:2] + "/" + h + ".png",
		h[:2] + "/" + h + ".png",
		h[:2] + "/" + h + "-400.gif",
		h[:2] + "/" + h + "-0400.png",
		h[:2] + "/" + h + "--400.png",
		h[:2] + "/" + h + "-400.png/",
		h[:2] + "/" + h + "-400.png\x00",
		h[:2] + "/" + h + "-400.PNG",
		h[:2] + "/../" + h[:2] + "/" + h + "-400.png",
		"./" + h[:2] + "/" + h + "-400.png",
		strings.ToUpper(h[:2]) + "/" + strings.ToUpper(h) + "-400.png",
		"zz/" + h + "-400.png",
		h[:2] + "/" + h[:63] + "-400.png",
		h[:2] + "/" + h + "0-400.png",
		h[:2] + "/" + h + "-500.png", // the right form, but no such variant
		h[:2] + "\\" + h + "-400.png",
		"public/" + good,
	}
	for _, key := range tests {
		f, err := s.Open(key)
		if err == nil {
			f.Close()
			t.Errorf("Open(%q) opened a file", key)
		} else if news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("Open(%q) = %v, want ENOTFOUND", key, err)
		}
	}
}

func TestHandler(t *testing.T) { eachStore(t, testHandler) }

func testHandler(t *testing.T, s *Store) {
	m, err := s.Put("a.jpg", encodeJPEG(t, gradient(700, 350)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	key := Variants(m)[1].Key
	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", s.Handler())

	tests := []struct {
		method, path string
		header       map[string]string
		status       int
		body         bool
	}{
		{"GET", "/media/" + key, nil, 200, true},
		{"HEAD", "/media/" + key, nil, 200, false},
		{"GET", "/media/" + key, map[string]string{"If-None-Match": `"` + strings.TrimSuffix(key[3:], ".jpg") + `"`}, 304, false},
		{"GET", "/media/" + key, map[string]string{"Range": "bytes=0-9"}, 206, true},
		{"GET", "/media/" + strings.Replace(key, "-640", "-999", 1), nil, 404, false},
		{"GET", "/media/" + m.Hash[:2] + "/" + m.Hash + ".jpg", nil, 404, false},
		{"GET", "/media/originals/" + m.Hash[:2] + "/" + m.Hash + ".jpg", nil, 404, false},
		{"GET", "/media/x", nil, 404, false},
		{"GET", "/media/", nil, 404, false},
		{"POST", "/media/" + key, nil, 405, false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, nil)
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			h := w.Header()
			if tt.status >= 400 {
				if strings.Contains(h.Get("Cache-Control"), "immutable") {
					t.Error("an error is cached for a year")
				}
				return
			}
			for k, want := range map[string]string{
				"Cache-Control":          "public, max-age=31536000, immutable",
				"X-Content-Type-Options": "nosniff",
			} {
				if got := h.Get(k); got != want {
					t.Errorf("%s: %q, want %q", k, got, want)
				}
			}
			if tt.status == 200 {
				if got := h.Get("Content-Type"); got != "image/jpeg" {
					t.Errorf("Content-Type: %q", got)
				}
				if h.Get("Content-Length") == "" {
					t.Error("no Content-Length")
				}
			}
			if got := w.Body.Len() > 0; got != tt.body {
				t.Errorf("body of %d bytes", w.Body.Len())
			}
			if tt.status == 200 && tt.body {
				if _, err := jpeg.Decode(w.Body); err != nil {
					t.Error(err)
				}
			}
		})
	}

	// Method check without a mux pattern to filter first.
	w := httptest.NewRecorder()
	r := httptest.NewRequest("DELETE", "/media/"+key, nil)
	r.SetPathValue("key", key)
	s.Handler().ServeHTTP(w, r)
	if w.Code != 405 || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("DELETE: %d %v", w.Code, w.Header())
	}
}

func TestOpenStoreCreatesFolders(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, sub := range []string{"originals", "public"} {
		if fi, err := os.Stat(filepath.Join(dir, sub)); err != nil || !fi.IsDir() {
			t.Errorf("%s: %v", sub, err)
		}
	}
}

// BenchmarkPut stores a 1600 × 900 JPEG, the commonest size from the
// newsroom: check, hash, original, five variants, each synced.
func BenchmarkPut(b *testing.B) {
	s, _ := openStore(b)
	img := gradient(1600, 900)
	for i := range img.Pix {
		img.Pix[i] ^= uint8(i * 7 % 13) // some noise, as in a photo
	}
	data := jpegSegment(encodeJPEG(b, img), 0xfe, []byte("n=00000000"))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		// A different comment each time, so that dedup does not skip the work.
		n++
		copy(data[6:], fmt.Sprintf("n=%08d", n))
		if _, err := s.Put("bench.jpg", data, DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}
