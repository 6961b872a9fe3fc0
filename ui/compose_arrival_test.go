package ui

import (
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// A test email to self that Gmail files as spam says so, with what to do,
// in the user's language.
func TestComposeTestEmailLandsInSpam(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			useLanguage(lang)
			t.Cleanup(func() { useLanguage("en") })
			composeLoginAnn(t, h)
			h.gm.Mailbox.SetSpam(true)
			c := openCompose(t, h, ann, true)
			test.Tap(c.sending.send)
			h.settle()
			want := map[string][]string{
				"en": {"Landed in Spam after", "Not spam", "SPF pass, DKIM pass, DMARC pass"},
				"fr": {"Arrivé dans les spams après", "Non spam", "SPF pass, DKIM pass, DMARC pass"},
			}[lang]
			for _, w := range want {
				if !strings.Contains(c.sending.result.Text, w) {
					t.Errorf("result %q lacks %q", c.sending.result.Text, w)
				}
			}
			// The seconds with the language's decimal mark: "0.4 s", "0,4 s".
			if mark := map[string]string{"en": `after \d+\.\d s`, "fr": `après \d+,\d s`}[lang]; !regexp.MustCompile(mark).MatchString(c.sending.result.Text) {
				t.Errorf("result %q: the seconds lack the decimal mark of %s", c.sending.result.Text, lang)
			}
			if c.sending.result.Importance != widget.WarningImportance {
				t.Errorf("importance %v, want a warning", c.sending.result.Importance)
			}
		})
	}
}
