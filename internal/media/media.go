// Package media checks uploaded and imported images and keeps them: the
// original, byte for byte and private, and public variants re-encoded from
// the pixels alone, so that nothing a camera or an editor left in the file
// (EXIF, a GPS position, XMP, comments, a script) reaches a reader.
//
// A hostile file is refused from its header, before its pixels cost memory:
// the type comes from the content, never the name, and the size the header
// claims is checked against Limits before anything is decoded.
package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The media types of the images accepted.
const (
	typeJPEG = "image/jpeg"
	typePNG  = "image/png"
	typeGIF  = "image/gif"
	typeWebP = "image/webp"
)

// maxJPEGScans bounds the scans of a progressive JPEG. Each scan walks every
// block of the image, so a small file of many near-empty scans could keep a
// CPU busy for minutes; cameras and encoders write at most a dozen or so.
const maxJPEGScans = 100

// Limits bound what is accepted. A zero field means the default.
type Limits struct {
	MaxBytes  int64 // size of the file
	MaxPixels int64 // width × height
	MaxSide   int   // width, and height, in pixels
}

// DefaultLimits returns the limits for photos from cameras, phones and
// agencies: 20 MiB, 50 megapixels, 12000 pixels on a side.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 20 << 20, MaxPixels: 50_000_000, MaxSide: 12000}
}

func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = d.MaxPixels
	}
	if l.MaxSide <= 0 {
		l.MaxSide = d.MaxSide
	}
	return l
}

// Info is what Check learns about an image.
type Info struct {
	Type          string // "image/jpeg", "image/png", "image/gif" or "image/webp"
	Width, Height int    // as stored, before any EXIF orientation is applied
}

// Check inspects an image's bytes: the type from the content (magic bytes),
// never from a file name; JPEG, PNG, GIF and WebP only; width and height
// from the header, checked against lim before any full decode; then a full
// decode to prove the file is intact.
//
// Errors are *news.Error with Code news.EINVALID and a message that follows
// the file's name, such as "is damaged: it ends too soon".
func Check(data []byte, lim Limits) (Info, error) {
	d, err := check(data, lim)
	return d.Info, err
}

// decoded is a checked image with its pixels.
type decoded struct {
	Info
	img         image.Image // bounds (0, 0)-(Width, Height)
	orientation int         // EXIF orientation, 1 to 8; 1 when there is none
}

func check(data []byte, lim Limits) (decoded, error) { return checkImage(data, lim, true) }

// checkImage is check; without full, it reads the header only (type,
// size, pixel limits, a JPEG's scans and orientation) and decodes no
// pixels: the returned image is nil.
func checkImage(data []byte, lim Limits, full bool) (decoded, error) {
	lim = lim.orDefault()
	if len(data) == 0 {
		return decoded{}, invalid("is empty")
	}
	if int64(len(data)) > lim.MaxBytes {
		return decoded{}, invalid("is %s; the limit is %s", formatBytes(int64(len(data))), formatBytes(lim.MaxBytes))
	}
	typ := sniff(data)
	if typ == "" {
		if like := lookalike(data); like != "" {
			return decoded{}, invalid("is not a JPEG, PNG, GIF or WebP image (it looks like %s)", like)
		}
		return decoded{}, invalid("is not a JPEG, PNG, GIF or WebP image")
	}
	var (
		decodeConfig func(io.Reader) (image.Config, error)
		decode       func(io.Reader) (image.Image, error)
	)
	switch typ {
	case typeJPEG:
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	case typePNG:
		decodeConfig, decode = png.DecodeConfig, png.Decode
	case typeGIF:
		decodeConfig, decode = gif.DecodeConfig, gif.Decode
	case typeWebP:
		decodeConfig, decode = webp.DecodeConfig, webp.Decode
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return decoded{}, damaged(typ, err)
	}
	w, h := cfg.Width, cfg.Height
	switch {
	case w <= 0 || h <= 0:
		return decoded{}, invalid("has no pixels (its header says %d x %d)", w, h)
	case int64(w)*int64(h) > lim.MaxPixels:
		return decoded{}, invalid("is %d x %d pixels; the limit is %s megapixels", w, h,
			strconv.FormatFloat(float64(lim.MaxPixels)/1e6, 'f', -1, 64))
	case w > lim.MaxSide || h > lim.MaxSide:
		return decoded{}, invalid("is %d x %d pixels; the limit is %d pixels on a side", w, h, lim.MaxSide)
	}
	orientation := 1
	switch typ {
	case typeJPEG:
		var scans int
		scans, orientation = jpegMeta(data)
		if scans > maxJPEGScans {
			return decoded{}, invalid("is a JPEG of %d scans; the limit is %d (save it again from a photo editor)", scans, maxJPEGScans)
		}
	case typeWebP:
		if animatedWebP(data) {
			return decoded{}, invalid("is an animated WebP; only still images are accepted")
		}
	}
	if !full {
		return decoded{Info: Info{Type: typ, Width: w, Height: h}, orientation: orientation}, nil
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return decoded{}, damaged(typ, err)
	}
	want := image.Rect(0, 0, w, h)
	if b := img.Bounds(); b != want {
		// A GIF's first frame may cover only part of its screen.
		if typ != typeGIF || !b.In(want) || b.Empty() {
			return decoded{}, invalid("is damaged: its pixels do not match its header")
		}
		canvas := image.NewRGBA(want)
		draw.Draw(canvas, b, img, b.Min, draw.Src)
		img = canvas
	}
	return decoded{Info: Info{Type: typ, Width: w, Height: h}, img: img, orientation: orientation}, nil
}

