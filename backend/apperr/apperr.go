// Package apperr is Hostbound's one error type: a code that says what kind of
// failure it is, an optional field that it concerns, and a message that is
// safe to show to a person. Domain packages return *Error for everything a
// user can act on; anything else is an internal error whose details stay in
// the log.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error for the UI and, later, for HTTP statuses.
type Code string

const (
	Invalid         Code = "invalid"         // bad input; Field names the field
	NotFound        Code = "not_found"       // the thing does not exist
	Conflict        Code = "conflict"        // it exists already, or is in use
	Unauthenticated Code = "unauthenticated" // not logged in, or wrong credentials
	Forbidden       Code = "forbidden"       // logged in, but not allowed
	Locked          Code = "locked"          // the vault is locked (no usable master key)
	RateLimited     Code = "rate_limited"    // too many attempts
	SessionExpired  Code = "session_expired" // idle timeout
	Unavailable     Code = "unavailable"     // something it needs (the database) cannot be reached now; try again
	Internal        Code = "internal"        // a bug or an environment failure
)

// Error is an error a person can read. Message never holds a secret.
type Error struct {
	Code    Code
	Field   string // form field the error is about, if any ("username")
	Message string
	// Fields holds every field error of a form, when there are several;
	// Field and Message then repeat the first.
	Fields []FieldError
	// RetryAfter says, for RateLimited, when to try again.
	RetryAfter time.Duration
	Err        error // the cause, kept for logs and errors.Is; never shown
}

// FieldError is one field's message.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Form collects field errors while a form is validated.
type Form struct{ errs []FieldError }

// Add records a field error.
func (f *Form) Add(field, format string, args ...any) {
	f.errs = append(f.errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Check records err when it is a field error (other errors are ignored:
// validators return only field errors).
func (f *Form) Check(err error) {
	if e := As(err); e != nil && e.Code == Invalid && e.Field != "" {
		f.errs = append(f.errs, FieldError{Field: e.Field, Message: e.Message})
	}
}

// Err returns nil when no field failed, or one Invalid error holding all.
func (f *Form) Err() error {
	if len(f.errs) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Field: f.errs[0].Field, Message: f.errs[0].Message, Fields: f.errs}
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with a code and a message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Field returns an Invalid error about one form field. The message should
// name the field and the rule, e.g. "Password: at least 12 characters".
func Field(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap keeps err as the hidden cause of a user-facing error.
func Wrap(code Code, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// As returns the *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// CodeOf returns the code of err: Internal for anything that is not an *Error.
func CodeOf(err error) Code {
	if e := As(err); e != nil {
		return e.Code
	}
	return Internal
}

// Public is what may be shown to a person: the *Error itself, or an
// "internal error" for anything else (its chain belongs in the log).
func Public(err error) *Error {
	if e := As(err); e != nil && e.Code != Internal {
		return e
	}
	return &Error{Code: Internal, Message: "internal error"}
}
