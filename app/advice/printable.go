package advice

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable makes text from a server fit to show to a person: control and
// format characters (escape sequences, bidi overrides) and invalid bytes
// become spaces, runs of spaces one, and text longer than max runes is cut
// with an ellipsis.
func Printable(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
}