func invalid(format string, args ...any) error {
	return news.Errorf(news.EINVALID, format, args...)
}

// damaged explains a decoder's error.
func damaged(typ string, err error) error {
	msg := err.Error()
	format := strings.ToUpper(strings.TrimPrefix(typ, "image/"))
	if format == "WEBP" {
		format = "WebP"
	}
	var ju jpeg.UnsupportedError
	var pu png.UnsupportedError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || strings.HasSuffix(msg, "EOF"):
		return invalid("is damaged: it ends too soon (was the upload cut off?)")
	case errors.As(err, &ju) || errors.As(err, &pu):
		return invalid("is a %s this site cannot read (%s); save it again as an ordinary %s", format, msg, format)
	}
	return invalid("is damaged: %s", msg)
}

// sniff returns the media type of an accepted image from its first bytes,
// or "".
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return typeJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return typePNG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return typeGIF
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return typeWebP
	}
	return ""
}

// lookalike names what a refused file seems to be, for the message, or "".
func lookalike(data []byte) string {
	head := data[:min(len(data), 1024)]
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "a PDF document"
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return "a TIFF image or a camera raw file"
	case len(head) >= 14 && string(head[:2]) == "BM":
		return "a BMP image"
	case bytes.HasPrefix(head, []byte("8BPS")):
		return "a Photoshop file"
	case bytes.HasPrefix(head, []byte("\xff\x0a")), bytes.HasPrefix(head, []byte("\x00\x00\x00\x0cJXL ")):
		return "a JPEG XL image"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "a ZIP archive or an Office document"
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		switch string(head[8:12]) {
		case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1":
			return "a HEIC photo; export it as JPEG"
		case "avif", "avis":
			return "an AVIF image"
		}
		return "a video"
	}
	text := bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n")
	lower := bytes.ToLower(text)
	switch {
	case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.HasPrefix(lower, []byte("<html")):
		return "HTML"
	case bytes.Contains(lower, []byte("<svg")):
		return "SVG"
	case bytes.Contains(lower, []byte("<script")), bytes.Contains(lower, []byte("<html")),
		bytes.Contains(lower, []byte("<body")), bytes.Contains(lower, []byte("<head")):
		return "HTML"
	case bytes.HasPrefix(lower, []byte("<?xml")):
		return "XML"
	case isText(text):
		return "text"
	}
	return ""
}

// isText reports whether b reads as UTF-8 text (b may end inside a rune).
func isText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		if r < ' ' && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
		b = b[n:]
	}
	return true
}

// animatedWebP reports whether an extended WebP file says it is animated.
func animatedWebP(data []byte) bool {
	return len(data) >= 21 && string(data[12:16]) == "VP8X" && data[20]&0x02 != 0
}

// formatBytes writes a size the way a reporter reads it.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.TrimSuffix(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".0") + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 0, 64) + " KB"
	}
	return fmt.Sprintf("%d bytes", n)
}

// nameTypes are the media types file name extensions claim, for the images
// accepted and for those a newsroom is likely to try.
var nameTypes = map[string]string{
	".jpg": typeJPEG, ".jpeg": typeJPEG, ".jpe": typeJPEG, ".jfif": typeJPEG,
	".png": typePNG, ".gif": typeGIF, ".webp": typeWebP,
	".svg": "image/svg+xml", ".bmp": "image/bmp", ".tif": "image/tiff", ".tiff": "image/tiff",
	".heic": "image/heic", ".heif": "image/heif", ".avif": "image/avif",
}

// TypeFromName returns the media type a file name's extension claims
// ("image/jpeg" for .jpg and .jpeg, in any case), or "" if none.
func TypeFromName(name string) string {
	return nameTypes[strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))]
}
