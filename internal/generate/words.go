package generate

import (
	"math/rand/v2"
	"strings"
)

// The vocabulary of the synthetic archive: ordinary English words of news
// writing, so stemming and phrases behave as on a real archive, and
// invented names of places, people and companies, which give the rare
// words. Everything here is written for this project; all names are
// fictional.

// sectionTree is the archive's sections: top sections, each with its
// subsections, and the topic its stories are written in.
var sectionTree = []struct {
	top    string
	subs   []string
	topic  string
	weight int // share of the stories, in percent
}{
	{"news", []string{"world", "europe", "americas", "asia", "africa", "middle-east"}, "politics", 45},
	{"business", []string{"markets", "energy", "technology"}, "business", 15},
	{"sport", []string{"football", "tennis", "athletics"}, "sport", 14},
	{"science", []string{"climate", "space", "health"}, "science", 10},
	{"culture", []string{"film", "music", "books"}, "culture", 9},
	{"opinion", []string{"columns", "editorials"}, "opinion", 7},
}

// countries are the invented countries stories happen in.
var countries = strings.Fields(`Velmora Kaskaria Brenmark Sundh Tamaro Lisvard Ombara Qadirah Zafran Halvan
	Aranda Verdana Lucero Amrapur Tarsk Holmestad Kalun Nahrabi Ostrava Morvenn Delcadia Pellam Rusavia
	Thessory Ilmarra Carvony Zembla Otrevia Marrowind Quillon Estavar Norrland Belcaro Suvanna Yarrow
	Kettering Dorvania Albrecia Solenne Vashti`)

// firstNames are given names from many languages.
var firstNames = strings.Fields(`Ana Mara Ilse Jonas Tomas Lena Omar Yusuf Leila Sofia Mateo Lucia Nikolai Irina
	Pavel Katya Arjun Priya Ravi Meera Kenji Yuki Hana Minh Linh Chen Wei Mei Kwame Ama Kofi Nia Tariq
	Samira Hassan Noor Elif Emre Selin Ole Freya Sven Astrid Jan Eva Piotr Marta Luca Giulia Marco Elena
	Pierre Claire Julien Amelie Diego Carmen Pablo Rosa Joao Beatriz Thiago Camila Aisha Musa Fatima
	Ibrahim Daniel Sarah David Rachel Michael Laura Thomas Anna Peter Maria John Helen Paul Grace
	Adam Nora Felix Ingrid Anders Maja Tobias Clara Henrik Sanna Oskar Alma Viktor Dina Rafael Ines`)

// sayVerbs attribute a quote.
var sayVerbs = []string{"said", "told reporters", "said in a statement", "told Newsdesk", "wrote on social media", "said on Monday", "added"}

// roles describe who someone is, for bylines of quotes.
var roles = map[string][]string{
	"politics": {"the foreign minister", "a government spokeswoman", "the opposition leader", "a senior diplomat",
		"the interior minister", "a member of parliament", "the mayor of the capital", "an election observer",
		"the prime minister", "a spokesman for the presidency", "a political analyst"},
	"business": {"the central bank governor", "chief executive of the company", "an economist at a regional bank",
		"the finance minister", "a trade union leader", "a market analyst", "the energy minister", "an industry spokesman"},
	"sport": {"the club’s coach", "the team captain", "the national coach", "the federation’s president",
		"the defending champion", "a former player", "the race director"},
	"science": {"a climate scientist", "the lead researcher", "the head of the space agency", "a senior doctor",
		"the health minister", "an epidemiologist", "a glaciologist at the national university"},
	"culture": {"the festival director", "the film’s director", "the author", "the museum’s curator",
		"the jury president", "the conductor", "a literary critic"},
	"opinion": {"a reader", "a former minister", "a local teacher", "a historian", "a constitutional lawyer"},
}

