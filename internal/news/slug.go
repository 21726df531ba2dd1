package news

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxSlugLen bounds a slug in bytes; longer titles are cut at a word boundary.
const MaxSlugLen = 80

// Slugify makes a URL slug from a title: lower case, accents folded
// ("Café" -> "cafe"), letters and digits of any script kept, every other run
// of characters a single hyphen, no hyphen at either end, at most MaxSlugLen
// bytes. It returns "" when the title has no letter or digit.
func Slugify(title string) string {
	var b strings.Builder
	pendingHyphen := false
	for _, r := range norm.NFKD.String(strings.ToValidUTF8(title, " ")) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining accent left over from NFKD: fold it away
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if pendingHyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			pendingHyphen = false
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			continue // "Europe's" -> "europes", not "europe-s"
		default:
			pendingHyphen = true
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
	for _, r := range s {
		if r == '-' || unicode.IsDigit(r) || (unicode.IsLetter(r) && !unicode.IsUpper(r)) {
			continue
		}
		return false
	}
	return norm.NFC.IsNormalString(s)
}
