package markup

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A body is written by any contributor, and is read by anyone who searches
// or opens a preview: its rendering must take time linear in its length,
// whatever it holds. goldmark's own parsers take time that grows with the
// square of the length for several shapes of input, and this file replaces
// or wraps each part at fault, without changing what any other input
// renders to (TestSameAsGoldmark and FuzzSameAsGoldmark compare the two;
// TestRenderLinear and FuzzRenderLinear time them):
//
//   - emphasis and strikethrough: goldmark matches each closing "*", "_" or
//     "~" by looking back over every opener still open in the paragraph
//     ("*a_" repeated: each "_" looks back over every "*"). delimParser
//     collects the runs itself and matches them in resolveDelims, which
//     remembers, as the CommonMark reference does, how far back a closer of
//     each kind has already looked in vain.
//   - link destinations: at each "](" goldmark reads the destination up to
//     the next space or unbalanced ")", which is the end of the line when
//     there is none ("[a](" repeated). linkParser works out from per-line
//     tables whether the link can be complete, and when it cannot, hides the
//     "(" from goldmark's link parser, which then does what it does when the
//     destination fails: no scan at all.
//   - brackets: at each "]" goldmark looks for a link in everything after
//     the "[" it closes, and finds the text of a "]" that ends no link by a
//     search from the paragraph's last line. linkParser lets at most
//     maxOpenLabels "[" be open at once, and answers the search for a
//     line by halving.
//   - nested containers: every blockquote or list item open on a line
//     measures the line's indentation from its start ("> > > > ..."), so a
//     line nested n deep costs n². A blockquote or list opens at most
//     maxContainerDepth deep; deeper markers are text.
//   - code spans: at each run of backticks goldmark looks for a run of the
//     same length in the rest of the block, line by line, making a node
//     for each line it passes; when there is none the run is text. Runs
//     of distinct lengths ("a`", "a``", "a```", ... on lines of their own,
//     then many short lines) made each run read the whole rest: 6 s at the
//     size limit. codeSpans lists each block's runs once and lets goldmark
//     look only when the closing run exists, which its search then stops
//     at.
//   - reference definitions: for each "[label]: /url" taken out of a
//     paragraph goldmark rebuilds the paragraph's list of lines. linkRefs
//     hands it long runs of them in parts. And for each line of a label
//     it searches the paragraph's lines back from the last: linkRefs
//     takes no definition whose label runs over more than maxLabelLines
//     lines.
//   - tables: every row of a table has as many cells as its delimiter row
//     has columns, however short the row, so the cells grow with the
//     product of two lengths. tableCells pays for them from the budget
//     below.
//
// Linear is not enough: at the size limit, a body made of nothing but
// small elements (a list item every 4 bytes, an emphasis every 2) took
// 100 to 250 ms, where every body must take under 100. So the elements
// that cost the most (list items and blockquotes, links and images,
// emphasis and code spans, typographic quotes, embed cards, tables) are
// paid for from a budget each body has: see maxWork.
//
// The limits (16 levels, 32 open brackets, 16 definition lines at once,
// labels of definitions over 4 lines, the budget) are far beyond any
// story; past them a body still renders, with the deeper or further
// markers as text (a definition's title that runs across a part's end cut
// there, and a long label's definition as text).

// maxContainerDepth is how many blockquotes and list items deep a block may
// open. Stories nest a quote in a list, or a list in a list, a few levels
// at most.
const maxContainerDepth = 16

// The elements that cost the most are paid for from a budget of work each
// body has, maxWork: past it, the markup of the rest of the body that
// would make one is text. Each element is a node in the tree, or a few,
// and most are a tag or two that the sanitizer reads again: a body of
// nothing but one of them at the size limit (65,536 list items, 262,144
// runs of "_*", 32,768 links, 131,072 apostrophes) took 100 to 250 ms to
// render, where every body must take under 100, and a budget for each
// kind would still let one body have them all. The costs are each kind's
// time to parse, render and sanitize, as measured, in units of about
// 0.5 µs on this project's machine: the whole budget is some 30 ms,
// leaving the rest of the 100 for what the body holds besides. Blocks
// are paid for too (87,000 one-word paragraphs took 174 ms), so that what
// the budget does not pay for is the text of one paragraph. A story
// spends a few thousand; TestLongReadWithinBudget's 39,000-word long read
// (the size limit: 1,400 paragraphs, 800 links, 2,000 emphases, a list of
// 300 items, a table of 100 rows of 5 columns) about 39,000. (65,520 is a
// multiple of every cost.)
const maxWork = 65520

// An element is a kind of element paid for from the budget.
type element int

