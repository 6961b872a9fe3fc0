package ui

import (
	netmail "net/mail"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/google"
)

// apForm is the Gmail address and the app password, each checked on every
// change with a hint under it that never repeats what was typed.
type apForm struct {
	address, password         *entry
	addressHint, passwordHint *apHint
	addrOK, pwOK              bool
	// onChange runs after each check.
	onChange func()
}

// newAPForm makes the fields, the address filled with addr; each later
// change runs onChange. Enter in the address moves to the password, and
// Enter in the password runs onSubmit.
func newAPForm(g *gui, addr string, onChange, onSubmit func()) *apForm {
	f := &apForm{address: newEntry(g), password: newPasswordEntry(g), addressHint: newAPHint(), passwordHint: newAPHint(), onChange: func() {}}
	f.address.SetPlaceHolder("ann@gmail.com")
	f.password.SetPlaceHolder("abcd efgh ijkl mnop") // hidden, with Fyne's own show/hide button
	f.address.SetText(addr)
	f.onAddressChanged(f.address.Text)
	f.onPasswordChanged("")
	f.onChange = onChange // from now on: the caller runs its own check once f is made
	f.address.OnChanged = f.onAddressChanged
	f.password.OnChanged = f.onPasswordChanged
	f.address.OnSubmitted = func(string) { g.win.Canvas().Focus(f.password) }
	f.password.OnSubmitted = func(string) { onSubmit() }
	return f
}

// objects are the form's rows in the page.
func (f *apForm) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{
		widget.NewLabelWithStyle(tr("ap.gmail_address", "Gmail address"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		f.address, f.addressHint.box,
		widget.NewLabelWithStyle(tr("ap.app_password", "App password"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		f.password, f.passwordHint.box,
	}
}

// valid reports whether both fields hold what Gmail could accept.
func (f *apForm) valid() bool { return f.addrOK && f.pwOK }

// addr is the address typed, without the spaces around it.
func (f *apForm) addr() string { return strings.TrimSpace(f.address.Text) }

// setEnabled enables or disables both fields.
func (f *apForm) setEnabled(on bool) { apEnable(on, f.address, f.password) }

// onAddressChanged checks the address on every change.
func (f *apForm) onAddressChanged(text string) {
	text = strings.TrimSpace(text)
	a, err := netmail.ParseAddress(text)
	f.addrOK = err == nil
	domain := ""
	if err == nil {
		domain = strings.ToLower(a.Address[strings.LastIndex(a.Address, "@")+1:])
	}
	switch {
	case text == "":
		f.addressHint.set(widget.MediumImportance, tr("ap.address.empty", "Enter the Gmail address you want to send from, for example ann@gmail.com."))
	case err != nil:
		f.addressHint.set(widget.DangerImportance, tr("ap.address.invalid", "This is not a valid email address. Enter an address like ann@gmail.com."))
	case domain != "gmail.com" && domain != "googlemail.com":
		f.addressHint.set(widget.WarningImportance, tr("ap.address.workspace", "{{.Address}} is not a gmail.com address. That is fine for a Google Workspace account, but its administrator may have turned app passwords off.", map[string]any{"Address": a.Address}))
	default:
		f.addressHint.set(widget.SuccessImportance, tr("ap.address.ok", "This is a valid Gmail address."))
	}
	f.onChange()
}

// onPasswordChanged checks the app password on every change. The hints never
// repeat what was typed.
func (f *apForm) onPasswordChanged(text string) {
	_, err := google.NormalizeAppPassword(text)
	f.pwOK = err == nil
	switch {
	case strings.TrimSpace(text) == "":
		f.passwordHint.set(widget.MediumImportance, tr("ap.password.empty", "An app password has 16 letters; spaces are fine."))
	case err != nil:
		f.passwordHint.set(widget.DangerImportance, errorText(err))
	default:
		f.passwordHint.set(widget.SuccessImportance, tr("ap.password.ok", "This looks like an app password."))
	}
	f.onChange()
}

// apHint is a message under a field: an icon, level with the first line of
// text, and a wrapping label, coloured by importance (low: neutral, success: ✓,
// warning, danger).
type apHint struct {
	icon *widget.Icon
	text *widget.Label
	box  *fyne.Container
}

func newAPHint() *apHint {
	h := &apHint{icon: widget.NewIcon(nil), text: para("")}
	top := container.New(layout.NewCustomPaddedLayout(theme.InnerPadding()-theme.Padding(), 0, 0, 0), h.icon)
	h.box = container.NewBorder(nil, nil, container.NewVBox(top), nil, h.text)
	return h
}

func (h *apHint) set(imp widget.Importance, text string) {
	icons := map[widget.Importance]fyne.Resource{
		widget.SuccessImportance: theme.NewSuccessThemedResource(theme.ConfirmIcon()),
		widget.WarningImportance: theme.NewWarningThemedResource(theme.WarningIcon()),
		widget.DangerImportance:  theme.NewErrorThemedResource(theme.ErrorIcon()),
	}
	res, ok := icons[imp]
	if !ok {
		res = theme.InfoIcon()
	}
	h.icon.SetResource(res)
	h.text.Importance = imp
	h.text.SetText(text)
}
