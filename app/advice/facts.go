package advice

import "errors"

// facts carries the facts an explanation was made of in its chain; its
// text is the explanation's own.
type facts[T any] struct {
	err   error
	facts T
}

func (e *facts[T]) Error() string { return e.err.Error() }
func (e *facts[T]) Unwrap() error { return e.err }

// WithFacts returns a copy of explained (an *Error) that carries f, the
// facts it was made of (an SMTP reply, Google's answer…), so that a record
// of the failure can keep them and word it again later (FactsOf). An error
// that is not an *Error is returned as it is.
func WithFacts[T any](explained error, f T) error {
	var e *Error
	if !errors.As(explained, &e) {
		return explained
	}
	out := *e
	out.Err = &facts[T]{err: e.Err, facts: f}
	return &out
}

// FactsOf returns the facts of type T that err carries (WithFacts).
func FactsOf[T any](err error) (T, bool) {
	var fe *facts[T]
	if !errors.As(err, &fe) {
		var zero T
		return zero, false
	}
	return fe.facts, true
}

// Same reports whether again says what err says: the same key, sentences,
// next action and category. A record that keeps an error's facts checks
// with it that the facts word the error again in full.
func Same(err, again error) bool {
	t, u := TextOf(err), TextOf(again)
	return t.Key == u.Key && t.What == u.What && t.Next == u.Next && t.Action == u.Action &&
		CategoryOf(err) == CategoryOf(again)
}
