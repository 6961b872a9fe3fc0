package advice

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s made safe to show in a terminal or a window when it comes
// from outside: a server's reply, an error description in a redirect, a file.
// Every control character (C0 such as ESC, BEL, NUL and backspace, DEL, C1
// such as the 8-bit CSI), every bidirectional override or isolate, and every
// byte that is not UTF-8 is written as a visible escape (\x1b, \u202e), so
// that escape sequences cannot move the cursor, retitle the terminal or
// reorder what is shown, while the text still says what the server said.
// Tabs and line breaks become spaces: the result is one line.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case unsafeRune(r):
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// CleanLines is Clean for text of several lines: each line is cleaned and
// the line breaks are kept (as "\n").
func CleanLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = Clean(l)
	}
	return strings.Join(lines, "\n")
}

func isClean(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || unsafeRune(r) {
			return false
		}
	}
	return true
}

// unsafeRune reports the characters Clean escapes: controls, and the
// invisible marks that change the direction of the text around them.
func unsafeRune(r rune) bool {
	switch {
	case unicode.IsControl(r): // C0, DEL and C1
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c':
		return true
	}
	return false
}
