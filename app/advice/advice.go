// Package advice carries errors meant for a person: what went wrong and what to do next.
//
// Every package under app/ returns its user-facing failures as *Error, wrapping a
// sentinel that callers test with errors.Is. The GUI shows What and Next apart (Next
// beside the field it concerns); the CLI prints Error() on one line.
package advice

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Error is a failure explained for a person.
type Error struct {
	// Err is the sentinel or underlying cause; errors.Is and errors.As see it.
	Err error
	// What says what went wrong, in plain words, without secrets.
	What string
	// Next says what the person should do now.
	Next string
}

// New returns an *Error wrapping err.
func New(err error, what, next string) *Error {
	return &Error{Err: err, What: what, Next: next}
}

// Error joins What and Next into one sentence pair.
func (e *Error) Error() string {
	what := strings.TrimRight(e.What, ". ")
	if e.Next == "" {
		return what
	}
	return what + ". " + e.Next
}

// Unwrap returns the wrapped cause.
func (e *Error) Unwrap() error { return e.Err }

// Next returns the advice of the first *Error in err's chain, or "".
func Next(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Next
	}
	return ""
}

// What returns the description of the first *Error in err's chain, or err.Error().
func What(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.What
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// Duration renders d for a person: "5 minutes", "30 seconds", "300ms".
func Duration(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return plural(int(d/time.Minute), "minute")
	case d >= time.Second:
		return plural(int(d.Round(time.Second)/time.Second), "second")
	}
	return d.String()
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// Sentence capitalises s and ends it with a full stop, for showing What or
// Next on their own line. The name mailkey stays lower-case, and a text that
// already ends a sentence (".", "?", "!", ".)") is left as it is.
func Sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	if !strings.HasPrefix(s, "mailkey") {
		r, size := utf8.DecodeRuneInString(s)
		s = string(unicode.ToUpper(r)) + s[size:]
	}
	for _, end := range []string{".", "?", "!", ".)", ".”"} {
		if strings.HasSuffix(s, end) {
			return s
		}
	}
	return s + "."
}
