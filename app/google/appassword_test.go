package google

import (
	"errors"
	"strings"
	"testing"
	"unicode"
)

type appPasswordCase struct {
	name, in, want string
	err            error
	mention        string
}

var appPasswordCases = []appPasswordCase{
	{name: "as Google shows it", in: "abcd efgh ijkl mnop", want: "abcdefghijklmnop"},
	{name: "without spaces", in: "abcdefghijklmnop", want: "abcdefghijklmnop"},
	{name: "upper case", in: "ABCD EFGH IJKL MNOP", want: "abcdefghijklmnop"},
	{name: "mixed case", in: "aBcD eFgH iJkL mNoP", want: "abcdefghijklmnop"},
	{name: "trailing newline", in: "abcd efgh ijkl mnop\n", want: "abcdefghijklmnop"},
	{name: "CRLF and tabs", in: "\tabcd\tefgh ijkl mnop\r\n", want: "abcdefghijklmnop"},
	{name: "no-break spaces", in: "abcd\u00a0efgh\u00a0ijkl\u00a0mnop", want: "abcdefghijklmnop"},
	{name: "narrow and ideographic spaces", in: "abcd\u202fefgh\u3000ijkl\u2009mnop", want: "abcdefghijklmnop"},
	{name: "zero-width characters", in: "\ufeffabcd\u200befgh\u200cijkl\u2060mnop", want: "abcdefghijklmnop"},
	{name: "empty", in: "", err: ErrAppPasswordFormat, mention: "empty"},
	{name: "only spaces", in: " \t\u00a0\n", err: ErrAppPasswordFormat, mention: "empty"},
	{name: "too short", in: "abcd efgh ijkl", err: ErrAppPasswordFormat, mention: "16 letters; this has 12"},
	{name: "one letter", in: "q", err: ErrAppPasswordFormat, mention: "this has 1"},
	{name: "too long", in: "abcd efgh ijkl mnop qrst", err: ErrAppPasswordFormat, mention: "this has 20"},
	{name: "account password", in: "Hunter2!", err: ErrLooksLikeAccountPassword, mention: "normal Google account password"},
	{name: "digits", in: "abcd efgh ijkl mn0p", err: ErrLooksLikeAccountPassword, mention: AppPasswordsURL},
	{name: "symbols", in: "correct-horse-battery", err: ErrLooksLikeAccountPassword},
	{name: "dashes between groups", in: "abcd-efgh-ijkl-mnop", err: ErrLooksLikeAccountPassword},
	{name: "non-ASCII letter", in: "abcd efgh ijkl mnoé", err: ErrLooksLikeAccountPassword},
	{name: "Cyrillic look-alike", in: "аbcd efgh ijkl mnop", err: ErrLooksLikeAccountPassword},
}

func TestNormalizeAppPassword(t *testing.T) {
	for _, tc := range appPasswordCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeAppPassword(tc.in)
			if tc.err == nil {
				if err != nil || got != tc.want {
					t.Fatalf("NormalizeAppPassword = %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			if !errors.Is(err, tc.err) || got != "" {
				t.Fatalf("NormalizeAppPassword = %q, %v; want error %v", got, err, tc.err)
			}
			checkAdvice(t, err)
			if !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("error %q does not mention %q", err, tc.mention)
			}
			if in := strings.TrimSpace(tc.in); len(in) >= 4 && strings.Contains(err.Error(), in) {
				t.Errorf("error %q repeats the input", err)
			}
		})
	}
}

// twin returns s with every ASCII letter and digit replaced by another of the
// same kind and case, keeping everything else: an input of the same shape
// but other content.
func twin(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return 'a' + (r-'a'+13)%26
		case r >= 'A' && r <= 'Z':
			return 'A' + (r-'A'+13)%26
		case r >= '0' && r <= '9':
			return '0' + (r-'0'+5)%10
		}
		return r
	}, s)
}

func FuzzNormalizeAppPassword(f *testing.F) {
	for _, tc := range appPasswordCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := NormalizeAppPassword(in)
		if err == nil {
			if len(got) != appPasswordLength {
				t.Fatalf("accepted %q as %q", in, got)
			}
			for _, r := range got {
				if r < 'a' || r > 'z' {
					t.Fatalf("accepted %q as %q", in, got)
				}
			}
			if again, err := NormalizeAppPassword(got); err != nil || again != got {
				t.Fatalf("normalising %q again gave %q, %v", got, again, err)
			}
			return
		}
		if got != "" {
			t.Fatalf("returned %q with an error", got)
		}
		if !errors.Is(err, ErrAppPasswordFormat) && !errors.Is(err, ErrLooksLikeAccountPassword) {
			t.Fatalf("error %v wraps no sentinel", err)
		}
		text := err.Error()
		// The text depends on the shape of the input, never on its letters
		// and digits: an input of the same shape gets the same text.
		_, twinErr := NormalizeAppPassword(twin(in))
		if twinErr == nil || twinErr.Error() != text {
			t.Fatalf("input %q and its twin %q got different errors: %v / %v", in, twin(in), err, twinErr)
		}
		// So the input can appear in the text only as a piece of the fixed
		// wording (like "this"), which the twin's text then contains too.
		if len([]rune(in)) >= 4 && strings.Contains(text, in) && !strings.Contains(twinErr.Error(), in) {
			t.Fatalf("error text %q repeats the input", text)
		}
		if strings.IndexFunc(text, unicode.IsControl) >= 0 {
			t.Fatalf("error text %q has control characters", text)
		}
	})
}
