package ghost

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
	"github.com/newsdesk/newsdesk/internal/news"
)

// The export's values are read into these small types rather than plain
// strings and bools: Ghost's own versions disagree on a few (ids were
// numbers before Ghost 1, page was 0/1 before it was a bool), and a value
// of the wrong kind must become an error naming its field, not a failed
// Decode that says nothing of where. Each keeps the kind it found when
// that kind is wrong, and check reports it afterwards.

// text is a JSON string or null.
type text struct {
	s   string
	bad string // the JSON kind found instead of a string, if any
}

func (t *text) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case '"':
		return json.Unmarshal(b, &t.s)
	case 'n':
		t.s = ""
	default:
		t.bad = kindOf(b)
	}
	return nil
}

// ident is an id: a string, or a number in the oldest exports.
type ident struct {
	s   string
	bad string
}

func (t *ident) UnmarshalJSON(b []byte) error {
	switch {
	case b[0] == '"':
		return json.Unmarshal(b, &t.s)
	case b[0] == 'n':
		t.s = ""
	case b[0] == '-' || b[0] >= '0' && b[0] <= '9':
		t.s = string(b)
	default:
		t.bad = kindOf(b)
	}
	return nil
}

// stamp is a date: an ISO 8601 string, or milliseconds since 1970 in the
// oldest exports. It is parsed after decoding (parseStamp), so a bad one
// names its field.
type stamp struct {
	s   string
	bad string
}

func (t *stamp) UnmarshalJSON(b []byte) error {
	var id ident
	err := id.UnmarshalJSON(b)
	t.s, t.bad = id.s, id.bad
	return err
}

// flag is true or false, 1 or 0 (Ghost before 1.0 wrote page and featured
// as numbers), or null.
type flag struct {
	v   bool
	bad string
}

func (t *flag) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true", "1":
		t.v = true
	case "false", "0", "null":
		t.v = false
	default:
		t.bad = kindOf(b)
	}
	return nil
}

// discard reads a value of any kind and keeps nothing: the decoder still
// checks its syntax, but no string in it is allocated.
type discard struct{}

func (*discard) UnmarshalJSON([]byte) error { return nil }

