package wordpress

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// Namespaces the reader tells apart. WordPress's own ("wp:" and
// "excerpt:") carry the WXR version in their URL, so they are matched by
// prefix rather than spelled out.
const (
	nsWordPress = "http://wordpress.org/export/1."
	nsContent   = "http://purl.org/rss/1.0/modules/content/"
	nsDC        = "http://purl.org/dc/elements/1.1/"
)

// rawItem is one <item> of the export as it is written, every field a
// trimmed string. Both passes decode items into it; only one is held at a
// time, so a multi-gigabyte export is read in the memory of its largest
// item.
type rawItem struct {
	line int // where the <item> starts

	title, link, guid, creator string
	content, excerpt           string
	postID, postType, status   string
	date, dateGMT              string
	modified, modifiedGMT      string
	name, parent, menuOrder    string
	password, attachmentURL    string
	hasPostID, hasPostType     bool
	terms                      []itemTerm
	meta                       []metaPair
	comments                   int
}

// itemTerm is a <category domain="..." nicename="..."> of an item: a
// category, a tag, or a term of another taxonomy (Co-Authors Plus's
// "author").
type itemTerm struct {
	domain, slug, name string
}

type metaPair struct{ key, value string }

// metaValue returns the first value of the post meta key, "" when absent.
func (it *rawItem) metaValue(key string) string {
	for _, m := range it.meta {
		if m.key == key {
			return m.value
		}
	}
	return ""
}

// decoder reads an export token by token, keeping the line of the last
// token so that errors and items can name where they are.
type decoder struct {
	d *xml.Decoder
	// budget bounds what one element of the channel may take (see
	// mark): the decoder holds a token's text whole, and the reader an
	// item's fields, so one hostile item of gigabytes would be held in
	// memory however the export is streamed.
	budget *budgetReader
}

func newDecoder(r io.Reader) *decoder {
	b := &budgetReader{r: &cleanReader{r: r}}
	d := xml.NewDecoder(b)
	// Exports from old sites carry HTML's named entities outside CDATA
	// now and then; they mean what HTML means by them.
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("the export is in %q, an encoding this reader does not know", label)
		}
		return enc.NewDecoder().Reader(input), nil
	}
	return &decoder{d: d, budget: b}
}

// mark starts the budget of the next element or token of the channel:
// from here, the decoder may read maxElementBytes before it is stopped.
func (d *decoder) mark() {
	d.budget.used, d.budget.from = 0, d.line()
}

// budgetReader counts what the decoder reads since the last mark, and
// fails past maxElementBytes: a syntax error (see syntaxError) naming
// where the element started, rather than an import that runs out of
// memory.
type budgetReader struct {
	r    io.Reader
	used int64
	from int // the line of the mark
}

// errTooLarge is what budgetReader fails with.
type errTooLarge struct{ from int }

func (e errTooLarge) Error() string {
	return fmt.Sprintf("the element from line %d is larger than %d MiB, more than any post: the export cannot be read on from there", e.from, maxElementBytes>>20)
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.used > maxElementBytes {
		return 0, errTooLarge{b.from}
	}
	n, err := b.r.Read(p)
	b.used += int64(n)
	return n, err
}

// maxDepth is the deepest an export's elements may nest: WordPress
// writes four levels or so (bodies are text, in CDATA); the decoder keeps
// a stack as deep as the nesting, so there is a bound.
const maxDepth = 256

// errTooDeep is what the reader fails with past maxDepth.
var errTooDeep = fmt.Errorf("elements nested deeper than %d levels: not a WordPress export's shape", maxDepth)

func (d *decoder) line() int {
	line, _ := d.d.InputPos()
	return line
}

// token returns the next token, or a *SyntaxError-ready error naming the
// line where the export stopped making sense. io.EOF is returned as is
// only after the document has closed.
func (d *decoder) token() (xml.Token, error) {
	tok, err := d.d.Token()
	if err != nil {
		return nil, err
	}
	return tok, nil
}

// text reads the character data of the element just started, including
// that of any elements inside it, up to its end.
func (d *decoder) text() (string, error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := d.token()
		if err != nil {
			return "", eofIsUnexpected(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return "", errTooDeep
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			b.Write(t)
		}
	}
	return strings.TrimSpace(b.String()), nil
}