const (
	// item is a list item, blockquote a blockquote. With the budget
	// spent no list or blockquote opens, and a list open ends at its
	// next line: its markers are text, of the last item's paragraph
	// when there is one.
	item element = iota
	blockquote
	// link is a "[" that opens a link's text, or an autolink; image a
	// "![" that opens an image's.
	link
	image
	// run is a run of "*", "_" or "~" (of one or two) that may open or
	// close emphasis or strikethrough, or could were it not inside a
	// word; span a code span.
	run
	span
	// quote is a quote, dash or ellipsis the typographer makes curly
	// or long; with the budget spent they stay straight.
	quote
	// embed is a paragraph of a known provider's address that becomes an
	// embed card; with the budget spent it stays a paragraph.
	embed
	// block is a paragraph, heading, thematic break, code block or HTML
	// block (a leaf block: list items and blockquotes are items and
	// blockquotes, and pay for none of the blocks in them besides). With
	// the budget spent no block but a paragraph opens, and the paragraph
	// open goes on over blank lines and the lines that would have opened
	// a block: the rest of the body is its text. (87,000 paragraphs of
	// "a" took 174 ms to render, half of it the sanitizer's.)
	block
	// rawHTML is a "<" read for raw HTML, a tag or not: goldmark reads
	// each with a regular expression over what follows it (a body of
	// "<a href='" repeated took 146 ms). Raw HTML is dropped from the
	// page; with the budget spent, a tag is text.
	rawHTML
	// cell is a table, a row of one or a cell. A table that would take
	// the body past the budget is not one: its lines are a paragraph.
	// (Every row of a table has as many cells as its delimiter row: 6
	// KB of a table 1,000 columns wide and as many rows long took
	// goldmark 9 s to render, and made 10 MB of HTML.)
	cell
	elements
)

// cost is what each element takes from the budget.
var cost = [elements]int{
	item:       2,
	blockquote: 6,
	block:      4,
	rawHTML:    6,
	link:       10,
	image:      20,
	run:        3,
	span:       3,
	quote:      2,
	embed:      60,
	cell:       4,
}

var workKey = parser.NewContextKey()

// work is what a body has spent of maxWork so far, kept in its parser
// context; and how many runs of "*", "_" and "~" the block being read has
// (delimParser), so that a block without them is not walked for them.
type work struct{ spent, runs int }

func workOf(pc parser.Context) *work {
	w, _ := pc.Get(workKey).(*work)
	if w == nil {
		w = &work{}
		pc.Set(workKey, w)
	}
	return w
}

// affords reports whether the body can have n elements of e more.
func (w *work) affords(e element, n int) bool { return n <= (maxWork-w.spent)/cost[e] }

// pay takes n elements of e from the budget.
func (w *work) pay(e element, n int) { w.spent += n * cost[e] }

// blockParsers are goldmark's block parsers, with blockquotes and lists
// limited in depth and number.
func blockParsers() []util.PrioritizedValue {
	ps := parser.DefaultBlockParsers()
	for i, p := range ps {
		switch p.Value {
		case parser.NewBlockquoteParser():
			ps[i].Value = containerLimited{BlockParser: p.Value.(parser.BlockParser), e: blockquote, depth: true}
		case parser.NewListParser():
			ps[i].Value = containerLimited{BlockParser: p.Value.(parser.BlockParser), e: item, depth: true}
		case parser.NewListItemParser():
			// (It opens an item only in a list the list parser
			// opened, so no deeper than that list.)
			ps[i].Value = containerLimited{BlockParser: p.Value.(parser.BlockParser), e: item}
		case parser.NewParagraphParser():
			ps[i].Value = paragraphs{p.Value.(parser.BlockParser)}
		default:
			ps[i].Value = leafLimited{p.Value.(parser.BlockParser)}
		}
	}
	return ps
}

// inlineParsers are goldmark's inline parsers with the bounded link and
// emphasis parsers in place of goldmark's, plus strikethrough, and the
// typographer's parser typo (last, as its extension puts it) behind
// quoteRuns.
func inlineParsers(typo parser.InlineParser) []util.PrioritizedValue {
	return []util.PrioritizedValue{
		util.Prioritized(codeSpans{inner: parser.NewCodeSpanParser()}, 100),
		util.Prioritized(linkParser{inner: parser.NewLinkParser()}, 200),
		util.Prioritized(paid{parser.NewAutoLinkParser(), link}, 300),
		util.Prioritized(attempts{parser.NewRawHTMLParser(), rawHTML}, 400),
		util.Prioritized(delimParser{}, 500),
		util.Prioritized(quoteRuns{typo}, 9999),
	}
}

// paid is an inline parser whose elements, of kind e, are paid for from
// the budget. With the budget spent it takes nothing: goldmark, with no
// parser to take the character, reads it as text, one with the text
// around it.
type paid struct {
	parser.InlineParser
	e element
}

func (p paid) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	w := workOf(pc)
	if !w.affords(p.e, 1) {
		return nil
	}
	n := p.InlineParser.Parse(parent, block, pc)
	if n != nil {
		w.pay(p.e, 1)
	}
	return n
}

// attempts is an inline parser whose every attempt, whether it makes an
// element or not, is paid for from the budget as an element of kind e:
// one that reads far to fail. With the budget spent it takes nothing.
type attempts struct {
	parser.InlineParser
	e element
}

func (p attempts) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	w := workOf(pc)
	if !w.affords(p.e, 1) {
		return nil
	}
	w.pay(p.e, 1)
	return p.InlineParser.Parse(parent, block, pc)
}

// codeSpans is goldmark's code span parser, except that an opening run of
// backticks with no run of the same length after it in its block is text
// at once, as goldmark makes it after reading the rest of the block.
type codeSpans struct{ inner parser.InlineParser }

func (p codeSpans) Trigger() []byte { return p.inner.Trigger() }

var backtickRunsKey = parser.NewContextKey()

