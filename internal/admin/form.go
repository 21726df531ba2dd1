package admin

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The newsroom's one form reader. Every route that takes a body names, in
// the route table, the form it takes and the most bytes that form may hold;
// Handler reads the body through readForm before the handler runs, so a
// handler only ever sees a form that was read whole. A body that is too
// large, of a type no form is, or that cannot be read is refused with a
// message naming the form and the limit, and nothing is saved: a form read
// in part must never be taken for a form whose fields were left empty.

// form is what a route accepts as its body.
type form struct {
	name   string // the form as the newsroom calls it: "settings", "photo details"
	max    int64  // the most bytes the body may hold
	advice string // what to do when it is refused for its size
	editor bool   // the editor's form: the error page leads back to the writer's text
}

// noBody is the form of a page: it takes none.
var noBody = form{}

// formMemory is how much of a multipart form's files is held in memory;
// the rest spills to a temporary file, which withForm removes when the
// handler returns.
const formMemory = 1 << 20

// Besides its size, a multipart form is bounded by what mime/multipart
// reads: at most formParts parts, and at most formText bytes of fields
// that are not files (formMemory and the 10 MB it adds for them).
const (
	formParts = 1000
	formText  = formMemory + 10<<20
)

// formError is a body the form reader refused: 413 for too large, 415 for
// a type no form has, 400 for one that cannot be read. It unwraps to an
// EINVALID error, so the message is shown; fail and statusOf take the
// status from it.
type formError struct {
	status int
	err    *news.Error
	back   string // where the writer's text can be picked up again, if anywhere
	gone   bool   // the client stopped sending: it went away mid-form
}

// isGone reports whether err is a form its client stopped sending.
func isGone(err error) bool {
	var fe *formError
	return errors.As(err, &fe) && fe.gone
}

func (e *formError) Error() string { return e.err.Error() }
func (e *formError) Unwrap() error { return e.err }

// withForm reads a route's form before its handler runs.
func (a *Admin) withForm(f form, h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := readForm(w, r, f); err != nil {
			if isGone(err) {
				a.log.Info("client went away while sending a form", "method", r.Method, "path", logPath(r), "form", f.name)
				return err
			}
			a.log.Warn("form refused", "method", r.Method, "path", logPath(r), "form", f.name,
				"length", r.ContentLength, "limit", f.max, "err", err)
			return err
		}
		if r.MultipartForm != nil {
			// The server removes the temporary files of the request it
			// made, but guard hands the handler a copy (WithContext), and
			// the form was read into the copy: without this, every photo
			// over formMemory, saved or refused, stayed on the disk.
			defer r.MultipartForm.RemoveAll()
		}
		return h(w, r)
	}
}

// readForm reads a url-encoded or multipart body of at most f.max bytes
// into r.Form, r.PostForm and r.MultipartForm, or says why it will not.
func readForm(w http.ResponseWriter, r *http.Request, f form) error {
	refuse := func(status int, format string, args ...any) error {
		fe := &formError{status: status, err: news.Invalid("form", format, args...)}
		if f.editor {
			fe.back = editorURL(r)
		}
		return fe
	}
	tooBig := func() error {
		msg := fmt.Sprintf("The %s form is larger than %s, the most it may be, so nothing was saved.", f.name, sizeText(f.max))
		if r.ContentLength > f.max {
			msg = fmt.Sprintf("The %s form is %s; the most it may be is %s, so nothing was saved.", f.name, sizeText(r.ContentLength), sizeText(f.max))
		}
		if f.advice != "" {
			msg += " " + f.advice
		}
		return refuse(http.StatusRequestEntityTooLarge, "%s", msg)
	}
	ct := r.Header.Get("Content-Type")
	multi := false
	switch mt, _, err := mime.ParseMediaType(ct); {
	case ct == "" && r.ContentLength == 0:
		// A button with no fields, sent without a body.
	case err != nil:
		return refuse(http.StatusUnsupportedMediaType, "The %s form came with a content type that cannot be read (%q), so nothing was saved.", f.name, ct)
	case mt == "application/x-www-form-urlencoded":
	case mt == "multipart/form-data":
		multi = true
	default:
		return refuse(http.StatusUnsupportedMediaType, "The %s form came as %s, which is not a form (send application/x-www-form-urlencoded or multipart/form-data), so nothing was saved.", f.name, mt)
	}
	if r.ContentLength > f.max {
		// Refused before a byte is read.
		return tooBig()
	}
	r.Body = http.MaxBytesReader(w, r.Body, f.max)
	var err error
	if multi {
		// ParseMultipartForm parses the url-encoded form first and drops its
		// error when the body turns out not to be multipart: that is how an
		// oversize form once read as an empty one. Here the type is known.
		err = r.ParseMultipartForm(formMemory)
	} else {
		err = r.ParseForm()
	}
	var mb *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &mb):
		return tooBig()
	case errors.Is(err, multipart.ErrMessageTooLarge):
		// Not too many bytes (a body of a few hundred KB can do it), but
		// too many parts or too much text outside the files: saying the
		// form is larger than its limit would be false.
		limits := fmt.Sprintf("at most %d fields", formParts)
		if f.max > formText {
			limits += ", " + sizeText(formText) + " of text besides its files,"
		}
		msg := fmt.Sprintf("The %s form has more fields, or more text, than a form may hold (%s and %s in all), so nothing was saved.",
			f.name, limits, sizeText(f.max))
		if f.advice != "" {
			msg += " " + f.advice
		}
		return refuse(http.StatusRequestEntityTooLarge, "%s", msg)
	}
	fe := refuse(http.StatusBadRequest, "The %s form could not be read (%s), so nothing was saved.", f.name, strings.TrimPrefix(err.Error(), "http: "))
	if errors.Is(err, io.ErrUnexpectedEOF) || r.Context().Err() != nil {
		fe.(*formError).gone = true
	}
	return fe
}

// editorURL is the editor an editor's form was sent from, where its
// autosaved text is offered again.
func editorURL(r *http.Request) string {
	if id := r.PathValue("id"); id != "" && id != "new" {
		return "/admin/articles/" + id
	}
	return "/admin/articles/new"
}

// sizeText writes a byte count as people read it: "64 KB", "22 MB".
func sizeText(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<20)), ".0") + " MB"
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
