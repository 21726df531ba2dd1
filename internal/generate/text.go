package generate

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// lexicon is the vocabulary with what drawing from it needs: each list
// with a Zipf distribution over it, so that the first words of a list are
// common and the last rare, as in real text.
type lexicon struct {
	nouns  map[string]*draw
	adjs   *draw
	advs   *draw
	verbs  *draw
	forms  map[string][3]string // verb -> third person, past, -ing
	cities *draw
}

// draw picks from a list, the first items more often than the last.
type draw struct {
	items []string
	z     *rand.Zipf
}

func (d *draw) pick() string { return d.items[d.z.Uint64()] }

func newDraw(r *rand.Rand, items []string, s float64) *draw {
	return &draw{items: items, z: rand.NewZipf(r, s, 2, uint64(len(items)-1))}
}

func newLexicon(r *rand.Rand) *lexicon {
	lx := &lexicon{nouns: map[string]*draw{}, forms: map[string][3]string{}}
	for topic, list := range nouns {
		lx.nouns[topic] = newDraw(r, list, 1.05)
	}
	lx.adjs = newDraw(r, adjectives, 1.05)
	lx.advs = newDraw(r, adverbs, 1.1)
	lx.verbs = newDraw(r, verbs, 1.05)
	lx.cities = newDraw(r, cities, 1.02)
	for _, v := range verbs {
		s, past, ing := verbForms(v)
		lx.forms[v] = [3]string{s, past, ing}
	}
	return lx
}

// person is someone in a story: named in full with their role the first
// time, by surname after.
type person struct {
	first, last, role string
	named             bool
}

// story writes one article's text. Its words come from the lexicon, drawn
// with its random source, so the same seed writes the same story.
type story struct {
	r       *rand.Rand
	lx      *lexicon
	topic   string
	country string
	other   string // a second country
	city    string
	company string
	cast    []*person
	date    time.Time
}

func newStory(r *rand.Rand, lx *lexicon, topic string, date time.Time) *story {
	st := &story{r: r, lx: lx, topic: topic, date: date}
	st.country = countries[r.IntN(len(countries))]
	st.other = countries[r.IntN(len(countries))]
	if st.other == st.country {
		st.other = countries[(r.IntN(len(countries)-1)+1+indexOf(countries, st.country))%len(countries)]
	}
	st.city = lx.cities.pick()
	st.company = companies[r.IntN(len(companies))]
	for range 2 + r.IntN(3) {
		rs := roles[topic]
		st.cast = append(st.cast, &person{
			first: firstNames[r.IntN(len(firstNames))],
			last:  surnames[r.IntN(len(surnames))],
			role:  rs[r.IntN(len(rs))],
		})
	}
	return st
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return 0
}

func (st *story) chance(p float64) bool { return st.r.Float64() < p }

// noun draws a noun: mostly from the story's topic, else a general one.
func (st *story) noun() string {
	if st.chance(0.6) {
		return st.lx.nouns[st.topic].pick()
	}
	return st.lx.nouns["general"].pick()
}

func (st *story) nouns() string { return plural(st.noun()) }
func (st *story) adj() string   { return st.lx.adjs.pick() }
func (st *story) adv() string   { return st.lx.advs.pick() }
func (st *story) verb() string  { return st.lx.verbs.pick() }
func (st *story) verbS() string { return st.lx.forms[st.verb()][0] }
func (st *story) past() string  { return st.lx.forms[st.verb()][1] }
func (st *story) ing() string   { return st.lx.forms[st.verb()][2] }

// place is a city or a country of the story.
func (st *story) place() string {
	switch st.r.IntN(4) {
	case 0:
		return st.country
	case 1:
		return st.other
	case 2:
		return st.lx.cities.pick()
	}
	return st.city
}

// who names someone of the cast: in full with their role the first time.
func (st *story) who() string {
	p := st.cast[st.r.IntN(len(st.cast))]
	if !p.named {
		p.named = true
		return p.first + " " + p.last + ", " + p.role + ","
	}
	return p.last
}

