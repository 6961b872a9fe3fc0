package ui

import (
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
)

// The publishing choice maps each option back to its value by the option
// itself, not by its place in the list, in both languages.
func TestPublishChoiceByValue(t *testing.T) {
	defer useLanguage("en")
	for _, code := range []string{"en", "fr"} {
		useLanguage(code)
		choices := publishChoices()
		var texts []string
		for i := len(choices) - 1; i >= 0; i-- { // the other order: the mapping must not care
			texts = append(texts, choices[i].text)
		}
		r := widget.NewRadioGroup(texts, nil)
		if got := publishingOf(r); got != account.Testing {
			t.Errorf("%s, nothing selected: %q", code, got)
		}
		for _, c := range choices {
			r.SetSelected(c.text)
			if got := publishingOf(r); got != c.value {
				t.Errorf("%s: %q selected gives %q, want %q", code, c.text, got, c.value)
			}
		}
	}
	useLanguage("en")
	if len(publishChoices()) != 2 || publishChoices()[1].text != "In production" {
		t.Errorf("the English options: %+v", publishChoices())
	}
}