// nouns are each topic's own words, most frequent first: a story of a topic
// draws mostly from its list, the rest from general.
var nouns = map[string][]string{
	"general": strings.Fields(`government official country city region report plan decision statement week year
		month people group community resident police authority agency council court border capital area
		service project programme development security measure rule figure share rise increase decline
		morning evening night time history record case evidence investigation issue debate proposal response
		warning pressure concern risk impact effect challenge effort member worker family child school road
		water power price job law question support problem change crisis situation process system money cost
		future state minister party leader village town province island coast river bridge highway railway
		station airport hospital university ministry office building street market square centre district
		neighbour visitor journalist reporter newspaper broadcaster interview survey poll estimate number
		percentage majority minority condition approach strategy target goal promise deadline timetable
		agreement dispute conflict tension incident accident fire shortage delay closure opening anniversary
		ceremony funeral memorial tribute celebration holiday weekend season winter summer spring autumn`),
	"politics": strings.Fields(`election vote coalition parliament opposition candidate campaign referendum president
		cabinet ballot constitution reform protest protester demonstration sanction treaty envoy ambassador
		summit ceasefire troop army refugee migrant negotiation corruption scandal senate mayor governor budget
		tax pension lawmaker voter turnout majority alliance delegation embassy sovereignty independence
		autonomy militia rebel insurgency blockade checkpoint hostage prisoner amnesty verdict trial judge
		prosecutor lawyer petition decree emergency curfew inquiry commission watchdog censorship activist
		dissident exile asylum passport visa diplomat negotiator mediator observer`),
	"business": strings.Fields(`inflation bank market share investor stock currency export import tariff trade growth
		recession economy earning profit revenue loss company firm factory industry manufacturer supplier oil gas
		electricity energy pipeline grid startup technology software chip merger acquisition bankruptcy debt bond
		wage unemployment consumer retailer harbour port shipping freight container warehouse logistics
		shareholder dividend forecast quarter output productivity subsidy loan mortgage rent landlord tenant
		refinery turbine battery reactor mine copper lithium wheat grain fertiliser harvest farmer fishermen
		airline carrier passenger ticket fare tourism hotel`),
	"sport": strings.Fields(`match game season league championship tournament final coach manager player team club goal
		striker goalkeeper defender fan stadium title trophy marathon race runner sprint medal injury transfer
		contract victory defeat draw set serve rally penalty referee kickoff squad captain debut comeback
		qualifier ranking seed opponent favourite underdog podium lap relay hurdle record crowd supporter`),
	"science": strings.Fields(`researcher scientist study journal data climate temperature emission glacier drought
		rainfall satellite rocket launch telescope comet asteroid orbit vaccine virus patient doctor nurse
		disease treatment trial experiment species forest ocean coral flood storm wildfire earthquake volcano
		aurora laboratory sample genome protein infection outbreak mosquito heatwave ice sea atmosphere carbon
		observatory mission probe crater`),
	"culture": strings.Fields(`festival film director actor novel author writer poet book museum exhibition painting
		gallery concert orchestra album singer band audience theatre play premiere award prize critic jury
		shortlist reader translation publisher library documentary screenplay soundtrack choir opera dancer
		ballet sculpture photograph archive manuscript memoir biography`),
	"opinion": strings.Fields(`argument society democracy freedom press truth trust responsibility mistake lesson
		compromise choice principle generation citizen institution accountability transparency courage
		hypocrisy silence consensus`),
}

// adjectives qualify nouns.
var adjectives = strings.Fields(`new former national regional local foreign economic political military public
	private international key major senior urgent fragile controversial historic early late final first
	second third long short wide narrow high low strong weak rapid slow sharp steady modest significant
	small large huge limited broad independent official unofficial annual monthly weekly daily rural urban
	coastal northern southern eastern western central remote crowded empty quiet busy difficult simple
	complex clear unclear serious minor direct indirect open closed temporary permanent`)