// whoShort names someone without a role, for the end of a sentence.
func (st *story) whoShort() string {
	p := st.cast[st.r.IntN(len(st.cast))]
	p.named = true
	return p.first + " " + p.last
}

func (st *story) num() string {
	switch st.r.IntN(4) {
	case 0:
		return strconv.Itoa(2 + st.r.IntN(9))
	case 1:
		return strconv.Itoa(10 + st.r.IntN(90))
	case 2:
		return strconv.Itoa(100 + st.r.IntN(900))
	}
	return strconv.Itoa(1+st.r.IntN(9)) + "," + strconv.Itoa(100+st.r.IntN(900))
}

func (st *story) year() string {
	return strconv.Itoa(st.date.Year() - st.r.IntN(12))
}

func (st *story) weekday() string { return weekdays[st.r.IntN(len(weekdays))] }
func (st *story) month() string   { return months[st.r.IntN(len(months))] }
func (st *story) said() string    { return sayVerbs[st.r.IntN(len(sayVerbs))] }

func (st *story) team() string {
	c := st.lx.cities.pick()
	switch st.r.IntN(4) {
	case 0:
		return "Dynamo " + c
	case 1:
		return c + " United"
	case 2:
		return "Sporting " + c
	}
	return c + " Rovers"
}

// sentence writes one sentence of the story's body.
func (st *story) sentence() string {
	if st.topic == "sport" && st.chance(0.25) {
		switch st.r.IntN(4) {
		case 0:
			return st.team() + " " + st.past() + " " + st.team() + " " + strconv.Itoa(st.r.IntN(5)) + "-" + strconv.Itoa(st.r.IntN(4)) + " on " + st.weekday() + ", their " + ordinal(2+st.r.IntN(12)) + " " + st.noun() + " of the season."
		case 1:
			return "The " + st.noun() + " was " + st.adv() + " " + st.past() + " after " + an(st.adj()) + " " + st.noun() + " in the " + ordinal(1+st.r.IntN(90)) + " minute."
		case 2:
			return st.who() + " " + st.said() + " the team would " + st.verb() + " its " + st.nouns() + " before the " + st.noun() + "."
		default:
			return "The " + st.adj() + " " + st.noun() + " set " + an(st.adj()) + " record of " + strconv.Itoa(1+st.r.IntN(3)) + " hours " + strconv.Itoa(10+st.r.IntN(50)) + " minutes."
		}
	}
	switch st.r.IntN(26) {
	case 0:
		return st.who() + " " + st.said() + " the " + st.noun() + " would " + st.verb() + " the " + st.adj() + " " + st.noun() + " before " + st.month() + "."
	case 1:
		return "Officials in " + st.place() + " " + st.past() + " the " + st.noun() + " on " + st.weekday() + ", citing " + st.adj() + " " + st.nouns() + "."
	case 2:
		return "The " + st.noun() + " comes after " + st.num() + " " + st.nouns() + " of " + st.adj() + " " + st.noun() + " in " + st.place() + "."
	case 3:
		return "“We will not " + st.verb() + " our " + st.nouns() + ",” " + st.whoShort() + " " + st.said() + "."
	case 4:
		return "According to " + st.company + ", " + st.num() + " " + st.nouns() + " were " + st.past() + " near " + st.place() + "."
	case 5:
		return st.country + "’s " + st.noun() + " has " + st.past() + " by " + strconv.Itoa(1+st.r.IntN(40)) + " percent since " + st.year() + ", official figures show."
	case 6:
		return "Critics say the " + st.noun() + " is " + st.adv() + " " + st.adj() + ", while supporters argue it will " + st.verb() + " " + st.nouns() + " across the " + st.adj() + " " + st.noun() + "."
	case 7:
		return "It was not immediately clear whether the " + st.noun() + " would " + st.verb() + " the " + st.noun() + "."
	case 8:
		return st.who() + " " + st.said() + " the " + st.noun() + " was “" + st.adj() + " but " + st.adj() + "”."
	case 9:
		return "The " + st.adj() + " " + st.noun() + " is expected to " + st.verb() + " " + st.nouns() + " in " + st.place() + " and " + st.place() + "."
	case 10:
		return "Last " + st.month() + ", " + st.company + " " + st.past() + " " + an(st.adj()) + " " + st.noun() + " worth " + st.num() + " million."
	case 11:
		return "Talks between " + st.country + " and " + st.other + " on the " + st.noun() + " are " + st.ing() + " again after " + an(st.adj()) + " " + st.noun() + "."
	case 12:
		return "Residents of " + st.city + " said they were " + st.ing() + " for the " + st.noun() + " to " + st.verb() + "."
	case 13:
		return "The " + st.noun() + " has been " + st.past() + " " + st.num() + " times since " + st.year() + "."
	case 14:
		return st.who() + " has " + st.past() + " the " + st.noun() + ", calling it “" + an(st.adj()) + " " + st.noun() + "”."
	case 15:
		return "Analysts expect the " + st.noun() + " to " + st.verb() + " by " + strconv.Itoa(1+st.r.IntN(15)) + " percent this year."
	case 16:
		return "The " + st.company + " group did not respond to a request for comment."
	case 17:
		return "In " + st.place() + ", " + st.nouns() + " " + st.past() + " as " + st.nouns() + " " + st.past() + " the " + st.adj() + " " + st.noun() + "."
	case 18:
		return "So far " + st.num() + " " + st.nouns() + " have been " + st.past() + ", " + st.whoShort() + " " + st.said() + "."
	case 19:
		return "The decision to " + st.verb() + " the " + st.noun() + " was " + st.adv() + " " + st.past() + " by " + st.country + "’s " + st.noun() + "."
	case 20:
		return "Without the " + st.noun() + ", " + st.whoShort() + " warned, the " + st.nouns() + " of " + st.city + " would " + st.verb() + "."
	case 21:
		return "The " + st.noun() + " " + st.verbS() + " more than " + st.num() + " " + st.nouns() + " every " + st.noun() + "."
	case 22:
		return "Others questioned the " + st.noun() + ": “Who will " + st.verb() + " the " + st.nouns() + "?” asked " + st.whoShort() + "."
	case 23:
		return "The move could " + st.verb() + " the " + st.noun() + " between " + st.country + " and the " + st.company + " group."
	case 24:
		return "The prime minister " + st.past() + " the " + st.noun() + " on " + st.weekday() + ", " + st.said() + " " + st.whoShort() + "."
	default:
		return "The " + st.adj() + " " + st.noun() + " in " + st.place() + " " + st.past() + " " + st.adv() + " on " + st.weekday() + "."
	}
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// headline writes the story's headline, in sentence case.
func (st *story) headline() string {
	var h string
	switch st.r.IntN(9) {
	case 0:
		h = st.country + " " + st.verbS() + " " + st.noun() + " after " + st.noun()
	case 1:
		h = capital(st.nouns()) + " " + st.verb() + " in " + st.city + " over " + st.noun()
	case 2:
		p := st.cast[0]
		h = p.first + " " + p.last + " " + st.verbS() + " " + st.adj() + " " + st.noun()
	case 3:
		h = st.company + " to " + st.verb() + " " + st.num() + " " + st.nouns()
	case 4:
		h = "Why the " + st.noun() + " in " + st.country + " " + st.verbS() + " " + st.nouns()
	case 5:
		h = st.country + " and " + st.other + " " + st.verb() + " " + st.noun() + " deal"
	case 6:
		if st.topic == "sport" {
			h = st.team() + " " + st.past() + " " + st.team() + " in " + st.adj() + " " + st.noun()
		} else {
			h = capital(st.adj()) + " " + st.noun() + " " + st.verbS() + " " + st.city
		}
	case 7:
		h = capital(st.noun()) + " in " + st.city + ": " + st.nouns() + " " + st.verb() + " as " + st.noun() + " " + st.verbS()
	default:
		h = st.city + " " + st.noun() + " " + st.past() + " amid " + st.adj() + " " + st.noun()
	}
	return capital(h)
}

// summary writes the one-sentence summary under the headline.
func (st *story) summary() string {
	p := st.cast[0]
	switch st.r.IntN(5) {
	case 0:
		return p.first + " " + p.last + " " + st.past() + " the " + st.noun() + " in " + st.city + " on " + st.weekday() + ", as " + st.nouns() + " " + st.past() + " across " + st.country + "."
	case 1:
		return "The " + st.adj() + " " + st.noun() + " could " + st.verb() + " " + st.nouns() + " in " + st.country + " for " + st.num() + " " + st.nouns() + ", " + st.nouns() + " warn."
	case 2:
		return capital(st.nouns()) + " in " + st.city + " " + st.past() + " after " + st.country + " " + st.past() + " the " + st.adj() + " " + st.noun() + "."
	case 3:
		return "What the " + st.noun() + " means for " + st.country + ", and why " + st.nouns() + " in " + st.city + " are " + st.ing() + " the " + st.noun() + "."
	}
	return st.country + " and " + st.other + " " + st.past() + " the " + st.noun() + " on " + st.weekday() + ", " + p.first + " " + p.last + " said."
}

// subhead writes a heading for the body.
func (st *story) subhead() string {
	switch st.r.IntN(5) {
	case 0:
		return "What the " + st.noun() + " means for " + st.city
	case 1:
		return capital(an(st.adj())) + " " + st.noun()
	case 2:
		return capital(st.nouns()) + " and " + st.nouns()
	case 3:
		return "The " + st.noun() + " in " + st.place()
	}
	return capital(st.ing()) + " the " + st.noun()
}

// an puts "a" or "an" before a word.
func an(w string) string {
	if w != "" && strings.IndexByte("aeiou", w[0]) >= 0 {
		return "an " + w
	}
	return "a " + w
}

func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// body writes the article's body to at least words words (it returns how
// many), as Markdown and
// as the HTML markup.Render makes of that Markdown: paragraphs, subheads,
// attributed quotes and the odd list. The text holds no character that
// Markdown or HTML would read as markup, so each block's HTML is its text.
func (st *story) body(words int) (md, html string, count int) {
	var m, h strings.Builder
	m.Grow(words * 7)
	h.Grow(words * 8)
	n := 0
	block := func(mdText, htmlText string, count int) {
		if m.Len() > 0 {
			m.WriteString("\n\n")
		}
		m.WriteString(mdText)
		h.WriteString(htmlText)
		n += count
	}
	list := false // the last block was a list: another would join it
	for paragraphs := 0; n < words; paragraphs++ {
		wasList := list
		list = false
		switch {
		case paragraphs > 2 && paragraphs%5 == 0:
			s := st.subhead()
			block("# "+s, "<h2>"+s+"</h2>\n", countWords(s))
		case paragraphs > 1 && st.chance(0.08):
			q := "“" + strings.TrimSuffix(st.sentence(), ".") + ".”"
			p := st.cast[st.r.IntN(len(st.cast))]
			by := p.first + " " + p.last + ", " + p.role
			block("> "+q+"\n>\n> — "+by, "<blockquote class=\"quote\">\n<p>"+q+"</p>\n<footer>— "+by+"</footer>\n</blockquote>\n",
				countWords(q)+countWords(by))
		case paragraphs > 1 && !wasList && st.chance(0.04):
			list = true
			var lm, lh strings.Builder
			lh.WriteString("<ul>\n")
			c := 0
			for i := range 3 + st.r.IntN(3) {
				item := st.sentence()
				if i > 0 {
					lm.WriteByte('\n')
				}
				lm.WriteString("- " + item)
				lh.WriteString("<li>" + item + "</li>\n")
				c += countWords(item)
			}
			lh.WriteString("</ul>\n")
			block(lm.String(), lh.String(), c)
		default:
			var p strings.Builder
			for i := range 2 + st.r.IntN(3) {
				if i > 0 {
					p.WriteByte(' ')
				}
				p.WriteString(st.sentence())
			}
			s := p.String()
			block(s, "<p>"+s+"</p>\n", countWords(s))
		}
	}
	return m.String(), h.String(), n
}

func countWords(s string) int { return len(strings.Fields(s)) }
