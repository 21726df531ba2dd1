package admin

import (
	"strings"
	"unicode"
)

// The history's comparison of two revisions: a line diff of their text
// (news.RevisionContent.Text), and inside each changed line, a word diff, so
// a one-word fix shows as one word.

// diffOp is one kind of piece in a diff.
type diffOp int

const (
	same diffOp = iota
	removed
	added
)

// diffLine is one line of a comparison.
type diffLine struct {
	Op    diffOp
	Parts []diffPart // the line's words, marked where a changed line differs from its pair
}

type diffPart struct {
	Op   diffOp
	Text string
}

// Removed and Added let templates test a line's kind.
func (l diffLine) Removed() bool { return l.Op == removed }

// Added reports whether the line is only in the newer text.
func (l diffLine) Added() bool { return l.Op == added }

// Removed reports whether the word is only in the older text.
func (p diffPart) Removed() bool { return p.Op == removed }

// Added reports whether the word is only in the newer text.
func (p diffPart) Added() bool { return p.Op == added }

// maxDiffCells bounds the comparison's table (lines × lines, words ×
// words): beyond it the changed middle is shown as removed then added,
// which is still correct, only coarser.
const maxDiffCells = 4_000_000

// diffLines compares two texts line by line.
func diffLines(a, b string) []diffLine {
	x, y := splitLines(a), splitLines(b)
	ops := lcsDiff(x, y)
	var out []diffLine
	// Pair each run of removed lines with the run of added lines after it,
	// line for line, and mark the words that differ.
	for i := 0; i < len(ops); {
		if ops[i].op == same {
			out = append(out, diffLine{Op: same, Parts: []diffPart{{same, ops[i].text}}})
			i++
			continue
		}
		var del, ins []string
		for i < len(ops) && ops[i].op == removed {
			del = append(del, ops[i].text)
			i++
		}
		for i < len(ops) && ops[i].op == added {
			ins = append(ins, ops[i].text)
			i++
		}
		n := min(len(del), len(ins))
		for k := 0; k < n; k++ {
			dp, ip := diffWords(del[k], ins[k])
			out = append(out, diffLine{Op: removed, Parts: dp})
			out = append(out, diffLine{Op: added, Parts: ip})
		}
		for _, l := range del[n:] {
			out = append(out, diffLine{Op: removed, Parts: []diffPart{{removed, l}}})
		}
		for _, l := range ins[n:] {
			out = append(out, diffLine{Op: added, Parts: []diffPart{{added, l}}})
		}
	}
	return out
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// diffWords marks the words of a changed line: the removed line's parts,
// then the added line's.
func diffWords(a, b string) (del, ins []diffPart) {
	ops := lcsDiff(splitWords(a), splitWords(b))
	// A space between two changes belongs to the change: "[-über alles-]"
	// reads better than "[-über-] [-alles-]".
	var joined []diffOpText
	for i, o := range ops {
		if o.op == same && strings.TrimSpace(o.text) == "" && i > 0 && i < len(ops)-1 && ops[i-1].op != same && ops[i+1].op != same {
			joined = append(joined, diffOpText{removed, o.text}, diffOpText{added, o.text})
			continue
		}
		joined = append(joined, o)
	}
	for _, o := range joined {
		switch o.op {
		case same:
			del = appendPart(del, same, o.text)
			ins = appendPart(ins, same, o.text)
		case removed:
			del = appendPart(del, removed, o.text)
		case added:
			ins = appendPart(ins, added, o.text)
		}
	}
	return del, ins
}

// appendPart joins a piece to the previous one of the same kind, so the
// page has one <del> per changed phrase rather than one per word.
func appendPart(ps []diffPart, op diffOp, text string) []diffPart {
	if n := len(ps); n > 0 && ps[n-1].Op == op {
		ps[n-1].Text += text
		return ps
	}
	return append(ps, diffPart{op, text})
}

// splitWords splits a line into words and the spaces between them, so
// joining the pieces gives the line back.
func splitWords(s string) []string {
	var out []string
	start := 0
	inSpace := false
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if i > start && sp != inSpace {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

type diffOpText struct {
	op   diffOp
	text string
}

// lcsDiff is the classic longest-common-subsequence diff, after trimming
// the common head and tail (which is most of any two revisions).
func lcsDiff(x, y []string) []diffOpText {
	var head, tail []diffOpText
	for len(x) > 0 && len(y) > 0 && x[0] == y[0] {
		head = append(head, diffOpText{same, x[0]})
		x, y = x[1:], y[1:]
	}
	for len(x) > 0 && len(y) > 0 && x[len(x)-1] == y[len(y)-1] {
		tail = append(tail, diffOpText{same, x[len(x)-1]})
		x, y = x[:len(x)-1], y[:len(y)-1]
	}
	var mid []diffOpText
	if len(x)*len(y) > maxDiffCells {
		for _, l := range x {
			mid = append(mid, diffOpText{removed, l})
		}
		for _, l := range y {
			mid = append(mid, diffOpText{added, l})
		}
	} else {
		mid = lcsTable(x, y)
	}
	out := append(head, mid...)
	for i := len(tail) - 1; i >= 0; i-- {
		out = append(out, tail[i])
	}
	return out
}

func lcsTable(x, y []string) []diffOpText {
	n, m := len(x), len(y)
	// t[i][j] is the LCS length of x[i:] and y[j:].
	t := make([][]int32, n+1)
	for i := range t {
		t[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	var out []diffOpText
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case x[i] == y[j]:
			out = append(out, diffOpText{same, x[i]})
			i, j = i+1, j+1
		case t[i+1][j] >= t[i][j+1]:
			out = append(out, diffOpText{removed, x[i]})
			i++
		default:
			out = append(out, diffOpText{added, y[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, diffOpText{removed, x[i]})
	}
	for ; j < m; j++ {
		out = append(out, diffOpText{added, y[j]})
	}
	return out
}
