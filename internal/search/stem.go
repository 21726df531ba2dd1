package search

// stem reduces an English word in lower case to its stem with the Porter
// algorithm (M. F. Porter, "An algorithm for suffix stripping", 1980), the
// one SQLite's porter tokenizer applies to the index. The engines decide
// what matches; this copy only lets the highlighter find the same words in
// the text it shows ("recognizing" for the query "recognize").
//
// Like SQLite's, it works on bytes: any byte but a, e, i, o, u (and y after
// a consonant) counts as a consonant, so "straße" becomes "straß"; the
// suffixes it removes are ASCII, so UTF-8 stays valid. Words shorter than
// three bytes or longer than 64 are returned as they are.
func stem(w string) string {
	if len(w) < 3 || len(w) > 64 {
		return w
	}
	p := porter{b: []byte(w)}
	p.step1ab()
	p.step1c()
	p.step2()
	p.step3()
	p.step4()
	p.step5()
	return string(p.b)
}

// porter holds the word being stemmed; j marks the end of the stem while a
// suffix is being tested (b[:j] is the stem, b[j:] the suffix).
type porter struct {
	b []byte
	j int
}

// cons reports whether b[i] is a consonant: not a vowel, and not a y that
// follows a consonant.
func (p *porter) cons(i int) bool {
	switch p.b[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return false
	case 'y':
		return i == 0 || !p.cons(i-1)
	}
	return true
}

// m measures b[:j]: the number of vowel-consonant sequences in it.
func (p *porter) m() int {
	n, i := 0, 0
	for ; i < p.j && p.cons(i); i++ {
	}
	for i < p.j {
		for ; i < p.j && !p.cons(i); i++ {
		}
		if i >= p.j {
			break
		}
		n++
		for ; i < p.j && p.cons(i); i++ {
		}
	}
	return n
}

// vowelInStem reports whether b[:j] has a vowel.
func (p *porter) vowelInStem() bool {
	for i := 0; i < p.j; i++ {
		if !p.cons(i) {
			return true
		}
	}
	return false
}

// doubleC reports whether b[i-1:i+1] is a double consonant.
func (p *porter) doubleC(i int) bool {
	return i >= 1 && p.b[i] == p.b[i-1] && p.cons(i)
}

// cvc reports whether b[i-2:i+1] is consonant-vowel-consonant with the last
// not w, x or y: a short syllable, as in "hop" (hope, hopping).
func (p *porter) cvc(i int) bool {
	if i < 2 || !p.cons(i) || p.cons(i-1) || !p.cons(i-2) {
		return false
	}
	switch p.b[i] {
	case 'w', 'x', 'y':
		return false
	}
	return true
}

// ends reports whether the word ends in s, and sets j to where s starts.
func (p *porter) ends(s string) bool {
	if len(s) > len(p.b) || string(p.b[len(p.b)-len(s):]) != s {
		return false
	}
	p.j = len(p.b) - len(s)
	return true
}

// setTo replaces the suffix after j with s.
func (p *porter) setTo(s string) { p.b = append(p.b[:p.j], s...) }

// replace replaces the suffix with s when the stem's measure is above 0.
func (p *porter) replace(s string) {
	if p.m() > 0 {
		p.setTo(s)
	}
}

// step1ab removes plurals and -ed or -ing: caresses -> caress, ponies ->
// poni, agreed -> agree, hopping -> hop, filing -> file.
func (p *porter) step1ab() {
	if p.b[len(p.b)-1] == 's' {
		switch {
		case p.ends("sses"):
			p.b = p.b[:len(p.b)-2]
		case p.ends("ies"):
			p.setTo("i")
		case len(p.b) >= 2 && p.b[len(p.b)-2] != 's':
			p.b = p.b[:len(p.b)-1]
		}
	}
	if p.ends("eed") {
		if p.m() > 0 {
			p.b = p.b[:len(p.b)-1]
		}
		return
	}
	if (p.ends("ed") || p.ends("ing")) && p.vowelInStem() {
		p.b = p.b[:p.j]
		switch {
		case p.ends("at"):
			p.setTo("ate")
		case p.ends("bl"):
			p.setTo("ble")
		case p.ends("iz"):
			p.setTo("ize")
		case p.doubleC(len(p.b) - 1):
			switch p.b[len(p.b)-1] {
			case 'l', 's', 'z':
			default:
				p.b = p.b[:len(p.b)-1]
			}
		default:
			p.j = len(p.b)
			if p.m() == 1 && p.cvc(len(p.b)-1) {
				p.b = append(p.b, 'e')
			}
		}
	}
}

// step1c turns a final y into i when the stem has a vowel: happy -> happi.
func (p *porter) step1c() {
	if p.ends("y") && p.vowelInStem() {
		p.b[len(p.b)-1] = 'i'
	}
}

// suffixRule is one suffix and what replaces it.
type suffixRule struct{ suffix, with string }

// step2Rules map double suffixes to single ones, longest first within each
// ending so the first match is the one Porter means.
var step2Rules = []suffixRule{
	{"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
	{"bli", "ble"}, {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"},
	{"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"}, {"alism", "al"}, {"iveness", "ive"},
	{"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"},
	{"logi", "log"},
}

var step3Rules = []suffixRule{
	{"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""}, {"ness", ""},
}

// step2 and step3 shorten known suffix combinations: relational -> relate,
// hopefulness -> hopeful, electrical -> electric.
func (p *porter) step2() { p.applyFirst(step2Rules) }
func (p *porter) step3() { p.applyFirst(step3Rules) }

// applyFirst applies the first rule whose suffix the word ends in (and only
// that one, whether its condition holds or not).
func (p *porter) applyFirst(rules []suffixRule) {
	for _, r := range rules {
		if p.ends(r.suffix) {
			p.replace(r.with)
			return
		}
	}
}

var step4Suffixes = []string{
	"al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
	"ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize",
}

// step4 removes a final suffix from a long enough stem: revival -> reviv,
// adjustment -> adjust, adoption -> adopt.
func (p *porter) step4() {
	// Of suffixes that overlap ("ement", "ment", "ent"), the longest wins.
	best := -1
	for _, s := range step4Suffixes {
		if p.ends(s) && (best < 0 || len(s) > len(step4Suffixes[best])) {
			best = indexOf(step4Suffixes, s)
		}
	}
	if best < 0 {
		return
	}
	p.ends(step4Suffixes[best])
	if step4Suffixes[best] == "ion" && (p.j == 0 || (p.b[p.j-1] != 's' && p.b[p.j-1] != 't')) {
		return
	}
	if p.m() > 1 {
		p.b = p.b[:p.j]
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// step5 removes a final e and simplifies a final double l on long stems:
// probate -> probat, controll -> control.
func (p *porter) step5() {
	if len(p.b) == 0 {
		return
	}
	if p.b[len(p.b)-1] == 'e' {
		p.j = len(p.b) - 1
		if a := p.m(); a > 1 || (a == 1 && !p.cvc(len(p.b)-2)) {
			p.b = p.b[:len(p.b)-1]
		}
	}
	p.j = len(p.b)
	if p.b[len(p.b)-1] == 'l' && p.doubleC(len(p.b)-1) && p.m() > 1 {
		p.b = p.b[:len(p.b)-1]
	}
}