// kindOf names the kind of a JSON value for an error message.
func kindOf(b []byte) string {
	switch b[0] {
	case '"':
		return "text"
	case '{':
		return "an object"
	case '[':
		return "a list"
	case 't', 'f':
		return "true or false"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

var kindWanted = map[reflect.Type]string{
	reflect.TypeFor[text]():  "text",
	reflect.TypeFor[ident](): "text or a number",
	reflect.TypeFor[stamp](): "a date",
	reflect.TypeFor[flag]():  "true or false",
}

// check returns the first field of row (a pointer to a struct of the types
// above) that held a value of the wrong kind, as an EINVALID error naming
// where: "posts[3].title".
func check(where string, row any) error {
	v := reflect.ValueOf(row).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		want, ok := kindWanted[f.Type()]
		if !ok {
			continue
		}
		bad := f.FieldByName("bad").String()
		if bad == "" {
			continue
		}
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		return news.Invalid(where+"."+name, "%s where %s was expected", bad, want)
	}
	return nil
}

// emitError carries an error from emit through the walk, so it is returned
// as it is and never mistaken for a fault of the export.
type emitError struct{ err error }

func (e emitError) Error() string { return e.err.Error() }

// errStop ends a walk early, once it has read what it came for.
var errStop = errors.New("stop")

// walker walks an export with the decoder's tokens, so that only one row
// of one table is ever decoded at a time.
type walker struct {
	dec *json.Decoder
	// meta is called with each "meta" object's version.
	meta func(version string)
	// table is called for each table of "data" with its name; it returns
	// the function that reads one row (nil to skip the table). Each row
	// function gets the row's index and the offset where it starts.
	table func(name string) func(i int, at int64) error
	// done is called when a table has been read to its end.
	done func(name string)
	// stopAfter, when set, names the table after which the walk ends
	// with errStop.
	stopAfter string

	// base is the bytes before what the decoder reads (a byte order
	// mark), so that offsets count from the file's start.
	base int64

	sawData bool
}

// newWalker starts a walk of r, past a UTF-8 byte order mark if there is
// one (Ghost writes none, but an export saved through an editor may have
// gained one).
func newWalker(r io.Reader) *walker {
	w := &walker{}
	br := bufio.NewReaderSize(&budgetReader{r: r, w: w}, 64<<10)
	if b, _ := br.Peek(3); string(b) == "\xef\xbb\xbf" {
		br.Discard(3)
		w.base = 3
	}
	w.dec = json.NewDecoder(br)
	return w
}

// budgetReader bounds what the decoder holds: json.Decoder reads each
// value it decodes or skips (a row, a skipped table's row, a key's
// value) whole into its buffer before it looks at it, so one hostile
// value of gigabytes would be held in memory however the export is
// streamed. What has been read and not yet consumed is one value (and a
// buffer's worth): past maxValueBytes, reading stops with a syntax error
// naming the offset where that value starts.
type budgetReader struct {
	r    io.Reader
	w    *walker
	read int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.w.dec != nil {
		at := b.w.base + b.w.dec.InputOffset()
		if b.read-at > maxValueBytes {
			return 0, &archive.SyntaxError{At: offset(at), Err: fmt.Errorf("a value larger than %d MiB, more than any post: the export cannot be read on from there", maxValueBytes>>20)}
		}
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}

// walk reads the whole export: {"db":[{"meta":…,"data":…}]} or the older
// {"meta":…,"data":…}.
func (w *walker) walk() error {
	if err := w.expect('{', "the export"); err != nil {
		return err
	}
	for w.dec.More() {
		key, err := w.key()
		if err != nil {
			return err
		}
		switch key {
		case "db":
			if err := w.expect('[', `"db"`); err != nil {
				return err
			}
			for w.dec.More() {
				if err := w.expect('{', `an entry of "db"`); err != nil {
					return err
				}
				if err := w.entry(); err != nil {
					return err
				}
			}
			if err := w.end(); err != nil {
				return err
			}
		case "meta", "data":
			if err := w.field(key); err != nil {
				return err
			}
		default:
			if err := w.dec.Decode(&discard{}); err != nil {
				return err
			}
		}
	}
	if err := w.end(); err != nil {
		return err
	}
	if _, err := w.dec.Token(); err != io.EOF {
		if err == nil {
			return &archive.SyntaxError{At: w.at(), Err: errors.New("more data after the end of the export")}
		}
		return err
	}
	if !w.sawData {
		return &archive.SyntaxError{At: w.at(), Err: errors.New(`no "data" in the export: not a Ghost export`)}
	}
	return nil
}

// entry reads the rest of one {"meta":…,"data":…} object.
func (w *walker) entry() error {
	for w.dec.More() {
		key, err := w.key()
		if err != nil {
			return err
		}
		if err := w.field(key); err != nil {
			return err
		}
	}
	return w.end()
}

// field reads the value of "meta", "data", or anything else beside them.
func (w *walker) field(key string) error {
	switch key {
	case "meta":
		var m struct {
			Version text `json:"version"`
		}
		at := w.start()
		if err := w.dec.Decode(&m); err != nil {
			return w.rowError(err, at, "meta")
		}
		if err := check("meta", &m); err != nil {
			return &archive.SyntaxError{At: offset(at), Err: err}
		}
		if w.meta != nil {
			w.meta(m.Version.s)
		}
		return nil
	case "data":
		w.sawData = true
		if err := w.expect('{', `"data"`); err != nil {
			return err
		}
		for w.dec.More() {
			name, err := w.key()
			if err != nil {
				return err
			}
			if err := w.rows(name); err != nil {
				return err
			}
		}
		return w.end()
	}
	return w.dec.Decode(&discard{})
}

// rows reads one table: a list of rows, or null. A table nobody asked for
// is skipped a row at a time, so that no table (the posts, their
// revisions) is ever held whole.
func (w *walker) rows(name string) error {
	row := w.table(name)
	at := w.start()
	t, err := w.dec.Token()
	if err != nil {
		return err
	}
	if t == nil {
		return w.finish(name)
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		if row != nil {
			return &archive.SyntaxError{At: offset(at), Err: news.Invalid("data."+name, "%s where a list was expected", tokenKind(t))}
		}
		if d == '{' { // not a table: skip its fields
			for w.dec.More() {
				if _, err := w.key(); err != nil {
					return err
				}
				if err := w.dec.Decode(&discard{}); err != nil {
					return err
				}
			}
			return w.end()
		}
		return nil
	}
	for i := 0; w.dec.More(); i++ {
		rowAt := w.start()
		if row == nil {
			err = w.dec.Decode(&discard{})
		} else {
			err = row(i, rowAt)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return &archive.SyntaxError{At: offset(rowAt), Err: fmt.Errorf("the export ends in the middle of %s[%d] (is the file truncated?)", name, i)}
		}
		if err != nil {
			return err
		}
	}
	if err := w.end(); err != nil {
		return err
	}
	return w.finish(name)
}

func (w *walker) finish(name string) error {
	w.done(name)
	if name == w.stopAfter {
		return errStop
	}
	return nil
}

func (w *walker) key() (string, error) {
	t, err := w.dec.Token()
	if err != nil {
		return "", err
	}
	s, _ := t.(string) // the decoder only gives strings as keys
	return s, nil
}

// expect reads an opening delimiter.
func (w *walker) expect(d json.Delim, what string) error {
	at := w.start()
	t, err := w.dec.Token()
	if err != nil {
		return err
	}
	if got, ok := t.(json.Delim); !ok || got != d {
		want := "an object"
		if d == '[' {
			want = "a list"
		}
		return &archive.SyntaxError{At: offset(at), Err: fmt.Errorf("%s is %s, not %s", what, tokenKind(t), want)}
	}
	return nil
}

// end reads a closing delimiter: after More said false, the only token
// left in a well-formed object or list.
func (w *walker) end() error {
	_, err := w.dec.Token()
	return err
}

// start is the offset where the next value begins: the decoder's offset
// moved past the blanks and the comma it has already buffered.
func (w *walker) start() int64 {
	at := w.base + w.dec.InputOffset()
	buf, _ := io.ReadAll(io.LimitReader(w.dec.Buffered(), 64))
	for _, c := range buf {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' && c != ':' {
			break
		}
		at++
	}
	return at
}

func (w *walker) at() string { return offset(w.base + w.dec.InputOffset()) }

// rowError turns a failed Decode of one row into an error that says where.
func (w *walker) rowError(err error, at int64, where string) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &archive.SyntaxError{At: offset(at), Err: news.Invalid(where, "%s where an object was expected", te.Value)}
	}
	return err
}

