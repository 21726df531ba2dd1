package news

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func TestCleanTextRemovesBidiControls(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Invoice\u202Efdp.exe", "Invoicefdp.exe"},                                     // RLO: reads "exe.pdf"
		{"\u202ARiver\u202C treaty", "River treaty"},                                   // LRE ... PDF
		{"\u202B\u202D\u202E", ""},                                                     // nothing but controls
		{"Ana \u2066Ruiz\u2069 and \u2067Li\u2069 \u2068x\u2069", "Ana Ruiz and Li x"}, // isolates
		{" \u202E  spaced \u202E out ", "spaced out"},                                  // white space folds after removal
		// The marks stay: they place punctuation in right-to-left text.
		{"\u05E9\u05DC\u05D5\u05DD\u200F!", "\u05E9\u05DC\u05D5\u05DD\u200F!"},
		{"abc\u200Edef", "abc\u200Edef"},
		{"\u0627\u061C1", "\u0627\u061C1"},
		{"plain text", "plain text"},
	} {
		if got := CleanText(tc.in); got != tc.want {
			t.Errorf("CleanText(%+q) = %+q, want %+q", tc.in, got, tc.want)
		}
	}
	for r := rune(0); r <= 0x10FFFF; r++ {
		want := r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
		if IsBidiControl(r) != want {
			t.Errorf("IsBidiControl(%U) = %v, want %v", r, !want, want)
		}
	}
}

// TestValidateRefusesBidiControls: a field that did not go through
// CleanText (a future surface, a store method called directly) cannot
// store a bidirectional control; the message names the field.
func TestValidateRefusesBidiControls(t *testing.T) {
	ok := func() *Article {
		return &Article{Headline: "Harbour reopens", Slug: "harbour-reopens", Section: Section{ID: 1, Path: "news"},
			Status: Published, PublishedAt: time.Unix(1, 0), Bylines: []Author{{Name: "Ana Ruiz", Slug: "ana-ruiz"}},
			Tags: []Tag{{Name: "Storms", Slug: "storms"}}, Photo: &Photo{Alt: "A quay", Caption: "At dawn", Credit: "AFP"},
			Corrections: []Correction{{At: time.Unix(2, 0), Text: "Fixed a name."}}}
	}
	if err := ok().Validate(); err != nil {
		t.Fatalf("the valid article: %v", err)
	}
	for field, spoil := range map[string]func(a *Article){
		"title":         func(a *Article) { a.Headline = "Harbour \u202Esnepoer" },
		"summary":       func(a *Article) { a.Summary = "\u2067x" },
		"authors":       func(a *Article) { a.Bylines[0].Name = "Ana \u202DRuiz" },
		"tags":          func(a *Article) { a.Tags[0].Name = "\u2066Storms\u2069" },
		"image.alt":     func(a *Article) { a.Photo.Alt = "A\u202Bquay" },
		"image.caption": func(a *Article) { a.Photo.Caption = "At \u202Edawn" },
		"image.credit":  func(a *Article) { a.Photo.Credit = "AFP\u202A" },
		"corrections":   func(a *Article) { a.Corrections[0].Text = "\u2068Fixed" },
	} {
		a := ok()
		spoil(a)
		err := a.Validate()
		if err == nil || !strings.Contains(err.Error(), field+": holds an invisible bidirectional control character") {
			t.Errorf("%s with a bidirectional control: got %v", field, err)
		}
	}
	a := ok()
	a.Headline = "\u05E9\u05DC\u05D5\u05DD\u200F!"
	if err := a.Validate(); err != nil {
		t.Errorf("a headline with a right-to-left mark: %v", err)
	}
	sec := Section{Slug: "world", Name: "World\u202E"}
	if err := sec.Validate(); err == nil || !strings.Contains(err.Error(), "name: holds") {
		t.Errorf("section name with RLO: got %v", err)
	}
	u := User{Email: "ana@example.org", Name: "\u202EAna", Role: Editor}
	if err := u.Validate(); err == nil || !strings.Contains(err.Error(), "name: holds") {
		t.Errorf("user name with RLO: got %v", err)
	}
}

