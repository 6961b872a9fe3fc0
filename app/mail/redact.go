package mail

import (
	"encoding/base64"
	"regexp"
	"slices"
	"strings"

	"github.com/mailkey-app/mailkey/app/advice"
)

// redacted replaces a secret in every text mailkey shows or keeps.
const redacted = "<redacted>"

// redactor removes a credential's secret, in every form a server could echo
// it, from text: the app password or token itself (an app password also in
// Google's groups of four, in any case), and the base64 of the secret, of the
// AUTH PLAIN blob and of the XOAUTH2 blob.
type redactor struct{ re *regexp.Regexp }

func newRedactor(c Credential) redactor {
	var forms []string
	add := func(s string) {
		if len(s) >= 4 { // shorter "secrets" would blot out ordinary words
			forms = append(forms, regexp.QuoteMeta(s))
		}
	}
	addBase64 := func(s string) {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			add(enc.EncodeToString([]byte(s)))
		}
	}
	if p := c.Password; p != "" {
		if len(p) >= 4 {
			forms = append(forms, spaced(p))
		}
		addBase64(p)
		addBase64("\x00" + c.Username + "\x00" + p)
		addBase64(c.Username + "\x00" + c.Username + "\x00" + p)
	}
	if t := c.Token; t != "" {
		add(t)
		addBase64(t)
		addBase64("user=" + c.Username + "\x01auth=Bearer " + t + "\x01\x01")
	}
	if len(forms) == 0 {
		return redactor{}
	}
	// The longest first, so that a blob is not half-replaced by a shorter form.
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	return redactor{re: regexp.MustCompile("(?i)(?:" + strings.Join(forms, "|") + ")")}
}

// spaced is a pattern for s with optional spaces between its groups of four
// characters: "abcdefghijklmnop" also as "abcd efgh ijkl mnop".
func spaced(s string) string {
	r := []rune(s)
	var groups []string
	for len(r) > 0 {
		n := min(4, len(r))
		groups = append(groups, regexp.QuoteMeta(string(r[:n])))
		r = r[n:]
	}
	return strings.Join(groups, `[ \t]*`)
}

// redact removes the secret from s.
func (r redactor) redact(s string) string {
	if r.re == nil {
		return s
	}
	return r.re.ReplaceAllString(s, redacted)
}

// text returns server-sent s as it may be shown: without the secret, and
// cleaned of control characters (advice.Clean).
func (r redactor) text(s string) string { return advice.Clean(r.redact(s)) }