// adverbs qualify verbs and adjectives.
var adverbs = strings.Fields(`quickly slowly sharply steadily largely mostly partly widely deeply openly
	quietly formally briefly repeatedly already still again nearly almost roughly`)

// verbs are the verbs stories use, with their irregular forms where they
// have them (see verbForms).
var verbs = strings.Fields(`announce approve reject warn promise criticize negotiate sign delay extend raise cut
	rise fall protest investigate arrest launch reopen close suspend resign appoint elect accuse deny
	confirm estimate expect welcome recognize increase reduce support oppose demand urge plan consider
	discuss agree refuse release publish report win lose beat build open invest hire damage destroy
	rescue evacuate predict discover measure test record celebrate perform stage review praise describe
	explain question challenge defend reform protect threaten ban allow require introduce replace restore
	repair end begin continue return leave meet visit move change improve grow fail succeed manage operate
	produce deliver supply transport struggle organize recover collapse block prevent cancel postpone
	monitor inspect target attack withdraw deploy mediate host chair lead join quit boost ease tighten`)

// days and months for dates in the text.
var (
	weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	months   = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December"}
)

// agencies credited on wire stories.
var agencies = []string{"AFP", "Reuters", "AP", "Interfax", "RIA Novosti", "dpa", "EFE", "Kyodo", "Anadolu", "ANSA"}

// tagTopics are tags besides the countries.
var tagTopics = strings.Fields(`Elections Parliament Diplomacy Protests Corruption Migration Courts Security
	Inflation Banking Trade Energy Oil Shipping Technology Startups Jobs Housing Agriculture Tourism
	Football Tennis Athletics Olympics Transfers Climate Space Health Vaccines Wildlife Oceans Floods
	Wildfires Earthquakes Film Music Books Museums Festivals Theatre Media Press-freedom Education
	Transport Railways Aviation Water Drought Elections-2026 Budget Taxes Pensions Cybersecurity`)

// names makes n distinct invented words from syllables, deterministically
// (the same list for every archive, so benchmarks know the words).
func names(n int, seed uint64, minSyl, maxSyl int) []string {
	onsets := []string{"b", "br", "d", "dr", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "pr", "r", "s",
		"st", "t", "tr", "v", "z", "sh", "ch", "th", "w", "y", "j"}
	vowels := []string{"a", "e", "i", "o", "u", "ai", "ei", "ou", "ia", "ar", "or", "el"}
	codas := []string{"", "", "", "n", "r", "l", "s", "m", "k", "nd", "rt", "sk", "v", "th"}
	r := rand.New(rand.NewPCG(seed, 0x6e616d6573))
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		var b strings.Builder
		syl := minSyl + r.IntN(maxSyl-minSyl+1)
		for range syl {
			b.WriteString(onsets[r.IntN(len(onsets))])
			b.WriteString(vowels[r.IntN(len(vowels))])
		}
		b.WriteString(codas[r.IntN(len(codas))])
		w := b.String()
		if seen[w] || len(w) < 4 {
			continue
		}
		seen[w] = true
		out = append(out, strings.ToUpper(w[:1])+w[1:])
	}
	return out
}

// Name lists, made once: cities for places, surnames for people, and
// company and project names, which are the rarest words of the archive.
var (
	cities    = names(600, 1, 2, 3)
	surnames  = names(1500, 2, 2, 3)
	companies = names(30000, 3, 3, 4)
)