// backtickRuns are the runs of backticks in a block from offset from on,
// as goldmark's search sees them (each cut at its line's end): for each
// length, the source offsets where runs of it start, in order.
type backtickRuns struct {
	block ast.Node
	from  int
	at    map[int][]int
}

func (p codeSpans) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	w := workOf(pc)
	if !w.affords(span, 1) {
		return nil
	}
	line, segment := block.PeekLine()
	n := 0
	for n < len(line) && line[n] == '`' {
		n++
	}
	if n == 0 || segment.Padding != 0 {
		return p.span(parent, block, pc, w)
	}
	start := segment.Start
	runs, _ := pc.Get(backtickRunsKey).(*backtickRuns)
	if runs == nil || runs.block != parent || start < runs.from {
		runs = listBacktickRuns(parent, block, start)
		pc.Set(backtickRunsKey, runs)
	}
	// The opening run ends at start+n, and the next byte is not a
	// backtick, so the runs goldmark's search meets are those listed
	// from start+n on.
	at := runs.at[n]
	if i := sort.SearchInts(at, start+n); i == len(at) {
		block.Advance(n)
		return ast.NewTextSegment(segment.WithStop(start + n))
	}
	return p.span(parent, block, pc, w)
}

// span is goldmark's parser's code span, paid for.
func (p codeSpans) span(parent ast.Node, block text.Reader, pc parser.Context, w *work) ast.Node {
	n := p.inner.Parse(parent, block, pc)
	if n != nil {
		w.pay(span, 1)
	}
	return n
}

// listBacktickRuns lists the runs of backticks of the block being read,
// from the reader's position on. It leaves the reader where it was.
func listBacktickRuns(parent ast.Node, block text.Reader, from int) *backtickRuns {
	runs := &backtickRuns{block: parent, from: from, at: map[int][]int{}}
	l, pos := block.Position()
	defer block.SetPosition(l, pos)
	for {
		line, seg := block.PeekLine()
		if line == nil {
			return runs
		}
		// line is the segment's bytes after Padding spaces.
		for i := 0; i < len(line); {
			if line[i] != '`' {
				i++
				continue
			}
			j := i
			for j < len(line) && line[j] == '`' {
				j++
			}
			off := seg.Start + i - seg.Padding
			runs.at[j-i] = append(runs.at[j-i], off)
			i = j
		}
		block.AdvanceLine()
	}
}

// quoteRuns is the typographer's parser, which turns one quote at a time
// into a curly one, but first reads the whole run of quotes it starts
// (goldmark's ScanDelimiter) to know what follows it: a run of n quotes
// cost n². quoteRuns shows it a run shortened to a few quotes and what
// follows, which is all it looks at (the next four characters and the
// character after the run), with each run's end found once.
type quoteRuns struct{ inner parser.InlineParser }

func (p quoteRuns) Trigger() []byte { return p.inner.Trigger() }

// shortRun is how many quotes of a run the typographer is shown, and
// longRun how long a run must be to be shortened.
const shortRun, longRun = 5, 16

var quoteRunKey = parser.NewContextKey()

func (p quoteRuns) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	w := workOf(pc)
	if !w.affords(quote, 1) {
		return nil
	}
	n := p.parse(parent, block, pc)
	if n != nil {
		w.pay(quote, 1)
	}
	return n
}

func (p quoteRuns) parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, segment := block.PeekLine()
	if c := line[0]; (c == '\'' || c == '"') && len(line) >= longRun && line[longRun-1] == c && segment.Padding == 0 {
		// The end of the run, kept for the run's next quotes.
		src := block.Source()
		end, _ := pc.Get(quoteRunKey).(int)
		if !(segment.Start < end && segment.Start > 0 && src[segment.Start-1] == c) {
			end = segment.Start + 1
			for end < segment.Stop && src[end] == c {
				end++
			}
			pc.Set(quoteRunKey, end)
		}
		if end-segment.Start >= longRun {
			short := make([]byte, 0, shortRun+8)
			short = append(short, line[:shortRun]...)
			short = append(short, src[end:min(end+8, segment.Stop)]...)
			block = shortLine{Reader: block, line: short}
		}
	}
	return p.inner.Parse(parent, block, pc)
}

// shortLine reads as its Reader, except that PeekLine returns line.
type shortLine struct {
	text.Reader
	line []byte
}

func (r shortLine) PeekLine() ([]byte, text.Segment) {
	_, seg := r.Reader.PeekLine()
	return r.line, seg
}

// containerLimited is the blockquote, list or list item parser. It opens
// no list item or blockquote the budget cannot pay for, and when depth is
// set, no block deeper than maxContainerDepth; and with the budget spent,
// it ends the lists open.
type containerLimited struct {
	parser.BlockParser
	e     element // what it opens (a list opens with its first item)
	depth bool
}

func (p containerLimited) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	w := workOf(pc)
	if !w.affords(p.e, 1) {
		return nil, parser.NoChildren
	}
	if p.depth {
		depth := 0
		for n := parent; n != nil; n = n.Parent() {
			switch n.Kind() {
			case ast.KindBlockquote, ast.KindListItem:
				depth++
			}
		}
		if depth >= maxContainerDepth {
			return nil, parser.NoChildren
		}
	}
	n, state := p.BlockParser.Open(parent, reader, pc)
	if n != nil && n.Kind() != ast.KindList {
		w.pay(p.e, 1)
	}
	return n, state
}