// TestCleanTextRemovesControls: a NUL (a form's %00) in a headline passed
// Validate and then failed PostgreSQL's insert ("invalid byte sequence for
// encoding UTF8: 0x00"); a bell or an escape sequence showed nothing on a
// page while the feeds dropped it. CleanText removes every control that
// is not white space, and a stray byte-order mark; white space controls
// still fold to one space.
func TestCleanTextRemovesControls(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Harbour\x00 reopens", "Harbour reopens"},
		{"Bell\a rings\x1b[31m red", "Bell rings[31m red"},
		{"DEL\x7f and C1\u0080\u009b here", "DEL and C1 here"},
		{"\uFEFFAna Ruiz", "Ana Ruiz"},
		{"tab\tnew\nline\r\nNEL\u0085end", "tab new line NEL end"},
		{"\x00\x01\x02", ""},
		{"emoji \U0001F468\u200D\U0001F469 and \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", "emoji \U0001F468\u200D\U0001F469 and \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"}, // joiners stay
	} {
		if got := CleanText(tc.in); got != tc.want {
			t.Errorf("CleanText(%+q) = %+q, want %+q", tc.in, got, tc.want)
		}
	}
}

// TestValidateRefusesControls: a field or a body that did not go through
// CleanText cannot carry a control character (a NUL above all) to the
// database; the message names the field.
func TestValidateRefusesControls(t *testing.T) {
	ok := func() *Article {
		return &Article{Headline: "Harbour reopens", Slug: "harbour-reopens", Section: Section{ID: 1, Path: "news"},
			Status: Published, PublishedAt: time.Unix(1, 0), Body: "First line.\n\n\tIndented code.\r\n",
			Bylines: []Author{{Name: "Ana Ruiz", Slug: "ana-ruiz"}}, Photo: &Photo{Alt: "A quay"}}
	}
	if err := ok().Validate(); err != nil {
		t.Fatalf("the valid article (tabs and newlines in its body): %v", err)
	}
	for field, spoil := range map[string]func(a *Article){
		"title":     func(a *Article) { a.Headline = "Harbour\x00reopens" },
		"summary":   func(a *Article) { a.Summary = "esc\x1b[2J" },
		"authors":   func(a *Article) { a.Bylines[0].Name = "Ana\u0085Ruiz" },
		"image.alt": func(a *Article) { a.Photo.Alt = "A\tquay" },
		"body":      func(a *Article) { a.Body = "text\x00more" },
	} {
		a := ok()
		spoil(a)
		err := a.Validate()
		want := field + ": holds a control character"
		if field == "body" {
			want = "body: holds a NUL character"
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s with a control character: got %v, want %q", field, err, want)
		}
	}
	sec := Section{Slug: "world", Name: "World", Description: "a\x00b"}
	if err := sec.Validate(); err == nil || !strings.Contains(err.Error(), "description: holds a control character") {
		t.Errorf("section description with a NUL: got %v", err)
	}
}

// FuzzCleanText: whatever comes in, what CleanText gives is valid UTF-8
// with no bidirectional control, no white space at either end or twice in
// a row, passes checkText's character rules, and is its own CleanText.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "a\u202Eb", "\u2066\u2069", " x \n\t y ", "\xff\u202A", "\u200F!", "a\x00b", "\x1b[1m\u0085\uFEFF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := CleanText(in)
		if !utf8.ValidString(out) || strings.ContainsFunc(out, IsBidiControl) || strings.ContainsFunc(out, unicode.IsControl) || strings.ContainsRune(out, '\uFEFF') {
			t.Fatalf("CleanText(%+q) = %+q", in, out)
		}
		if out != strings.TrimSpace(out) || strings.Contains(out, "  ") {
			t.Fatalf("CleanText(%+q) = %+q: white space left", in, out)
		}
		if again := CleanText(out); again != out {
			t.Fatalf("CleanText is not idempotent: %+q -> %+q -> %+q", in, out, again)
		}
		var p Problems
		checkText(&p, "f", out, 1<<30, false)
		if len(p) > 0 {
			t.Fatalf("checkText refuses CleanText(%+q) = %+q: %v", in, out, p.Err())
		}
	})
}
