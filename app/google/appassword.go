package google

import (
	"strings"
	"unicode"

	"github.com/mailkey-app/mailkey/app/advice"
)

// appPasswordLength is the number of letters in a Google app password.
const appPasswordLength = 16

// Sentinels for the app-password field; the returned errors are
// *advice.Error values that wrap one of them, so callers test with errors.Is.
var (
	// ErrAppPasswordFormat means the text is empty or does not have exactly
	// 16 letters.
	ErrAppPasswordFormat = advice.Sentinel(advice.Usage, "google: app password is not 16 letters")
	// ErrLooksLikeAccountPassword means the text has digits, symbols or
	// other non-ASCII characters, so it is probably the account password,
	// which Gmail refuses.
	ErrLooksLikeAccountPassword = advice.Sentinel(advice.Usage, "google: looks like an account password, not an app password")
)

// NormalizeAppPassword turns what the user pasted into the form Gmail
// expects. Google shows app passwords as “abcd efgh ijkl mnop”: this removes
// every space (including tabs, line breaks, no-break spaces and invisible
// zero-width characters), lower-cases the letters and requires exactly 16
// ASCII letters. Errors are *advice.Error values wrapping
// ErrAppPasswordFormat or ErrLooksLikeAccountPassword; they never repeat the
// input.
func NormalizeAppPassword(s string) (string, error) {
	var b strings.Builder
	letters, others := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || isInvisible(r):
		case r <= unicode.MaxASCII && unicode.IsLetter(r):
			letters++
			b.WriteRune(unicode.ToLower(r))
		default:
			others++
		}
	}
	switch {
	case letters+others == 0:
		return "", advice.Keyed(ErrAppPasswordFormat, "google.app_password_empty", advice.Data{"URL": AppPasswordsURL},
			"The app password is empty",
			"Paste the 16 letters Google showed when you created the app password at {{.URL}}.")
	case others > 0:
		return "", advice.Keyed(ErrLooksLikeAccountPassword, "google.looks_like_account_password", advice.Data{"URL": AppPasswordsURL},
			"This has digits or symbols, but an app password is only 16 letters. It looks like your normal Google account password, which Gmail refuses",
			"Create an app password at {{.URL}} and paste its 16 letters here.")
	case letters != appPasswordLength:
		return "", advice.Keyed(ErrAppPasswordFormat, "google.app_password_length", advice.Data{"Count": letters, "URL": AppPasswordsURL},
			"An app password has 16 letters; this has {{.Count}}",
			"Copy the whole app password again: Google shows it as four groups of four letters. If you no longer have it, create a new one at {{.URL}}.")
	}
	return b.String(), nil
}

// isInvisible reports whether r is a character that shows as nothing and
// sometimes comes along when text is copied: zero-width spaces and joiners,
// the word joiner, the byte order mark and the soft hyphen.
func isInvisible(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD':
		return true
	}
	return false
}