func (p containerLimited) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	// A list goes on to a new item, or goes on with its last, and
	// goldmark asks the item parser for a new item only when the list
	// has said it goes on: ending the list is the way to open no more.
	// What follows is then read as lines that open no list: text of
	// the last item's paragraph, or blocks after the list.
	if node.Kind() == ast.KindList && !workOf(pc).affords(item, 1) {
		return parser.Close
	}
	return p.BlockParser.Continue(node, reader, pc)
}

// leafLimited is the parser of a leaf block other than the paragraph: it
// opens no block the budget cannot pay for.
type leafLimited struct{ parser.BlockParser }

func (p leafLimited) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	w := workOf(pc)
	if !w.affords(block, 1) {
		return nil, parser.NoChildren
	}
	n, state := p.BlockParser.Open(parent, reader, pc)
	if n != nil {
		w.pay(block, 1)
	}
	return n, state
}

// paragraphs is the paragraph parser, paid for from the budget while it
// lasts. A paragraph opens even with the budget spent, as the line must
// go somewhere; but then it goes on over blank lines, so that no other
// opens, and as no other block opens either (leafLimited,
// containerLimited), it is the last block of the body, or of each
// container open.
type paragraphs struct{ parser.BlockParser }

func (p paragraphs) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	n, state := p.BlockParser.Open(parent, reader, pc)
	if w := workOf(pc); n != nil && w.affords(block, 1) {
		w.pay(block, 1)
	}
	return n, state
}

func (p paragraphs) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	// (The blank line is read and left out: goldmark reads no empty
	// line in a paragraph.)
	if line, _ := reader.PeekLine(); util.IsBlank(line) && !workOf(pc).affords(block, 1) {
		reader.AdvanceToEOL()
		return parser.Continue | parser.NoChildren
	}
	return p.BlockParser.Continue(node, reader, pc)
}

// delim is a run of "*", "_" or "~" that may open or close emphasis or
// strikethrough, until resolveDelims matches it or turns it into text.
type delim struct {
	ast.BaseInline
	seg                text.Segment
	char               byte
	canOpen, canClose  bool
	length, origLength int
	prev, next         *delim
	index              int // place in its list, to compare positions
}

var kindDelim = ast.NewNodeKind("DelimiterRun")

func (d *delim) Kind() ast.NodeKind { return kindDelim }

func (d *delim) Dump(source []byte, level int) {
	fmt.Printf("%sDelimiterRun: %q\n", strings.Repeat("    ", level), d.seg.Value(source))
}

// delimParser reads the runs goldmark's emphasis and strikethrough parsers
// read, with the same flanking rules, but keeps them out of goldmark's
// delimiter list: it resolves them itself when the block closes.
type delimParser struct{}

func (delimParser) Trigger() []byte { return []byte{'*', '_', '~'} }

func (delimParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	w := workOf(pc)
	if !w.affords(run, 1) {
		return nil
	}
	before := block.PrecendingCharacter()
	line, segment := block.PeekLine()
	c := line[0]
	n := 1
	for n < len(line) && line[n] == c {
		n++
	}
	// GFM strikethrough: one or two tildes, not part of a longer run.
	if c == '~' && (n > 2 || before == '~') {
		return nil
	}
	after := ' '
	if n < len(line) {
		after = util.ToRune(line, n)
	}
	canOpen, canClose := flanking(c, before, after)
	block.Advance(n)
	w.pay(run, 1)
	w.runs++
	return &delim{
		seg:        segment.WithStop(segment.Start + n),
		char:       c,
		canOpen:    canOpen,
		canClose:   canClose,
		length:     n,
		origLength: n,
	}
}

// flanking tells whether a run of c between the characters before and
// after can open and close emphasis: CommonMark's left- and right-flanking
// rules, with "_" kept from opening or closing inside a word, as goldmark's
// ScanDelimiter has them.
func flanking(c byte, before, after rune) (canOpen, canClose bool) {
	beforePunct, beforeSpace := util.IsPunctRune(before), util.IsSpaceRune(before)
	afterPunct, afterSpace := util.IsPunctRune(after), util.IsSpaceRune(after)
	left := !afterSpace && (!afterPunct || beforeSpace || beforePunct)
	right := !beforeSpace && (!beforePunct || afterSpace || afterPunct)
	if c == '_' {
		return left && (!right || beforePunct), right && (!left || afterPunct)
	}
	return left, right
}

// CloseBlock resolves the runs of the block goldmark has just read the
// inlines of.
func (delimParser) CloseBlock(parent ast.Node, _ text.Reader, pc parser.Context) {
	if w := workOf(pc); w.runs > 0 {
		w.runs = 0
		resolveDelims(parent)
	}
}

// resolveDelims matches the runs among n's children, and among the
// children of its inline children (a link's text is matched on its own, as
// goldmark does when it closes the link).
func resolveDelims(n ast.Node) {
	var list delimList
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if d, ok := c.(*delim); ok {
			list.push(d)
			continue
		}
		if c.Type() == ast.TypeInline && c.HasChildren() {
			resolveDelims(c)
		}
	}
	if list.first != nil {
		list.resolve()
	}
}

// delimList is the runs of one inline container, in order.
type delimList struct {
	first, last *delim
	n           int
}

