package advice

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"535 5.7.8 Username and Password not accepted.": "535 5.7.8 Username and Password not accepted.",
		"Grüße ✓ 日本":                                    "Grüße ✓ 日本",
		"\x1b]0;pwned\x07 title":                        `\x1b]0;pwned\x07 title`,
		"\x1b[2J\x1b[31mred\x1b[0m":                     `\x1b[2J\x1b[31mred\x1b[0m`,
		"nul\x00 del\x7f bs\x08":                        `nul\x00 del\x7f bs\x08`,
		"c1 \u009b raw \x9b":                            `c1 \x9b raw \x9b`,
		"\u202eevil\u202c \u2066x\u2069":                `\u202eevil\u202c \u2066x\u2069`,
		"two\r\nlines\tand\u2028more":                   "two  lines and more",
		"bad utf-8 \xff\xfe":                            `bad utf-8 \xff\xfe`,
		"emoji 👩‍💻 keeps its joiner":                    "emoji 👩‍💻 keeps its joiner",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
	if got := CleanLines("S: 220 a\x1b\nS: 250 b"); got != `S: 220 a\x1b`+"\nS: 250 b" {
		t.Errorf("CleanLines = %q", got)
	}
}

// FuzzClean: whatever the input, the output is valid UTF-8 without a control
// or bidi character, and clean text is left as it is.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[31m", "\u202e", "\xff", "a\tb\nc", "\u009b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Clean(%q) = %q, not UTF-8", s, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || unsafeRune(r) {
				t.Fatalf("Clean(%q) = %q keeps %U", s, out, r)
			}
		}
		if Clean(out) != out {
			t.Fatalf("Clean is not idempotent on %q", s)
		}
		if !strings.ContainsAny(s, "\t\n\r\\") && isClean(s) && out != s {
			t.Fatalf("Clean changed clean text %q to %q", s, out)
		}
	})
}
