package admin

import (
	"strings"
	"testing"
)

// render writes a diff as text: "-" and "+" lines, [-removed-] and {+added+}
// words.
func render(lines []diffLine) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(map[diffOp]string{same: " ", removed: "-", added: "+"}[l.Op])
		for _, p := range l.Parts {
			switch p.Op {
			case removed:
				b.WriteString("[-" + p.Text + "-]")
			case added:
				b.WriteString("{+" + p.Text + "+}")
			default:
				b.WriteString(p.Text)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestDiffLines(t *testing.T) {
	tests := []struct{ name, a, b, want string }{
		{"same", "one\ntwo\n", "one\ntwo\n", " one\n two\n"},
		{"one word", "The bridge opens in April.\n", "The bridge opens in May.\n",
			"-The bridge opens in [-April.-]\n+The bridge opens in {+May.+}\n"},
		{"line added", "a\nc\n", "a\nb\nc\n", " a\n+{+b+}\n c\n"},
		{"line removed", "a\nb\nc\n", "a\nc\n", " a\n-[-b-]\n c\n"},
		{"from nothing", "", "new\n", "+{+new+}\n"},
		{"to nothing", "old\n", "", "-[-old-]\n"},
		{"more removed than added", "x1\nx2\nx3\n", "y1\n", "-[-x1-]\n+{+y1+}\n-[-x2-]\n-[-x3-]\n"},
		{"unicode words", "Zürich über alles\n", "Zürich unter allem\n", "-Zürich [-über alles-]\n+Zürich {+unter allem+}\n"},
	}
	for _, tt := range tests {
		if got := render(diffLines(tt.a, tt.b)); got != tt.want {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

// TestDiffLargeFallsBack: past the table's bound the diff is coarse, not
// slow or wrong.
func TestDiffLargeFallsBack(t *testing.T) {
	var a, b strings.Builder
	for i := range 3000 {
		a.WriteString("old line " + itoa(int64(i)) + "\n")
		b.WriteString("new line " + itoa(int64(i)) + "\n")
	}
	lines := diffLines(a.String(), b.String())
	var del, ins int
	for _, l := range lines {
		switch l.Op {
		case removed:
			del++
		case added:
			ins++
		}
	}
	if del != 3000 || ins != 3000 {
		t.Errorf("got %d removed and %d added, want 3000 each", del, ins)
	}
}

func BenchmarkDiffArticle(b *testing.B) {
	var x, y strings.Builder
	for i := range 200 {
		x.WriteString("Paragraph " + itoa(int64(i)) + " of a long article, with several words in it that may change.\n\n")
		if i%10 == 0 {
			y.WriteString("Paragraph " + itoa(int64(i)) + " of a long story, with several words in it that did change.\n\n")
		} else {
			y.WriteString("Paragraph " + itoa(int64(i)) + " of a long article, with several words in it that may change.\n\n")
		}
	}
	for b.Loop() {
		diffLines(x.String(), y.String())
	}
}