func (l *delimList) push(d *delim) {
	d.index = l.n
	l.n++
	if l.last == nil {
		l.first = d
	} else {
		l.last.next = d
		d.prev = l.last
	}
	l.last = d
}

// remove takes d out of the list and turns what is left of it into text,
// as goldmark's RemoveDelimiter does.
func (l *delimList) remove(d *delim) {
	if d.prev == nil {
		l.first = d.next
	} else {
		d.prev.next = d.next
	}
	if d.next == nil {
		l.last = d.prev
	} else {
		d.next.prev = d.prev
	}
	d.prev, d.next = nil, nil
	if d.length != 0 {
		ast.MergeOrReplaceTextSegment(d.Parent(), d, d.seg)
	} else {
		d.Parent().RemoveChild(d.Parent(), d)
	}
}

// consume is how many characters opener and closer use for one span: 0
// when the rule of three forbids the pair (CommonMark's "multiple of 3"
// rule, as goldmark's CalcComsumption has it).
func consume(opener, closer *delim) int {
	if (opener.canClose || closer.canOpen) && (opener.origLength+closer.origLength)%3 == 0 && closer.origLength%3 != 0 {
		return 0
	}
	if opener.length >= 2 && closer.length >= 2 {
		return 2
	}
	return 1
}

// closerKind is what decides, besides the opener, whether a closer can
// close it: its character, whether it can open, its length modulo 3.
func closerKind(d *delim) int {
	c := 0
	switch d.char {
	case '_':
		c = 1
	case '~':
		c = 2
	}
	o := 0
	if d.canOpen {
		o = 1
	}
	return (c*2+o)*3 + d.origLength%3
}

// resolve matches the runs as goldmark's ProcessDelimiters does, closer by
// closer from the first, each with the nearest opener that it can close,
// and turns what is left into text. Unlike goldmark, it remembers for each
// kind of closer below which run a search already failed (bottom), and
// never looks there again: whether a run can open for a closer depends only
// on the two runs' kinds, so a search that failed fails again. Each run is
// then passed over a bounded number of times, and the whole is linear.
func (l *delimList) resolve() {
	var bottom [3 * 2 * 3]int
	for i := range bottom {
		bottom[i] = -1
	}
	closer := l.first
	for closer != nil {
		if !closer.canClose {
			closer = closer.next
			continue
		}
		kind := closerKind(closer)
		var opener *delim
		n, maybeOpener := 0, false
		for o := closer.prev; o != nil && o.index > bottom[kind]; o = o.prev {
			if o.canOpen && o.char == closer.char {
				maybeOpener = true
				if n = consume(o, closer); n > 0 {
					opener = o
					break
				}
			}
		}
		if opener == nil {
			bottom[kind] = closer.index - 1
			next := closer.next
			if !maybeOpener && !closer.canOpen {
				l.remove(closer)
			}
			closer = next
			continue
		}

		opener.length -= n
		opener.seg = opener.seg.WithStop(opener.seg.Start + opener.length)
		closer.length -= n
		closer.seg = closer.seg.WithStop(closer.seg.Start + closer.length)

		var span ast.Node
		if opener.char == '~' {
			span = extast.NewStrikethrough()
		} else {
			span = ast.NewEmphasis(n)
		}
		span.(interface{ SetPos(int) }).SetPos(opener.seg.Start)
		parent := opener.Parent()
		for c := opener.NextSibling(); c != nil && c != closer; {
			next := c.NextSibling()
			span.AppendChild(span, c)
			c = next
		}
		parent.InsertAfter(parent, opener, span)
		for c := opener.next; c != nil && c != closer; {
			next := c.next
			l.remove(c)
			c = next
		}
		if opener.length == 0 {
			l.remove(opener)
		}
		if closer.length == 0 {
			next := closer.next
			l.remove(closer)
			closer = next
		}
	}
	for l.last != nil {
		l.remove(l.last)
	}
}

// linkParser is goldmark's link parser, except that at "](" it first works
// out whether the destination (and title) can be complete, and when they
// cannot, hides the "(" so that goldmark does not read the rest of the line
// to find out. With "(" hidden goldmark goes on exactly as it does when the
// destination fails: it tries the text as a shortcut reference.
type linkParser struct{ inner parser.InlineParser }

func (linkParser) Trigger() []byte { return []byte{'!', '[', ']'} }

func (p linkParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, segment := block.PeekLine()
	open, _ := pc.Get(openLabelsKey).(int)
	if line[0] != ']' {
		e := link
		if line[0] == '!' {
			e = image
		}
		w := workOf(pc)
		if open >= maxOpenLabels || !w.affords(e, 1) {
			// A bracket this deep, or one the budget cannot pay
			// for, opens nothing: with no parser to take it,
			// goldmark reads it as text, one with the text around
			// it.
			return nil
		}
		n := p.inner.Parse(parent, block, pc)
		if n != nil {
			pc.Set(openLabelsKey, open+1)
			w.pay(e, 1)
		}
		return n
	}
	if open == 0 {
		// goldmark's parser finds no label to close, and reads no
		// further.
		return p.inner.Parse(parent, block, pc)
	}
	// goldmark's parser closes the last label open.
	pc.Set(openLabelsKey, open-1)
	r := linkReader{Reader: block, lines: parent.Lines(), hide: -1}
	if len(line) > 1 && line[1] == '(' && segment.Padding == 0 && !linkCanClose(block, pc) {
		r.hide = segment.Start + 1
	}
	return p.inner.Parse(parent, r, pc)
}

