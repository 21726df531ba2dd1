package news

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxSlugLen bounds a slug in bytes; longer titles are cut at a word boundary.
const MaxSlugLen = 80

// Slugify makes a URL slug from a title: lower case, accents on Latin
// letters folded ("Café" -> "cafe"), letters and digits of any script kept, every other run
// of characters a single hyphen, no hyphen at either end, at most MaxSlugLen
// bytes. It returns "" when the title has no letter or digit.
func Slugify(title string) string {
	var b strings.Builder
	pendingHyphen := false
	foldMarks := false   // the last letter was Latin: its accents fold away
	afterLetter := false // a mark here belongs to the letter before it
	for _, r := range norm.NFKD.String(strings.ToValidUTF8(title, " ")) {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
			// "é" is "e" plus an accent after NFKD: drop the accent for
			// Latin letters ("cafe"), keep it where it is part of the
			// letter (Japanese "ピ", Cyrillic "й", Devanagari vowel
			// signs); NFC puts those back together.
			if afterLetter && !foldMarks {
				b.WriteRune(r)
			}
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if pendingHyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			pendingHyphen = false
			foldMarks = unicode.Is(unicode.Latin, r)
			afterLetter = true
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			afterLetter = false
			continue // "Europe's" -> "europes", not "europe-s"
		default:
			pendingHyphen = true
			afterLetter = false
		}
	}
	s := norm.NFC.String(b.String())
	if len(s) > MaxSlugLen {
		cut := strings.LastIndexByte(s[:MaxSlugLen+1], '-')
		if cut <= 0 {
			// One long word: cut at a rune boundary.
			cut = MaxSlugLen
			for cut > 0 && !isRuneStart(s[cut]) {
				cut--
			}
		}
		s = strings.TrimRight(s[:cut], "-")
	}
	return s
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// ValidSlug reports whether s is a slug Slugify could have produced: not
// empty, at most MaxSlugLen bytes, lower-case letters and digits in runs
// joined by single hyphens.
func ValidSlug(s string) bool {
	if s == "" || len(s) > MaxSlugLen || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	afterLetter := false
	for _, r := range s {
		switch {
		case unicode.IsDigit(r) || (unicode.IsLetter(r) && !unicode.IsUpper(r)):
			afterLetter = true
		case unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me) && afterLetter:
		case r == '-':
			afterLetter = false
		default:
			return false
		}
	}
	return norm.NFC.IsNormalString(s)
}
