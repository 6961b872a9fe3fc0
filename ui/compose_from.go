package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/account"
	"github.com/mailkey-app/mailkey/app/engine"
)

// fromPicker is Compose's From: the accounts and their verified Send mail
// as addresses, with the account to preselect, an error when there is none
// and, for an app-password account, why it offers only its own address.
type fromPicker struct {
	g          *gui
	initial    string // the account to preselect
	testToSelf bool
	accounts   []engine.Info
	choice     *widget.Select
	err        *widget.Label
	note       *widget.Label
	// changed runs after each change of the choice.
	changed func()
}

func newFromPicker(g *gui, initial string, testToSelf bool, changed func()) *fromPicker {
	p := &fromPicker{g: g, initial: initial, testToSelf: testToSelf, err: composeErrLabel(), note: para(""), changed: changed}
	p.note.Hide()
	p.choice = widget.NewSelect(nil, func(string) {
		p.showNote()
		p.changed()
	})
	p.choice.PlaceHolder = tr("compose.loading_accounts", "Loading the accounts…")
	return p
}

func (p *fromPicker) content() fyne.CanvasObject {
	return container.NewVBox(p.choice, p.err, p.note)
}

// set offers the accounts of list, or shows err; it reports whether an
// address is selected.
func (p *fromPicker) set(list []engine.Info, err error) bool {
	p.choice.PlaceHolder = tr("compose.choose_account", "Choose an account")
	if err != nil {
		showErr(p.err, err)
		p.choice.Refresh()
		return false
	}
	p.accounts = list
	opts := make([]string, len(list))
	for i, in := range list {
		opts[i] = in.Address
	}
	opts = append(opts, aliasOptions(list)...)
	p.choice.SetOptions(opts)
	if len(opts) == 0 {
		p.err.SetText(tr("compose.no_account", "There is no account to send from yet. Add one first."))
		p.err.Show()
		return false
	}
	p.choice.SetSelected(opts[0])
	for _, o := range opts {
		if strings.EqualFold(o, p.initial) {
			p.choice.SetSelected(o)
		}
	}
	return true
}

// account returns the selected account.
func (p *fromPicker) account() (engine.Info, bool) {
	for _, in := range p.accounts {
		if in.Address == p.choice.Selected {
			return in, true
		}
	}
	return engine.Info{}, false
}

// aliasOptions returns the verified Send mail as addresses of the accounts,
// for From: sending from one goes through the account that owns it (the
// engine finds it). OAuth accounts only; addresses that are accounts
// themselves are left out.
func aliasOptions(list []engine.Info) []string {
	var out []string
	for _, in := range list {
		if in.Method != account.OAuth {
			continue // an app password cannot know them (showNote)
		}
		for _, a := range in.SendAs {
			own := slices.ContainsFunc(list, func(x engine.Info) bool { return strings.EqualFold(x.Address, a) })
			if !own && !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// showNote says, under From, that an app-password account cannot list
// its Send mail as addresses, so mailkey offers only its own address.
func (p *fromPicker) showNote() {
	in, ok := p.account()
	if !ok || in.Method != account.AppPassword || p.testToSelf { // a test to self is about the address itself
		p.note.Hide()
		return
	}
	p.note.SetText(tr("compose.from_app_password",
		"An app password cannot list your Send mail as addresses: mailkey sends from this address only."))
	p.note.Show()
}