func (p linkParser) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	pc.Set(openLabelsKey, 0)
	p.inner.(parser.CloseBlocker).CloseBlock(parent, block, pc)
}

var openLabelsKey = parser.NewContextKey()

// maxOpenLabels is how many "[" may be open (not yet closed by a "]") at
// once in a block. At each "]" goldmark looks for a link in everything
// after the "[" it closes, so each "[" open over a stretch of text makes
// goldmark read the stretch once more. A story has one or two open at once.
const maxOpenLabels = 32

// linkRefs is goldmark's paragraph transformer that takes link reference
// definitions ("[label]: /url") from the start of a paragraph, for
// paragraphs with few lines that could start one. goldmark's rebuilds the
// paragraph's list of lines for each definition it takes out; for a
// paragraph with more than maxRefLines such lines, linkRefs hands it
// over in parts of that many, cut before a line that starts with "[", as
// long as each part is all definitions.
type linkRefs struct{}

// maxRefLines is how many lines that could start a link reference
// definition goldmark's transformer reads at once.
const maxRefLines = 16

func (linkRefs) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	source := reader.Source()
	if lines.Len() > 0 && !hasBracket(lines, source) {
		// No definition, and goldmark's transformer would change
		// nothing; it would still make a reader and a parse for
		// each paragraph and list item.
		return
	}
	// The lines before which a part may end.
	var cuts []int
	for i := range lines.Len() {
		if seg := lines.At(i); startsLabel(seg.Value(source)) {
			cuts = append(cuts, i)
		}
	}
	// Lines from end on hold no definition: a label closed more than
	// maxLabelLines lines on makes none. (goldmark's transformer
	// finds each line of a label by a search back from the paragraph's
	// last line: a label over n lines of a paragraph of as many cost n².)
	end := lines.Len()
	for k, i := range cuts {
		if !shortLabel(lines, i, source) {
			end, cuts = i, cuts[:k]
			break
		}
	}
	if end == lines.Len() && len(cuts) <= maxRefLines {
		parser.LinkReferenceParagraphTransformer.Transform(node, reader, pc)
		return
	}
	parent := node.Parent()
	from := 0
	for k := maxRefLines; from < end; k += maxRefLines {
		to := end
		if k < len(cuts) {
			to = cuts[k]
		}
		part := ast.NewParagraph()
		partLines := text.NewSegments()
		partLines.AppendAll(slices.Clone(lines.Sliced(from, to)))
		part.SetLines(partLines)
		part.SetBlankPreviousLines(from == 0 && node.HasBlankPreviousLines())
		parent.InsertBefore(parent, node, part)
		parser.LinkReferenceParagraphTransformer.Transform(part, reader, pc)
		if part.Parent() != nil {
			// Not all definitions: the paragraph is what is left.
			rest := part.Lines()
			rest.AppendAll(lines.Sliced(to, lines.Len()))
			parent.RemoveChild(parent, part)
			node.SetLines(rest)
			return
		}
		from = to
	}
	if end == lines.Len() {
		parent.RemoveChild(parent, node)
		return
	}
	rest := text.NewSegments()
	rest.AppendAll(slices.Clone(lines.Sliced(end, lines.Len())))
	node.SetLines(rest)
}

// hasBracket reports whether a "[" is on any of lines.
func hasBracket(lines *text.Segments, source []byte) bool {
	for i := range lines.Len() {
		if seg := lines.At(i); bytes.IndexByte(seg.Value(source), '[') >= 0 {
			return true
		}
	}
	return false
}

// paragraphTransformers are linkRefs, in place of goldmark's transformer
// of link reference definitions, and tableCells, ahead of the table
// extension's transformer (200).
func paragraphTransformers() []util.PrioritizedValue {
	return []util.PrioritizedValue{
		util.Prioritized(linkRefs{}, 100),
		util.Prioritized(tableCells{}, 150),
	}
}

// tableCells pays for the tables of a body from its budget. The table
// extension's transformer makes a paragraph's lines from its first
// delimiter row on (the line before it is the header) into a table with as
// many cells in each row as the delimiter row has columns. tableCells
// counts the table, its rows and their cells, and when the body cannot
// pay for them, gives the
// extension a paragraph of the same lines that is not the one it was
// asked to read: goldmark takes the paragraph as transformed, and reads
// it as text.
type tableCells struct{}

func (tableCells) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	source := reader.Source()
	for i := 1; i < lines.Len(); i++ {
		seg := lines.At(i)
		columns := delimiterColumns(seg.Value(source))
		if columns == 0 {
			continue
		}
		w := workOf(pc)
		// The table, and the header and each line after the delimiter
		// row, with their cells.
		if n := 1 + (columns+1)*(lines.Len()-i); w.affords(cell, n) {
			w.pay(cell, n)
			return
		}
		p := ast.NewParagraph()
		p.SetLines(lines)
		p.SetBlankPreviousLines(node.HasBlankPreviousLines())
		node.Parent().ReplaceChild(node.Parent(), node, p)
		// goldmark closes a paragraph after its transformers, and not
		// one they took out.
		parser.NewParagraphParser().Close(p, reader, pc)
		return
	}
}

