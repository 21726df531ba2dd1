package media

import (
	"bytes"
	"encoding/binary"
)

// jpegMeta walks a JPEG's segments, without decoding anything, for two things
// image/jpeg does not report: how many scans the file has, and the EXIF
// orientation (1 to 8; 1 when there is none) that says how a camera held
// sideways wants the picture turned.
func jpegMeta(data []byte) (scans, orientation int) {
	orientation = 1
	exifSeen := false
	for i := 2; i+1 < len(data); {
		if data[i] != 0xff {
			i++ // entropy-coded data between markers
			continue
		}
		m := data[i+1]
		switch {
		case m == 0xff: // fill byte
			i++
			continue
		case m == 0x00, m == 0x01, m >= 0xd0 && m <= 0xd8: // stuffed byte, TEM, RSTn, SOI
			i += 2
			continue
		case m == 0xd9: // EOI
			return scans, orientation
		}
		if i+4 > len(data) {
			break
		}
		n := int(data[i+2])<<8 | int(data[i+3])
		if n < 2 || i+2+n > len(data) {
			break
		}
		switch m {
		case 0xda: // SOS
			scans++
		case 0xe1: // APP1
			if !exifSeen {
				if o, ok := exifOrientation(data[i+4 : i+2+n]); ok {
					exifSeen, orientation = true, o
				}
			}
		}
		i += 2 + n
	}
	return scans, orientation
}

// exifOrientation reads the Orientation tag of IFD0 from an APP1 segment's
// payload. ok is false when the payload is not Exif.
func exifOrientation(seg []byte) (orientation int, ok bool) {
	t, found := bytes.CutPrefix(seg, []byte("Exif\x00\x00"))
	if !found || len(t) < 8 {
		return 1, false
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1, false
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1, false
	}
	off := uint64(bo.Uint32(t[4:]))
	if off+2 > uint64(len(t)) {
		return 1, true
	}
	n := uint64(bo.Uint16(t[off:]))
	for k := range n {
		e := off + 2 + 12*k
		if e+12 > uint64(len(t)) {
			break
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		// A SHORT, count 1, held in the first two bytes of the value.
		if bo.Uint16(t[e+2:]) != 3 || bo.Uint32(t[e+4:]) != 1 {
			break
		}
		if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
			return v, true
		}
		break
	}
	return 1, true
}