// offset is the At of the byte at n, counted from 0.
func offset(n int64) string { return "offset " + strconv.FormatInt(n, 10) }

func tokenKind(t json.Token) string {
	switch t := t.(type) {
	case json.Delim:
		if t == '{' {
			return "an object"
		}
		if t == '[' {
			return "a list"
		}
		return "the end of a list or object"
	case string:
		return "text"
	case bool:
		return "true or false"
	case nil:
		return "null"
	}
	return "a number"
}

// syntaxError gives every way the decoder can fail on the export's bytes
// the form the contract asks for: an *archive.SyntaxError naming the
// offset. Errors from emit, the context and the file pass as they are.
func (w *walker) syntaxError(err error) error {
	if err == nil {
		return nil
	}
	var ee emitError
	if errors.As(err, &ee) {
		return ee.err
	}
	var se *archive.SyntaxError
	if errors.As(err, &se) {
		return se
	}
	var js *json.SyntaxError
	if errors.As(err, &js) {
		// The decoder counts the bad byte in; offsets here are where a
		// byte is, from 0, like the items' At.
		return &archive.SyntaxError{At: offset(w.base + max(js.Offset-1, 0)), Err: fmt.Errorf("malformed JSON: %s", js.Error())}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &archive.SyntaxError{At: w.at(), Err: errors.New("the export ends in the middle (is the file truncated?)")}
	}
	return err
}

// trimBOM drops a UTF-8 byte order mark and leading blanks.
func trimBOM(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	return bytes.TrimLeft(b, " \t\r\n")
}

// maxValueBytes is the most one value of the export (a row, a value
// skipped) may take: far more than any post (whose body may be 256 KiB
// once converted), and little enough that the few items in the import's
// hands at once stay within its memory budget.
const maxValueBytes = 32 << 20
