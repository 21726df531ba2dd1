// Package news is the domain of Newsdesk: articles, sections, authors, media,
// the rules that keep them valid, and the kinds of error every other layer
// maps to its own answer (an HTTP status, an exit code, an import line).
// It imports nothing of the project and does no I/O.
package news

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Each maps to one answer in every surface: the site and APIs
// turn them into HTTP statuses in one place, the importer into a message.
const (
	EINVALID      = "invalid"      // input breaks a rule; the message says which and where
	ENOTFOUND     = "not_found"    // the thing asked for does not exist (or is not public)
	ECONFLICT     = "conflict"     // the change collides with the current state
	EUNAUTHORIZED = "unauthorized" // who you are is unknown
	EFORBIDDEN    = "forbidden"    // who you are may not do this
	EUNAVAILABLE  = "unavailable"  // a dependency (the database) is down for now
	EINTERNAL     = "internal"     // a bug or an unexpected failure; never shown in detail
)

// Error is a domain error: a code from the list above, a message that is safe
// to show to the person who caused it, and the field it concerns, if any.
type Error struct {
	Code    string
	Field   string // the input field at fault, e.g. "headline" or "image.src"
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error about one field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns an ENOTFOUND error naming what was looked for.
func NotFound(format string, args ...any) *Error {
	return &Error{Code: ENOTFOUND, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, and a
// generic text for any other error, so internal details are never shown.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "Internal error."
}

// Problems collects several field errors, so a form or an import can report
// everything that is wrong at once rather than one thing per attempt.
type Problems []*Error

// Add records a problem with one field.
func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, Invalid(field, format, args...))
}

// Err returns nil when there are no problems, else an EINVALID *Error whose
// message lists them all.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	if len(p) == 1 {
		return p[0]
	}
	msgs := make([]string, len(p))
	for i, e := range p {
		msgs[i] = e.Error()
	}
	return &Error{Code: EINVALID, Field: p[0].Field, Message: strings.Join(msgs, "; ")}
}
