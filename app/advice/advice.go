// Package advice carries errors meant for a person: what went wrong and what to do next.
//
// Every package under app/ returns its user-facing failures as *Error, wrapping a
// sentinel that callers test with errors.Is. The GUI shows What and Next apart (Next
// beside the field it concerns); the CLI prints Error() on one line.
package advice

import (
	"errors"
	"fmt"
	"regexp"
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
	// Key and Data, when Key is set, let the GUI say What and Next in
	// another language: see Text.
	Key  string
	Data Data
	// Action, when set, is the next step as a typed value, which a front end
	// may word instead of Next.
	Action Action
}

// New returns an *Error wrapping err, with texts that are not translated.
// Errors a person may see in the GUI are made with Keyed instead.
func New(err error, what, next string) *Error {
	return &Error{Err: err, What: what, Next: next}
}

// Keyed returns an *Error wrapping err whose texts are translatable: what
// and next are English templates whose {{.Name}} placeholders data fills
// (see Explain), and key names their translations.
func Keyed(err error, key string, data Data, what, next string) *Error {
	t := Explain(key, data, what, next)
	return &Error{Err: err, What: t.What, Next: t.Next, Key: key, Data: data}
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

// TextOf returns the Text of the first *Error in err's chain, or a Text
// without a key whose What is err's message.
func TextOf(err error) Text {
	var e *Error
	if errors.As(err, &e) {
		return Text{Key: e.Key, Data: e.Data, What: e.What, Next: e.Next, Action: e.Action}
	}
	if err == nil {
		return Text{}
	}
	return Text{What: err.Error()}
}

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

// Data fills the {{.Name}} placeholders of a Text. Values are shown with
// Format: a time.Duration as "5 minutes", an error as its message; the GUI
// shows them in its own language, as it does a Text or a Label.
type Data map[string]any

// Label is the name of a field or button as the English interface shows it
// ("To", "Subject"): the GUI shows its own label for it instead, through the
// translation key "label." + the lower-case name.
type Label string

// Text is one translatable piece of advice: what was found or went wrong,
// and what to do next, in English, with the key of its translations
// (Key+".what" and Key+".next" in ui/translations) and the data that fills
// their placeholders. Keys are literal strings at the call, named after the
// package ("mail.auth_rejected"), so a test can find every one of them.
type Text struct {
	Key        string
	Data       Data
	What, Next string
	// Action, when set, is the next step as a typed value, which a front
	// end may word instead of Next (see Action).
	Action Action
}

// Explain returns the Text of key: what and next are English templates
// whose only syntax is {{.Name}}, filled from data. A placeholder data lacks
// is left as it is, so that a missing value shows rather than vanishes.
func Explain(key string, data Data, what, next string) Text {
	return Text{Key: key, Data: data, What: Render(what, data), Next: Render(next, data)}
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// Placeholders returns the names of the {{.Name}} placeholders of tmpl.
func Placeholders(tmpl string) []string {
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(tmpl, -1) {
		names = append(names, m[1])
	}
	return names
}

// Render fills tmpl's {{.Name}} placeholders from data, each value shown
// with Format.
func Render(tmpl string, data Data) string {
	if !strings.Contains(tmpl, "{{") {
		return tmpl
	}
	return placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		v, ok := data[placeholder.FindStringSubmatch(m)[1]]
		if !ok {
			return m
		}
		return Format(v)
	})
}

// Format shows a value of Data in English: a time.Duration with Duration, an
// error with its message, a Text as its sentences, anything else as fmt's %v
// does.
func Format(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case time.Duration:
		return Duration(v)
	case Decimal:
		return fmt.Sprintf("%.1f", float64(v))
	case error:
		return v.Error()
	case Text:
		if v.Next == "" {
			return v.What
		}
		return strings.TrimRight(v.What, ". ") + ". " + v.Next
	}
	return fmt.Sprint(v)
}

// Decimal is a number shown with one decimal ("2.4"); a front end shows it
// with its language's decimal mark ("2,4" in French).
type Decimal float64

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
