package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/advice"
	"github.com/mailkey-app/mailkey/app/engine"
)

// heading is a screen's title.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	return l
}

// para is a paragraph that wraps.
func para(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// statusText is an account's status as the sidebar and the account screen show it.
func statusText(in engine.Info) string {
	switch in.Status.State {
	case account.StateNeedsSignIn:
		return tr("status.needs_signin", "Needs sign-in")
	case account.StateExpiring:
		return trn("status.expires", "Expires in {{.Count}} days", in.Status.DaysLeft)
	}
	return tr("status.ok", "OK")
}

// errorTextShort is errorText with long URLs shortened (links.go), for a
// label that has a linkBar under it, which opens or copies them whole.
func errorTextShort(err error) string {
	text, _ := shortenURLs(errorText(err))
	return text
}

// errorText renders an error for a label: what went wrong, then what to do.
// Its URLs stay whole (they wrap); errorTextShort shortens them.
func errorText(err error) string {
	what, next := localAdvice(err)
	what = sentence(what)
	if next != "" {
		return what + "\n" + sentence(next)
	}
	return what
}

// sentence is advice.Sentence, short for this package.
func sentence(s string) string { return advice.Sentence(s) }

// choiceIndex returns the position of r's selected option among r.Options,
// or -1 when none is selected: the typed value behind the option is at the
// same position in the list the options were made from, so that no code
// compares the (translated) texts.
func choiceIndex(r *widget.RadioGroup) int {
	return slices.Index(r.Options, r.Selected)
}
