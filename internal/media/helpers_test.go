package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"slices"
	"testing"
)

// Images are made here, in the tests, rather than kept as binary fixtures.

// gradient is a w × h picture with some detail in it, opaque.
func gradient(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetRGBA(x, y, color.RGBA{uint8(255 * x / w), uint8(255 * y / h), uint8(255 * (x + y) / (w + h)), 0xff})
		}
	}
	return m
}

// quadrants is a w × h picture whose quarters are red, green (top), blue,
// white (bottom), to see which way it ends up turned.
func quadrants(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := [2][2]color.RGBA{
				{{255, 0, 0, 255}, {0, 255, 0, 255}},
				{{0, 0, 255, 255}, {255, 255, 255, 255}},
			}[2*y/h][2*x/w]
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeGIF(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// losslessWebP builds, bit by bit, a lossless WebP (VP8L) of one colour:
// no transforms, and a one-symbol prefix code per channel, so the pixels
// themselves take no bits.
func losslessWebP(w, h int, c color.NRGBA) []byte {
	var bw bitWriter
	bw.buf = append(bw.buf, 0x2f)
	bw.write(uint64(w-1), 14)
	bw.write(uint64(h-1), 14)
	alpha := uint64(0)
	if c.A != 0xff {
		alpha = 1
	}
	bw.write(alpha, 1)
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	for _, v := range []uint8{c.G, c.R, c.B, c.A} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // of 8 bits
		bw.write(uint64(v), 8)
	}
	bw.write(1, 1) // distance: simple code
	bw.write(0, 1) // one symbol
	bw.write(0, 1) // of 1 bit
	bw.write(0, 1) // 0
	return riff("VP8L", bw.bytes())
}

// riff wraps one chunk in a WebP file.
func riff(fourcc string, payload []byte) []byte {
	chunk := []byte(fourcc)
	chunk = binary.LittleEndian.AppendUint32(chunk, uint32(len(payload)))
	chunk = append(chunk, payload...)
	if len(payload)%2 == 1 {
		chunk = append(chunk, 0)
	}
	out := []byte("RIFF")
	out = binary.LittleEndian.AppendUint32(out, uint32(4+len(chunk)))
	out = append(out, "WEBP"...)
	return append(out, chunk...)
}

type bitWriter struct {
	buf []byte
	acc uint64
	n   uint
}

func (b *bitWriter) write(v uint64, bits uint) {
	b.acc |= v << b.n
	b.n += bits
	for b.n >= 8 {
		b.buf = append(b.buf, byte(b.acc))
		b.acc >>= 8
		b.n -= 8
	}
}

func (b *bitWriter) bytes() []byte {
	if b.n > 0 {
		return append(b.buf, byte(b.acc))
	}
	return b.buf
}

// pngHeader is a PNG that is only a header claiming w × h RGBA pixels, with
// correct checksums, and no pixels.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	out := []byte("\x89PNG\r\n\x1a\n")
	out = pngChunk(out, "IHDR", ihdr)
	return pngChunk(out, "IEND", nil)
}

// pngHeaderAndData is pngHeader with a first IDAT chunk, so that a decoder
// that trusted the header would set about allocating its pixels.
func pngHeaderAndData(w, h uint32) []byte {
	head := pngHeader(w, h)
	iend := head[len(head)-12:]
	idat := pngChunk(nil, "IDAT", []byte{0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01})
	return slices.Concat(head[:len(head)-12], idat, iend)
}

func pngChunk(out []byte, typ string, data []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}

// jpegSegment returns a JPEG with one more segment right after SOI.
func jpegSegment(jpg []byte, marker byte, payload []byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, 0xff, marker)
	out = binary.BigEndian.AppendUint16(out, uint16(len(payload)+2))
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// exifPayload is an APP1 Exif payload with an orientation, a GPS position
// and a description (where a camera or an editor leaves words).
func exifPayload(orientation uint16, description string) []byte {
	le := binary.LittleEndian
	desc := append([]byte(description), 0)
	// TIFF header, then IFD0 at 8 with 3 entries, then the GPS IFD, then the
	// description's text.
	const ifd0 = 8
	gpsIFD := ifd0 + 2 + 3*12 + 4
	text := gpsIFD + 2 + 2*12 + 4
	t := []byte("II")
	t = le.AppendUint16(t, 42)
	t = le.AppendUint32(t, ifd0)
	t = le.AppendUint16(t, 3)
	entry := func(tag, typ uint16, count, value uint32) {
		t = le.AppendUint16(t, tag)
		t = le.AppendUint16(t, typ)
		t = le.AppendUint32(t, count)
		t = le.AppendUint32(t, value)
	}
	entry(0x010e, 2, uint32(len(desc)), uint32(text)) // ImageDescription
	entry(0x0112, 3, 1, uint32(orientation))          // Orientation
	entry(0x8825, 4, 1, uint32(gpsIFD))               // GPSInfo
	t = le.AppendUint32(t, 0)
	t = le.AppendUint16(t, 2)
	entry(0x0001, 2, 2, uint32('N')) // GPSLatitudeRef
	entry(0x0003, 2, 2, uint32('E')) // GPSLongitudeRef
	t = le.AppendUint32(t, 0)
	t = append(t, desc...)
	return append([]byte("Exif\x00\x00"), t...)
}

// beforeSOS returns a JPEG with extra inserted just before its first scan.
func beforeSOS(t testing.TB, jpg, extra []byte) []byte {
	t.Helper()
	for i := 2; i+4 <= len(jpg); {
		if jpg[i] != 0xff {
			t.Fatal("no segment at", i)
		}
		if jpg[i+1] == 0xda {
			out := append([]byte{}, jpg[:i]...)
			out = append(out, extra...)
			return append(out, jpg[i:]...)
		}
		i += 2 + int(binary.BigEndian.Uint16(jpg[i+2:]))
	}
	t.Fatal("no SOS")
	return nil
}