// delimiterColumns returns how many columns a table's delimiter row has,
// or 0 when line is not one, as the table extension reads it: at most 3
// spaces of indent, then only "|", "-", ":" and white space, not only
// "-"; cut at each "|", without a blank first or last part, each part
// "-" or more between an optional ":" on either side, with white space
// around.
func delimiterColumns(line []byte) int {
	if w, _ := util.IndentWidth(line, 0); w > 3 {
		return 0
	}
	onlyDashes := true
	for _, b := range line {
		if b != '-' {
			onlyDashes = false
		}
		if !util.IsSpace(b) && b != '-' && b != '|' && b != ':' {
			return 0
		}
	}
	if onlyDashes {
		return 0
	}
	cols := bytes.Split(line, []byte{'|'})
	if util.IsBlank(cols[0]) {
		cols = cols[1:]
	}
	if len(cols) > 0 && util.IsBlank(cols[len(cols)-1]) {
		cols = cols[:len(cols)-1]
	}
	for _, col := range cols {
		col = bytes.TrimFunc(col, func(r rune) bool { return r < utf8.RuneSelf && util.IsSpace(byte(r)) })
		col = bytes.TrimPrefix(col, []byte{':'})
		col = bytes.TrimSuffix(col, []byte{':'})
		if len(col) == 0 || len(bytes.Trim(col, "-")) != 0 {
			return 0
		}
	}
	return len(cols)
}

// maxLabelLines is how many lines a link reference definition's label may
// span. goldmark's take any number; CommonMark's are at most 999
// characters, and a story's fit on one line.
const maxLabelLines = 4

// shortLabel reports whether the "[" that line i of lines starts with
// (after at most three spaces) is not a label closed more than
// maxLabelLines lines on: it is closed by a "]" within them, made no label
// by another "[", or never closed. It reads as goldmark's FindClosure does
// for a label: a backslash escapes punctuation, and brackets do not nest.
// (Each search stops at the next line that starts with "[", so all of
// them read the paragraph about once.)
func shortLabel(lines *text.Segments, i int, source []byte) bool {
	for n := i; n < lines.Len(); n++ {
		seg := lines.At(n)
		line := seg.Value(source)
		j := 0
		if n == i {
			j = bytes.IndexByte(line, '[') + 1
		}
		for ; j < len(line); j++ {
			switch c := line[j]; {
			case c == '\\' && j < len(line)-1 && util.IsPunct(line[j+1]):
				j++
			case c == '[':
				return true
			case c == ']':
				return n-i < maxLabelLines
			}
		}
	}
	return true
}

// startsLabel reports whether line starts with "[" after at most three
// spaces, as a link reference definition does.
func startsLabel(line []byte) bool {
	for i, c := range line {
		switch {
		case c == '[':
			return true
		case c == ' ' && i < 3:
		default:
			return false
		}
	}
	return false
}

// linkReader reads as its Reader, goldmark's reader of the block's lines,
// does, except for two things. The byte at source offset hide, if any,
// peeks as a space. Value finds the line a segment starts on by a binary
// search: goldmark's looks back from the last line, and the link parser
// asks for the text of every "]" that ends no link, so a paragraph of
// lines of "[a]" took time that grows with the square of its lines.
type linkReader struct {
	text.Reader
	lines *text.Segments
	hide  int
}

func (r linkReader) Peek() byte {
	if _, pos := r.Position(); pos.Start == r.hide && pos.Padding == 0 {
		return ' '
	}
	return r.Reader.Peek()
}

// Value returns the text of seg as goldmark's block reader's Value does:
// the bytes of the lines it covers, with their padding.
func (r linkReader) Value(seg text.Segment) []byte {
	n := r.lines.Len()
	// The last line starting at or before seg.Start.
	line := sort.Search(n, func(i int) bool { return r.lines.At(i).Start > seg.Start }) - 1
	if line < 0 {
		return r.Reader.Value(seg)
	}
	source := r.Source()
	ret := make([]byte, 0, seg.Stop-seg.Start+1)
	i := seg.Start
	for ; line < n; line++ {
		s := r.lines.At(line)
		if i < 0 {
			i = s.Start
		}
		ret = s.ConcatPadding(ret)
		if stop := min(seg.Stop, s.Stop); i < stop {
			ret = append(ret, source[i:stop]...)
		}
		i = -1
		if s.Stop > seg.Stop {
			break
		}
	}
	return ret
}

// linkCanClose reports whether the "(" after the "]" at the reader's
// position starts a destination, optional title and ")" that goldmark's
// link parser would accept. It reads as that parser does (its parseLink),
// except that the destination's end comes from destinationEnd's tables, not
// a scan. It leaves the reader where it was.
func linkCanClose(block text.Reader, pc parser.Context) bool {
	line, pos := block.Position()
	defer block.SetPosition(line, pos)
	block.Advance(2) // "]("
	block.SkipSpaces()
	if block.Peek() == ')' {
		return true
	}
	block.SkipSpaces()
	rest, seg := block.PeekLine()
	if rest == nil {
		return false
	}
	if seg.Padding != 0 {
		// Only at the start of a line in a container: read it as
		// goldmark would.
		return true
	}
	n, ok := destinationEnd(pc, block.Source(), seg)
	if !ok {
		return false
	}
	// What follows the destination decides the rest. Many "](" on a
	// line can share one destination end (their scans all stop at the
	// same space), so the answer is kept for each end.
	after, _ := pc.Get(afterDestKey).(map[int]bool)
	if after == nil {
		after = map[int]bool{}
		pc.Set(afterDestKey, after)
	}
	end := seg.Start + n
	if ok, seen := after[end]; seen {
		return ok
	}
	block.Advance(n)
	ok = titleCanClose(block)
	after[end] = ok
	return ok
}

