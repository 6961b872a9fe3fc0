package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mailkey-app/mailkey/app/relay"
)

// relayPasswords is the relay panel's "Device passwords": a field for a
// device's name with "Create password", the password just created (shown
// once, with Copy) and each password with when it was last used and Revoke.
type relayPasswords struct {
	p        *relayPanel
	label    *entry
	create   *button
	newPass  *widget.Label // the password just created, shown once
	copyPass *button
	list     *fyne.Container
}

func newRelayPasswords(p *relayPanel) *relayPasswords {
	r := &relayPasswords{p: p, label: newEntry(p.g), newPass: widget.NewLabel(""), list: container.NewVBox()}
	r.label.SetPlaceHolder(tr("relay.label_hint", "Device or program, e.g. scanner"))
	r.label.OnSubmitted = func(string) { r.onCreate() }
	r.create = newButtonWithIcon(p.g, tr("relay.create", "Create password"), theme.ContentAddIcon(), r.onCreate)
	r.newPass.TextStyle = fyne.TextStyle{Monospace: true}
	r.newPass.Selectable = true
	r.copyPass = newButtonWithIcon(p.g, tr("export.copy", "Copy"), theme.ContentCopyIcon(), func() {
		p.g.app.Clipboard().SetContent(r.newPass.Text)
	})
	r.newPass.Hide()
	r.copyPass.Hide()
	return r
}

// objects are the part's rows in the panel's column.
func (r *relayPasswords) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{
		widget.NewLabelWithStyle(tr("relay.passwords", "Device passwords"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, nil, r.create, r.label), container.NewHBox(r.newPass, r.copyPass), r.list,
	}
}

// show lists the account's passwords.
func (r *relayPasswords) show(entries []relay.Entry) {
	r.list.Objects = nil
	for _, e := range entries {
		used := tr("relay.never_used", "never used")
		if !e.LastUsed.IsZero() {
			used = tr("relay.last_used", "last used {{.Date}}", map[string]any{"Date": e.LastUsed.Local().Format("2006-01-02 15:04")})
		}
		revoke := newButtonWithIcon(r.p.g, tr("relay.revoke", "Revoke"), theme.DeleteIcon(), func() { r.onRevoke(e.Label) })
		r.list.Add(container.NewBorder(nil, nil, nil, revoke, widget.NewLabel(e.Label+" — "+used)))
	}
	r.list.Refresh()
}

func (r *relayPasswords) onCreate() {
	p := r.p
	label, addr := strings.TrimSpace(r.label.Text), p.addr
	r.create.Disable()
	run(p.g.tasks, func() (string, error) {
		return relay.PasswordsOf(p.g.eng).Add(context.Background(), addr, label)
	}, func(pw string, err error) {
		r.create.Enable()
		p.showNote(err)
		if err != nil {
			return
		}
		r.label.SetText("")
		r.newPass.SetText(pw)
		r.newPass.Show()
		r.copyPass.Show()
		p.load()
	})
}

func (r *relayPasswords) onRevoke(label string) {
	p := r.p
	addr := p.addr
	run(p.g.tasks, func() (struct{}, error) {
		return struct{}{}, relay.PasswordsOf(p.g.eng).Remove(context.Background(), addr, label)
	}, func(_ struct{}, err error) {
		p.showNote(err)
		p.load()
	})
}
