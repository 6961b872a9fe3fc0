package mail

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"slices"
	"strings"

	"github.com/mailkey-app/mailkey/app/advice"
)

// redacted replaces a secret in every text mailkey shows or keeps.
const redacted = "<redacted>"

// window is how many characters of a secret, in a row, count as the secret:
// a server may echo a part of what it got.
const window = 8

// redactor removes a credential's secret, in every form a server could echo
// it, from text: the app password or token itself (an app password also in
// Google's groups of four, in any case), the base64 of the secret, of the
// AUTH PLAIN blob and of the XOAUTH2 blob; and any part of those of window
// characters or more, plain or inside a run of base64.
type redactor struct {
	whole   *regexp.Regexp // the full forms, in any case
	parts   *regexp.Regexp // window characters of a secret, with the word around them
	secrets [][]byte       // the plain secrets, to look for in decoded base64
}

// base64Run is a run of characters that may be base64 (standard or URL).
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]{12,}={0,2}`)

// partWord is what a part of a secret takes with it when redacted: the rest
// of the word it was cut from.
const partWord = `[A-Za-z0-9._~+/=-]*`

func newRedactor(c Credential) redactor {
	var whole, parts []string
	var r redactor
	addBase64 := func(s string) {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			whole = append(whole, regexp.QuoteMeta(enc.EncodeToString([]byte(s))))
		}
	}
	addSecret := func(s string) {
		if len(s) < 4 { // shorter "secrets" would blot out ordinary words
			return
		}
		r.secrets = append(r.secrets, []byte(s))
		whole = append(whole, spaced(s))
		for i := 0; i+window <= len(s); i++ {
			parts = append(parts, regexp.QuoteMeta(s[i:i+window]))
		}
		// An app password shown in groups of four, cut anywhere.
		sp := strings.Join(groups(s), " ")
		for i := 0; i+window+1 <= len(sp); i++ {
			if w := sp[i : i+window+1]; strings.Count(w, " ") == 1 {
				parts = append(parts, strings.ReplaceAll(regexp.QuoteMeta(w), " ", `[ \t]*`))
			}
		}
		addBase64(s)
	}
	if p := c.Password; p != "" {
		addSecret(p)
		addBase64("\x00" + c.Username + "\x00" + p)
		addBase64(c.Username + "\x00" + c.Username + "\x00" + p)
	}
	if t := c.Token; t != "" {
		addSecret(t)
		addBase64("user=" + c.Username + "\x01auth=Bearer " + t + "\x01\x01")
	}
	if len(whole) > 0 {
		// The longest first, so that a blob is not half-replaced by a shorter form.
		slices.SortFunc(whole, func(a, b string) int { return len(b) - len(a) })
		r.whole = regexp.MustCompile("(?i)(?:" + strings.Join(whole, "|") + ")")
	}
	if len(parts) > 0 {
		r.parts = regexp.MustCompile(partWord + "(?:" + strings.Join(slices.Compact(slices.Sorted(slices.Values(parts))), "|") + ")" + partWord)
	}
	return r
}

// groups cuts s into groups of four characters, as Google shows an app password.
func groups(s string) []string {
	var out []string
	r := []rune(s)
	for len(r) > 0 {
		n := min(4, len(r))
		out = append(out, string(r[:n]))
		r = r[n:]
	}
	return out
}

// spaced is a pattern for s with optional spaces between its groups of four
// characters: "abcdefghijklmnop" also as "abcd efgh ijkl mnop".
func spaced(s string) string {
	g := groups(s)
	for i := range g {
		g[i] = regexp.QuoteMeta(g[i])
	}
	return strings.Join(g, `[ \t]*`)
}

// redact removes the secret from s.
func (r redactor) redact(s string) string {
	if r.whole == nil {
		return s
	}
	s = r.whole.ReplaceAllString(s, redacted)
	if r.parts != nil {
		s = r.parts.ReplaceAllString(s, redacted)
	}
	return base64Run.ReplaceAllStringFunc(s, func(run string) string {
		if r.inBase64(run) {
			return redacted
		}
		return run
	})
}

// inBase64 reports whether run, decoded from any starting point, holds
// window bytes of a secret in a row.
func (r redactor) inBase64(run string) bool {
	run = strings.TrimRight(run, "=")
	for off := range 4 {
		if off >= len(run) {
			break
		}
		sub := run[off:]
		if len(sub)%4 == 1 {
			sub = sub[:len(sub)-1]
		}
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			b, err := enc.DecodeString(sub)
			if err == nil && r.holdsPart(b) {
				return true
			}
		}
	}
	return false
}

// holdsPart reports whether b holds window bytes of a secret in a row (or
// the whole of a shorter secret).
func (r redactor) holdsPart(b []byte) bool {
	for _, sec := range r.secrets {
		n := min(window, len(sec))
		for i := 0; i+n <= len(sec); i++ {
			if bytes.Contains(b, sec[i:i+n]) {
				return true
			}
		}
	}
	return false
}

// maxShownText bounds the server text an explanation quotes.
const maxShownText = 400

// text returns server-sent s as it may be shown in a sentence: without the
// secret, fit to print (advice.Printable: no control or format characters,
// which also ends escape sequences and bidi overrides) and cut at
// maxShownText.
func (r redactor) text(s string) string { return advice.Printable(r.redact(s), maxShownText) }

// lines is text for text of several lines (a transcript entry): each line is
// made fit to print and the line breaks are kept.
func (r redactor) lines(s string) string {
	ls := strings.Split(r.redact(s), "\n")
	for i, l := range ls {
		ls[i] = advice.Printable(l, maxReplyLine)
	}
	return strings.Join(ls, "\n")
}