// titleCanClose reports whether what follows a link destination is an
// optional title and the ")", as goldmark's parseLink reads them.
func titleCanClose(block text.Reader) bool {
	block.SkipSpaces()
	if block.Peek() == ')' {
		return true
	}
	// Each search for the title's end stops at the next quote or
	// parenthesis of its kind, so the searches from one block's titles
	// read it about once.
	opener := block.Peek()
	closer := opener
	switch opener {
	case '"', '\'':
	case '(':
		closer = ')'
	default:
		return false
	}
	block.Advance(1)
	if _, found := block.FindClosure(opener, closer, text.FindClosureOptions{Newline: true, Advance: true}); !found {
		return false
	}
	block.SkipSpaces()
	return block.Peek() == ')'
}

var afterDestKey = parser.NewContextKey()

var destTablesKey = parser.NewContextKey()

// destTables tell, for the line source[from:to], where a link destination
// starting at each offset ends, so that the destinations of a line full of
// "](" are found in one pass over it.
type destTables struct {
	from, to int
	// bare[i]: the length of a destination without angle brackets
	// starting at from+i (up to white space or an unbalanced ")"), or -1
	// when from+i is inside a backslash escape.
	bare []int
	// angle[i]: the offset past the ">" closing a destination whose "<"
	// is at from+i, or -1 when there is none on the line.
	angle []int
}

// destinationEnd returns how many bytes of seg goldmark's link parser
// would take as the destination starting at seg.Start (parseLinkDestination),
// and whether it would take one at all.
func destinationEnd(pc parser.Context, source []byte, seg text.Segment) (int, bool) {
	t, _ := pc.Get(destTablesKey).(*destTables)
	if t == nil || t.to != seg.Stop || seg.Start < t.from {
		t = newDestTables(source, seg.Start, seg.Stop)
		pc.Set(destTablesKey, t)
	}
	i := seg.Start - t.from
	if source[seg.Start] == '<' {
		if t.angle[i] < 0 {
			return 0, false
		}
		return t.angle[i] - seg.Start, true
	}
	n := t.bare[i]
	if n < 0 {
		// Never the case: a destination starts after "(" or white
		// space. Should it be, goldmark reads it.
		return 0, true
	}
	return n, n != 0
}

// newDestTables computes the tables for source[from:to].
func newDestTables(source []byte, from, to int) *destTables {
	line := source[from:to]
	n := len(line)
	t := &destTables{from: from, to: to, bare: make([]int, n), angle: make([]int, n)}
	// Cut the line into tokens: a backslash escape of a punctuation
	// character is one, any other byte is one. From where a destination
	// can start (after "(" or white space) goldmark's scan cuts the same.
	// level[k] is the parenthesis level before token k.
	starts := make([]int, 0, n+1)
	level := make([]int, 0, n+1)
	for i := range t.bare {
		t.bare[i], t.angle[i] = -1, -1
	}
	lv := 0
	for i := 0; i < n; {
		starts = append(starts, i)
		level = append(level, lv)
		c := line[i]
		switch {
		case c == '\\' && i < n-1 && util.IsPunct(line[i+1]):
			i += 2
			continue
		case c == '(':
			lv++
		case c == ')':
			lv--
		}
		i++
	}
	starts = append(starts, n)
	level = append(level, lv)
	k := len(starts) - 1 // tokens

	// From the end: the next white space, the next token at each level
	// (a scan from token j stops at the first later token at level
	// level[j]-1, that is just after the ")" that takes it below its
	// start), and the next ">".
	nextSpace := n
	// nextAt[lv+k]: the next token at level lv (levels are within ±k).
	nextAt := make([]int, 2*k+3)
	for i := range nextAt {
		nextAt[i] = -1
	}
	nextAt[level[k]+k+1] = k
	nextGT := -1
	for j := k - 1; j >= 0; j-- {
		i := starts[j]
		c := line[i]
		isEscape := starts[j+1]-i == 2
		if !isEscape && util.IsSpace(c) {
			nextSpace = i
		}
		end := nextSpace
		if u := nextAt[level[j]-1+k+1]; u >= 0 && starts[u]-1 < end {
			// The ")" before token u ends the scan, and is not part
			// of the destination.
			end = starts[u] - 1
		}
		t.bare[i] = end - i
		nextAt[level[j]+k+1] = j
		// A "<" at i: goldmark looks for ">" from i+1, cutting escapes
		// from there, which is how the tokens are cut when line[i] is
		// a token of its own.
		if !isEscape && c == '>' {
			nextGT = i
		}
		if c == '<' && !isEscape && nextGT > i {
			t.angle[i] = from + nextGT + 1
		}
	}
	return t
}
