package search

import (
	"database/sql"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func TestStem(t *testing.T) {
	// Examples from Porter's paper, after all the steps.
	tests := map[string]string{
		"caresses": "caress", "ponies": "poni", "ties": "ti", "cats": "cat", "feed": "feed",
		"agreed": "agre", "plastered": "plaster", "bled": "bled", "motoring": "motor", "sing": "sing",
		"conflated": "conflat", "troubled": "troubl", "sized": "size", "hopping": "hop", "tanned": "tan",
		"falling": "fall", "hissing": "hiss", "fizzed": "fizz", "failing": "fail", "filing": "file",
		"happy": "happi", "sky": "sky", "relational": "relat", "conditional": "condit", "rational": "ration",
		"valenci": "valenc", "hesitanci": "hesit", "digitizer": "digit", "conformabli": "conform",
		"radicalli": "radic", "differentli": "differ", "vileli": "vile", "analogousli": "analog",
		"vietnamization": "vietnam", "predication": "predic", "operator": "oper", "feudalism": "feudal",
		"decisiveness": "decis", "hopefulness": "hope", "callousness": "callous", "formaliti": "formal",
		"sensitiviti": "sensit", "sensibiliti": "sensibl", "triplicate": "triplic", "formative": "form",
		"formalize": "formal", "electriciti": "electr", "electrical": "electr", "hopeful": "hope",
		"goodness": "good", "revival": "reviv", "allowance": "allow", "inference": "infer",
		"airliner": "airlin", "gyroscopic": "gyroscop", "adjustable": "adjust", "defensible": "defens",
		"irritant": "irrit", "replacement": "replac", "adjustment": "adjust", "dependent": "depend",
		"adoption": "adopt", "homologou": "homolog", "communism": "commun", "activate": "activ",
		"angulariti": "angular", "homologous": "homolog", "effective": "effect", "bowdlerize": "bowdler",
		"probate": "probat", "rate": "rate", "cease": "ceas", "controll": "control", "roll": "roll",
		// Words that are not stemmed.
		"a": "a", "is": "is", "2024": "2024", "café": "café", "covid19": "covid19", "straße": "straß",
	}
	for in, want := range tests {
		if got := stem(in); got != want {
			t.Errorf("stem(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestStemAgreesWithSQLite checks the highlighter's stems against the
// stems SQLite's porter tokenizer puts in the index, for a few hundred
// words of news English: a word the index matches is a word the
// highlighter marks.
func TestStemAgreesWithSQLite(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	words := strings.Fields(stemCorpus)
	if _, err := db.Exec(`CREATE VIRTUAL TABLE t USING fts5(w, tokenize = 'porter unicode61 remove_diacritics 2');
		CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')`); err != nil {
		t.Fatal(err)
	}
	for i, w := range words {
		if _, err := db.Exec(`INSERT INTO t (rowid, w) VALUES ($1, $2)`, i+1, w); err != nil {
			t.Fatal(err)
		}
	}
	for i, w := range words {
		var got string
		// Row i+1 holds one word: its one term is the index's stem of w.
		err := db.QueryRow(`SELECT term FROM v WHERE doc = $1`, i+1).Scan(&got)
		if err != nil {
			t.Fatalf("%s: %v", w, err)
		}
		if want := key(w); got != want {
			t.Errorf("SQLite indexes %q as %q; the highlighter's key is %q", w, got, want)
		}
	}
}

const stemCorpus = `government governments governing governed minister ministers ministerial recognize recognizing
recognized recognition recognizes election elections elected electing electoral vote votes voting voted
parliament parliamentary negotiate negotiations negotiating negotiator agreement agreements agreed agreeing
economy economic economies economist inflation prices priced pricing rising rose rises risen harbour
harbours shipping ships shipped storm storms stormy flooding floods flooded protest protesters protested
protesting police policing arrested arrests arresting court courts judge judges judged ruling ruled rules
investigation investigators investigating investigated report reporting reported reporters journalist
journalists journalism newspaper television broadcast broadcasting broadcaster announcement announced
announcing announces officials official officially spokesman spokeswoman statement statements said says
saying told telling company companies industrial industry industries factory factories workers working
worked strike strikes striking struck talks talked talking crisis crises emergency emergencies hospital
hospitals health healthy patients doctors nurses vaccine vaccination vaccinated university universities
students studies studying studied research researchers scientific scientists climate warming glaciers
happily happiness happier relational conditional national nationally nationalism international
café cafés naïve résumé Zürich São Paulo Straße Ärzte écoles 2020s 1990s covid19 x1y year years yearly`