// skip passes over the rest of the element just started.
func (d *decoder) skip() error {
	for depth := 1; depth > 0; {
		tok, err := d.token()
		if err != nil {
			return eofIsUnexpected(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return errTooDeep
			}
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

func eofIsUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func isWP(n xml.Name) bool { return strings.HasPrefix(n.Space, nsWordPress) && !isExcerpt(n) }

func isExcerpt(n xml.Name) bool {
	return strings.HasPrefix(n.Space, nsWordPress) && strings.HasSuffix(n.Space, "/excerpt/")
}

// item decodes the <item> whose start tag was just read.
func (d *decoder) item(line int) (*rawItem, error) {
	it := &rawItem{line: line}
	for {
		tok, err := d.token()
		if err != nil {
			return nil, eofIsUnexpected(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return it, nil
		case xml.StartElement:
			if err := d.itemField(it, t); err != nil {
				return nil, err
			}
		}
	}
}

func (d *decoder) itemField(it *rawItem, t xml.StartElement) error {
	n := t.Name
	switch {
	case isWP(n) && n.Local == "postmeta":
		return d.postmeta(it)
	case isWP(n) && n.Local == "comment":
		it.comments++
		return d.skip()
	case n.Local == "category" && n.Space == "":
		var term itemTerm
		for _, a := range t.Attr {
			switch a.Name.Local {
			case "domain":
				term.domain = strings.TrimSpace(a.Value)
			case "nicename":
				term.slug = strings.TrimSpace(a.Value)
			}
		}
		name, err := d.text()
		if err != nil {
			return err
		}
		term.name = name
		// WXR 1.0 wrote each category twice, once without a domain or
		// nicename; the one with them says everything.
		if term.domain != "" || term.slug != "" {
			it.terms = append(it.terms, term)
		}
		return nil
	}
	var dst *string
	switch {
	case n.Space == "" && n.Local == "title":
		dst = &it.title
	case n.Space == "" && n.Local == "link":
		dst = &it.link
	case n.Space == "" && n.Local == "guid":
		dst = &it.guid
	case n.Space == nsDC && n.Local == "creator":
		dst = &it.creator
	case n.Space == nsContent && n.Local == "encoded":
		dst = &it.content
	case isExcerpt(n) && n.Local == "encoded":
		dst = &it.excerpt
	case isWP(n):
		switch n.Local {
		case "post_id":
			dst, it.hasPostID = &it.postID, true
		case "post_type":
			dst, it.hasPostType = &it.postType, true
		case "status":
			dst = &it.status
		case "post_date":
			dst = &it.date
		case "post_date_gmt":
			dst = &it.dateGMT
		case "post_modified":
			dst = &it.modified
		case "post_modified_gmt":
			dst = &it.modifiedGMT
		case "post_name":
			dst = &it.name
		case "post_parent":
			dst = &it.parent
		case "menu_order":
			dst = &it.menuOrder
		case "post_password":
			dst = &it.password
		case "attachment_url":
			dst = &it.attachmentURL
		}
	}
	if dst == nil {
		return d.skip()
	}
	s, err := d.text()
	*dst = s
	return err
}

func (d *decoder) postmeta(it *rawItem) error {
	var m metaPair
	for {
		tok, err := d.token()
		if err != nil {
			return eofIsUnexpected(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if m.key != "" {
				it.meta = append(it.meta, m)
			}
			return nil
		case xml.StartElement:
			var err error
			switch t.Name.Local {
			case "meta_key":
				m.key, err = d.text()
			case "meta_value":
				m.value, err = d.text()
			default:
				err = d.skip()
			}
			if err != nil {
				return err
			}
		}
	}
}

// fields reads the children of an element made of simple fields
// (wp:author, wp:category, wp:tag, wp:term) into a map by local name.
func (d *decoder) fields() (map[string]string, error) {
	f := map[string]string{}
	for {
		tok, err := d.token()
		if err != nil {
			return nil, eofIsUnexpected(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return f, nil
		case xml.StartElement:
			s, err := d.text()
			if err != nil {
				return nil, err
			}
			if _, ok := f[t.Name.Local]; !ok {
				f[t.Name.Local] = s
			}
		}
	}
}

// cleanReader passes the export on with what XML forbids and WordPress
// lets through anyway made harmless: control characters pasted into posts
// are dropped and bytes that are not UTF-8 become U+FFFD. Neither changes
// the count of lines, so positions stay true. It only applies to UTF-8
// input; a declared other encoding is decoded by the CharsetReader, after
// this, and such a file's bytes are left as they are.
type cleanReader struct {
	r       io.Reader
	pending []byte // an incomplete UTF-8 sequence held back for the next read
	out     []byte // cleaned bytes not yet returned
	err     error
	buf     []byte
	other   bool // the file declares an encoding other than UTF-8
	started bool
}

func (c *cleanReader) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		if c.buf == nil {
			c.buf = make([]byte, 64<<10)
		}
		n, err := c.r.Read(c.buf)
		c.err = err
		chunk := c.buf[:n]
		if !c.started && n > 0 {
			c.started = true
			c.other = declaresOtherEncoding(chunk)
		}
		if c.other {
			c.out = append(c.out[:0], chunk...)
			continue
		}
		c.out = c.clean(chunk, err != nil)
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

func (c *cleanReader) clean(chunk []byte, last bool) []byte {
	src := chunk
	if len(c.pending) > 0 {
		src = append(c.pending, chunk...)
		c.pending = nil
	}
	if isClean(src) {
		return src
	}
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); {
		b := src[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 || b == '\t' || b == '\n' || b == '\r' {
				out = append(out, b)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			if !last && !utf8.FullRune(src[i:]) {
				c.pending = append([]byte(nil), src[i:]...)
				break
			}
			out = append(out, "\uFFFD"...)
			i++
			continue
		}
		if r == 0xFFFE || r == 0xFFFF {
			out = append(out, "\uFFFD"...)
		} else {
			out = append(out, src[i:i+size]...)
		}
		i += size
	}
	return out
}

// isClean says whether b is whole UTF-8 with no character XML forbids,
// the common case, passed on without copying.
func isClean(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return utf8.Valid(b) && !bytes.Contains(b, []byte("\xef\xbf\xbe")) && !bytes.Contains(b, []byte("\xef\xbf\xbf"))
}

// declaresOtherEncoding says whether the XML declaration at the head of
// the file names an encoding other than UTF-8.
func declaresOtherEncoding(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return false
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return false
	}
	decl := strings.ToLower(string(head[:end]))
	i := strings.Index(decl, "encoding=")
	if i < 0 {
		return false
	}
	v := strings.Trim(decl[i+len("encoding="):], " \t\r\n")
	v = strings.Trim(strings.Fields(v + " ")[0], `"'`)
	return v != "utf-8" && v != "utf8"
}

// maxElementBytes is the most the reader reads for one child of the
// channel (an <item>, an author, a category) or one token around them:
// far more than any post (whose body may be 256 KiB once converted), and
// little enough that the few items in the import's hands at once stay
// within its memory budget.
const maxElementBytes = 32 << 20