// verbForms returns a verb's forms: third person, past, and -ing.
func verbForms(base string) (s, past, ing string) {
	if f, ok := irregular[base]; ok {
		past = f
	}
	switch {
	case strings.HasSuffix(base, "s") || strings.HasSuffix(base, "x") || strings.HasSuffix(base, "z") ||
		strings.HasSuffix(base, "ch") || strings.HasSuffix(base, "sh") || strings.HasSuffix(base, "o"):
		s = base + "es"
	case strings.HasSuffix(base, "y") && !isVowel(base[len(base)-2]):
		s = base[:len(base)-1] + "ies"
	default:
		s = base + "s"
	}
	double := doubling[base]
	switch {
	case double:
		ing = base + base[len(base)-1:] + "ing"
	case strings.HasSuffix(base, "ie"):
		ing = base[:len(base)-2] + "ying"
	case strings.HasSuffix(base, "e") && !strings.HasSuffix(base, "ee"):
		ing = base[:len(base)-1] + "ing"
	default:
		ing = base + "ing"
	}
	if past == "" {
		switch {
		case double:
			past = base + base[len(base)-1:] + "ed"
		case strings.HasSuffix(base, "e"):
			past = base + "d"
		case strings.HasSuffix(base, "y") && !isVowel(base[len(base)-2]):
			past = base[:len(base)-1] + "ied"
		default:
			past = base + "ed"
		}
	}
	return s, past, ing
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

var irregular = map[string]string{
	"rise": "rose", "fall": "fell", "cut": "cut", "win": "won", "lose": "lost", "beat": "beat", "build": "built",
	"begin": "began", "leave": "left", "meet": "met", "grow": "grew", "lead": "led", "quit": "quit",
}

var doubling = map[string]bool{
	"cut": true, "win": true, "begin": true, "plan": true, "ban": true, "quit": true,
}

// plural returns a noun's plural.
func plural(n string) string {
	switch {
	case strings.HasSuffix(n, "fishermen") || strings.HasSuffix(n, "data") || strings.HasSuffix(n, "evidence") ||
		strings.HasSuffix(n, "money") || strings.HasSuffix(n, "news") || strings.HasSuffix(n, "logistics"):
		return n
	case strings.HasSuffix(n, "child"):
		return n + "ren"
	case strings.HasSuffix(n, "person"):
		return strings.TrimSuffix(n, "person") + "people"
	case strings.HasSuffix(n, "people"):
		return n
	case strings.HasSuffix(n, "s") || strings.HasSuffix(n, "x") || strings.HasSuffix(n, "ch") || strings.HasSuffix(n, "sh"):
		return n + "es"
	case strings.HasSuffix(n, "y") && !isVowel(n[len(n)-2]):
		return n[:len(n)-1] + "ies"
	}
	return n + "s"
}

// BenchQueries are queries of four kinds for benchmarks over a generated
// archive, written from its vocabulary, whatever its seed and size:
// "common" (one to three frequent words), "rare" (invented names, found in
// a handful of stories of a 100,000-story archive, or none of a small
// one), "phrase" (phrases from the sentence templates, in quotes) and
// "hostile" (input meant to break a search engine).
func BenchQueries() map[string][]string {
	rare := []string{}
	for _, i := range []int{11, 257, 1024, 4099, 8191, 12000, 16411, 22222, 27183, 29999} {
		rare = append(rare, strings.ToLower(companies[i]))
	}
	rare = append(rare, companies[31]+" "+"group", surnames[99], surnames[1234]+" minister")
	return map[string][]string{
		"common": {"government", "officials said", "election campaign", "police", "prime minister", "inflation prices",
			"match season coach", "climate researchers", "festival film", "minister parliament vote", "reporters",
			"recognize", "approving elections"},
		"rare": rare,
		"phrase": {`"prime minister"`, `"did not respond to a request for comment"`, `"told reporters"`, `"official figures show"`,
			`"not immediately clear"`, `"the move could"`, `"residents of" election`, `"analysts expect" inflation`},
		"hostile": {`"`, `"""unbalanced`, `NEAR(government police, 2)`, `government*`, `^minister`, `headline:election`,
			`{body}:vote`, `government & !police | court`, `(election OR vote) AND NOT minister`, "\xff\xfe\xfd",
			"minister\x00police", strings.Repeat("government ", 1200), strings.Repeat(`"(`, 2500), strings.Repeat("a", 10000),
			`'; DROP TABLE articles; --`, `***`, `-police`, `the of and`},
	}
}
